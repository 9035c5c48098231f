//===- Init.cpp - seeded weight initialisation ----------------------------===//

#include "nnrt/Init.h"
#include "nnrt/Prototypes.h"

#include <fmt/format.h>

#include <algorithm>

using namespace nnrt;

Status nnrt::initialize(Tensor &t, const std::string &scheme, Rng &rng) {
  const std::vector<int64_t> &shape = t.shape();
  double fanIn = shape.empty() ? 1 : double(shape.front());
  double fanOut = shape.empty() ? 1 : double(shape.back());
  if (scheme == "zeros") {
    t.fill(0.0f);
  } else if (scheme == "ones") {
    t.fill(1.0f);
  } else if (scheme == "glorot") {
    double a = std::sqrt(6.0 / (fanIn + fanOut));
    for (int64_t i = 0; i < t.size(); ++i)
      t[i] = float((2.0 * rng.uniform() - 1.0) * a);
  } else if (scheme == "he" || scheme == "lecun") {
    double stddev = std::sqrt((scheme == "he" ? 2.0 : 1.0) / fanIn);
    for (int64_t i = 0; i < t.size(); ++i)
      t[i] = float(rng.normal() * stddev);
  } else if (scheme == "digits") {
    if (shape != std::vector<int64_t>{10, kDigitWidth * kDigitHeight})
      return Status::error(fmt::format("the digit prototypes are 10x{}, not {}",
                                       kDigitWidth * kDigitHeight,
                                       shapeString(shape)));
    std::vector<float> p = digitPrototypes();
    std::copy(p.begin(), p.end(), t.data());
  } else if (scheme == "signs") {
    std::vector<float> p =
        randomSigns(int64_t(fanIn), t.size() / int64_t(fanIn), rng);
    std::copy(p.begin(), p.end(), t.data());
  } else {
    return Status::error(fmt::format("unknown initializer '{}'", scheme));
  }
  return Status::ok();
}
