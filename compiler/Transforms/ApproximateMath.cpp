//===- ApproximateMath.cpp - inline polynomials for exp, log, tanh --------===//

#include "compiler/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNAPPROXIMATEMATHPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {
/// f32 tanh as MLIR's polynomial approximation computes it (Eigen's 13/6
/// rational function of the argument clamped to [-7.99, 7.99], accurate to
/// a few ulp), without its special case for |x| < 0.0004, where it returns
/// x: there the rational function is x · (1 - 1.3e-7), within an ulp of x,
/// and the case took 3 of the 17 vector operations per 16 values (an
/// absolute value, a compare and a blend) on the two ports that execute
/// them all.
struct TanhAsRational : OpRewritePattern<math::TanhOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::TanhOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32())
      return failure();
    Location loc = op.getLoc();
    auto constant = [&](float v) -> Value {
      Attribute a = rewriter.getF32FloatAttr(v);
      if (auto vector = dyn_cast<VectorType>(type))
        a = DenseElementsAttr::get(vector, v);
      return arith::ConstantOp::create(rewriter, loc, type, cast<TypedAttr>(a));
    };
    auto fma = [&](Value a, Value b, Value c) -> Value {
      return math::FmaOp::create(rewriter, loc, a, b, c);
    };
    Value x = arith::MinimumFOp::create(rewriter, loc, op.getOperand(),
                                        constant(7.99881172180175781f));
    x = arith::MaximumFOp::create(rewriter, loc, x,
                                  constant(-7.99881172180175781f));
    Value x2 = arith::MulFOp::create(rewriter, loc, x, x);
    // The numerator (odd) over x, then the denominator (even), in x².
    Value p = fma(x2, constant(-2.76076847742355e-16f),
                  constant(2.00018790482477e-13f));
    for (float alpha :
         {-8.60467152213735e-11f, 5.12229709037114e-08f, 1.48572235717979e-05f,
          6.37261928875436e-04f, 4.89352455891786e-03f})
      p = fma(x2, p, constant(alpha));
    p = arith::MulFOp::create(rewriter, loc, x, p);
    Value q = fma(x2, constant(1.19825839466702e-06f),
                  constant(1.18534705686654e-04f));
    for (float beta : {2.26843463243900e-03f, 4.89352518554385e-03f})
      q = fma(x2, q, constant(beta));
    rewriter.replaceOpWithNewOp<arith::DivFOp>(op, p, q);
    return success();
  }
};

struct NNApproximateMathPass
    : nn::impl::NNApproximateMathPassBase<NNApproximateMathPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<TanhAsRational>(&getContext(), /*benefit=*/2);
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // The approximations' math.fma would become llvm.fma, which a target
    // without FMA instructions (x86 before Haswell; --cpu x86-64) computes
    // by calling fmaf once per element: LeNet-5's training step for
    // x86-64 made 5,626 such calls. As LLVM's fmuladd it is the same one
    // instruction where the target has FMA, and a multiply and an add
    // where it does not, as vector.fma already is.
    SmallVector<math::FmaOp> fmas;
    getOperation()->walk([&](math::FmaOp fma) { fmas.push_back(fma); });
    for (math::FmaOp fma : fmas) {
      OpBuilder b(fma);
      Value fused =
          isa<VectorType>(fma.getType())
              ? vector::FMAOp::create(b, fma.getLoc(), fma.getA(), fma.getB(),
                                      fma.getC())
                    .getResult()
              : LLVM::FMulAddOp::create(b, fma.getLoc(), fma.getType(),
                                        fma.getA(), fma.getB(), fma.getC())
                    .getResult();
      fma.replaceAllUsesWith(fused);
      fma.erase();
    }
  }
};
} // namespace
