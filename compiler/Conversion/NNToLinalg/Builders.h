//===- Builders.h - small linalg builders for the nn lowering ---*- C++ -*-===//
//
// Every nn op lowers to a few linalg.generic ops of two shapes: a map over
// the elements of a result (inputs broadcast through their indexing maps) and
// a reduction over the last dimension. These helpers build them.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_CONVERSION_NNTOLINALG_BUILDERS_H
#define NNC_CONVERSION_NNTOLINALG_BUILDERS_H

#include "dialects/nn/IR/NNDialect.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace mlir::nn {

/// A generic's input together with how it is indexed by the loop dimensions.
struct Indexed {
  Value value;
  AffineMap map;
};

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;
using ReduceFn = function_ref<Value(OpBuilder &, Location, ValueRange, Value)>;

/// (d0, ..., dr-1) -> (d0, ..., dr-1).
AffineMap idMap(MLIRContext *ctx, unsigned rank);
/// (d0, ..., dr-1) -> (d0, ..., dr-2): one value per row (last dim dropped).
AffineMap rowMap(MLIRContext *ctx, unsigned rank);
/// (d0, ..., dr-1) -> (d1, ..., dr-1): shared across the batch (dim 0 dropped).
AffineMap colMap(MLIRContext *ctx, unsigned rank);
/// (d0, ..., dr-1) -> (): a scalar.
AffineMap scalarMap(MLIRContext *ctx, unsigned rank);

/// Carries `from`'s nn.kernel (nn-select-kernels' choice) onto `to`, the
/// op the schedules read it from.
void carryKernel(Operation *from, Operation *to);

Value f32Const(OpBuilder &b, Location loc, double value);
/// A tensor of `type` filled with `value`.
Value filled(OpBuilder &b, Location loc, RankedTensorType type, double value);
RankedTensorType withoutLastDim(RankedTensorType type);

/// result[i] = fn(inputs[map(i)]...), for every index i of `type`.
Value mapElements(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<Indexed> inputs, BodyFn fn);
/// Like mapElements with several results of the same shape.
SmallVector<Value> mapElementsN(
    OpBuilder &b, Location loc, TypeRange types, ArrayRef<Indexed> inputs,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)> fn);
/// acc[i] = fn(inputs[i, j]..., acc[i]) over the last dimension j of the
/// loop space `rank`, starting from `init`; inputs may be rows (rowMap).
Value reduceLastDim(OpBuilder &b, Location loc, RankedTensorType loopType,
                    ArrayRef<Indexed> inputs, double init, ReduceFn fn);

} // namespace mlir::nn

#endif
