//===- FoldTransposes.cpp - read a matmul's lhs through its transpose -----===//

#include "compiler/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNFOLDTRANSPOSESPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {

/// matmul(transpose(a), b) -> matmul with lhs map (m, n, k) -> (k, m).
struct FoldLhsTranspose : OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::MatmulOp mm,
                                PatternRewriter &rewriter) const override {
    if (mm.hasUserDefinedMaps())
      return failure();
    auto transpose = mm.getInputs()[0].getDefiningOp<linalg::TransposeOp>();
    if (!transpose || transpose.getPermutation() != ArrayRef<int64_t>{1, 0})
      return failure();
    MLIRContext *ctx = mm.getContext();
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    auto map = [&](ArrayRef<AffineExpr> results) {
      return AffineMapAttr::get(AffineMap::get(3, 0, results, ctx));
    };
    ArrayAttr maps =
        rewriter.getArrayAttr({map({k, m}), map({k, n}), map({m, n})});
    SmallVector<NamedAttribute> attrs{
        rewriter.getNamedAttr("indexing_maps", maps)};
    if (Attribute kernel = mm->getAttr("nn.kernel"))
      attrs.push_back(rewriter.getNamedAttr("nn.kernel", kernel));
    rewriter.replaceOpWithNewOp<linalg::MatmulOp>(
        mm, mm.getResultTypes(),
        ValueRange{transpose.getInput(), mm.getInputs()[1]}, mm.getOutputs(),
        attrs);
    return success();
  }
};

struct NNFoldTransposesPass
    : nn::impl::NNFoldTransposesPassBase<NNFoldTransposesPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldLhsTranspose>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
