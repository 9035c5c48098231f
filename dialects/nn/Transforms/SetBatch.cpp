//===- SetBatch.cpp - the model's functions for another batch size --------===//

#include "dialects/nn/IR/NNOps.h"
#include "dialects/nn/Transforms/Passes.h"

#include "mlir/Interfaces/InferTypeOpInterface.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNSETBATCHPASS
#include "dialects/nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

/// Arguments with these roles hold one row per sample.
static bool isBatched(nn::RoleAttr role) {
  return role && (role.getValue() == nn::Role::Input ||
                  role.getValue() == nn::Role::Target ||
                  role.getValue() == nn::Role::Noise);
}

static RankedTensorType withBatch(RankedTensorType t, int64_t batch) {
  SmallVector<int64_t> shape(t.getShape());
  shape[0] = batch;
  return t.clone(shape);
}

/// The result types of `op` once its operands have the types they have
/// now; `before` holds the types the changed operands had.
static FailureOr<SmallVector<Type>>
resultTypes(Operation *op, const DenseMap<Value, Type> &before) {
  SmallVector<Type> types;
  if (auto infer = dyn_cast<InferTypeOpInterface>(op)) {
    if (failed(infer.inferReturnTypes(
            op->getContext(), op->getLoc(), op->getOperands(),
            op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
            op->getRegions(), types)))
      return failure();
    return types;
  }
  auto oldType = [&](Value v) {
    auto it = before.find(v);
    return it == before.end() ? v.getType() : it->second;
  };
  if (auto reshape = dyn_cast<nn::ReshapeOp>(op)) {
    // The first dimension scales with the input's size.
    auto in = cast<RankedTensorType>(oldType(reshape.getInput()));
    auto now = cast<RankedTensorType>(reshape.getInput().getType());
    auto out = cast<RankedTensorType>(reshape.getType());
    int64_t grown = out.getDimSize(0) * now.getNumElements();
    if (out.getRank() == 0 || in.getNumElements() == 0 ||
        grown % in.getNumElements() != 0)
      return failure();
    types.push_back(withBatch(out, grown / in.getNumElements()));
    return types;
  }
  // A result typed as an operand was follows it (elementwise ops, dropout,
  // the channel scale), a changed operand first.
  for (Value result : op->getResults()) {
    Type type;
    for (Value operand : op->getOperands())
      if (oldType(operand) == result.getType() &&
          (!type || before.count(operand)))
        type = operand.getType();
    if (!type)
      return failure();
    types.push_back(type);
  }
  return types;
}

static LogicalResult setBatch(func::FuncOp fn, int64_t batch) {
  if (fn.isExternal())
    return success();
  Block &entry = fn.front();
  int64_t old = 0;
  for (BlockArgument arg : entry.getArguments()) {
    if (!isBatched(
            fn.getArgAttrOfType<nn::RoleAttr>(arg.getArgNumber(), "nn.role")))
      continue;
    auto t = dyn_cast<RankedTensorType>(arg.getType());
    if (!t || t.getRank() == 0 || (old && t.getDimSize(0) != old))
      return fn.emitError("the samples' arguments of @")
             << fn.getSymName()
             << " must be tensors with one batch as their first dimension";
    old = t.getDimSize(0);
  }
  if (old == 0 || old == batch)
    return success();
  DenseMap<Value, Type> before;
  for (BlockArgument arg : entry.getArguments())
    if (isBatched(
            fn.getArgAttrOfType<nn::RoleAttr>(arg.getArgNumber(), "nn.role"))) {
      before[arg] = arg.getType();
      arg.setType(withBatch(cast<RankedTensorType>(arg.getType()), batch));
    }
  WalkResult walk = fn.walk([&](Operation *op) {
    if (isa<func::ReturnOp>(op) ||
        !llvm::any_of(op->getOperands(),
                      [&](Value v) { return before.count(v) != 0; }))
      return WalkResult::advance();
    FailureOr<SmallVector<Type>> types = resultTypes(op, before);
    if (failed(types)) {
      op->emitError("cannot compile '")
          << op->getName() << "' for a batch of " << batch;
      return WalkResult::interrupt();
    }
    for (auto [result, type] : llvm::zip(op->getResults(), *types))
      if (result.getType() != type) {
        before[result] = result.getType();
        result.setType(type);
      }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  fn.setType(FunctionType::get(fn.getContext(), entry.getArgumentTypes(),
                               entry.getTerminator()->getOperandTypes()));
  return success();
}

namespace {
struct NNSetBatchPass : nn::impl::NNSetBatchPassBase<NNSetBatchPass> {
  using Base::Base;

  void runOnOperation() override {
    if (batch < 0) {
      getOperation().emitError("nn-set-batch: the batch must be positive");
      return signalPassFailure();
    }
    if (batch == 0)
      return;
    for (auto fn : getOperation().getOps<func::FuncOp>())
      if (failed(setBatch(fn, batch)))
        return signalPassFailure();
  }
};
} // namespace
