//===- PopulatePatterns.h - nn-to-linalg pattern groups ---------*- C++ -*-===//
//
// The conversion is split by op family; the pass only assembles the groups.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_CONVERSION_NNTOLINALG_POPULATEPATTERNS_H
#define NNC_CONVERSION_NNTOLINALG_POPULATEPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::nn {

/// Elementwise arithmetic, activations and their adjoints, shapes, optimizers.
void populateElementwiseToLinalgPatterns(RewritePatternSet &patterns);
/// dense, matmul, transpose, batch_sum.
void populateLinearToLinalgPatterns(RewritePatternSet &patterns);
/// im2col, col2im, pooling and its adjoint.
void populateConvToLinalgPatterns(RewritePatternSet &patterns);
/// Losses, softmax, mean and their adjoints: the ops that reduce.
void populateLossToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mlir::nn

#endif
