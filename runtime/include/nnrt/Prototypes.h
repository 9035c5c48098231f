//===- Prototypes.h - fixed output prototypes for RBF units -----*- C++ -*-===//
//
// LeNet-5's output layer (LeCun et al. 1998, section II.B and Fig. 3)
// compares F6's 84 units with one prototype per class: a stylized 7x12
// bitmap of the digit with values +1 (ink) and -1 (background). The paper's
// bitmaps are not published as data, so ours are drawn by hand here in the
// same spirit: a 7-pixel wide, 12-pixel tall digit, one pixel stroke, a blank
// first and last row. docs/language.md prints them.
//
//===----------------------------------------------------------------------===//

#ifndef NNRT_PROTOTYPES_H
#define NNRT_PROTOTYPES_H

#include "nnrt/Random.h"

#include <array>
#include <vector>

namespace nnrt {

constexpr int kDigitWidth = 7, kDigitHeight = 12;

/// The bitmap of digit `d` (0-9): kDigitHeight rows of kDigitWidth
/// characters, '#' for ink and '.' for background.
const std::array<const char *, kDigitHeight> &digitBitmap(int d);

/// The ten bitmaps as a 10 x 84 row-major matrix of +1 / -1, one row per
/// digit, pixels in reading order.
std::vector<float> digitPrototypes();

/// `rows` x `cols` independent random signs (+1 / -1): prototypes for RBF
/// units when there are no digit bitmaps to use.
std::vector<float> randomSigns(int64_t rows, int64_t cols, Rng &rng);

} // namespace nnrt

#endif
