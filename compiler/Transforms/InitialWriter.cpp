//===- InitialWriter.cpp - the op that initializes a kernel's output ------===//
//
// Kernels that accumulate onto their output (matmul tiles, the pixel-lane
// and row convolutions) can start their accumulators from the value the
// output was just filled with instead of reading it back, and skip the
// fill: when the fill is the last thing to touch the output before them.
//
//===----------------------------------------------------------------------===//

#include "compiler/Transforms/Passes.h"

#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

Operation *nnc::initialWriter(Operation *op, Value out) {
  Operation *last = nullptr;
  for (Operation *user : out.getUsers()) {
    if (user == op)
      continue;
    if (user->getBlock() != op->getBlock())
      return nullptr;
    if (op->isBeforeInBlock(user))
      continue;
    // A view made before `op` may be read between the writer and `op`
    // without being a user of `out` itself.
    if (isa<ViewLikeOpInterface>(user))
      return nullptr;
    if (!last || last->isBeforeInBlock(user))
      last = user;
  }
  return last;
}
