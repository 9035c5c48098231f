//===- DistinctEmptyTensors.cpp - a fresh tensor per 16 uses --------------===//

#include "dialects/nn/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNDISTINCTEMPTYTENSORSPASS
#include "dialects/nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {
/// Uses one fresh tensor keeps at most: every example's stay below it, and
/// a chain's alias sets stay this small.
constexpr size_t kUsesPerEmpty = 16;

/// Whether `op` fills an empty tensor with a value: made from scalars
/// alone, like the empty tensor, so a copy of it is the same tensor.
bool isFreshFill(Operation *op) {
  auto fill = dyn_cast<linalg::FillOp>(op);
  return fill && fill.hasPureTensorSemantics() &&
         fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>();
}

/// Splits the uses of each fresh tensor that `select` takes.
void splitUses(func::FuncOp fn, function_ref<bool(Operation *)> select) {
  SmallVector<Operation *> shared;
  DenseMap<Operation *, size_t> order; // program order, nested regions too
  fn.walk<WalkOrder::PreOrder>([&](Operation *op) {
    order[op] = order.size();
    if (select(op) && llvm::range_size(op->getUses()) > kUsesPerEmpty)
      shared.push_back(op);
  });
  for (Operation *op : shared) {
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

struct NNDistinctEmptyTensorsPass
    : nn::impl::NNDistinctEmptyTensorsPassBase<NNDistinctEmptyTensorsPass> {
  using Base::Base;

  void runOnOperation() override {
    // Fills first: their copies write into the same empty tensor, whose
    // uses are split next (in the order the copies made).
    splitUses(getOperation(), isFreshFill);
    splitUses(getOperation(),
              [](Operation *op) { return isa<tensor::EmptyOp>(op); });
  }
};
} // namespace
