//===- VectorEmitter.h - building hand-scheduled vector kernels -*- C++ -*-===//
//
// What nnc's hand-written kernels (nn-conv-kernels, the narrow matmuls
// of nn-schedule-matmuls, nn-vectorize-elementwise's pooling rows) emit
// with: index constants, counted loops that carry values, vector loads and
// stores whose last strip may be masked, and a linalg.generic's scalar body
// applied to vectors.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_TRANSFORMS_VECTOREMITTER_H
#define NNC_TRANSFORMS_VECTOREMITTER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

#include <optional>

namespace nnc {

struct VectorEmitter {
  mlir::OpBuilder &b;
  mlir::Location loc;

  mlir::Value index(int64_t v) {
    return mlir::arith::ConstantIndexOp::create(b, loc, v);
  }

  mlir::Value zeros(mlir::VectorType type) {
    return mlir::arith::ConstantOp::create(
        b, loc, type, mlir::DenseElementsAttr::get(type, 0.0f));
  }

  using LoopBody = llvm::function_ref<llvm::SmallVector<mlir::Value>(
      mlir::Value, mlir::ValueRange)>;

  /// Emits `body` in a loop of `count` iterations carrying `values`.
  llvm::SmallVector<mlir::Value> loop(int64_t count, mlir::ValueRange values,
                                      LoopBody body) {
    return loop(index(0), index(count), values, body);
  }

  /// The same over [first, end) in steps of `step`.
  llvm::SmallVector<mlir::Value> loop(mlir::Value first, mlir::Value end,
                                      mlir::ValueRange values, LoopBody body,
                                      int64_t step = 1) {
    auto forOp = mlir::scf::ForOp::create(
        b, loc, first, end, index(step), values,
        [&](mlir::OpBuilder &nested, mlir::Location, mlir::Value i,
            mlir::ValueRange carried) {
          mlir::OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          mlir::scf::YieldOp::create(b, loc, body(i, carried));
        });
    return llvm::SmallVector<mlir::Value>(forOp.getResults());
  }

  mlir::Value mask(mlir::VectorType type, int64_t valid) {
    return mlir::vector::CreateMaskOp::create(
        b, loc, mlir::VectorType::get(type.getShape(), b.getI1Type()),
        mlir::ValueRange{index(valid)});
  }

  /// A vector of `type` at `at`; with `valid`, only its first `valid`
  /// elements are read and the rest are zero.
  mlir::Value load(mlir::VectorType type, mlir::Value base, mlir::ValueRange at,
                   std::optional<int64_t> valid) {
    if (!valid)
      return mlir::vector::LoadOp::create(b, loc, type, base, at);
    return mlir::vector::MaskedLoadOp::create(b, loc, type, base, at,
                                              mask(type, *valid), zeros(type));
  }

  /// The scalars a generic's `body` uses from outside it, each broadcast
  /// to a vector of `lanes` (once, where the builder stands: before the
  /// loops that apply the body).
  mlir::IRMapping broadcastOutside(mlir::Block *body, int64_t lanes) {
    mlir::IRMapping outside;
    for (mlir::Operation &inner : body->without_terminator())
      for (mlir::Value operand : inner.getOperands())
        if (operand.getParentBlock() != body && !outside.contains(operand))
          outside.map(operand,
                      mlir::vector::BroadcastOp::create(
                          b, loc,
                          mlir::VectorType::get({lanes}, operand.getType()),
                          operand));
    return outside;
  }

  /// A generic's scalar `body` (plain arithmetic) on vectors of `lanes`:
  /// `args` for its block arguments, `outside` from broadcastOutside; the
  /// value it yields first.
  mlir::Value applyBody(mlir::Block *body, mlir::ValueRange args, int64_t lanes,
                        const mlir::IRMapping &outside) {
    mlir::IRMapping map = outside;
    map.map(body->getArguments(), args);
    for (mlir::Operation &inner : body->without_terminator()) {
      mlir::OperationState state(loc, inner.getName().getStringRef());
      for (mlir::Value operand : inner.getOperands())
        state.addOperands(map.lookup(operand));
      for (mlir::Type t : inner.getResultTypes())
        state.addTypes(mlir::VectorType::get({lanes}, t));
      state.addAttributes(inner.getAttrs());
      map.map(inner.getResults(), b.create(state)->getResults());
    }
    return map.lookup(body->getTerminator()->getOperand(0));
  }

  /// Stores `value` at `at`; with `valid`, only its first `valid` elements.
  void store(mlir::Value value, mlir::Value base, mlir::ValueRange at,
             std::optional<int64_t> valid) {
    if (valid)
      mlir::vector::MaskedStoreOp::create(
          b, loc, base, at,
          mask(llvm::cast<mlir::VectorType>(value.getType()), *valid), value);
    else
      mlir::vector::StoreOp::create(b, loc, value, base, at);
  }
};

} // namespace nnc

#endif
