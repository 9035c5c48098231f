//===- DistinctResults.cpp - copy repeated results before bufferization ---===//

#include "dialects/nn/Transforms/Passes.h"

#include "llvm/ADT/DenseSet.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNDISTINCTRESULTSPASS
#include "dialects/nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {
struct NNDistinctResultsPass
    : nn::impl::NNDistinctResultsPassBase<NNDistinctResultsPass> {
  using Base::Base;

  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      llvm::DenseSet<Value> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        auto type = dyn_cast<RankedTensorType>(operand.get().getType());
        if (!type || seen.insert(operand.get()).second)
          continue;
        operand.set(bufferization::AllocTensorOp::create(
            b, ret.getLoc(), type, ValueRange{}, operand.get()));
      }
    });
  }
};
} // namespace
