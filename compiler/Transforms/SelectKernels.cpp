//===- SelectKernels.cpp - the nn-select-kernels pass ---------------------===//
//
// Every choice of algorithm for a convolution, matmul or pooling is made
// here, from the module's #nn.target and the op's shapes; the conversion
// lowers what is chosen and the schedules dispatch on it. Two kinds of
// choice:
//  - the form: a convolution as im2col rows and a matmul, or as one of the
//    direct ops (nn.conv2d, nn.conv2d_filter_grad, nn.conv2d_input_grad,
//    or an input gradient in chunks of images); the op is the record;
//  - the kernel of each op of a form, recorded as #nn.kernel.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/TargetDescription.h"
#include "compiler/Transforms/Passes.h"
#include "dialects/nn/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNSELECTKERNELSPASS
#include "compiler/Transforms/Passes.h.inc"
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
  LogicalResult matchAndRewrite(DenseOp op,
                                PatternRewriter &rewriter) const override {
    auto patches = op.getInput().getDefiningOp<Im2ColOp>();
    if (!patches || !wideEnough(patches))
      return failure();
    rewriter.replaceOpWithNewOp<Conv2DOp>(
        op, op.getType(), patches.getInput(), op.getWeight(), op.getBias(),
        patches.getKernelAttr(), patches.getStrideAttr(),
        patches.getPaddingAttr());
    return success();
  }
};

/// The weight gradient of a convolution, rowsᵀ · dy, computed from the
/// image (stride 1 only: the rows of a strided convolution skip pixels).
struct WeightGradOfPatches : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    auto transposed = op.getLhs().getDefiningOp<TransposeOp>();
    if (!transposed)
      return failure();
    auto patches = transposed.getInput().getDefiningOp<Im2ColOp>();
    if (!patches || !wideEnough(patches) ||
        llvm::any_of(patches.getStride(), [](int64_t s) { return s != 1; }))
      return failure();
    rewriter.replaceOpWithNewOp<Conv2DFilterGradOp>(
        op, op.getType(), patches.getInput(), op.getRhs(),
        patches.getKernelAttr(), patches.getPaddingAttr());
    return success();
  }
};

/// A pattern that reads the module's target.
template <typename Op> struct TargetPattern : OpRewritePattern<Op> {
  TargetPattern(MLIRContext *ctx, const nnc::TargetDescription &target)
      : OpRewritePattern<Op>(ctx), target(target) {}
  nnc::TargetDescription target;
};

/// The input gradient of a stride-1 convolution, col2im(dy · Wᵀ), when the
/// image has few channels: the K = F product writes patch rows KH·KW times
/// the image's size, bound by the stores (LeNet-5's C3: 3.8 MB per step
/// for a 1.2 MB image), and col2im reads them back C floats at a time.
/// nn.conv2d_input_grad computes each image pixel once, from the gradient.
struct InputGradOfRows : TargetPattern<Col2ImOp> {
  using TargetPattern::TargetPattern;

  LogicalResult matchAndRewrite(Col2ImOp op,
                                PatternRewriter &rewriter) const override {
    TransposeOp weight = transposedWeight(op, target);
    if (!weight)
      return failure();
    auto rows = op.getInput().getDefiningOp<MatMulOp>();
    rewriter.replaceOpWithNewOp<Conv2DInputGradOp>(
        op, op.getType(), rows.getLhs(), weight.getInput(), op.getKernelAttr(),
        op.getPaddingAttr());
    rewriter.eraseOp(rows);
    return success();
  }

  /// Wᵀ of col2im(dy · Wᵀ) when the pattern applies: stride 1, few
  /// channels, rows wide enough for 16-pixel tiles, and rows used only here.
  /// Images with fewer channels than the kernels' lanes get it as a
  /// convolution with pixels in the vector lanes (nn.conv2d_input_grad),
  /// which would fill only C of them with the channels.
  static TransposeOp transposedWeight(Col2ImOp op,
                                      const nnc::TargetDescription &target) {
    ArrayRef<int64_t> x = op.getType().getShape();
    auto rows = op.getInput().getDefiningOp<MatMulOp>();
    if (!rows || !rows->hasOneUse() ||
        llvm::any_of(op.getStride(), [](int64_t s) { return s != 1; }) ||
        x[3] >= target.kernelLanes || x[2] < kMinOutputWidth)
      return {};
    return rows.getRhs().getDefiningOp<TransposeOp>();
  }
};

/// An input gradient, col2im(dy · Wᵀ), for the whole batch makes patch rows
/// the size of im2col's (LeNet-5's C3: 6400 x 150 floats, 3.8 MB) that are
/// written, read back by the matmul (it accumulates into zeros) and read
/// again by col2im, all from memory. A loop over chunks of images that fit
/// in cache makes each chunk's rows and scatters them while they are still
/// there (a loop, not copies of the ops: eight copies of LeNet-5's doubled
/// its compile time). The bytes of rows for a chunk stay within the
/// target's convolutionChunkBytes, so col2im reads them from cache.
struct InputGradInChunks : TargetPattern<Col2ImOp> {
  using TargetPattern::TargetPattern;

  LogicalResult matchAndRewrite(Col2ImOp op,
                                PatternRewriter &rewriter) const override {
    auto rows = op.getInput().getDefiningOp<MatMulOp>();
    if (!rows || !rows->hasOneUse() ||
        InputGradOfRows::transposedWeight(op, target))
      return failure();
    RankedTensorType image = op.getType();
    ArrayRef<int64_t> x = image.getShape(), r = rows.getType().getShape();
    int64_t n = x[0], perImage = r[0] / n;
    int64_t bytesPerImage = perImage * r[1] * 4;
    int64_t chunk = n;
    int64_t chunkBytes = target.convolutionChunkBytes();
    while (chunk > 1 && (chunk * bytesPerImage > chunkBytes || n % chunk != 0))
      --chunk;
    if (chunk == n)
      return failure();
    Location loc = op.getLoc();
    Value lhs = rows.getLhs();
    int64_t k = cast<RankedTensorType>(lhs.getType()).getShape()[1];
    auto lhsChunk =
        RankedTensorType::get({chunk * perImage, k}, image.getElementType());
    auto rowsChunk =
        RankedTensorType::get({chunk * perImage, r[1]}, image.getElementType());
    auto imageChunk = RankedTensorType::get({chunk, x[1], x[2], x[3]},
                                            image.getElementType());
    auto index = [&](int64_t v) -> OpFoldResult {
      return rewriter.getIndexAttr(v);
    };
    auto constant = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    Value init =
        tensor::EmptyOp::create(rewriter, loc, x, image.getElementType());
    auto loop = scf::ForOp::create(
        rewriter, loc, constant(0), constant(n), constant(chunk),
        ValueRange{init},
        [&](OpBuilder &b, Location l, Value first, ValueRange acc) {
          Value row = arith::MulIOp::create(
              b, l, first, arith::ConstantIndexOp::create(b, l, perImage));
          Value part = tensor::ExtractSliceOp::create(
              b, l, lhsChunk, lhs, ArrayRef<OpFoldResult>{row, index(0)},
              ArrayRef<OpFoldResult>{index(chunk * perImage), index(k)},
              ArrayRef<OpFoldResult>{index(1), index(1)});
          Value partRows =
              MatMulOp::create(b, l, rowsChunk, part, rows.getRhs());
          Value partImage =
              Col2ImOp::create(b, l, imageChunk, partRows, op.getKernelAttr(),
                               op.getStrideAttr(), op.getPaddingAttr());
          Value dx = tensor::InsertSliceOp::create(
              b, l, partImage, acc[0],
              ArrayRef<OpFoldResult>{first, index(0), index(0), index(0)},
              ArrayRef<OpFoldResult>{index(chunk), index(x[1]), index(x[2]),
                                     index(x[3])},
              ArrayRef<OpFoldResult>{index(1), index(1), index(1), index(1)});
          scf::YieldOp::create(b, l, dx);
        });
    Value dx = loop.getResult(0);
    rewriter.replaceOp(op, dx);
    rewriter.eraseOp(rows);
    return success();
  }
};

/// Rows up to which a matmul gets nn-schedule-matmuls' narrow kernel (one
/// or two rows: batch-1 inference).
constexpr int64_t kNarrowRows = 2;

/// A forward convolution's kernel: pixels in the lanes when one input
/// channel would fill few of them with its filters (LeNet-5's C1), the row
/// kernel when the filters fill whole vectors (C3), else the script's tiles.
KernelKind convKernel(Conv2DOp conv, int64_t lanes) {
  ArrayRef<int64_t> x = conv.getInput().getType().getShape();
  ArrayRef<int64_t> k = conv.getKernel(), s = conv.getStride(),
                    p = conv.getPadding();
  bool strideOne = s[0] == 1 && s[1] == 1;
  int64_t ow = (x[2] + 2 * p[1] - k[1]) / s[1] + 1;
  int64_t f = conv.getWeight().getType().getDimSize(1);
  if (strideOne && x[3] == 1 && f < lanes && ow >= lanes)
    return KernelKind::PixelLanes;
  if (strideOne && f % lanes == 0)
    return KernelKind::FilterRows;
  return KernelKind::FilterLanes;
}

/// A weight gradient's: with one input channel and few filters, the
/// reduction with output pixels in the lanes; else the image convolved by
/// the gradient.
KernelKind filterGradKernel(Conv2DFilterGradOp op, int64_t lanes) {
  ArrayRef<int64_t> x = op.getInput().getType().getShape();
  ArrayRef<int64_t> k = op.getKernel(), p = op.getPadding();
  int64_t ow = x[2] + 2 * p[1] - k[1] + 1;
  int64_t f = op.getGrad().getType().getDimSize(1);
  return x[3] == 1 && f < lanes && ow >= lanes
             ? KernelKind::FilterGradPixelLanes
             : KernelKind::FilterGradColumns;
}

/// A matmul's: the narrow kernel for one or two rows read in place (a
/// transposed left operand is read through its transpose, which that
/// kernel does not take), the tiles otherwise.
KernelKind matmulKernel(Operation *op, Value lhs) {
  int64_t rows =
      cast<RankedTensorType>(op->getResult(0).getType()).getDimSize(0);
  return rows <= kNarrowRows && !lhs.getDefiningOp<TransposeOp>()
             ? KernelKind::Narrow
             : KernelKind::Tiled;
}

/// Records each op's kernel (nn.kernel).
void recordKernels(func::FuncOp func, const nnc::TargetDescription &target) {
  MLIRContext *ctx = func.getContext();
  int64_t lanes = target.kernelLanes;
  func.walk([&](Operation *op) {
    std::optional<KernelKind> kind =
        llvm::TypeSwitch<Operation *, std::optional<KernelKind>>(op)
            .Case([&](Conv2DOp c) { return convKernel(c, lanes); })
            .Case([&](Conv2DFilterGradOp c) {
              return filterGradKernel(c, lanes);
            })
            .Case([](Conv2DInputGradOp) {
              return KernelKind::InputGradPixelLanes;
            })
            .Case([](DenseOp d) { return matmulKernel(d, d.getInput()); })
            .Case([](MatMulOp m) { return matmulKernel(m, m.getLhs()); })
            .Case([](Pool2DOp pool) {
              return pool.windowsTile() ? KernelKind::Windows
                                        : KernelKind::Gather;
            })
            .Default([](Operation *) { return std::nullopt; });
    if (kind)
      op->setAttr("nn.kernel", KernelAttr::get(ctx, *kind));
  });
}

struct NNSelectKernelsPass
    : nn::impl::NNSelectKernelsPassBase<NNSelectKernelsPass> {
  using Base::Base;
  void runOnOperation() override {
    nnc::TargetDescription target = nnc::TargetDescription::of(getOperation());
    if (directConvolutions) {
      RewritePatternSet patterns(&getContext());
      patterns.add<DenseOfPatches, WeightGradOfPatches>(&getContext());
      patterns.add<InputGradOfRows, InputGradInChunks>(&getContext(), target);
      if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
        return signalPassFailure();
    }
    recordKernels(getOperation(), target);
  }
};

} // namespace
