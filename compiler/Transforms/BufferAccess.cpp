//===- BufferAccess.cpp - which ops touch a buffer ------------------------===//
//
// Kernels that accumulate onto their output (matmul tiles, the pixel-lane
// and row convolutions) can start their accumulators from the value the
// output was just filled with instead of reading it back, and skip the
// fill: when the fill is the last thing to touch the output before them.
// The convolutions' pooling epilogue and weight rows ask which ops touch
// a buffer at all.
//
//===----------------------------------------------------------------------===//

#include "compiler/Transforms/BufferAccess.h"

#include "mlir/IR/Block.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;

Value nnc::rootBuffer(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

bool nnc::mayAlias(Value a, Value b) { return rootBuffer(a) == rootBuffer(b); }

FailureOr<SmallVector<Operation *>> nnc::accessesIn(Block *block,
                                                    Value buffer) {
  llvm::SetVector<Operation *> found;
  SmallVector<Value> views{rootBuffer(buffer)};
  while (!views.empty()) {
    Value v = views.pop_back_val();
    for (Operation *user : v.getUsers()) {
      auto view = dyn_cast<ViewLikeOpInterface>(user);
      if (view && view.getViewSource() == v) {
        views.push_back(view->getResult(0));
        continue;
      }
      Operation *at = block->findAncestorOpInBlock(*user);
      if (!at)
        return failure();
      found.insert(at);
    }
  }
  SmallVector<Operation *> ops = found.takeVector();
  llvm::sort(ops,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ops;
}

Operation *nnc::initialWriter(Operation *op, Value out) {
  FailureOr<SmallVector<Operation *>> accesses =
      accessesIn(op->getBlock(), out);
  if (failed(accesses))
    return nullptr;
  Operation *last = nullptr;
  for (Operation *access : *accesses)
    if (access != op && access->isBeforeInBlock(op))
      last = access;
  if (!last || !llvm::is_contained(last->getOperands(), out))
    return nullptr;
  // Every operand of `last` that touches the buffer must be `out` itself.
  for (Value v : last->getOperands())
    if (isa<ShapedType>(v.getType()) && v != out && mayAlias(v, out))
      return nullptr;
  return last;
}
