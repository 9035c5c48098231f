//===- ManifestTest.cpp - the runtime's contract, read from the IR --------===//

#include "compiler/Driver/Compiler.h"

#include "dialects/nn/IR/NNDialect.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

using namespace nnc;

namespace {

/// The manifests of a model's nn-train stage.
nnrt::ModelInfo describe(llvm::StringRef src, unsigned threads = 1) {
  mlir::DialectRegistry registry;
  registerDialects(registry);
  mlir::MLIRContext ctx(registry);
  llvm::SourceMgr sm;
  sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(src, "t.nn"),
                        llvm::SMLoc());
  mlir::FailureOr<ModelIR> model = loadModel(sm, ctx);
  EXPECT_TRUE(mlir::succeeded(model));
  if (mlir::failed(model))
    return {};
  PipelineConfig config = pipelineConfig(*model);
  config.threads = threads;
  config.batch = model->batch / threads;
  mlir::ModuleOp module = *model->module;
  EXPECT_TRUE(mlir::succeeded(lowerModule(module, Stage::NNTrain, config)));
  mlir::FailureOr<nnrt::ModelInfo> info = describeModule(module);
  EXPECT_TRUE(mlir::succeeded(info));
  return mlir::succeeded(info) ? *info : nnrt::ModelInfo{};
}

constexpr const char *kAdamMLP = R"(
model m {
  input x: f32[6]
  h = dense(x, 5) |> relu |> dropout(0.5)
  output y = dense(h, 3)
}
train m {
  loss = cross_entropy(softmax(y), label)
  optimizer = adam(lr=0.001)
  batch = 4
})";

TEST(ManifestTest, EveryDialectRoleIsARuntimeRole) {
  for (int i = 0; i <= int(mlir::nn::Role::Workspace); ++i) {
    llvm::StringRef name = mlir::nn::stringifyRole(mlir::nn::Role(i));
    std::optional<nnrt::Role> role = nnrt::parseRole(name.str());
    ASSERT_TRUE(role.has_value()) << name.str();
    EXPECT_EQ(int(*role), i);
    EXPECT_EQ(nnrt::roleName(*role), name);
  }
}

TEST(ManifestTest, TrainStepInCallingOrder) {
  nnrt::ModelInfo info = describe(kAdamMLP);
  const nnrt::FunctionManifest *step = info.function("train_step");
  ASSERT_NE(step, nullptr);
  std::vector<std::string> got;
  for (const nnrt::ArgSpec &a : step->args)
    got.push_back(std::string(a.result ? "out " : "") + nnrt::roleName(a.role) +
                  (a.name.empty() ? "" : " " + a.name) +
                  (a.slot.empty() ? "" : "/" + a.slot));
  std::vector<std::string> want = {"param h.weight",
                                   "param h.bias",
                                   "param y.weight",
                                   "param y.bias",
                                   "state h.weight.m/m",
                                   "state h.bias.m/m",
                                   "state y.weight.m/m",
                                   "state y.bias.m/m",
                                   "state h.weight.v/v",
                                   "state h.bias.v/v",
                                   "state y.weight.v/v",
                                   "state y.bias.v/v",
                                   "input x",
                                   "target label",
                                   "noise h.noise",
                                   "lr",
                                   "step",
                                   "out param h.weight",
                                   "out param h.bias",
                                   "out param y.weight",
                                   "out param y.bias",
                                   "out state h.weight.m/m",
                                   "out state h.bias.m/m",
                                   "out state y.weight.m/m",
                                   "out state y.bias.m/m",
                                   "out state h.weight.v/v",
                                   "out state h.bias.v/v",
                                   "out state y.weight.v/v",
                                   "out state y.bias.v/v",
                                   "out loss",
                                   "out output"};
  EXPECT_EQ(got, want);
  EXPECT_EQ(step->args[12].shape, (std::vector<int64_t>{4, 6}));
}

TEST(ManifestTest, ModelInfoFollowsFromTheManifests) {
  nnrt::ModelInfo info = describe(kAdamMLP);
  ASSERT_EQ(info.params.size(), 4u);
  EXPECT_EQ(info.params[0].name, "h.weight");
  EXPECT_EQ(info.params[0].shape, (std::vector<int64_t>{6, 5}));
  EXPECT_EQ(info.params[0].init, "he");
  EXPECT_EQ(info.batch, 4);
  EXPECT_EQ(info.inputShape, (std::vector<int64_t>{6}));
  EXPECT_EQ(info.outputShape, (std::vector<int64_t>{3}));
  EXPECT_EQ(info.stateSlots, (std::vector<std::string>{"m", "v"}));
  ASSERT_EQ(info.noiseShapes.size(), 1u);
  EXPECT_EQ(info.noiseShapes[0], (std::vector<int64_t>{5}));
  EXPECT_FALSE(info.outputIsDistance);
  const nnrt::FunctionManifest *loss = info.function("loss");
  ASSERT_NE(loss, nullptr);
  EXPECT_NE(loss->find(nnrt::Role::Losses, true), nullptr);
}

TEST(ManifestTest, SplitStepForThreads) {
  nnrt::ModelInfo info = describe(kAdamMLP, 2);
  const nnrt::FunctionManifest *grad = info.function("grad_step");
  const nnrt::FunctionManifest *apply = info.function("apply_step");
  ASSERT_NE(grad, nullptr);
  ASSERT_NE(apply, nullptr);
  EXPECT_EQ(info.batch, 2);
  EXPECT_EQ(grad->count(nnrt::Role::Grad, true), 4u);
  // Every thread's gradients, as flat slices.
  EXPECT_EQ(apply->count(nnrt::Role::Grad, false), 8u);
  EXPECT_EQ(apply->find(nnrt::Role::Grad, false)->shape.size(), 1u);
  EXPECT_EQ(info.stateSlots, (std::vector<std::string>{"m", "v"}));
}

TEST(ManifestTest, DistancesAndNoState) {
  nnrt::ModelInfo info = describe(R"(
model m {
  input x: f32[4]
  output y = rbf(x, 3)
}
train m {
  loss = distance(y, label)
  optimizer = sgd(lr=0.1)
  batch = 2
})");
  EXPECT_TRUE(info.outputIsDistance);
  EXPECT_TRUE(info.stateSlots.empty()); // SGD without momentum keeps none
}

} // namespace
