//===- Random.h - a seeded, portable random source --------------*- C++ -*-===//
//
// std::uniform_*_distribution differ between standard libraries; these
// draws are defined here, so a seed gives the same numbers everywhere.
//
//===----------------------------------------------------------------------===//

#ifndef NNRT_RANDOM_H
#define NNRT_RANDOM_H

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace nnrt {

class Rng {
public:
  explicit Rng(uint64_t seed) : engine(seed) {}

  /// Uniform in [0, 1), 53 random bits.
  double uniform() { return (engine() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, n).
  uint64_t below(uint64_t n) {
    // Rejection keeps it unbiased.
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
      x = engine();
    while (x >= limit);
    return x % n;
  }
  /// Standard normal (Box-Muller).
  double normal() {
    double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  /// Fisher-Yates.
  template <typename T> void shuffle(std::vector<T> &v) {
    for (size_t i = v.size(); i > 1; --i)
      std::swap(v[i - 1], v[below(i)]);
  }

private:
  std::mt19937_64 engine;
};

} // namespace nnrt

#endif
