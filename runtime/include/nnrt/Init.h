//===- Init.h - seeded weight initialisation --------------------*- C++ -*-===//
//
//   glorot  uniform in ±sqrt(6 / (fan_in + fan_out))  (Glorot & Bengio 2010)
//   he      normal, std sqrt(2 / fan_in)              (He et al. 2015), ReLU
//   lecun   normal, std sqrt(1 / fan_in)              (LeCun et al. 1998)
//   zeros   all zero (biases)
//   ones    all one (the coefficients of trainable subsampling)
//   digits  LeNet-5's 7x12 digit bitmaps, +1 / -1 (nnrt/Prototypes.h)
//   signs   random +1 / -1 (RBF prototypes without digit bitmaps)
// fan_in is the first dimension of a weight, fan_out its last.
//
//===----------------------------------------------------------------------===//

#ifndef NNRT_INIT_H
#define NNRT_INIT_H

#include "nnrt/Random.h"
#include "nnrt/Status.h"
#include "nnrt/Tensor.h"

namespace nnrt {

Status initialize(Tensor &t, const std::string &scheme, Rng &rng);

} // namespace nnrt

#endif
