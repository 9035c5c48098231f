//===- BufferAccess.h - which ops touch a buffer ----------------*- C++ -*-===//
//
// The one alias query of the schedules on buffers. An epilogue or an
// initial value is fused into a kernel only when nothing else reads or
// writes the memory involved in between; every such decision asks here,
// which follows views (subview, expand_shape, collapse_shape, ...) to the
// buffer they view and from it to every view of it.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_TRANSFORMS_BUFFERACCESS_H
#define NNC_TRANSFORMS_BUFFERACCESS_H

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

namespace nnc {

/// The buffer `v` is a view of, through every view op; `v` if none.
mlir::Value rootBuffer(mlir::Value v);

/// Whether `a` and `b` are views of one buffer (or the buffer itself).
bool mayAlias(mlir::Value a, mlir::Value b);

/// The ops of `block` that read, write or free the memory of `buffer`:
/// each op with an operand that is `buffer`'s root or a view of it, as its
/// ancestor in `block` (a loop that holds one is an access), in program
/// order and once each. The view ops themselves access nothing. Failure
/// when such an op is outside `block`.
mlir::FailureOr<mlir::SmallVector<mlir::Operation *>>
accessesIn(mlir::Block *block, mlir::Value buffer);

/// The last op before `op` in its block to access `out`'s memory, when it
/// uses `out` itself (not a view of it) and every access is in `op`'s
/// block: the op whose writes `op` would read back. Null otherwise.
mlir::Operation *initialWriter(mlir::Operation *op, mlir::Value out);

} // namespace nnc

#endif
