//===- LrScheduleTest.cpp - learning-rate schedules -----------------------===//

#include "nnrt/Trainer.h"

#include <gtest/gtest.h>

using namespace nnrt;

TEST(LrScheduleTest, Constant) {
  LrSchedule s;
  EXPECT_DOUBLE_EQ(s.at(0.1, 0, 100, 0), 0.1);
  EXPECT_DOUBLE_EQ(s.at(0.1, 99, 100, 9), 0.1);
}

TEST(LrScheduleTest, CosineFallsFromBaseToZero) {
  LrSchedule s;
  s.kind = LrSchedule::Kind::Cosine;
  EXPECT_DOUBLE_EQ(s.at(0.1, 0, 100, 0), 0.1);
  EXPECT_NEAR(s.at(0.1, 50, 100, 5), 0.05, 1e-12);
  EXPECT_NEAR(s.at(0.1, 100, 100, 10), 0.0, 1e-12);
  EXPECT_GT(s.at(0.1, 30, 100, 3), s.at(0.1, 31, 100, 3));
}

TEST(LrScheduleTest, StepDecaysEveryNEpochs) {
  LrSchedule s;
  s.kind = LrSchedule::Kind::Step;
  s.every = 3;
  s.gamma = 0.5;
  EXPECT_DOUBLE_EQ(s.at(0.1, 0, 0, 2), 0.1);
  EXPECT_DOUBLE_EQ(s.at(0.1, 0, 0, 3), 0.05);
  EXPECT_DOUBLE_EQ(s.at(0.1, 0, 0, 7), 0.025);
}
