//===- VectorizeElementwise.cpp - the nn-vectorize-elementwise pass -------===//
//
// Everything around the matmuls and convolutions (bias and activation,
// their adjoints, bias gradients, softmax sums, pooling, the optimizer's
// update) is a linalg.generic. Left to linalg-to-loops they are scalar
// loops whose innermost extent is a layer's channel count (6 for LeNet-5's
// C1), which LLVM's loop vectorizer handled poorly and slowly. This pass
// vectorizes them in MLIR, on buffers after the matmul schedule: the
// dimensions that are contiguous in every operand are collapsed (a
// [64, 28, 28, 6] tanh becomes one loop of 301,056 elements; a bias add
// [50176, 6]), the op is tiled to about 64 elements along its innermost
// dimensions, the remainder peeled so every tile is static, and each tile
// becomes vector arithmetic (reductions: vector.multi_reduction, lowered
// here).
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/TargetDescription.h"
#include "compiler/Transforms/Passes.h"
#include "compiler/Transforms/VectorEmitter.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNVECTORIZEELEMENTWISEPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

static constexpr StringLiteral kMarker = "nn.vectorize";

/// A static generic on buffers whose operands are indexed in loop order and
/// whose body is plain arithmetic.
static bool isCandidate(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
      op.hasDynamicShape())
    return false;
  // Projected permutations keep every operand's tile a rectangular slice;
  // transposed operands (a permutation that is not the identity) would
  // make the vector a shuffle, and stay loops.
  for (AffineMap map : op.getIndexingMapsArray()) {
    if (!map.isProjectedPermutation())
      return false;
    SmallVector<unsigned> dims;
    for (AffineExpr e : map.getResults())
      dims.push_back(cast<AffineDimExpr>(e).getPosition());
    if (!llvm::is_sorted(dims))
      return false;
  }
  for (Operation &inner : op.getBlock()->without_terminator())
    if (!isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()))
      return false;
  return llvm::all_of(op->getOperandTypes(), [](Type t) {
    return cast<ShapedType>(t).getElementType().isIntOrFloat();
  });
}

/// Groups of consecutive loops that are contiguous in every operand, the
/// longest first: [[0, 1, 2, 3]] for an elementwise op, [[0, 1, 2], [3]]
/// for a bias add over NHWC.
static SmallVector<ReassociationIndices>
collapsibleGroups(linalg::GenericOp op) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<ReassociationIndices> groups;
  int64_t n = op.getNumLoops();
  for (int64_t start = 0; start < n;) {
    ReassociationIndices group{start};
    for (int64_t next = start + 1; next < n; ++next) {
      ReassociationIndices longer(group);
      longer.push_back(next);
      if (!linalg::areDimSequencesPreserved(maps, {longer}))
        break;
      group = longer;
    }
    start += int64_t(group.size());
    groups.push_back(group);
  }
  return groups;
}

/// Ops of at most this many elements whose rows are short and ragged stay
/// loops (below).
static constexpr int64_t kSmallElements = 4096;

/// Whether an op with these (collapsed) loop bounds is left to plain loops:
/// rows shorter than `lanes` (two AVX2 vectors) and not a multiple of half
/// of it (the ten classes of a softmax, its loss and their gradients)
/// become vectors that LLVM takes apart element by element, and a row
/// reduction a transpose; in a small op that code buys nothing. LeNet-5's
/// training step: a quarter less LLVM IR (25,400 -> 19,300 instructions), 8%
/// less compile work, the same speed.
static bool staysLoops(ArrayRef<int64_t> bounds, int64_t lanes) {
  int64_t inner = bounds.back(), elements = 1;
  for (int64_t b : bounds)
    elements *= b;
  return inner % (lanes / 2) != 0 && inner < lanes &&
         elements <= kSmallElements;
}

/// Floats in a window row at most (LeNet-5's C1: 28 pixels x 6 channels
/// = 168): longer rows are tiled like any other op.
static constexpr int64_t kMaxWindowRow = 512;

bool nnc::isPoolingWindow(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != 6)
    return false;
  using utils::IteratorType;
  SmallVector<IteratorType> it = op.getIteratorTypesArray();
  if (it != SmallVector<IteratorType>{
                IteratorType::parallel, IteratorType::parallel,
                IteratorType::reduction, IteratorType::parallel,
                IteratorType::reduction, IteratorType::parallel})
    return false;
  MLIRContext *ctx = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  return maps[0].isIdentity() &&
         maps[1] == AffineMap::get(6, 0, {d(0), d(1), d(3), d(5)}, ctx);
}

/// A pooling window reduction (nnc::isPoolingWindow) whose input rows (n,
/// i, kh) and output rows (n, i) are contiguous. Tiled like the other ops
/// its tiles read and write runs of C floats (6 for LeNet-5's C1), which
/// LLVM assembles piece by piece (a tenth of batch-1 inference).
static bool isWindowRows(linalg::GenericOp op) {
  if (!nnc::isPoolingWindow(op))
    return false;
  auto in = cast<MemRefType>(op.getDpsInputs()[0].getType());
  auto out = cast<MemRefType>(op.getDpsInits()[0].getType());
  SmallVector<int64_t> inStrides, outStrides;
  int64_t offset;
  if (failed(in.getStridesAndOffset(inStrides, offset)) ||
      failed(out.getStridesAndOffset(outStrides, offset)))
    return false;
  ArrayRef<int64_t> shape = in.getShape();
  return inStrides[5] == 1 && inStrides[4] == shape[5] &&
         inStrides[3] == shape[4] * shape[5] && outStrides[3] == 1 &&
         outStrides[2] == shape[5] &&
         shape[3] * shape[4] * shape[5] <= kMaxWindowRow;
}

/// Lowers a window reduction (isWindowRows) row by row: per output row one
/// load of it and of each of its KH input rows, and per window offset
/// (kh, kw) a shuffle picking the row's kw-th pixel of each window, into
/// which the body is applied on vectors of a whole output row. C1's
/// pooling at batch 1: about 0.8 µs -> a few shuffles per row.
static void lowerWindowRows(IRRewriter &rewriter, linalg::GenericOp op) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  nnc::VectorEmitter e{rewriter, loc};
  Value in = op.getDpsInputs()[0], out = op.getDpsInits()[0];
  ArrayRef<int64_t> shape = cast<MemRefType>(in.getType()).getShape();
  int64_t kh = shape[2], wo = shape[3], kw = shape[4], c = shape[5];
  Type element = cast<MemRefType>(in.getType()).getElementType();
  auto inRowType = VectorType::get({wo * kw * c}, element);
  auto outRowType = VectorType::get({wo * c}, element);
  Value inRows = memref::CollapseShapeOp::create(
      rewriter, loc, in,
      ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4, 5}});
  Value outRows = memref::CollapseShapeOp::create(
      rewriter, loc, out, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  // The body on whole rows: its block arguments become the vectors, the
  // scalars it uses from outside are broadcast once, before the loops.
  Block *body = op.getBlock();
  IRMapping outside = e.broadcastOutside(body, wo * c);
  auto apply = [&](Value window, Value acc) {
    return e.applyBody(body, {window, acc}, wo * c, outside);
  };
  // Per window column x, the positions of each window's x-th pixel in a row.
  SmallVector<SmallVector<int64_t>> picks(kw);
  for (int64_t x = 0; x < kw; ++x)
    for (int64_t j = 0; j < wo; ++j)
      for (int64_t k = 0; k < c; ++k)
        picks[x].push_back((j * kw + x) * c + k);
  e.loop(shape[0], {}, [&](Value n, ValueRange) {
    e.loop(shape[1], {}, [&](Value i, ValueRange) {
      Value acc = vector::LoadOp::create(rewriter, loc, outRowType, outRows,
                                         ValueRange{n, i, e.index(0)});
      for (int64_t y = 0; y < kh; ++y) {
        Value row =
            vector::LoadOp::create(rewriter, loc, inRowType, inRows,
                                   ValueRange{n, i, e.index(y), e.index(0)});
        for (int64_t x = 0; x < kw; ++x)
          acc = apply(
              vector::ShuffleOp::create(rewriter, loc, row, row, picks[x]),
              acc);
      }
      vector::StoreOp::create(rewriter, loc, acc, outRows,
                              ValueRange{n, i, e.index(0)});
      return SmallVector<Value>{};
    });
    return SmallVector<Value>{};
  });
  rewriter.eraseOp(op);
}

namespace {
struct NNVectorizeElementwisePass
    : nn::impl::NNVectorizeElementwisePassBase<NNVectorizeElementwisePass> {
  using Base::Base;

  /// Elements per tile: the target's elementwiseTileElements (four
  /// vectors, enough to hide the latency of a polynomial such as tanh
  /// without spilling).
  int64_t tileElements = 0;
  /// The kernels' vector width (the target's kernelLanes).
  int64_t lanes = 0;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    nnc::TargetDescription target = nnc::TargetDescription::of(func);
    tileElements = target.elementwiseTileElements();
    lanes = target.kernelLanes;
    SmallVector<linalg::GenericOp> candidates;
    func.walk([&](linalg::GenericOp op) {
      if (isCandidate(op))
        candidates.push_back(op);
    });
    IRRewriter rewriter(ctx);
    for (linalg::GenericOp op : candidates) {
      if (isWindowRows(op))
        lowerWindowRows(rewriter, op);
      else if (failed(tile(rewriter, op)))
        return signalPassFailure();
    }
    // Peeled remainders have constant bounds; folding them makes every
    // tile static, which the vectorizer needs.
    RewritePatternSet patterns(ctx);
    scf::ForOp::getCanonicalizationPatterns(patterns, ctx);
    affine::AffineMinOp::getCanonicalizationPatterns(patterns, ctx);
    memref::SubViewOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    SmallVector<linalg::GenericOp> tiles;
    func.walk([&](linalg::GenericOp op) {
      if (op->hasAttr(kMarker))
        tiles.push_back(op);
    });
    for (linalg::GenericOp op : tiles) {
      op->removeAttr(kMarker);
      if (op.hasDynamicShape())
        continue; // a remainder that did not fold stays a loop
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> vectorized =
          linalg::vectorize(rewriter, op);
      if (failed(vectorized))
        continue;
      rewriter.eraseOp(op); // on buffers: no results to replace
    }
    // Reductions became vector.multi_reduction: lanes along the kept
    // dimension, the reduced one unrolled into adds (a bias gradient adds
    // rows of channels), or a horizontal reduction per row (a softmax).
    RewritePatternSet lowering(ctx);
    vector::populateVectorMultiReductionLoweringPatterns(
        lowering, vector::VectorMultiReductionLowering::InnerParallel);
    if (failed(applyPatternsGreedily(func, std::move(lowering))))
      return signalPassFailure();
  }

  /// Collapses `op`, tiles it to about tileElements elements along its
  /// innermost loops and peels the remainders; the tiles carry kMarker.
  LogicalResult tile(IRRewriter &rewriter, linalg::GenericOp op) {
    SmallVector<ReassociationIndices> groups = collapsibleGroups(op);
    rewriter.setInsertionPoint(op);
    linalg::LinalgOp collapsed = op;
    if (groups.size() < size_t(op.getNumLoops())) {
      FailureOr<linalg::CollapseResult> result =
          linalg::collapseOpIterationDims(op, groups, rewriter);
      // Strided views (col2im's windows) cannot be collapsed: their tiles
      // are then vectors of several dimensions.
      if (succeeded(result)) {
        rewriter.eraseOp(op);
        collapsed = result->collapsedOp;
      }
    }
    SmallVector<int64_t> bounds = collapsed.getStaticLoopRanges();
    if (staysLoops(bounds, lanes))
      return success();
    SmallVector<int64_t> sizes(bounds.size(), 1);
    int64_t budget = tileElements;
    for (int64_t d = int64_t(bounds.size()) - 1; d >= 0 && budget > 1; --d) {
      sizes[d] = std::min(bounds[d], budget);
      budget /= sizes[d];
    }
    collapsed->setAttr(kMarker, rewriter.getUnitAttr());
    if (llvm::all_of(llvm::zip(sizes, bounds),
                     [](auto p) { return std::get<0>(p) == std::get<1>(p); }))
      return success(); // one tile: the op itself
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
    rewriter.setInsertionPoint(collapsed);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(collapsed.getOperation()), options);
    if (failed(tiled))
      return collapsed.emitError("cannot tile an elementwise op");
    rewriter.eraseOp(collapsed);
    for (LoopLikeOpInterface loop : tiled->loops) {
      auto forOp = dyn_cast<scf::ForOp>(loop.getOperation());
      if (!forOp)
        continue;
      scf::ForOp remainder;
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, forOp, remainder);
    }
    return success();
  }
};
} // namespace
