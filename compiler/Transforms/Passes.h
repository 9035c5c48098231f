//===- Passes.h - schedules on linalg and loops -----------------*- C++ -*-===//

#ifndef NNC_TRANSFORMS_PASSES_H
#define NNC_TRANSFORMS_PASSES_H

#include "dialects/nn/IR/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::nn {

#define GEN_PASS_DECL
#include "compiler/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/Transforms/Passes.h.inc"

} // namespace mlir::nn

namespace nnc {
/// A pooling window reduction: loops (n, i, kh, j, kw, c) over an input
/// [N][H/KH][KH][W/KW][KW][C] (the NHWC image expanded) into an output
/// [N][H/KH][W/KW][C], kh and kw reduced (nn.pool2d's lowering).
bool isPoolingWindow(mlir::linalg::GenericOp op);

} // namespace nnc

#endif
