//===- DistinctEmptyTensors.cpp - one tensor.empty per use ----------------===//

#include "dialects/nn/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNDISTINCTEMPTYTENSORSPASS
#include "dialects/nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {
/// Uses one tensor.empty keeps at most: every example's stay below it, and
/// a chain's alias sets stay this small.
constexpr size_t kUsesPerEmpty = 16;

struct NNDistinctEmptyTensorsPass
    : nn::impl::NNDistinctEmptyTensorsPassBase<NNDistinctEmptyTensorsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<tensor::EmptyOp> shared;
    DenseMap<Operation *, size_t> order; // program order, nested regions too
    getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) {
      order[op] = order.size();
      if (auto empty = dyn_cast<tensor::EmptyOp>(op))
        if (llvm::range_size(empty->getUses()) > kUsesPerEmpty)
          shared.push_back(empty);
    });
    for (tensor::EmptyOp op : shared) {
      // In program order, each run of kUsesPerEmpty uses after the first
      // gets a copy of the op before the run's first user.
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : op->getUses())
        uses.push_back(&use);
      llvm::sort(uses, [&](OpOperand *a, OpOperand *b) {
        return order[a->getOwner()] < order[b->getOwner()];
      });
      Value copy;
      for (size_t i = kUsesPerEmpty; i < uses.size(); ++i) {
        if (i % kUsesPerEmpty == 0) {
          OpBuilder b(uses[i]->getOwner());
          copy = b.clone(*op)->getResult(0);
        }
        uses[i]->set(copy);
      }
    }
  }
};
} // namespace
