//===- Linear.cpp - nn dense, matmul, transpose, batch_sum, rbf to linalg -===//
//
// Matrix products become linalg.matmul on a zero-filled accumulator, so that
// the pipeline's schedule (tiling, vectorization) can recognise them; bias
// additions become a broadcasting generic that fusion merges with the
// activation that follows.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/NNToLinalg/Builders.h"
#include "compiler/Conversion/NNToLinalg/PopulatePatterns.h"
#include "dialects/nn/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::nn;

/// lhs · rhs for `op`, with its kernel.
static Value matmul(OpBuilder &b, Operation *op, Value lhs, Value rhs) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  Value acc = filled(b, op->getLoc(), type, 0.0);
  auto mm = linalg::MatmulOp::create(b, op->getLoc(), TypeRange{type},
                                     ValueRange{lhs, rhs}, ValueRange{acc});
  carryKernel(op, mm);
  return mm.getResult(0);
}

namespace {

struct DenseLowering : OpConversionPattern<DenseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DenseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    MLIRContext *ctx = op.getContext();
    Value product =
        matmul(rewriter, op, adaptor.getInput(), adaptor.getWeight());
    Value sum = mapElements(
        rewriter, loc, type,
        {{product, idMap(ctx, 2)}, {adaptor.getBias(), colMap(ctx, 2)}},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          return arith::AddFOp::create(b, l, a[0], a[1]);
        });
    rewriter.replaceOp(op, sum);
    return success();
  }
};

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, matmul(rewriter, op, adaptor.getLhs(), adaptor.getRhs()));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(),
                                         type.getElementType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(),
                                                       adaptor.getInput(), init,
                                                       ArrayRef<int64_t>{1, 0})
                               .getResult());
    return success();
  }
};

/// Sum over dimension 0, kept outermost so the inner loops stay contiguous.
struct BatchSumLowering : OpConversionPattern<BatchSumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BatchSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    RankedTensorType type = op.getType();
    unsigned rank = type.getRank() + 1;
    Value acc = filled(rewriter, loc, type, 0.0);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters[0] = utils::IteratorType::reduction;
    auto sum = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getInput()},
        ValueRange{acc},
        ArrayRef<AffineMap>{idMap(ctx, rank), colMap(ctx, rank)}, iters,
        [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(
              b, l, Value(arith::AddFOp::create(b, l, a[1], a[0])));
        });
    rewriter.replaceOp(op, sum.getResult(0));
    return success();
  }
};

/// A map from the loop space (d0, d1, d2) to two of its dimensions.
static AffineMap dims(MLIRContext *ctx, unsigned i, unsigned j) {
  return AffineMap::get(
      3, 0, {getAffineDimExpr(i, ctx), getAffineDimExpr(j, ctx)}, ctx);
}

/// The output layer is small (10 units of 84 inputs in LeNet-5), so the
/// distances are a plain reduction rather than |x|² - 2x·p + |p|², which
/// would cancel catastrophically near a prototype.
struct RBFLowering : OpConversionPattern<RBFOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RBFOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    RankedTensorType type = op.getType();
    int64_t features =
        cast<RankedTensorType>(adaptor.getInput().getType()).getDimSize(1);
    // Loops (n, c, i): input[n, i], prototypes[c, i].
    auto loops = RankedTensorType::get(
        {type.getDimSize(0), type.getDimSize(1), features},
        type.getElementType());
    rewriter.replaceOp(
        op, reduceLastDim(
                rewriter, op.getLoc(), loops,
                {{adaptor.getInput(), dims(ctx, 0, 2)},
                 {adaptor.getPrototypes(), dims(ctx, 1, 2)}},
                0.0,
                [](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
                  Value d = arith::SubFOp::create(b, l, a[0], a[1]);
                  return arith::AddFOp::create(
                      b, l, acc, arith::MulFOp::create(b, l, d, d));
                }));
    return success();
  }
};

struct RBFGradLowering : OpConversionPattern<RBFGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RBFGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    RankedTensorType type = op.getType();
    int64_t others =
        cast<RankedTensorType>(adaptor.getRhs().getType()).getDimSize(0);
    // Loops (p, i, q): lhs[p, i], rhs[q, i], grad[p, q].
    auto loops =
        RankedTensorType::get({type.getDimSize(0), type.getDimSize(1), others},
                              type.getElementType());
    rewriter.replaceOp(
        op, reduceLastDim(
                rewriter, op.getLoc(), loops,
                {{adaptor.getLhs(), dims(ctx, 0, 1)},
                 {adaptor.getRhs(), dims(ctx, 2, 1)},
                 {adaptor.getGrad(), dims(ctx, 0, 2)}},
                0.0,
                [](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
                  Value d = arith::SubFOp::create(b, l, a[0], a[1]);
                  Value g = arith::AddFOp::create(b, l, a[2], a[2]);
                  return arith::AddFOp::create(
                      b, l, acc, arith::MulFOp::create(b, l, g, d));
                }));
    return success();
  }
};

} // namespace

void mlir::nn::populateLinearToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<DenseLowering, MatMulLowering, TransposeLowering,
               BatchSumLowering, RBFLowering, RBFGradLowering>(
      patterns.getContext());
}
