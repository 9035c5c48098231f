//===- RandomTest.cpp - seeded shuffling and initialisation ---------------===//

#include "nnrt/Random.h"
#include "nnrt/Init.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

using namespace nnrt;

TEST(RandomTest, ShuffleIsDeterministicPerSeed) {
  std::vector<int> a(1000), b(1000), c(1000);
  std::iota(a.begin(), a.end(), 0);
  b = c = a;
  Rng(42).shuffle(a);
  Rng(42).shuffle(b);
  Rng(43).shuffle(c);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // Still a permutation.
  std::sort(c.begin(), c.end());
  for (int i = 0; i < 1000; ++i)
    EXPECT_EQ(c[i], i);
}

TEST(RandomTest, BelowStaysInRange) {
  Rng rng(7);
  for (int i = 0; i < 10000; ++i)
    EXPECT_LT(rng.below(13), 13u);
}

TEST(InitTest, GlorotBoundsAndSpread) {
  Tensor w({300, 100});
  Rng rng(1);
  ASSERT_TRUE(initialize(w, "glorot", rng));
  double a = std::sqrt(6.0 / 400.0), sum = 0, sq = 0;
  for (int64_t i = 0; i < w.size(); ++i) {
    EXPECT_LE(std::abs(w[i]), a);
    sum += w[i];
    sq += double(w[i]) * w[i];
  }
  double var = sq / w.size() - (sum / w.size()) * (sum / w.size());
  EXPECT_NEAR(var, a * a / 3, 0.05 * a * a / 3); // uniform: a^2 / 3
}

TEST(InitTest, HeVariance) {
  Tensor w({400, 200});
  Rng rng(2);
  ASSERT_TRUE(initialize(w, "he", rng));
  double sq = 0;
  for (int64_t i = 0; i < w.size(); ++i)
    sq += double(w[i]) * w[i];
  EXPECT_NEAR(sq / w.size(), 2.0 / 400, 0.05 * 2.0 / 400);
}

TEST(InitTest, SameSeedSameWeights) {
  Tensor a({50, 20}), b({50, 20});
  Rng r1(9), r2(9);
  ASSERT_TRUE(initialize(a, "lecun", r1));
  ASSERT_TRUE(initialize(b, "lecun", r2));
  for (int64_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(a[i], b[i]);
}

TEST(InitTest, UnknownSchemeIsAnError) {
  Tensor w({2, 2});
  Rng rng(1);
  Status s = initialize(w, "xavier", rng);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "unknown initializer 'xavier'");
}
