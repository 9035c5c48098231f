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

} // namespace mlir::nn

#endif // NN_TRANSFORMS_PASSES_H
