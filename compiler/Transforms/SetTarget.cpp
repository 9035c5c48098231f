//===- SetTarget.cpp - the nn-set-target pass -----------------------------===//

#include "compiler/Target/TargetDescription.h"
#include "compiler/Transforms/Passes.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNSETTARGETPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {
struct NNSetTargetPass : nn::impl::NNSetTargetPassBase<NNSetTargetPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<nnc::TargetDescription> target =
        nnc::describeTarget({triple, cpu}, module.getLoc());
    if (failed(target))
      return signalPassFailure();
    module->setAttr("nn.target", target->toAttr(module.getContext()));
  }
};
} // namespace
