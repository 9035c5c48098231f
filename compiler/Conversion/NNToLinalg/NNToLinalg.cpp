//===- NNToLinalg.cpp - the convert-nn-to-linalg pass ---------------------===//
//
// Assembles the pattern groups; every nn op must go.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/NNToLinalg/PopulatePatterns.h"
#include "compiler/Conversion/Passes.h"
#include "dialects/nn/IR/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::nn {
#define GEN_PASS_DEF_CONVERTNNTOLINALGPASS
#include "compiler/Conversion/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {
struct ConvertNNToLinalgPass
    : nn::impl::ConvertNNToLinalgPassBase<ConvertNNToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<nn::NNDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           func::FuncDialect>();
    RewritePatternSet patterns(ctx);
    nn::populateElementwiseToLinalgPatterns(patterns);
    nn::populateLinearToLinalgPatterns(patterns);
    nn::populateConvToLinalgPatterns(patterns);
    nn::populateLossToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
