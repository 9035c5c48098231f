//===- Elementwise.cpp - nn elementwise, shape and optimizer ops to linalg ===//
//
// Each op here maps elements independently, so each becomes one
// linalg.generic with parallel loops, which linalg elementwise fusion can
// later merge with its producers and consumers.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/NNToLinalg/Builders.h"
#include "compiler/Conversion/NNToLinalg/PopulatePatterns.h"
#include "dialects/nn/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::nn;

namespace {

using ScalarFn = Value (*)(OpBuilder &, Location, ValueRange);
using AlphaFn = Value (*)(OpBuilder &, Location, ValueRange, double);

/// Replaces `op`, whose operands all have the result's shape, by a generic
/// computing `fn` of them element by element.
template <typename Op>
void replaceByMap(Op op, ValueRange operands,
                  ConversionPatternRewriter &rewriter, BodyFn fn) {
  auto type = cast<RankedTensorType>(op.getType());
  SmallVector<Indexed> ins;
  for (Value v : operands)
    ins.push_back({v, idMap(op.getContext(), type.getRank())});
  rewriter.replaceOp(op, mapElements(rewriter, op.getLoc(), type, ins, fn));
}

template <typename Op> struct ElementwiseLowering : OpConversionPattern<Op> {
  ElementwiseLowering(MLIRContext *ctx, ScalarFn fn)
      : OpConversionPattern<Op>(ctx), fn(fn) {}

  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    replaceByMap(op, adaptor.getOperands(), rewriter, fn);
    return success();
  }

  ScalarFn fn;
};

/// An elementwise op with one float attribute: leaky ReLU's and ELU's
/// alpha, dropout's rate.
template <typename Op>
struct AlphaElementwiseLowering : OpConversionPattern<Op> {
  AlphaElementwiseLowering(MLIRContext *ctx, AlphaFn fn)
      : OpConversionPattern<Op>(ctx), fn(fn) {}

  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    double alpha;
    if constexpr (std::is_same_v<Op, DropoutOp>)
      alpha = op.getRate().convertToDouble();
    else
      alpha = op.getAlpha().convertToDouble();
    AlphaFn f = fn;
    replaceByMap(op, adaptor.getOperands(), rewriter,
                 [&](OpBuilder &b, Location l, ValueRange a) {
                   return f(b, l, a, alpha);
                 });
    return success();
  }

  AlphaFn fn;
};

Value positive(OpBuilder &b, Location l, Value x) {
  return arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x,
                               f32Const(b, l, 0.0));
}

Value sigmoid(OpBuilder &b, Location l, Value x) {
  Value one = f32Const(b, l, 1.0);
  Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, x));
  return arith::DivFOp::create(b, l, one, arith::AddFOp::create(b, l, one, e));
}

/// nn.flatten and nn.reshape: through a 1-D collapse, then an expand.
template <typename Op> struct ReshapeLowering : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value in = adaptor.getInput();
    auto from = cast<RankedTensorType>(in.getType());
    auto to = cast<RankedTensorType>(op.getType());
    if (from == to) {
      rewriter.replaceOp(op, in);
      return success();
    }
    if (from.getRank() == 0 || to.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "scalar reshapes unsupported");
    auto all = [](int64_t rank) {
      ReassociationIndices r;
      for (int64_t i = 0; i < rank; ++i)
        r.push_back(i);
      return SmallVector<ReassociationIndices>{r};
    };
    Location loc = op.getLoc();
    Value flat = in;
    if (from.getRank() > 1)
      flat = tensor::CollapseShapeOp::create(rewriter, loc, in,
                                             all(from.getRank()));
    Value out = flat;
    if (to.getRank() > 1)
      out = tensor::ExpandShapeOp::create(rewriter, loc, to, flat,
                                          all(to.getRank()));
    rewriter.replaceOp(op, out);
    return success();
  }
};

/// nn.sgd: one generic computing both the parameter and the velocity.
struct SGDLowering : OpConversionPattern<SGDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SGDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getParam().getType());
    MLIRContext *ctx = op.getContext();
    unsigned rank = type.getRank();
    double mu = op.getMomentum().convertToDouble();
    double wd = op.getWeightDecay().convertToDouble();
    bool nesterov = op.getNesterov();
    SmallVector<Indexed> ins{{adaptor.getParam(), idMap(ctx, rank)},
                             {adaptor.getGrad(), idMap(ctx, rank)},
                             {adaptor.getVelocity(), idMap(ctx, rank)},
                             {adaptor.getLr(), scalarMap(ctx, rank)}};
    SmallVector<Value> results = mapElementsN(
        rewriter, op.getLoc(), TypeRange{type, type}, ins,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value p = a[0], g = a[1], v = a[2], lr = a[3];
          if (wd != 0.0)
            g = arith::AddFOp::create(
                b, l, g, arith::MulFOp::create(b, l, f32Const(b, l, wd), p));
          Value v2 = g;
          if (mu != 0.0)
            v2 = arith::AddFOp::create(
                b, l, arith::MulFOp::create(b, l, f32Const(b, l, mu), v), g);
          Value dir = v2;
          if (nesterov)
            dir = arith::AddFOp::create(
                b, l, g, arith::MulFOp::create(b, l, f32Const(b, l, mu), v2));
          Value p2 = arith::SubFOp::create(
              b, l, p, arith::MulFOp::create(b, l, lr, dir));
          return SmallVector<Value>{p2, v2};
        });
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// g + weight_decay · p, the gradient every optimizer starts from.
Value decayed(OpBuilder &b, Location l, Value g, Value p, double wd) {
  if (wd == 0.0)
    return g;
  return arith::AddFOp::create(
      b, l, g, arith::MulFOp::create(b, l, f32Const(b, l, wd), p));
}

/// p - lr · g / (sqrt(a) + eps)
Value adaptiveStep(OpBuilder &b, Location l, Value p, Value lr, Value g,
                   Value a, double eps) {
  Value denom = arith::AddFOp::create(b, l, math::SqrtOp::create(b, l, a),
                                      f32Const(b, l, eps));
  Value step =
      arith::DivFOp::create(b, l, arith::MulFOp::create(b, l, lr, g), denom);
  return arith::SubFOp::create(b, l, p, step);
}

struct AdamLowering : OpConversionPattern<AdamOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AdamOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getParam().getType());
    MLIRContext *ctx = op.getContext();
    unsigned rank = type.getRank();
    double b1 = op.getBeta1().convertToDouble(),
           b2 = op.getBeta2().convertToDouble();
    double eps = op.getEps().convertToDouble();
    double wd = op.getWeightDecay().convertToDouble();
    SmallVector<Indexed> ins{{adaptor.getParam(), idMap(ctx, rank)},
                             {adaptor.getGrad(), idMap(ctx, rank)},
                             {adaptor.getM(), idMap(ctx, rank)},
                             {adaptor.getV(), idMap(ctx, rank)},
                             {adaptor.getLr(), scalarMap(ctx, rank)},
                             {adaptor.getStep(), scalarMap(ctx, rank)}};
    rewriter.replaceOp(
        op,
        mapElementsN(
            rewriter, op.getLoc(), TypeRange{type, type, type}, ins,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value p = a[0], m = a[2], v = a[3], lr = a[4], t = a[5];
              Value g = decayed(b, l, a[1], p, wd);
              Value m2 = arith::AddFOp::create(
                  b, l, arith::MulFOp::create(b, l, f32Const(b, l, b1), m),
                  arith::MulFOp::create(b, l, f32Const(b, l, 1 - b1), g));
              Value v2 = arith::AddFOp::create(
                  b, l, arith::MulFOp::create(b, l, f32Const(b, l, b2), v),
                  arith::MulFOp::create(b, l, f32Const(b, l, 1 - b2),
                                        arith::MulFOp::create(b, l, g, g)));
              // Bias corrections 1 - β^t.
              auto correction = [&](double beta) -> Value {
                Value pow = math::PowFOp::create(b, l, f32Const(b, l, beta), t);
                return arith::SubFOp::create(b, l, f32Const(b, l, 1.0), pow);
              };
              Value mhat = arith::DivFOp::create(b, l, m2, correction(b1));
              Value vhat = arith::DivFOp::create(b, l, v2, correction(b2));
              return SmallVector<Value>{
                  adaptiveStep(b, l, p, lr, mhat, vhat, eps), m2, v2};
            }));
    return success();
  }
};

/// RMSProp and Adagrad: one accumulator of squared gradients.
template <typename Op> struct AccumulatorLowering : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getParam().getType());
    MLIRContext *ctx = op.getContext();
    unsigned rank = type.getRank();
    double eps = op.getEps().convertToDouble();
    double wd = op.getWeightDecay().convertToDouble();
    double decay = 1.0; // Adagrad sums; RMSProp averages
    if constexpr (std::is_same_v<Op, RMSPropOp>)
      decay = op.getAlpha().convertToDouble();
    SmallVector<Indexed> ins{{adaptor.getParam(), idMap(ctx, rank)},
                             {adaptor.getGrad(), idMap(ctx, rank)},
                             {adaptor.getAcc(), idMap(ctx, rank)},
                             {adaptor.getLr(), scalarMap(ctx, rank)}};
    bool average = std::is_same_v<Op, RMSPropOp>;
    rewriter.replaceOp(
        op,
        mapElementsN(rewriter, op.getLoc(), TypeRange{type, type}, ins,
                     [&](OpBuilder &b, Location l, ValueRange a) {
                       Value p = a[0], acc = a[2], lr = a[3];
                       Value g = decayed(b, l, a[1], p, wd);
                       Value g2 = arith::MulFOp::create(b, l, g, g);
                       Value acc2 =
                           average
                               ? Value(arith::AddFOp::create(
                                     b, l,
                                     arith::MulFOp::create(
                                         b, l, f32Const(b, l, decay), acc),
                                     arith::MulFOp::create(
                                         b, l, f32Const(b, l, 1 - decay), g2)))
                               : Value(arith::AddFOp::create(b, l, acc, g2));
                       return SmallVector<Value>{
                           adaptiveStep(b, l, p, lr, g, acc2, eps), acc2};
                     }));
    return success();
  }
};

} // namespace

void mlir::nn::populateElementwiseToLinalgPatterns(
    RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  auto add = [&](auto tag, ScalarFn fn) {
    using Op = typename decltype(tag)::type;
    patterns.add<ElementwiseLowering<Op>>(ctx, fn);
  };
  using llvm::type_identity;
  add(type_identity<AddOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        return arith::AddFOp::create(b, l, a[0], a[1]);
      });
  add(type_identity<SubOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        return arith::SubFOp::create(b, l, a[0], a[1]);
      });
  add(type_identity<MulOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        return arith::MulFOp::create(b, l, a[0], a[1]);
      });
  add(type_identity<ReluOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        return arith::MaximumFOp::create(b, l, a[0], f32Const(b, l, 0.0));
      });
  add(type_identity<SigmoidOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        return sigmoid(b, l, a[0]);
      });
  add(type_identity<TanhOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        return math::TanhOp::create(b, l, a[0]);
      });
  add(type_identity<StepOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value ge = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, a[0],
                                         f32Const(b, l, 0.0));
        return arith::SelectOp::create(b, l, ge, f32Const(b, l, 1.0),
                                       f32Const(b, l, 0.0));
      });
  add(type_identity<ReluGradOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value gt = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, a[0],
                                         f32Const(b, l, 0.0));
        return arith::SelectOp::create(b, l, gt, a[1], f32Const(b, l, 0.0));
      });
  add(type_identity<SigmoidGradOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value oneMinus = arith::SubFOp::create(b, l, f32Const(b, l, 1.0), a[0]);
        return arith::MulFOp::create(
            b, l, a[1], arith::MulFOp::create(b, l, a[0], oneMinus));
      });
  add(type_identity<TanhGradOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value sq = arith::MulFOp::create(b, l, a[0], a[0]);
        Value oneMinus = arith::SubFOp::create(b, l, f32Const(b, l, 1.0), sq);
        return arith::MulFOp::create(b, l, a[1], oneMinus);
      });
  // LeCun's f(a) = A tanh(S a), A = 1.7159, S = 2/3.
  constexpr double kA = 1.7159, kS = 2.0 / 3.0;
  add(type_identity<ScaledTanhOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value t = math::TanhOp::create(
            b, l, arith::MulFOp::create(b, l, a[0], f32Const(b, l, kS)));
        return arith::MulFOp::create(b, l, t, f32Const(b, l, kA));
      });
  add(type_identity<ScaledTanhGradOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value t = arith::MulFOp::create(b, l, a[0], f32Const(b, l, 1.0 / kA));
        Value oneMinus = arith::SubFOp::create(
            b, l, f32Const(b, l, 1.0), arith::MulFOp::create(b, l, t, t));
        Value d =
            arith::MulFOp::create(b, l, oneMinus, f32Const(b, l, kA * kS));
        return arith::MulFOp::create(b, l, a[1], d);
      });
  add(type_identity<SwishOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        return arith::MulFOp::create(b, l, a[0], sigmoid(b, l, a[0]));
      });
  add(type_identity<SwishGradOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value s = sigmoid(b, l, a[0]);
        Value oneMinus = arith::SubFOp::create(b, l, f32Const(b, l, 1.0), s);
        Value d = arith::AddFOp::create(
            b, l, s,
            arith::MulFOp::create(b, l, a[0],
                                  arith::MulFOp::create(b, l, s, oneMinus)));
        return arith::MulFOp::create(b, l, a[1], d);
      });
  // max(x, 0) + log(1 + exp(-|x|)): no overflow for large x.
  add(type_identity<SoftplusOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value e = math::ExpOp::create(
            b, l,
            arith::NegFOp::create(b, l, math::AbsFOp::create(b, l, a[0])));
        Value log = math::LogOp::create(
            b, l, arith::AddFOp::create(b, l, f32Const(b, l, 1.0), e));
        return arith::AddFOp::create(
            b, l, arith::MaximumFOp::create(b, l, a[0], f32Const(b, l, 0.0)),
            log);
      });
  add(type_identity<SoftplusGradOp>(),
      [](OpBuilder &b, Location l, ValueRange a) -> Value {
        return arith::MulFOp::create(b, l, a[1], sigmoid(b, l, a[0]));
      });
  patterns.add<AlphaElementwiseLowering<DropoutOp>>(
      ctx,
      AlphaFn([](OpBuilder &b, Location l, ValueRange a, double rate) -> Value {
        Value keep = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE,
                                           a[1], f32Const(b, l, rate));
        Value scaled = arith::MulFOp::create(
            b, l, a[0], f32Const(b, l, 1.0 / (1.0 - rate)));
        return arith::SelectOp::create(b, l, keep, scaled, f32Const(b, l, 0.0));
      }));
  patterns.add<AlphaElementwiseLowering<LeakyReluOp>>(
      ctx, AlphaFn([](OpBuilder &b, Location l, ValueRange a,
                      double alpha) -> Value {
        Value scaled = arith::MulFOp::create(b, l, a[0], f32Const(b, l, alpha));
        return arith::SelectOp::create(b, l, positive(b, l, a[0]), a[0],
                                       scaled);
      }));
  patterns.add<AlphaElementwiseLowering<LeakyReluGradOp>>(
      ctx, AlphaFn([](OpBuilder &b, Location l, ValueRange a,
                      double alpha) -> Value {
        Value scaled = arith::MulFOp::create(b, l, a[1], f32Const(b, l, alpha));
        return arith::SelectOp::create(b, l, positive(b, l, a[0]), a[1],
                                       scaled);
      }));
  patterns.add<AlphaElementwiseLowering<EluOp>>(
      ctx, AlphaFn([](OpBuilder &b, Location l, ValueRange a,
                      double alpha) -> Value {
        Value em1 = arith::SubFOp::create(b, l, math::ExpOp::create(b, l, a[0]),
                                          f32Const(b, l, 1.0));
        Value neg = arith::MulFOp::create(b, l, em1, f32Const(b, l, alpha));
        return arith::SelectOp::create(b, l, positive(b, l, a[0]), a[0], neg);
      }));
  patterns.add<AlphaElementwiseLowering<EluGradOp>>(
      ctx, AlphaFn([](OpBuilder &b, Location l, ValueRange a,
                      double alpha) -> Value {
        Value e = arith::MulFOp::create(b, l, math::ExpOp::create(b, l, a[0]),
                                        f32Const(b, l, alpha));
        Value neg = arith::MulFOp::create(b, l, a[1], e);
        return arith::SelectOp::create(b, l, positive(b, l, a[0]), a[1], neg);
      }));
  patterns.add<ReshapeLowering<FlattenOp>, ReshapeLowering<ReshapeOp>,
               SGDLowering, AdamLowering, AccumulatorLowering<RMSPropOp>,
               AccumulatorLowering<AdagradOp>>(ctx);
}
