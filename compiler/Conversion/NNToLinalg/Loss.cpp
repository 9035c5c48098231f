//===- Loss.cpp - nn losses, softmax, mean and their adjoints to linalg ---===//
//
// These ops reduce along the class (last) dimension or over everything.
// Softmax and its cross-entropy subtract the row maximum first, so that
// exp() never overflows and log() never sees 0.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/NNToLinalg/Builders.h"
#include "compiler/Conversion/NNToLinalg/PopulatePatterns.h"
#include "dialects/nn/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace mlir::nn;

namespace {

using arith::AddFOp;
using arith::DivFOp;
using arith::MulFOp;
using arith::SubFOp;

/// Per row: the maximum m and s = Σ exp(x - m).
std::pair<Value, Value> maxAndSumExp(OpBuilder &b, Location loc,
                                     RankedTensorType type, Value x) {
  MLIRContext *ctx = b.getContext();
  unsigned r = type.getRank();
  Value m = reduceLastDim(
      b, loc, type, {{x, idMap(ctx, r)}},
      -std::numeric_limits<double>::infinity(),
      [](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
        return arith::MaximumFOp::create(b, l, acc, a[0]);
      });
  Value s = reduceLastDim(
      b, loc, type, {{x, idMap(ctx, r)}, {m, rowMap(ctx, r)}}, 0.0,
      [](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
        Value e = math::ExpOp::create(b, l, SubFOp::create(b, l, a[0], a[1]));
        return AddFOp::create(b, l, acc, e);
      });
  return {m, s};
}

struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    MLIRContext *ctx = op.getContext();
    unsigned r = type.getRank();
    Value x = adaptor.getInput();
    auto [m, s] = maxAndSumExp(rewriter, op.getLoc(), type, x);
    rewriter.replaceOp(
        op, mapElements(
                rewriter, op.getLoc(), type,
                {{x, idMap(ctx, r)}, {m, rowMap(ctx, r)}, {s, rowMap(ctx, r)}},
                [](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Value e = math::ExpOp::create(
                      b, l, SubFOp::create(b, l, a[0], a[1]));
                  return DivFOp::create(b, l, e, a[2]);
                }));
    return success();
  }
};

struct SoftmaxGradLowering : OpConversionPattern<SoftmaxGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SoftmaxGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    MLIRContext *ctx = op.getContext();
    unsigned r = type.getRank();
    Value y = adaptor.getSaved(), dy = adaptor.getGrad();
    Value dot = reduceLastDim(
        rewriter, op.getLoc(), type, {{y, idMap(ctx, r)}, {dy, idMap(ctx, r)}},
        0.0, [](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
          return AddFOp::create(b, l, acc, MulFOp::create(b, l, a[0], a[1]));
        });
    rewriter.replaceOp(
        op,
        mapElements(
            rewriter, op.getLoc(), type,
            {{y, idMap(ctx, r)}, {dy, idMap(ctx, r)}, {dot, rowMap(ctx, r)}},
            [](OpBuilder &b, Location l, ValueRange a) -> Value {
              return MulFOp::create(b, l, a[0],
                                    SubFOp::create(b, l, a[1], a[2]));
            }));
    return success();
  }
};

/// t != 0 ? v : 0, so that 0 · log(0) and 0 / 0 count as 0.
Value whereTarget(OpBuilder &b, Location l, Value t, Value v) {
  Value nz = arith::CmpFOp::create(b, l, arith::CmpFPredicate::ONE, t,
                                   f32Const(b, l, 0.0));
  return arith::SelectOp::create(b, l, nz, v, f32Const(b, l, 0.0));
}

struct CrossEntropyLowering : OpConversionPattern<CrossEntropyOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CrossEntropyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    MLIRContext *ctx = op.getContext();
    rewriter.replaceOp(
        op, reduceLastDim(
                rewriter, op.getLoc(), type,
                {{adaptor.getInput(), idMap(ctx, 2)},
                 {adaptor.getTarget(), idMap(ctx, 2)}},
                0.0,
                [](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
                  Value tl = MulFOp::create(b, l, a[1],
                                            math::LogOp::create(b, l, a[0]));
                  return SubFOp::create(b, l, acc, whereTarget(b, l, a[1], tl));
                }));
    return success();
  }
};

struct CrossEntropyGradLowering : OpConversionPattern<CrossEntropyGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CrossEntropyGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    rewriter.replaceOp(
        op, mapElements(rewriter, op.getLoc(), op.getType(),
                        {{adaptor.getInput(), idMap(ctx, 2)},
                         {adaptor.getTarget(), idMap(ctx, 2)},
                         {adaptor.getGrad(), rowMap(ctx, 2)}},
                        [](OpBuilder &b, Location l, ValueRange a) -> Value {
                          Value q = DivFOp::create(
                              b, l, MulFOp::create(b, l, a[2], a[1]), a[0]);
                          return whereTarget(b, l, a[1],
                                             arith::NegFOp::create(b, l, q));
                        }));
    return success();
  }
};

struct SoftmaxCrossEntropyLowering
    : OpConversionPattern<SoftmaxCrossEntropyOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SoftmaxCrossEntropyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    MLIRContext *ctx = op.getContext();
    Value z = adaptor.getInput(), t = adaptor.getTarget();
    auto [m, s] = maxAndSumExp(rewriter, loc, type, z);
    Value lse = mapElements(
        rewriter, loc, withoutLastDim(type),
        {{m, idMap(ctx, 1)}, {s, idMap(ctx, 1)}},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          return AddFOp::create(b, l, a[0], math::LogOp::create(b, l, a[1]));
        });
    rewriter.replaceOp(
        op, reduceLastDim(
                rewriter, loc, type,
                {{z, idMap(ctx, 2)}, {t, idMap(ctx, 2)}, {lse, rowMap(ctx, 2)}},
                0.0,
                [](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
                  Value d = SubFOp::create(b, l, a[2], a[0]);
                  return AddFOp::create(b, l, acc,
                                        MulFOp::create(b, l, a[1], d));
                }));
    return success();
  }
};

struct SoftmaxCrossEntropyGradLowering
    : OpConversionPattern<SoftmaxCrossEntropyGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SoftmaxCrossEntropyGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    MLIRContext *ctx = op.getContext();
    Value z = adaptor.getInput(), t = adaptor.getTarget();
    auto [m, s] = maxAndSumExp(rewriter, loc, type, z);
    Value tsum = reduceLastDim(
        rewriter, loc, type, {{t, idMap(ctx, 2)}}, 0.0,
        [](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
          return AddFOp::create(b, l, acc, a[0]);
        });
    rewriter.replaceOp(
        op, mapElements(rewriter, loc, type,
                        {{z, idMap(ctx, 2)},
                         {t, idMap(ctx, 2)},
                         {m, rowMap(ctx, 2)},
                         {s, rowMap(ctx, 2)},
                         {tsum, rowMap(ctx, 2)},
                         {adaptor.getGrad(), rowMap(ctx, 2)}},
                        [](OpBuilder &b, Location l, ValueRange a) -> Value {
                          Value e = math::ExpOp::create(
                              b, l, SubFOp::create(b, l, a[0], a[2]));
                          Value p = DivFOp::create(b, l, e, a[3]);
                          Value d = SubFOp::create(
                              b, l, MulFOp::create(b, l, p, a[4]), a[1]);
                          return MulFOp::create(b, l, a[5], d);
                        }));
    return success();
  }
};

struct MSELowering : OpConversionPattern<MSEOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MSEOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    MLIRContext *ctx = op.getContext();
    double inv = 1.0 / type.getDimSize(1);
    rewriter.replaceOp(
        op,
        reduceLastDim(
            rewriter, op.getLoc(), type,
            {{adaptor.getInput(), idMap(ctx, 2)},
             {adaptor.getTarget(), idMap(ctx, 2)}},
            0.0,
            [inv](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
              Value d = SubFOp::create(b, l, a[0], a[1]);
              Value sq = MulFOp::create(b, l, d, d);
              return AddFOp::create(
                  b, l, acc, MulFOp::create(b, l, sq, f32Const(b, l, inv)));
            }));
    return success();
  }
};

struct MSEGradLowering : OpConversionPattern<MSEGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MSEGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    double scale = 2.0 / op.getType().getDimSize(1);
    rewriter.replaceOp(
        op,
        mapElements(rewriter, op.getLoc(), op.getType(),
                    {{adaptor.getInput(), idMap(ctx, 2)},
                     {adaptor.getTarget(), idMap(ctx, 2)},
                     {adaptor.getGrad(), rowMap(ctx, 2)}},
                    [scale](OpBuilder &b, Location l, ValueRange a) -> Value {
                      Value d = SubFOp::create(b, l, a[0], a[1]);
                      Value g =
                          MulFOp::create(b, l, a[2], f32Const(b, l, scale));
                      return MulFOp::create(b, l, g, d);
                    }));
    return success();
  }
};

struct DistanceLossLowering : OpConversionPattern<DistanceLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DistanceLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    MLIRContext *ctx = op.getContext();
    rewriter.replaceOp(
        op, reduceLastDim(
                rewriter, op.getLoc(), type,
                {{adaptor.getInput(), idMap(ctx, 2)},
                 {adaptor.getTarget(), idMap(ctx, 2)}},
                0.0,
                [](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
                  return AddFOp::create(b, l, acc,
                                        MulFOp::create(b, l, a[0], a[1]));
                }));
    return success();
  }
};

struct DistanceLossGradLowering : OpConversionPattern<DistanceLossGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DistanceLossGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    rewriter.replaceOp(
        op, mapElements(rewriter, op.getLoc(), op.getType(),
                        {{adaptor.getTarget(), idMap(ctx, 2)},
                         {adaptor.getGrad(), rowMap(ctx, 2)}},
                        [](OpBuilder &b, Location l, ValueRange a) -> Value {
                          return MulFOp::create(b, l, a[0], a[1]);
                        }));
    return success();
  }
};

/// Per row: y·t, |y|² and |t|².
struct RowDots {
  Value yt, yy, tt;
};
RowDots rowDots(OpBuilder &b, Location loc, RankedTensorType type, Value y,
                Value t) {
  MLIRContext *ctx = b.getContext();
  auto dot = [&](Value u, Value v) {
    return reduceLastDim(
        b, loc, type, {{u, idMap(ctx, 2)}, {v, idMap(ctx, 2)}}, 0.0,
        [](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
          return AddFOp::create(b, l, acc, MulFOp::create(b, l, a[0], a[1]));
        });
  };
  return {dot(y, t), dot(y, y), dot(t, t)};
}

/// The cosine's denominator |y| |t| + 1e-8 (the epsilon keeps a zero
/// vector from dividing by zero).
constexpr double kCosineEps = 1e-8;

struct CosineLossLowering : OpConversionPattern<CosineLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CosineLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    MLIRContext *ctx = op.getContext();
    RowDots d =
        rowDots(rewriter, loc, type, adaptor.getInput(), adaptor.getTarget());
    rewriter.replaceOp(
        op, mapElements(
                rewriter, loc, op.getType(),
                {{d.yt, idMap(ctx, 1)},
                 {d.yy, idMap(ctx, 1)},
                 {d.tt, idMap(ctx, 1)}},
                [](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Value norms =
                      MulFOp::create(b, l, math::SqrtOp::create(b, l, a[1]),
                                     math::SqrtOp::create(b, l, a[2]));
                  Value cos = DivFOp::create(
                      b, l, a[0],
                      AddFOp::create(b, l, norms, f32Const(b, l, kCosineEps)));
                  return SubFOp::create(b, l, f32Const(b, l, 1.0), cos);
                }));
    return success();
  }
};

struct CosineLossGradLowering : OpConversionPattern<CosineLossGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CosineLossGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    MLIRContext *ctx = op.getContext();
    Value y = adaptor.getInput(), t = adaptor.getTarget();
    RowDots d = rowDots(rewriter, loc, type, y, t);
    // With n = |y| |t| + eps and c = y·t: d(1 - c/n)/dy = -(t/n - c |t| y /
    // (|y| n²)).
    rewriter.replaceOp(
        op,
        mapElements(rewriter, loc, type,
                    {{y, idMap(ctx, 2)},
                     {t, idMap(ctx, 2)},
                     {d.yt, rowMap(ctx, 2)},
                     {d.yy, rowMap(ctx, 2)},
                     {d.tt, rowMap(ctx, 2)},
                     {adaptor.getGrad(), rowMap(ctx, 2)}},
                    [](OpBuilder &b, Location l, ValueRange a) -> Value {
                      Value ny = math::SqrtOp::create(b, l, a[3]);
                      Value nt = math::SqrtOp::create(b, l, a[4]);
                      Value n =
                          AddFOp::create(b, l, MulFOp::create(b, l, ny, nt),
                                         f32Const(b, l, kCosineEps));
                      Value first = DivFOp::create(b, l, a[1], n);
                      Value coef = DivFOp::create(
                          b, l, MulFOp::create(b, l, a[2], nt),
                          MulFOp::create(b, l, ny, MulFOp::create(b, l, n, n)));
                      Value second = MulFOp::create(b, l, coef, a[0]);
                      Value g = SubFOp::create(b, l, second, first);
                      return MulFOp::create(b, l, a[5], g);
                    }));
    return success();
  }
};

struct MeanLowering : OpConversionPattern<MeanOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MeanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    unsigned rank = inType.getRank();
    if (rank == 0) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    RankedTensorType type = op.getType();
    Value acc = filled(rewriter, loc, type, 0.0);
    SmallVector<utils::IteratorType> iters(rank,
                                           utils::IteratorType::reduction);
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{type}, ValueRange{adaptor.getInput()},
            ValueRange{acc},
            ArrayRef<AffineMap>{idMap(ctx, rank), scalarMap(ctx, rank)}, iters,
            [](OpBuilder &b, Location l, ValueRange a) {
              linalg::YieldOp::create(b, l,
                                      Value(AddFOp::create(b, l, a[1], a[0])));
            })
            .getResult(0);
    double inv = 1.0 / inType.getNumElements();
    rewriter.replaceOp(
        op, mapElements(rewriter, loc, type, {{sum, idMap(ctx, 0)}},
                        [inv](OpBuilder &b, Location l, ValueRange a) -> Value {
                          return MulFOp::create(b, l, a[0],
                                                f32Const(b, l, inv));
                        }));
    return success();
  }
};

struct MeanGradLowering : OpConversionPattern<MeanGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MeanGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    double inv = 1.0 / type.getNumElements();
    rewriter.replaceOp(
        op,
        mapElements(
            rewriter, op.getLoc(), type,
            {{adaptor.getGrad(), scalarMap(op.getContext(), type.getRank())}},
            [inv](OpBuilder &b, Location l, ValueRange a) -> Value {
              return MulFOp::create(b, l, a[0], f32Const(b, l, inv));
            }));
    return success();
  }
};

} // namespace

void mlir::nn::populateLossToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering, SoftmaxGradLowering, CrossEntropyLowering,
               CrossEntropyGradLowering, SoftmaxCrossEntropyLowering,
               SoftmaxCrossEntropyGradLowering, MSELowering, MSEGradLowering,
               CosineLossLowering, CosineLossGradLowering, DistanceLossLowering,
               DistanceLossGradLowering, MeanLowering, MeanGradLowering>(
      patterns.getContext());
}
