//===- DirectConvolutions.cpp - dense(im2col(x)) -> conv2d(x) -------------===//

#include "dialects/nn/IR/NNOps.h"
#include "dialects/nn/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNDIRECTCONVOLUTIONSPASS
#include "dialects/nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;
using namespace mlir::nn;

namespace {

/// Output rows narrower than this stay on im2col and the matmul: the
/// direct schedule's tiles are up to 16 pixels of a row (nn-schedule-convs)
/// and want a few of them, and a convolution whose output is a single
/// pixel (LeNet-5's C5) has patch rows that are the image itself, no copy
/// at all.
constexpr int64_t kMinOutputWidth = 8;

bool wideEnough(Im2ColOp patches) {
  ArrayRef<int64_t> x = patches.getInput().getType().getShape();
  ArrayRef<int64_t> k = patches.getKernel(), s = patches.getStride(),
                    p = patches.getPadding();
  return (x[2] + 2 * p[1] - k[1]) / s[1] + 1 >= kMinOutputWidth;
}

/// A dense layer on patch rows is a convolution of the image. The rows may
/// have other users (a strided convolution's weight gradient); they keep
/// them.
struct DenseOfPatches : OpRewritePattern<DenseOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DenseOp op, PatternRewriter &rewriter) const override {
    auto patches = op.getInput().getDefiningOp<Im2ColOp>();
    if (!patches || !wideEnough(patches))
      return failure();
    rewriter.replaceOpWithNewOp<Conv2DOp>(
        op, op.getType(), patches.getInput(), op.getWeight(), op.getBias(),
        patches.getKernelAttr(), patches.getStrideAttr(), patches.getPaddingAttr());
    return success();
  }
};

/// The weight gradient of a convolution, rowsᵀ · dy, computed from the
/// image (stride 1 only: the rows of a strided convolution skip pixels).
struct WeightGradOfPatches : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp op, PatternRewriter &rewriter) const override {
    auto transposed = op.getLhs().getDefiningOp<TransposeOp>();
    if (!transposed)
      return failure();
    auto patches = transposed.getInput().getDefiningOp<Im2ColOp>();
    if (!patches || !wideEnough(patches) ||
        llvm::any_of(patches.getStride(), [](int64_t s) { return s != 1; }))
      return failure();
    rewriter.replaceOpWithNewOp<Conv2DFilterGradOp>(op, op.getType(), patches.getInput(),
                                                    op.getRhs(), patches.getKernelAttr(),
                                                    patches.getPaddingAttr());
    return success();
  }
};

struct NNDirectConvolutionsPass
    : nn::impl::NNDirectConvolutionsPassBase<NNDirectConvolutionsPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DenseOfPatches, WeightGradOfPatches>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
