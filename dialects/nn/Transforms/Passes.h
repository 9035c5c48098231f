//===- Passes.h - passes on the nn dialect ----------------------*- C++ -*-===//

#ifndef NN_TRANSFORMS_PASSES_H
#define NN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::nn {

#define GEN_PASS_DECL
#include "dialects/nn/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/nn/Transforms/Passes.h.inc"

/// Builds, at the end of `output`'s block (before its terminator), the
/// adjoint of each value in `wrt` given `seed`, the adjoint of `output`.
/// Values in `wrt` that `output` does not depend on get zeros.
FailureOr<SmallVector<Value>> buildAdjoints(OpBuilder &b, Value output,
                                            Value seed, ValueRange wrt);

/// The elements of the slice of a tensor of `elements` elements that each of
/// `parts` threads updates with a split @apply_step (nn-autodiff's
/// `parts`): ceil(elements / parts), rounded up to a multiple of 16.
int64_t updateSliceElements(int64_t elements, int64_t parts);

} // namespace mlir::nn

#endif // NN_TRANSFORMS_PASSES_H
