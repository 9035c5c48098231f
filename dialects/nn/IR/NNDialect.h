//===- NNDialect.h - the nn dialect -----------------------------*- C++ -*-===//
//
// Declares the nn dialect class and its attributes; include NNOps.h for its
// operations.
//
//===----------------------------------------------------------------------===//

#ifndef NN_IR_NNDIALECT_H
#define NN_IR_NNDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "dialects/nn/IR/NNDialect.h.inc"
#include "dialects/nn/IR/NNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/nn/IR/NNAttrs.h.inc"

namespace mlir::nn {
/// The kind of `op`'s nn.kernel (nn-select-kernels' choice), if it has one.
std::optional<KernelKind> kernelOf(Operation *op);
} // namespace mlir::nn

#endif // NN_IR_NNDIALECT_H
