//===- Conv.cpp - nn im2col, col2im and pooling to linalg -----------------===//
//
// Images are NHWC. im2col copies patches into rows (a parallel generic whose
// input map strides over the padded image), so convolution itself is a
// matmul that the schedule tiles and vectorizes. Its adjoint col2im adds
// each kernel offset's slice of the rows onto the image window it came from.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/NNToLinalg/Builders.h"
#include "compiler/Conversion/NNToLinalg/PopulatePatterns.h"
#include "dialects/nn/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace mlir::nn;

namespace {

RankedTensorType f32Tensor(ArrayRef<int64_t> shape, MLIRContext *ctx) {
  return RankedTensorType::get(shape, Float32Type::get(ctx));
}

/// Places `src` into a zero tensor of `shape` at `offsets` with `strides`.
Value embed(OpBuilder &b, Location loc, Value src, ArrayRef<int64_t> shape,
            ArrayRef<int64_t> offsets, ArrayRef<int64_t> strides) {
  Value zeros = filled(b, loc, f32Tensor(shape, b.getContext()), 0.0);
  SmallVector<OpFoldResult> off, size, str;
  for (size_t i = 0; i < shape.size(); ++i) {
    off.push_back(b.getIndexAttr(offsets[i]));
    size.push_back(
        b.getIndexAttr(cast<RankedTensorType>(src.getType()).getDimSize(i)));
    str.push_back(b.getIndexAttr(strides[i]));
  }
  return tensor::InsertSliceOp::create(b, loc, src, zeros, off, size, str);
}

SmallVector<ReassociationIndices> rowsByPatch() {
  return {{0, 1, 2}, {3, 4, 5}};
}
/// [N, H, W, C] -> rows [N·H·W, C].
SmallVector<ReassociationIndices> rowsByPixel() { return {{0, 1, 2}, {3}}; }

/// The NHWC image `in` (of shape `x`) inside a zero border of `p` pixels.
Value padded(OpBuilder &b, Location loc, Value in, ArrayRef<int64_t> x,
             ArrayRef<int64_t> p) {
  if (!p[0] && !p[1])
    return in;
  return embed(b, loc, in, {x[0], x[1] + 2 * p[0], x[2] + 2 * p[1], x[3]},
               {0, p[0], p[1], 0}, {1, 1, 1, 1});
}

/// A copy of `src` into a new tensor of `type`, read through `read`.
Value gathered(OpBuilder &b, Location loc, RankedTensorType type, Value src,
               AffineMap read) {
  return mapElements(b, loc, type, {{src, read}},
                     [](OpBuilder &, Location, ValueRange a) { return a[0]; });
}

/// linalg.conv_2d_nhwc_hwcf of `image` by `filter` into zeros of `type`.
/// linalg's convolution of `image` by `filter`, accumulated onto `init`
/// (zeros by default).
linalg::Conv2DNhwcHwcfOp convolution(OpBuilder &b, Location loc,
                                     RankedTensorType type, Value image,
                                     Value filter, ArrayRef<int64_t> strides,
                                     Value init = {}) {
  auto pair = [&](ArrayRef<int64_t> v) {
    return DenseIntElementsAttr::get(RankedTensorType::get({2}, b.getI64Type()),
                                     v);
  };
  return linalg::Conv2DNhwcHwcfOp::create(
      b, loc, TypeRange{type}, ValueRange{image, filter},
      ValueRange{init ? init : filled(b, loc, type, 0.0)}, pair(strides),
      pair({1, 1}));
}

/// Whether the patches of an [N, H, W, C] image cover it exactly, each
/// pixel in one patch (no padding; along each axis one patch as large as
/// the image, or patches as far apart as they are long): LeNet-5's C5,
/// whose 5x5 kernel covers its 5x5 input, or 2x2 patches at stride 2.
static bool patchesTile(ArrayRef<int64_t> x, ArrayRef<int64_t> k,
                        ArrayRef<int64_t> s, ArrayRef<int64_t> p, int64_t oh,
                        int64_t ow) {
  auto tiles = [](int64_t size, int64_t kernel, int64_t stride, int64_t pad,
                  int64_t out) {
    return pad == 0 && out * kernel == size && (out == 1 || stride == kernel);
  };
  return tiles(x[1], k[0], s[0], p[0], oh) && tiles(x[2], k[1], s[1], p[1], ow);
}

struct Im2ColLowering : OpConversionPattern<Im2ColOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Im2ColOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> x = op.getInput().getType().getShape();
    ArrayRef<int64_t> k = op.getKernel(), s = op.getStride(),
                      p = op.getPadding();
    int64_t oh = (x[1] + 2 * p[0] - k[0]) / s[0] + 1;
    int64_t ow = (x[2] + 2 * p[1] - k[1]) / s[1] + 1;
    RankedTensorType patches = f32Tensor({x[0], oh, ow, k[0], k[1], x[3]}, ctx);
    Value cols;
    if (patchesTile(x, k, s, p, oh, ow) && ow == 1) {
      // One patch per image row (LeNet-5's C5): the patches are the
      // image's rows, a reshape; a copy here kept the pooling before it
      // from vectorizing.
      cols = tensor::ExpandShapeOp::create(
          rewriter, loc, patches, adaptor.getInput(),
          SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}, {5}});
    } else {
      Value in = padded(rewriter, loc, adaptor.getInput(), x, p);
      // Loops (n, oh, ow, kh, kw, c), all parallel: a strided copy.
      auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
      AffineMap read = AffineMap::get(
          6, 0, {d(0), d(1) * s[0] + d(3), d(2) * s[1] + d(4), d(5)}, ctx);
      cols = gathered(rewriter, loc, patches, in, read);
    }
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, op.getType(), cols,
                                                         rowsByPatch());
    return success();
  }
};

/// A direct convolution: linalg.conv_2d_nhwc_hwcf on the (padded) image
/// with the (KH·KW·C) x F weight copied into KH x KW x C x F, accumulated
/// onto the bias; the result is rows, like nn.dense's.
struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> x = op.getInput().getType().getShape();
    ArrayRef<int64_t> k = op.getKernel(), s = op.getStride(),
                      p = op.getPadding();
    int64_t oh = (x[1] + 2 * p[0] - k[0]) / s[0] + 1;
    int64_t ow = (x[2] + 2 * p[1] - k[1]) / s[1] + 1;
    int64_t f = op.getWeight().getType().getDimSize(1);
    Value in = padded(rewriter, loc, adaptor.getInput(), x, p);
    // The filter as KH x KW x C x F, copied rather than reshaped: tiling
    // and vectorizing through a reshaped view of an argument never
    // terminates in MLIR 22 (fold_memref_alias_ops), and the copy is small.
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    AffineMap rowOf =
        AffineMap::get(4, 0, {(d(0) * k[1] + d(1)) * x[3] + d(2), d(3)}, ctx);
    Value filter =
        gathered(rewriter, loc, f32Tensor({k[0], k[1], x[3], f}, ctx),
                 adaptor.getWeight(), rowOf);
    RankedTensorType image = f32Tensor({x[0], oh, ow, f}, ctx);
    // The convolution accumulates onto the bias, broadcast over the pixels:
    // one pass over the output instead of zeros and then a bias pass.
    Value bias =
        mapElements(rewriter, loc, image,
                    {{adaptor.getBias(), AffineMap::get(4, 0, {d(3)}, ctx)}},
                    [](OpBuilder &, Location, ValueRange a) { return a[0]; });
    auto conv = convolution(rewriter, loc, image, in, filter, s, bias);
    carryKernel(op, conv);
    Value biased = conv.getResult(0);
    // Then its rows: the rows' reshape back into an image (the layer's next
    // op) folds away.
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, op.getType(),
                                                         biased, rowsByPixel());
    return success();
  }
};

/// The weight gradient of a stride-1 convolution as a convolution itself:
/// the (padded) image with its channels as the batch and its samples as
/// the channels, [C, H, W, N], convolved with the output gradient as the
/// filter, [OH, OW, N, F], gives [C, KH, KW, F]; reordered into the
/// weight's (kh, kw, c) rows; nn-schedule-convs tiles it one kernel column
/// at a time (kernel filter_grad_columns). With kernel
/// filter_grad_pixel_lanes, a reduction for nn-conv-kernels instead.
struct Conv2DFilterGradLowering : OpConversionPattern<Conv2DFilterGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Conv2DFilterGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> x = op.getInput().getType().getShape();
    ArrayRef<int64_t> k = op.getKernel(), p = op.getPadding();
    int64_t ph = x[1] + 2 * p[0], pw = x[2] + 2 * p[1];
    int64_t oh = ph - k[0] + 1, ow = pw - k[1] + 1;
    int64_t f = op.getGrad().getType().getDimSize(1);
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    Value grad = tensor::ExpandShapeOp::create(
        rewriter, loc, f32Tensor({x[0], oh, ow, f}, ctx), adaptor.getGrad(),
        rowsByPixel());
    if (kernelOf(op) == KernelKind::FilterGradPixelLanes) {
      // A reduction over (n, oh, ow) of image rows times the gradient, on
      // the image as it is, for nn-conv-kernels, which puts output pixels
      // in the vector lanes (LeNet-5's C1: its 6 filters would fill 6 of
      // 16).
      Value image = tensor::CollapseShapeOp::create(
          rewriter, loc, padded(rewriter, loc, adaptor.getInput(), x, p),
          SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
      using utils::IteratorType;
      // Loops (kh, kw, f, n, oh, ow).
      auto sum = linalg::GenericOp::create(
          rewriter, loc, TypeRange{f32Tensor({k[0], k[1], f}, ctx)},
          ValueRange{image, grad},
          ValueRange{
              filled(rewriter, loc, f32Tensor({k[0], k[1], f}, ctx), 0.0)},
          ArrayRef<AffineMap>{
              AffineMap::get(6, 0, {d(3), d(4) + d(0), d(5) + d(1)}, ctx),
              AffineMap::get(6, 0, {d(3), d(4), d(5), d(2)}, ctx),
              AffineMap::get(6, 0, {d(0), d(1), d(2)}, ctx)},
          ArrayRef<IteratorType>{
              IteratorType::parallel, IteratorType::parallel,
              IteratorType::parallel, IteratorType::reduction,
              IteratorType::reduction, IteratorType::reduction},
          [](OpBuilder &b, Location l, ValueRange a) {
            Value product = arith::MulFOp::create(b, l, a[0], a[1]);
            linalg::YieldOp::create(
                b, l, Value(arith::AddFOp::create(b, l, a[2], product)));
          });
      carryKernel(op, sum);
      rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
          op, op.getType(), sum.getResult(0),
          SmallVector<ReassociationIndices>{{0, 1}, {2}});
      return success();
    }
    // image[c, h, w, n] = in[n, h, w, c]
    Value image = gathered(rewriter, loc, f32Tensor({x[3], ph, pw, x[0]}, ctx),
                           padded(rewriter, loc, adaptor.getInput(), x, p),
                           AffineMap::get(4, 0, {d(3), d(1), d(2), d(0)}, ctx));
    // filter[oh, ow, n, f] = grad[(n·OH + oh)·OW + ow, f]; the same
    // permutation then puts conv[c, kh, kw, f] at result[(kh·KW + kw)·C + c,
    // f].
    AffineMap rotate = AffineMap::get(4, 0, {d(2), d(0), d(1), d(3)}, ctx);
    Value filter = gathered(rewriter, loc, f32Tensor({oh, ow, x[0], f}, ctx),
                            grad, rotate);
    auto conv =
        convolution(rewriter, loc, f32Tensor({x[3], k[0], k[1], f}, ctx), image,
                    filter, {1, 1});
    carryKernel(op, conv);
    Value weight =
        gathered(rewriter, loc, f32Tensor({k[0], k[1], x[3], f}, ctx),
                 conv.getResult(0), rotate);
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, op.getType(),
                                                         weight, rowsByPixel());
    return success();
  }
};

/// The input gradient of a stride-1 convolution as a convolution itself:
/// dx[n, h, w, c] = Σ_{kh, kw, f} g[n, f, h + kh, w + kw] · r[kh, kw, f, c],
/// where g is the output gradient channel-planar ([N, F, OH, OW]) inside a
/// zero border of K - 1 - p pixels and r the weight rotated by 180 degrees
/// with its channels and filters swapped. The planar layout puts 16
/// neighbouring pixels of a channel in one vector load; with kernel
/// input_grad_pixel_lanes nn-conv-kernels computes the generic with the
/// pixels in the lanes (its plain loops are the reference).
struct Conv2DInputGradLowering : OpConversionPattern<Conv2DInputGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Conv2DInputGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> x = op.getType().getShape();
    ArrayRef<int64_t> k = op.getKernel(), p = op.getPadding();
    int64_t oh = x[1] + 2 * p[0] - k[0] + 1, ow = x[2] + 2 * p[1] - k[1] + 1;
    int64_t qh = k[0] - 1 - p[0], qw = k[1] - 1 - p[1];
    int64_t f = op.getGrad().getType().getDimSize(1);
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    Value grad = tensor::ExpandShapeOp::create(
        rewriter, loc, f32Tensor({x[0], oh, ow, f}, ctx), adaptor.getGrad(),
        rowsByPixel());
    // planar[n, f, qh + y, qw + x] = grad[n, y, x, f] inside zeros, written
    // in place (a slice of the zeros is the copy's output).
    Value zeros =
        filled(rewriter, loc,
               f32Tensor({x[0], f, oh + 2 * qh, ow + 2 * qw}, ctx), 0.0);
    auto index = [&](int64_t v) -> OpFoldResult {
      return rewriter.getIndexAttr(v);
    };
    SmallVector<OpFoldResult> offsets{index(0), index(0), index(qh), index(qw)},
        sizes{index(x[0]), index(f), index(oh), index(ow)}, unit(4, index(1));
    Value interior = tensor::ExtractSliceOp::create(rewriter, loc, zeros,
                                                    offsets, sizes, unit);
    auto copy = linalg::GenericOp::create(
        rewriter, loc, TypeRange{interior.getType()}, ValueRange{grad},
        ValueRange{interior},
        ArrayRef<AffineMap>{AffineMap::get(4, 0, {d(0), d(2), d(3), d(1)}, ctx),
                            idMap(ctx, 4)},
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(b, l, a[0]);
        });
    Value planar = tensor::InsertSliceOp::create(
        rewriter, loc, copy.getResult(0), zeros, offsets, sizes, unit);
    // rotated[kh, kw, f, c] = weight[((KH-1-kh)·KW + KW-1-kw)·C + c, f]
    Value rotated = gathered(
        rewriter, loc, f32Tensor({k[0], k[1], f, x[3]}, ctx),
        adaptor.getWeight(),
        AffineMap::get(
            4, 0,
            {((k[0] - 1 - d(0)) * k[1] + k[1] - 1 - d(1)) * x[3] + d(3), d(2)},
            ctx));
    using utils::IteratorType;
    // Loops (n, h, w, c, f, kh, kw).
    auto conv = linalg::GenericOp::create(
        rewriter, loc, TypeRange{op.getType()}, ValueRange{planar, rotated},
        ValueRange{filled(rewriter, loc, op.getType(), 0.0)},
        ArrayRef<AffineMap>{
            AffineMap::get(7, 0, {d(0), d(4), d(1) + d(5), d(2) + d(6)}, ctx),
            AffineMap::get(7, 0, {d(5), d(6), d(4), d(3)}, ctx),
            AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx)},
        ArrayRef<IteratorType>{IteratorType::parallel, IteratorType::parallel,
                               IteratorType::parallel, IteratorType::parallel,
                               IteratorType::reduction, IteratorType::reduction,
                               IteratorType::reduction},
        [](OpBuilder &b, Location l, ValueRange a) {
          Value product = arith::MulFOp::create(b, l, a[0], a[1]);
          linalg::YieldOp::create(
              b, l, Value(arith::AddFOp::create(b, l, a[2], product)));
        });
    // With the gradient's rows inside the border: kernel rows that would
    // read only the border's zeros are skipped.
    if (kernelOf(op) == KernelKind::InputGradPixelLanes)
      conv->setAttr("nn.kernel",
                    KernelAttr::get(ctx, KernelKind::InputGradPixelLanes,
                                    ArrayRef<int64_t>{qh, oh}));
    rewriter.replaceOp(op, conv.getResult(0));
    return success();
  }
};

/// The image whose tiling patches are `rows` [N, OH, OW, KH, KW, C]:
/// image[n, oh·KH + kh, ow·KW + kw, c] = rows[n, oh, ow, kh, kw, c]. With
/// one patch per image row (OW = 1) both have the same layout: a reshape.
/// Otherwise one copy, where the general scatter fills the image with
/// zeros and adds KH·KW slices onto it.
static Value tiledImage(OpBuilder &b, Location loc, Value rows) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> r = cast<RankedTensorType>(rows.getType()).getShape();
  RankedTensorType image =
      f32Tensor({r[0], r[1] * r[3], r[2] * r[4], r[5]}, ctx);
  if (r[2] == 1)
    return tensor::CollapseShapeOp::create(
        b, loc, image, rows,
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}, {5}});
  // Loops (n, oh, kh, ow, kw, c).
  auto copy = linalg::GenericOp::create(
      b, loc, TypeRange{f32Tensor({r[0], r[1], r[3], r[2], r[4], r[5]}, ctx)},
      ValueRange{rows},
      ValueRange{tensor::EmptyOp::create(
          b, loc, ArrayRef<int64_t>{r[0], r[1], r[3], r[2], r[4], r[5]},
          b.getF32Type())},
      ArrayRef<AffineMap>{AffineMap::getPermutationMap(
                              ArrayRef<unsigned>{0, 1, 3, 2, 4, 5}, ctx),
                          idMap(ctx, 6)},
      SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
      [](OpBuilder &b, Location l, ValueRange a) {
        linalg::YieldOp::create(b, l, a[0]);
      });
  return tensor::CollapseShapeOp::create(
      b, loc, image, copy.getResult(0),
      SmallVector<ReassociationIndices>{{0}, {1, 2}, {3, 4}, {5}});
}

/// The adjoint of im2col scatters each patch back onto the image. For each
/// kernel offset (kh, kw), the rows' (kh, kw) slice [N, OH, OW, C] adds onto
/// the image window starting at (kh, kw) with the convolution's stride:
/// KH x KW elementwise accumulations, each reading and writing the data
/// once, in place on the (padded) image. Patches that tile the image need
/// no sums: a reshape or one copy (tiledImage).
struct Col2ImLowering : OpConversionPattern<Col2ImOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Col2ImOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> x = op.getType().getShape();
    ArrayRef<int64_t> k = op.getKernel(), s = op.getStride(),
                      p = op.getPadding();
    int64_t oh = (x[1] + 2 * p[0] - k[0]) / s[0] + 1;
    int64_t ow = (x[2] + 2 * p[1] - k[1]) / s[1] + 1;
    Value rows = tensor::ExpandShapeOp::create(
        rewriter, loc, f32Tensor({x[0], oh, ow, k[0], k[1], x[3]}, ctx),
        adaptor.getInput(), rowsByPatch());
    if (patchesTile(x, k, s, p, oh, ow)) {
      rewriter.replaceOp(op, tiledImage(rewriter, loc, rows));
      return success();
    }
    SmallVector<int64_t> padded{x[0], x[1] + 2 * p[0], x[2] + 2 * p[1], x[3]};
    Value image = filled(rewriter, loc, f32Tensor(padded, ctx), 0.0);
    auto index = [&](int64_t v) -> OpFoldResult {
      return rewriter.getIndexAttr(v);
    };
    RankedTensorType window = f32Tensor({x[0], oh, ow, x[3]}, ctx);
    SmallVector<OpFoldResult> windowSizes{index(x[0]), index(oh), index(ow),
                                          index(x[3])};
    SmallVector<OpFoldResult> windowStrides{index(1), index(s[0]), index(s[1]),
                                            index(1)};
    for (int64_t kh = 0; kh < k[0]; ++kh)
      for (int64_t kw = 0; kw < k[1]; ++kw) {
        Value patchSlice = tensor::ExtractSliceOp::create(
            rewriter, loc, window, rows,
            ArrayRef<OpFoldResult>{index(0), index(0), index(0), index(kh),
                                   index(kw), index(0)},
            ArrayRef<OpFoldResult>{index(x[0]), index(oh), index(ow), index(1),
                                   index(1), index(x[3])},
            ArrayRef<OpFoldResult>{index(1), index(1), index(1), index(1),
                                   index(1), index(1)});
        SmallVector<OpFoldResult> offsets{index(0), index(kh), index(kw),
                                          index(0)};
        Value target = tensor::ExtractSliceOp::create(
            rewriter, loc, window, image, offsets, windowSizes, windowStrides);
        auto add = linalg::GenericOp::create(
            rewriter, loc, TypeRange{window}, ValueRange{patchSlice},
            ValueRange{target},
            ArrayRef<AffineMap>{idMap(ctx, 4), idMap(ctx, 4)},
            SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
            [](OpBuilder &b, Location l, ValueRange a) {
              linalg::YieldOp::create(
                  b, l, Value(arith::AddFOp::create(b, l, a[1], a[0])));
            });
        image = tensor::InsertSliceOp::create(rewriter, loc, add.getResult(0),
                                              image, offsets, windowSizes,
                                              windowStrides);
      }
    if (p[0] || p[1])
      image = tensor::ExtractSliceOp::create(
          rewriter, loc, op.getType(), image,
          ArrayRef<OpFoldResult>{index(0), index(p[0]), index(p[1]), index(0)},
          ArrayRef<OpFoldResult>{index(x[0]), index(x[1]), index(x[2]),
                                 index(x[3])},
          ArrayRef<OpFoldResult>{index(1), index(1), index(1), index(1)});
    rewriter.replaceOp(op, image);
    return success();
  }
};

/// [N, H, W, C] as [N, H / size, size, W / size, size, C].
static Value windowed(OpBuilder &b, Location loc, Value image, int64_t size) {
  ArrayRef<int64_t> x = cast<RankedTensorType>(image.getType()).getShape();
  return tensor::ExpandShapeOp::create(
      b, loc,
      f32Tensor({x[0], x[1] / size, size, x[2] / size, size, x[3]},
                b.getContext()),
      image, SmallVector<ReassociationIndices>{{0}, {1, 2}, {3, 4}, {5}});
}

/// Loops (n, oh, i, ow, j, c) -> (n, oh, ow, c): the pooled value of the
/// window that (i, j) is in.
static AffineMap windowOf(MLIRContext *ctx) {
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  return AffineMap::get(6, 0, {d(0), d(1), d(3), d(5)}, ctx);
}

struct Pool2DLowering : OpConversionPattern<Pool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Pool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    int64_t size = op.getSize(), s = op.getStride();
    bool isMax = op.getKind() == PoolKind::Max;
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    Value acc = filled(rewriter, loc, op.getType(),
                       isMax ? -std::numeric_limits<double>::infinity() : 0.0);
    // An average sums its elements already scaled, instead of scaling the
    // sums in a pass of their own (exact for the 2x2 windows' 1/4).
    double inv =
        op.getKind() == PoolKind::Avg ? 1.0 / double(size * size) : 1.0;
    auto combine = [isMax, inv](OpBuilder &b, Location l, ValueRange a) {
      Value x = a[0];
      if (inv != 1.0)
        x = arith::MulFOp::create(b, l, x, f32Const(b, l, inv));
      Value r = isMax ? Value(arith::MaximumFOp::create(b, l, a.back(), x))
                      : Value(arith::AddFOp::create(b, l, a.back(), x));
      linalg::YieldOp::create(b, l, r);
    };
    Value pooled;
    if (kernelOf(op) == KernelKind::Windows) {
      // Every operand indexed by a projected permutation, the channels
      // innermost: a reduction nn-vectorize-elementwise vectorizes.
      using utils::IteratorType;
      pooled =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{op.getType()},
              ValueRange{windowed(rewriter, loc, adaptor.getInput(), size)},
              ValueRange{acc},
              ArrayRef<AffineMap>{idMap(ctx, 6), windowOf(ctx)},
              ArrayRef<IteratorType>{
                  IteratorType::parallel, IteratorType::parallel,
                  IteratorType::reduction, IteratorType::parallel,
                  IteratorType::reduction, IteratorType::parallel},
              combine)
              .getResult(0);
    } else {
      // Loops (n, oh, ow, c, i, j); the window (i, j) is reduced.
      AffineMap read = AffineMap::get(
          6, 0, {d(0), d(1) * s + d(4), d(2) * s + d(5), d(3)}, ctx);
      AffineMap write = AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx);
      // The window's extent is only known through an operand indexed by
      // (i, j), as in linalg's named pooling ops; its values are unused.
      AffineMap windowMap = AffineMap::get(6, 0, {d(4), d(5)}, ctx);
      Value window = tensor::EmptyOp::create(
          rewriter, loc, ArrayRef<int64_t>{size, size}, rewriter.getF32Type());
      SmallVector<utils::IteratorType> iters(4, utils::IteratorType::parallel);
      iters.append(2, utils::IteratorType::reduction);
      pooled = linalg::GenericOp::create(
                   rewriter, loc, TypeRange{op.getType()},
                   ValueRange{adaptor.getInput(), window}, ValueRange{acc},
                   ArrayRef<AffineMap>{read, windowMap, write}, iters, combine)
                   .getResult(0);
    }
    rewriter.replaceOp(op, pooled);
    return success();
  }
};

/// Windows tile the image (verified), so pixel (h, w) belongs to window
/// (h / size, w / size) alone.
struct Pool2DGradLowering : OpConversionPattern<Pool2DGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Pool2DGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    Location loc = op.getLoc();
    int64_t size = op.getSize();
    // Computed on the image as [N, OH, size, OW, size, C] (the windows tile
    // it): every operand is then indexed by a projected permutation and
    // nn-vectorize-elementwise vectorizes the op; with (h / size, w / size)
    // it stayed scalar loops.
    RankedTensorType type = op.getType();
    Value x = windowed(rewriter, loc, adaptor.getInput(), size);
    auto wide = cast<RankedTensorType>(x.getType());
    SmallVector<Indexed> ins{{x, idMap(ctx, 6)},
                             {adaptor.getOutput(), windowOf(ctx)},
                             {adaptor.getGrad(), windowOf(ctx)}};
    Value dx;
    if (op.getKind() == PoolKind::Max) {
      dx = mapElements(rewriter, loc, wide, ins,
                       [](OpBuilder &b, Location l, ValueRange a) -> Value {
                         Value hit = arith::CmpFOp::create(
                             b, l, arith::CmpFPredicate::OEQ, a[0], a[1]);
                         return arith::SelectOp::create(b, l, hit, a[2],
                                                        f32Const(b, l, 0.0));
                       });
    } else {
      // A sum's adjoint is the window's adjoint; an average's is 1/size² of it.
      double inv =
          op.getKind() == PoolKind::Sum ? 1.0 : 1.0 / double(size * size);
      dx = mapElements(rewriter, loc, wide, ins,
                       [inv](OpBuilder &b, Location l, ValueRange a) -> Value {
                         return arith::MulFOp::create(b, l, a[2],
                                                      f32Const(b, l, inv));
                       });
    }
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        op, type, dx,
        SmallVector<ReassociationIndices>{{0}, {1, 2}, {3, 4}, {5}});
    return success();
  }
};

struct ChannelScaleLowering : OpConversionPattern<ChannelScaleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ChannelScaleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    AffineMap channel = AffineMap::get(4, 0, {getAffineDimExpr(3, ctx)}, ctx);
    rewriter.replaceOp(
        op, mapElements(rewriter, op.getLoc(), op.getType(),
                        {{adaptor.getInput(), idMap(ctx, 4)},
                         {adaptor.getScale(), channel},
                         {adaptor.getBias(), channel}},
                        [](OpBuilder &b, Location l, ValueRange a) -> Value {
                          return arith::AddFOp::create(
                              b, l, arith::MulFOp::create(b, l, a[0], a[1]),
                              a[2]);
                        }));
    return success();
  }
};

/// Sums over (n, h, w), kept outermost so the channel loop is contiguous.
struct ChannelSumLowering : OpConversionPattern<ChannelSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ChannelSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    AffineMap channel = AffineMap::get(4, 0, {getAffineDimExpr(3, ctx)}, ctx);
    Value acc = filled(rewriter, op.getLoc(), op.getType(), 0.0);
    SmallVector<utils::IteratorType> iters(3, utils::IteratorType::reduction);
    iters.push_back(utils::IteratorType::parallel);
    auto sum = linalg::GenericOp::create(
        rewriter, op.getLoc(), TypeRange{op.getType()},
        ValueRange{adaptor.getInput()}, ValueRange{acc},
        ArrayRef<AffineMap>{idMap(ctx, 4), channel}, iters,
        [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(
              b, l, Value(arith::AddFOp::create(b, l, a[1], a[0])));
        });
    rewriter.replaceOp(op, sum.getResult(0));
    return success();
  }
};

} // namespace

void mlir::nn::populateConvToLinalgPatterns(RewritePatternSet &patterns) {
  patterns
      .add<Im2ColLowering, Col2ImLowering, Conv2DLowering,
           Conv2DFilterGradLowering, Conv2DInputGradLowering, Pool2DLowering,
           Pool2DGradLowering, ChannelScaleLowering, ChannelSumLowering>(
          patterns.getContext());
}
