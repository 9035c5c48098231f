//===- ManifestTest.cpp - the runtime binds compiled functions by role ----===//

#include "nnrt/Trainer.h"

#include <gtest/gtest.h>

using namespace nnrt;

namespace {

ArgSpec arg(Role role, std::vector<int64_t> shape, std::string name = "",
            bool result = false) {
  ArgSpec a;
  a.role = role;
  a.shape = std::move(shape);
  a.name = std::move(name);
  a.result = result;
  if (role == Role::Param)
    a.init = "zeros";
  return a;
}

/// A linear model 3 -> 2 at batch 4: @loss and @train_step (SGD, no state).
ModelInfo linear() {
  ModelInfo info;
  info.name = "lin";
  FunctionManifest loss{
      "loss",
      {arg(Role::Param, {3, 2}, "w"), arg(Role::Param, {2}, "b"),
       arg(Role::Input, {4, 3}, "x"), arg(Role::Target, {4, 2}, "label"),
       arg(Role::Losses, {4}, "", true), arg(Role::Output, {4, 2}, "", true)}};
  FunctionManifest step{
      "train_step",
      {arg(Role::Param, {3, 2}, "w"), arg(Role::Param, {2}, "b"),
       arg(Role::Input, {4, 3}, "x"), arg(Role::Target, {4, 2}, "label"),
       arg(Role::LearningRate, {}), arg(Role::Step, {}),
       arg(Role::Param, {3, 2}, "w", true), arg(Role::Param, {2}, "b", true),
       arg(Role::Loss, {}, "", true), arg(Role::Output, {4, 2}, "", true)}};
  info.functions = {loss, step};
  return info;
}

Dataset data() {
  Dataset d;
  d.name = "tiny";
  d.count = 8;
  d.rows = 1;
  d.cols = 3;
  d.tabular = true;
  d.classes = 2;
  d.images.assign(8 * 3, 0.5f);
  d.labels.assign(8, 1);
  return d;
}

int calls = 0;
void countCall(void **) { ++calls; }

TEST(ManifestTest, DescribeReadsTheForwardPass) {
  ModelInfo info = linear();
  ASSERT_TRUE(describeModel(info));
  ASSERT_EQ(info.params.size(), 2u);
  EXPECT_EQ(info.params[1].name, "b");
  EXPECT_EQ(info.batch, 4);
  EXPECT_EQ(info.inputShape, (std::vector<int64_t>{3}));
  EXPECT_EQ(info.outputShape, (std::vector<int64_t>{2}));
  EXPECT_TRUE(info.stateSlots.empty());
}

TEST(ManifestTest, FunctionsMustTakeTheSameParameters) {
  ModelInfo info = linear();
  info.functions[1].args[1].name = "bias";
  Status s = describeModel(info);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "@train_step and @loss take different parameters");
}

TEST(ManifestTest, TrainingBindsEveryArgument) {
  ModelInfo info = linear();
  ASSERT_TRUE(describeModel(info));
  CompiledFunctions fns;
  fns.trainStep = countCall;
  Trainer trainer(info, fns);
  calls = 0;
  TrainOptions opts;
  ASSERT_TRUE(trainer.train(data(), opts, {}));
  EXPECT_EQ(calls, 2); // 8 samples, batches of 4
}

TEST(ManifestTest, AShapeMismatchIsAnErrorNotACall) {
  ModelInfo info = linear();
  ASSERT_TRUE(describeModel(info));
  info.functions[1].args[2].shape = {4, 5}; // @train_step's x
  CompiledFunctions fns;
  fns.trainStep = countCall;
  Trainer trainer(info, fns);
  calls = 0;
  Status s = trainer.train(data(), TrainOptions{}, {});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(),
            "argument 2 of @train_step (input 'x') is compiled for shape "
            "[4, 5], the runtime's is [4, 3]");
  EXPECT_EQ(calls, 0);
}

TEST(ManifestTest, AnArgumentWithoutATensorIsAnError) {
  ModelInfo info = linear();
  ASSERT_TRUE(describeModel(info));
  info.functions[1].args.push_back(arg(Role::Noise, {4, 2}, "d.noise"));
  CompiledFunctions fns;
  fns.trainStep = countCall;
  fns.loss = countCall;
  Trainer trainer(info, fns);
  Status s = trainer.train(data(), TrainOptions{}, {});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "the runtime has no tensor for argument 10 of "
                         "@train_step (noise 'd.noise')");
  Evaluation ev = trainer.evaluate(data());
  EXPECT_TRUE(ev.error.empty()); // @loss still fits
}

TEST(ManifestTest, AMissingManifestIsAnError) {
  ModelInfo info = linear();
  ASSERT_TRUE(describeModel(info));
  info.functions.pop_back(); // no @train_step
  CompiledFunctions fns;
  fns.trainStep = countCall;
  Trainer trainer(info, fns);
  Status s = trainer.train(data(), TrainOptions{}, {});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "model 'lin' has no manifest of @train_step");
}

} // namespace
