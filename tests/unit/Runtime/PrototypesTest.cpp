//===- PrototypesTest.cpp - RBF prototypes and the "digits" initializer ---===//

#include "nnrt/Prototypes.h"
#include "nnrt/Init.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace nnrt;

namespace {

TEST(Prototypes, DigitsAreTenSevenByTwelveBitmapsOfSigns) {
  std::vector<float> p = digitPrototypes();
  ASSERT_EQ(p.size(), size_t(10 * 84));
  for (int d = 0; d < 10; ++d) {
    const auto &bitmap = digitBitmap(d);
    int ink = 0;
    for (int r = 0; r < kDigitHeight; ++r) {
      ASSERT_EQ(std::strlen(bitmap[r]), size_t(kDigitWidth))
          << d << " row " << r;
      for (int c = 0; c < kDigitWidth; ++c) {
        float v = p[d * 84 + r * kDigitWidth + c];
        EXPECT_EQ(v, bitmap[r][c] == '#' ? 1.0f : -1.0f);
        ink += v > 0;
      }
    }
    EXPECT_GT(ink, 10) << "digit " << d << " is nearly blank";
  }
}

TEST(Prototypes, DigitsAreFarApart) {
  // RBF classification picks the nearest prototype: any two digits must
  // differ in enough pixels that F6 can tell them apart robustly.
  std::vector<float> p = digitPrototypes();
  for (int a = 0; a < 10; ++a)
    for (int b = a + 1; b < 10; ++b) {
      int differ = 0;
      for (int i = 0; i < 84; ++i)
        differ += p[a * 84 + i] != p[b * 84 + i];
      EXPECT_GE(differ, 8) << a << " vs " << b;
    }
}

TEST(Prototypes, InitializersFillSigns) {
  Tensor t(std::vector<int64_t>{10, 84});
  Rng rng(1);
  ASSERT_TRUE(initialize(t, "digits", rng));
  EXPECT_EQ(std::vector<float>(t.data(), t.data() + t.size()),
            digitPrototypes());

  Tensor s(std::vector<int64_t>{3, 5});
  ASSERT_TRUE(initialize(s, "signs", rng));
  int plus = 0;
  for (int64_t i = 0; i < s.size(); ++i) {
    EXPECT_TRUE(s[i] == 1.0f || s[i] == -1.0f);
    plus += s[i] > 0;
  }
  EXPECT_GT(plus, 0);
  EXPECT_LT(plus, 15);

  Tensor wrong(std::vector<int64_t>{10, 80});
  Status st = initialize(wrong, "digits", rng);
  EXPECT_FALSE(st);
  EXPECT_EQ(st.message(), "the digit prototypes are 10x84, not 10x80");
}

} // namespace
