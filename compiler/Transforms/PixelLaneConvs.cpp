//===- PixelLaneConvs.cpp - the nn-pixel-lane-convs pass -------------------===//
//
// A convolution into a few filters (LeNet-5's C1: 1 channel, 6 filters)
// fills 6 of 16 vector lanes when the filters are the lanes, as
// nn-schedule-convs puts them. Here 16 output pixels of a row are the
// lanes instead: for each input channel and kernel offset one contiguous
// load of 16 input pixels (the input being one channel, or channel-planar)
// and one FMA per filter with the broadcast weight, F accumulators of 16
// pixels for each of two output rows. The accumulators are interleaved
// into NHWC once per tile (or, when only an activation and a 2x2 pooling
// read the output, both are applied to them and the pooled tile stored).
// nn-schedule-convs marks the one-channel forward
// convolutions (nn.pixel_lanes) and leaves them; this pass lowers them on
// buffers, and what the lowerings of nn.conv2d_filter_grad (one channel)
// and nn.conv2d_input_grad (few channels) mark likewise. Its row kernel
// lowers the stride-1 convolutions into a multiple of 16 filters that
// nn-schedule-convs marks nn.filter_rows, with the filters in the lanes.
//
//===----------------------------------------------------------------------===//

#include "compiler/Transforms/Passes.h"
#include "compiler/Transforms/VectorEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <numeric>

namespace mlir::nn {
#define GEN_PASS_DEF_NNPIXELLANECONVSPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

using nnc::kLanes;
/// Output rows per step at most (4, measured with LeNet-5's C1 and C3
/// input gradient, was no faster than 2).
static constexpr int64_t kMaxRows = 2;

/// A convolution the pass's kernels can take at all: static f32 shapes,
/// stride and dilation 1.
static bool isPlainStrideOne(linalg::Conv2DNhwcHwcfOp conv) {
  auto in = dyn_cast<ShapedType>(conv.getInputs()[0].getType());
  auto filter = dyn_cast<ShapedType>(conv.getInputs()[1].getType());
  auto out = dyn_cast<ShapedType>(conv.getOutputs()[0].getType());
  auto ones = [](DenseIntElementsAttr a) {
    return llvm::all_of(a.getValues<int64_t>(), [](int64_t v) { return v == 1; });
  };
  return in && filter && out && in.hasStaticShape() && filter.hasStaticShape() &&
         out.hasStaticShape() && in.getElementType().isF32() && ones(conv.getStrides()) &&
         ones(conv.getDilations());
}

bool nnc::prefersPixelLanes(linalg::Conv2DNhwcHwcfOp conv) {
  if (!isPlainStrideOne(conv))
    return false;
  ArrayRef<int64_t> in = cast<ShapedType>(conv.getInputs()[0].getType()).getShape();
  ArrayRef<int64_t> out = cast<ShapedType>(conv.getOutputs()[0].getType()).getShape();
  return in[3] == 1 && out[3] < kLanes && out[2] >= kLanes;
}

bool nnc::prefersFilterRows(linalg::Conv2DNhwcHwcfOp conv) {
  return isPlainStrideOne(conv) &&
         cast<ShapedType>(conv.getOutputs()[0].getType()).getShape()[3] % kLanes == 0;
}

namespace {

/// VectorEmitter, and the split of NHWC pixels into one vector per
/// channel and back.
struct Emitter : nnc::VectorEmitter {
  /// Registers of 16 floats the target has, which the kernels block by (32
  /// with AVX-512; AVX2's 16 of 8 floats hold 8).
  int64_t registers = 32;

  /// vector<16·F> of 16 pixels in NHWC order (pixel-major) -> F vectors of
  /// 16 pixels.
  SmallVector<Value> split(Value pixels, int64_t f) {
    SmallVector<Value> channels;
    for (int64_t c = 0; c < f; ++c) {
      SmallVector<int64_t> mask;
      for (int64_t p = 0; p < kLanes; ++p)
        mask.push_back(p * f + c);
      channels.push_back(vector::ShuffleOp::create(b, loc, pixels, pixels, mask));
    }
    return channels;
  }

  /// The inverse of split.
  Value interleave(ArrayRef<Value> channels) {
    int64_t f = channels.size();
    Value all = concat(channels);
    SmallVector<int64_t> mask;
    for (int64_t p = 0; p < kLanes; ++p)
      for (int64_t c = 0; c < f; ++c)
        mask.push_back(c * kLanes + p);
    return vector::ShuffleOp::create(b, loc, all, all, mask);
  }

  /// Vectors of one type, one after the other in one vector (padded with
  /// zeros to a power of two of them): a tree of shuffles of two vectors
  /// of one type. MLIR lowers a shuffle of two types element by element
  /// (for LeNet-5's six channels, a 96-lane chain of 1,100 LLVM
  /// instructions per use), one type to a single shufflevector.
  Value concat(ArrayRef<Value> vectors) {
    SmallVector<Value> level(vectors);
    while (level.size() > 1) {
      if (level.size() % 2)
        level.push_back(arith::ConstantOp::create(
            b, loc, b.getZeroAttr(level.front().getType())));
      int64_t width = cast<VectorType>(level.front().getType()).getNumElements();
      SmallVector<int64_t> concat(2 * width);
      std::iota(concat.begin(), concat.end(), 0);
      SmallVector<Value> next;
      for (size_t i = 0; i < level.size(); i += 2)
        next.push_back(vector::ShuffleOp::create(b, loc, level[i], level[i + 1], concat));
      level = std::move(next);
    }
    return level.front();
  }
};

/// Output rows per step of the pixel-lane kernel: as many as `registers`
/// 16-float registers hold (rows x F accumulators, F weights and one input
/// vector), at most kMaxRows.
static int64_t rowsPerStep(int64_t f, int64_t registers) {
  return std::clamp<int64_t>((registers - 1 - f) / f, 1, kMaxRows);
}

/// A convolution with 16 output pixels of a row in the lanes: F
/// accumulators per output row, for each input channel and kernel offset
/// one contiguous load of 16 input pixels per output row and one FMA per
/// filter with the broadcast weight.
struct Kernel : Emitter {
  /// [N, CI, H, W], channel-planar; with one channel, [N, H, W] (NHWC with
  /// the unit channel dropped is the same memory).
  Value in;
  Value filter; // [KH, KW, CI, F]
  Value out;    // [N, OH, OW * F]
  int64_t kh, kw, ci, f;
  /// The output's initial value per filter (a fill or a bias the
  /// convolution accumulates onto), broadcast into the accumulators; empty:
  /// the tile loads the output.
  SmallVector<Value> initial;
  /// The input rows that can be nonzero, [first, first + count), when the
  /// input is a gradient inside a zero border: kernel rows that would read
  /// only zero rows for every output row of a tile are skipped. Empty: all.
  SmallVector<int64_t> inputRows;

  /// What follows the convolution when only a 2x2 pooling (after an
  /// elementwise activation, or none) reads its output: both are applied
  /// to a tile's accumulators, two output rows being one pooled row, and
  /// only the pooled tile is interleaved into NHWC and stored (LeNet-5's
  /// C1 at inference: its 28x28x6 output is never written).
  struct Pooling {
    linalg::GenericOp activation; // null: none
    linalg::GenericOp window;     // the pooling's window reduction
    Value out;                    // the pooled output, [N, OH / 2, OW / 2 * F]
    Value init;                   // the value it accumulates onto (its fill)
    IRMapping activationOutside, windowOutside; // their bodies' broadcast scalars
  };
  std::optional<Pooling> pooling;

  SmallVector<Value> inputAt(Value n, Value c, Value row, Value col) {
    if (cast<MemRefType>(in.getType()).getRank() == 3)
      return {n, row, col};
    return {n, c, row, col};
  }

  /// One tile: output pixels [ow, ow + 16) of rows oh .. oh + rows - 1 of
  /// image n; with `valid` (the remainder), only that many pixels are read
  /// and written. Per input channel and kernel row a loop; per kernel
  /// column the F weights broadcast, then for each output row one load of
  /// 16 input pixels and F FMAs: rows x F accumulators (12 for two rows of
  /// LeNet-5's C1, enough FMAs in flight for both units) + F weights + 1
  /// registers, and a loop body small enough for the decoded-instruction
  /// cache (fully unrolled, the kernel ran from the decoders at a third of
  /// the speed).
  void tile(Value n, Value oh, Value ow, int64_t rows, std::optional<int64_t> valid) {
    Type f32 = b.getF32Type();
    auto wide = VectorType::get({kLanes * f}, f32);
    auto lane = VectorType::get({kLanes}, f32);
    std::optional<int64_t> validFloats;
    if (valid)
      validFloats = *valid * f;
    Value outAt = arith::MulIOp::create(b, loc, ow, index(f));
    SmallVector<Value> outRows, acc;
    for (int64_t r = 0; r < rows; ++r) {
      outRows.push_back(arith::AddIOp::create(b, loc, oh, index(r)));
      if (!initial.empty()) {
        for (Value v : initial)
          acc.push_back(vector::BroadcastOp::create(b, loc, lane, v));
        continue;
      }
      SmallVector<Value> loaded =
          split(load(wide, out, {n, outRows.back(), outAt}, validFloats), f);
      acc.append(loaded.begin(), loaded.end());
    }
    // Kernel rows i with oh + r + i in inputRows for some row r of the tile.
    Value firstRow = index(0), endRow = index(kh);
    if (!inputRows.empty()) {
      firstRow = arith::MaxSIOp::create(
          b, loc, firstRow,
          arith::SubIOp::create(b, loc, index(inputRows[0] - rows + 1), oh));
      endRow = arith::MinSIOp::create(
          b, loc, endRow,
          arith::SubIOp::create(b, loc, index(inputRows[0] + inputRows[1]), oh));
    }
    acc = loop(ci, acc, [&](Value c, ValueRange carried) {
      return loop(firstRow, endRow, carried, [&](Value i, ValueRange carried) {
        SmallVector<Value> next(carried);
        Value top = arith::AddIOp::create(b, loc, oh, i);
        for (int64_t j = 0; j < kw; ++j) {
          SmallVector<Value> w;
          for (int64_t o = 0; o < f; ++o)
            w.push_back(vector::BroadcastOp::create(
                b, loc, lane,
                memref::LoadOp::create(b, loc, filter, ValueRange{i, index(j), c, index(o)})));
          Value col = arith::AddIOp::create(b, loc, ow, index(j));
          for (int64_t r = 0; r < rows; ++r) {
            Value row = arith::AddIOp::create(b, loc, top, index(r));
            Value pixels = load(lane, in, inputAt(n, c, row, col), valid);
            for (int64_t o = 0; o < f; ++o)
              next[r * f + o] = vector::FMAOp::create(b, loc, w[o], pixels, next[r * f + o]);
          }
        }
        return next;
      });
    });
    if (pooling) {
      storePooled(n, oh, ow, acc, valid);
      return;
    }
    for (int64_t r = 0; r < rows; ++r)
      store(interleave(ArrayRef<Value>(acc).slice(r * f, f)), out, {n, outRows[r], outAt},
            validFloats);
  }

  /// The pooling epilogue of a tile of two output rows (acc: F vectors of
  /// 16 pixels per row): the activation on every accumulator; per pair of
  /// filters, per window offset (kh, kw) one shuffle picking the kw-th
  /// pixel of each window from row kh, 8 pooled pixels of each filter,
  /// into which the window's body accumulates; then the pooled pixels
  /// interleaved into NHWC and stored (`valid / 2` of them).
  void storePooled(Value n, Value oh, Value ow, ArrayRef<Value> acc,
                   std::optional<int64_t> valid) {
    int64_t half = kLanes / 2;
    auto lane = VectorType::get({kLanes}, b.getF32Type());
    SmallVector<Value> act(acc);
    if (pooling->activation)
      for (Value &v : act)
        v = applyBody(pooling->activation.getBlock(), {v, v}, kLanes,
                      pooling->activationOutside);
    SmallVector<Value> pairs;
    for (int64_t o = 0; o < f; o += 2) {
      int64_t other = std::min(o + 1, f - 1); // an odd count: the last alone
      Value sum = vector::BroadcastOp::create(b, loc, lane, pooling->init);
      for (int64_t y = 0; y < 2; ++y)
        for (int64_t x = 0; x < 2; ++x) {
          SmallVector<int64_t> picks;
          for (int64_t g = 0; g < 2; ++g)
            for (int64_t p = 0; p < half; ++p)
              picks.push_back(g * kLanes + 2 * p + x);
          Value window =
              vector::ShuffleOp::create(b, loc, act[y * f + o], act[y * f + other], picks);
          sum = applyBody(pooling->window.getBlock(), {window, sum}, kLanes,
                          pooling->windowOutside);
        }
      pairs.push_back(sum);
    }
    // Pooled pixel p of filter o is lane (o / 2) * 16 + (o % 2) * 8 + p.
    Value all = concat(pairs);
    SmallVector<int64_t> mask;
    for (int64_t p = 0; p < half; ++p)
      for (int64_t o = 0; o < f; ++o)
        mask.push_back(o / 2 * kLanes + o % 2 * half + p);
    Value two = index(2);
    store(vector::ShuffleOp::create(b, loc, all, all, mask), pooling->out,
          {n, arith::DivUIOp::create(b, loc, oh, two),
           arith::MulIOp::create(b, loc, arith::DivUIOp::create(b, loc, ow, two), index(f))},
          valid ? std::optional<int64_t>(*valid / 2 * f) : std::nullopt);
  }

  /// Every row pair (or row, for an odd count) and tile of every image.
  /// Every group of `rows` output rows (the last group what remains) and
  /// tile of every image.
  void emit(ArrayRef<int64_t> shape) {
    int64_t full = shape[2] / kLanes, rest = shape[2] % kLanes;
    int64_t rows = rowsPerStep(f, registers);
    if (pooling) {
      pooling->activationOutside =
          pooling->activation ? broadcastOutside(pooling->activation.getBlock(), kLanes)
                              : IRMapping();
      pooling->windowOutside = broadcastOutside(pooling->window.getBlock(), kLanes);
    }
    int64_t groups = shape[1] / rows, last = shape[1] % rows;
    auto rowTiles = [&](Value n, Value oh, int64_t count) {
      loop(full, {}, [&](Value t, ValueRange) {
        tile(n, oh, arith::MulIOp::create(b, loc, t, index(kLanes)), count, std::nullopt);
        return SmallVector<Value>{};
      });
      if (rest)
        tile(n, oh, index(full * kLanes), count, rest);
    };
    loop(shape[0], {}, [&](Value n, ValueRange) {
      loop(groups, {}, [&](Value g, ValueRange) {
        rowTiles(n, arith::MulIOp::create(b, loc, g, index(rows)), rows);
        return SmallVector<Value>{};
      });
      if (last)
        rowTiles(n, index(groups * rows), last);
      return SmallVector<Value>{};
    });
  }
};

/// A convolution into 16·Q filters with the filters in the lanes, stride 1:
/// per block of P output pixels of a row, P x Q accumulators; per kernel
/// row a loop, and in it, per kernel column and input channel (a loop
/// above 8 channels), the Q weight vectors loaded once and, for each pixel,
/// its input value broadcast (a load folded into the FMA) and Q FMAs. The
/// weights live one channel at a time, so nothing spills (the transform
/// schedule's decomposition kept a kernel row's 30 weight vectors of
/// LeNet-5's C3 alive across its 10 pixels and spilled them).
struct FilterLaneKernel : Emitter {
  Value in;     // [N, H, W, C]
  Value filter; // [KH, KW, C, F], or the weight's rows [KH·KW·C, F]
  Value out;    // [N, OH, OW, F]
  int64_t kh, kw, c, q;
  /// The accumulators' start: a fill value or a bias of F, else the output.
  Value fill, bias;

  /// Filter j's weights at kernel offset (i, jw) and channel ch.
  SmallVector<Value> weightAt(Value i, int64_t jw, Value ch, int64_t j) {
    if (cast<MemRefType>(filter.getType()).getRank() == 4)
      return {i, index(jw), ch, index(j * kLanes)};
    Value row = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, arith::AddIOp::create(
                                          b, loc, arith::MulIOp::create(b, loc, i, index(kw)),
                                          index(jw)),
                              index(c)),
        ch);
    return {row, index(j * kLanes)};
  }

  /// Output pixels [ow, ow + pixels) of row oh of image n.
  void block(Value n, Value oh, Value ow, int64_t pixels) {
    auto lane = VectorType::get({kLanes}, b.getF32Type());
    auto filterAt = [&](int64_t j) { return index(j * kLanes); };
    SmallVector<Value> acc;
    for (int64_t p = 0; p < pixels; ++p) {
      Value col = arith::AddIOp::create(b, loc, ow, index(p));
      for (int64_t j = 0; j < q; ++j)
        acc.push_back(fill   ? Value(vector::BroadcastOp::create(b, loc, lane, fill))
                      : bias ? load(lane, bias, {filterAt(j)}, std::nullopt)
                             : load(lane, out, {n, oh, col, filterAt(j)}, std::nullopt));
    }
    acc = loop(kh, acc, [&](Value i, ValueRange carried) {
      Value row = arith::AddIOp::create(b, loc, oh, i);
      auto channel = [&](Value ch, ValueRange carried) {
        SmallVector<Value> next(carried);
        for (int64_t jw = 0; jw < kw; ++jw) {
          SmallVector<Value> w;
          for (int64_t j = 0; j < q; ++j)
            w.push_back(load(lane, filter, weightAt(i, jw, ch, j), std::nullopt));
          for (int64_t p = 0; p < pixels; ++p) {
            Value col = arith::AddIOp::create(b, loc, ow, index(p + jw));
            Value x = vector::BroadcastOp::create(
                b, loc, lane, memref::LoadOp::create(b, loc, in, ValueRange{n, row, col, ch}));
            for (int64_t j = 0; j < q; ++j)
              next[p * q + j] = vector::FMAOp::create(b, loc, x, w[j], next[p * q + j]);
          }
        }
        return next;
      };
      if (c > kUnrolledChannels)
        return loop(c, carried, channel);
      SmallVector<Value> next(carried);
      for (int64_t ch = 0; ch < c; ++ch)
        next = channel(index(ch), next);
      return next;
    });
    for (int64_t p = 0; p < pixels; ++p) {
      Value col = arith::AddIOp::create(b, loc, ow, index(p));
      for (int64_t j = 0; j < q; ++j)
        store(acc[p * q + j], out, {n, oh, col, filterAt(j)}, std::nullopt);
    }
  }

  /// Every block of every row of every image: blocks of as many pixels as
  /// the registers less 4 hold as accumulators (28 of AVX-512's 32; at most
  /// kMaxPixels), the row's remaining pixels one more block.
  void emit(ArrayRef<int64_t> shape) {
    int64_t pixels = std::clamp<int64_t>((registers - 4) / q, 1, kMaxPixels);
    pixels = std::min(pixels, shape[2]);
    int64_t full = shape[2] / pixels, rest = shape[2] % pixels;
    loop(shape[0], {}, [&](Value n, ValueRange) {
      loop(shape[1], {}, [&](Value oh, ValueRange) {
        loop(full, {}, [&](Value t, ValueRange) {
          block(n, oh, arith::MulIOp::create(b, loc, t, index(pixels)), pixels);
          return SmallVector<Value>{};
        });
        if (rest)
          block(n, oh, index(full * pixels), rest);
        return SmallVector<Value>{};
      });
      return SmallVector<Value>{};
    });
  }

  /// Channels up to which the channel loop is unrolled.
  static constexpr int64_t kUnrolledChannels = 8;
  /// Pixels per block at most.
  static constexpr int64_t kMaxPixels = 14;
};

/// The weight gradient of a one-channel convolution,
/// dW[kh, kw, f] = sum over (n, oh, ow) of x[n, oh + kh, ow + kw] · dy[n, oh, ow, f],
/// with 16 output pixels (ow) in the lanes, one image at a time: its
/// gradient is turned pixels-innermost (shuffles into a temporary of one
/// image, 21 KB for LeNet-5's C1, which stays in L1); then per kernel row
/// and group of kernel columns one pass over the image's tiles: F loads of
/// the tile's 16 gradient pixels and, for each kernel column of the group,
/// one load of 16 input pixels and F FMAs into per-lane partial sums. A
/// group keeps its accumulators (columns x F) and the F gradient vectors in
/// registers; between images the partial sums wait in a KH x KW x F x 16
/// buffer, and are reduced across the lanes at the end. (Passes over the
/// whole batch read the transposed gradient, 1.4 MB, from L2 ten times:
/// three times slower.)
struct FilterGradKernel : Emitter {
  Value in;   // [N, H, W]
  Value grad; // [N, OH, OW * F]
  Value out;  // [KH, KW, F]
  int64_t n, oh, ow, kh, kw, f;
  /// One image's gradient with the pixels innermost, [OH, F, tiles x 16],
  /// the last tile's missing pixels zero.
  Value gradT;
  /// The partial sums, [KH, KW, F, 16].
  Value partial;

  /// Every tile of every row of one image, the remainder tile masked.
  SmallVector<Value> tiles(ValueRange values,
                           function_ref<SmallVector<Value>(Value, Value, ValueRange,
                                                           std::optional<int64_t>)>
                               body) {
    int64_t full = ow / kLanes, rest = ow % kLanes;
    return loop(oh, values, [&](Value row, ValueRange a) {
      SmallVector<Value> r = loop(full, a, [&](Value t, ValueRange a) {
        Value col = arith::MulIOp::create(b, loc, t, index(kLanes));
        return body(row, col, a, std::nullopt);
      });
      if (rest)
        r = body(row, index(full * kLanes), r, rest);
      return r;
    });
  }

  /// Adds one tile's products to `acc` (columns x F partial sums).
  SmallVector<Value> tile(Value image, Value row, Value col, Value krow, int64_t firstColumn,
                          int64_t columns, ValueRange acc, std::optional<int64_t> valid) {
    auto lane = VectorType::get({kLanes}, b.getF32Type());
    SmallVector<Value> dy;
    for (int64_t c = 0; c < f; ++c)
      dy.push_back(load(lane, gradT, {row, index(c), col}, std::nullopt));
    SmallVector<Value> next(acc);
    Value inRow = arith::AddIOp::create(b, loc, row, krow);
    for (int64_t j = 0; j < columns; ++j) {
      Value inCol = arith::AddIOp::create(b, loc, col, index(firstColumn + j));
      Value x = load(lane, in, {image, inRow, inCol}, valid);
      for (int64_t c = 0; c < f; ++c)
        next[j * f + c] = vector::FMAOp::create(b, loc, x, dy[c], next[j * f + c]);
    }
    return next;
  }

  /// The partial sums of kernel row `krow`, columns [first, first + columns).
  SmallVector<Value> partials(Value krow, int64_t first, int64_t columns) {
    auto lane = VectorType::get({kLanes}, b.getF32Type());
    SmallVector<Value> sums;
    for (int64_t j = 0; j < columns; ++j)
      for (int64_t c = 0; c < f; ++c)
        sums.push_back(load(lane, partial, {krow, index(first + j), index(c), index(0)},
                            std::nullopt));
    return sums;
  }

  void emit() {
    auto lane = VectorType::get({kLanes}, b.getF32Type());
    auto wide = VectorType::get({kLanes * f}, b.getF32Type());
    // Registers: columns x F accumulators, F gradient vectors, one input
    // (and one to spare).
    int64_t group = std::max<int64_t>(1, std::min<int64_t>(kw, (registers - 2 - f) / f));
    int64_t padded = llvm::divideCeil(ow, kLanes) * kLanes;
    gradT = memref::AllocOp::create(b, loc, MemRefType::get({oh, f, padded}, b.getF32Type()));
    partial = memref::AllocOp::create(
        b, loc, MemRefType::get({kh, kw, f, kLanes}, b.getF32Type()));
    loop(kh, {}, [&](Value krow, ValueRange) {
      for (int64_t j = 0; j < kw; ++j)
        for (int64_t c = 0; c < f; ++c)
          store(zeros(lane), partial, {krow, index(j), index(c), index(0)}, std::nullopt);
      return SmallVector<Value>{};
    });
    loop(n, {}, [&](Value image, ValueRange) {
      tiles({}, [&](Value row, Value col, ValueRange, std::optional<int64_t> valid) {
        std::optional<int64_t> validFloats;
        if (valid)
          validFloats = *valid * f;
        Value g = load(wide, grad, {image, row, arith::MulIOp::create(b, loc, col, index(f))},
                       validFloats);
        for (auto [c, pixels] : llvm::enumerate(split(g, f)))
          store(pixels, gradT, {row, index(c), col}, std::nullopt);
        return SmallVector<Value>{};
      });
      loop(kh, {}, [&](Value krow, ValueRange) {
        for (int64_t first = 0; first < kw; first += group) {
          int64_t columns = std::min(group, kw - first);
          SmallVector<Value> sums =
              tiles(partials(krow, first, columns),
                    [&](Value row, Value col, ValueRange a, std::optional<int64_t> valid) {
                      return tile(image, row, col, krow, first, columns, a, valid);
                    });
          for (int64_t j = 0; j < columns; ++j)
            for (int64_t c = 0; c < f; ++c)
              store(sums[j * f + c], partial, {krow, index(first + j), index(c), index(0)},
                    std::nullopt);
        }
        return SmallVector<Value>{};
      });
      return SmallVector<Value>{};
    });
    loop(kh, {}, [&](Value krow, ValueRange) {
      SmallVector<Value> sums = partials(krow, 0, kw);
      for (int64_t j = 0; j < kw; ++j)
        for (int64_t c = 0; c < f; ++c) {
          SmallVector<Value> at{krow, index(j), index(c)};
          Value total =
              vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD, sums[j * f + c]);
          Value before = memref::LoadOp::create(b, loc, out, at);
          memref::StoreOp::create(b, loc, arith::AddFOp::create(b, loc, before, total), out,
                                  at);
        }
      return SmallVector<Value>{};
    });
    memref::DeallocOp::create(b, loc, partial);
    memref::DeallocOp::create(b, loc, gradT);
  }
};

struct NNPixelLaneConvsPass
    : nn::impl::NNPixelLaneConvsPassBase<NNPixelLaneConvsPass> {
  using Base::Base;

  /// The target's vector registers as registers of 16 floats, the
  /// kernels' vector width (LLVM splits a 16-float vector into two of
  /// AVX2's 8-float registers, which then hold half as many).
  int64_t wideRegisters() const {
    return registers * std::min<int64_t>(lanes, kLanes) / kLanes;
  }

  void runOnOperation() override {
    if (lanes < 1 || registers < 4) {
      emitError(getOperation().getLoc(),
                "nn-pixel-lane-convs: lanes must be positive and registers at least 4");
      return signalPassFailure();
    }
    SmallVector<linalg::Conv2DNhwcHwcfOp> convs;
    SmallVector<linalg::GenericOp> generics;
    SmallVector<linalg::Conv2DNhwcHwcfOp> filterRows;
    getOperation().walk([&](linalg::Conv2DNhwcHwcfOp conv) {
      if (conv->hasAttr("nn.filter_rows"))
        filterRows.push_back(conv);
    });
    for (linalg::Conv2DNhwcHwcfOp op : filterRows)
      if (failed(lowerFilterRows(op)))
        return signalPassFailure();
    getOperation().walk([&](Operation *op) {
      if (!op->hasAttr("nn.pixel_lanes"))
        return;
      if (auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op))
        convs.push_back(conv);
      else if (auto generic = dyn_cast<linalg::GenericOp>(op))
        generics.push_back(generic);
    });
    for (linalg::Conv2DNhwcHwcfOp op : convs)
      if (failed(lower(op)))
        return signalPassFailure();
    // The input gradient's generic has 7 loops, the weight gradient's 6.
    for (linalg::GenericOp op : generics)
      if (failed(op.getNumLoops() == 7 ? lowerPlanar(op) : lowerFilterGrad(op)))
        return signalPassFailure();
  }

  /// What `out` holds before `op` accumulates onto it, when the op writing
  /// it comes right before (a fill, or the bias broadcast over the pixels
  /// that a convolution's lowering starts from) and nothing else touches
  /// `out` in between: that op is erased and the kernel starts its
  /// accumulators from the fill value or the bias instead of reading the
  /// output back. Neither otherwise.
  struct Initial {
    Value fill; // a scalar
    Value bias; // [F]
  };
  static Initial takeInitial(Operation *op, Value out) {
    Operation *init = nnc::initialWriter(op, out);
    if (!init)
      return {};
    // `init` is the last user before `op`; it must write all of `out`.
    Initial initial;
    if (auto fill = dyn_cast<linalg::FillOp>(init)) {
      if (fill.getOutputs()[0] != out)
        return {};
      initial.fill = fill.getInputs()[0];
    } else if (auto bias = dyn_cast<linalg::GenericOp>(init)) {
      auto type = cast<MemRefType>(out.getType());
      if (bias.getNumDpsInputs() != 1 || bias.getNumDpsInits() != 1 ||
          bias.getDpsInits()[0] != out || bias.getNumReductionLoops() != 0)
        return {};
      Value source = bias.getDpsInputs()[0];
      AffineMap last = AffineMap::get(type.getRank(), 0,
                                      getAffineDimExpr(type.getRank() - 1, op->getContext()));
      auto yield = cast<linalg::YieldOp>(bias.getBody()->getTerminator());
      if (cast<ShapedType>(source.getType()).getRank() != 1 ||
          bias.getIndexingMapsArray()[0] != last ||
          !bias.getIndexingMapsArray()[1].isIdentity() ||
          yield.getValues()[0] != bias.getBody()->getArgument(0))
        return {};
      initial.bias = source;
    } else {
      return {};
    }
    init->erase();
    return initial;
  }

  /// The initial value of each of `f` filters as a scalar (empty: none).
  static SmallVector<Value> perFilter(OpBuilder &b, Location loc, Initial initial, int64_t f) {
    SmallVector<Value> values;
    for (int64_t c = 0; c < f && (initial.fill || initial.bias); ++c)
      values.push_back(initial.fill ? initial.fill
                                    : Value(memref::LoadOp::create(
                                          b, loc, initial.bias,
                                          ValueRange{arith::ConstantIndexOp::create(b, loc, c)})));
    return values;
  }

  /// The layer's (KH·KW·C) x F weight when `filter` is only its copy into
  /// KH x KW x C x F (what nn.conv2d lowers to: the transform schedule
  /// needs the 4-D filter, the row kernel reads the rows as they are); the
  /// copy is erased. `filter` otherwise. (At batch 1, LeNet-5's C3 copied
  /// its 2,400 weights element by element on every call.)
  static Value weightRows(linalg::Conv2DNhwcHwcfOp conv, Value filter) {
    linalg::GenericOp copy;
    for (Operation *user : filter.getUsers()) {
      if (user == conv || isa<memref::DeallocOp>(user))
        continue;
      auto generic = dyn_cast<linalg::GenericOp>(user);
      if (copy || !generic || generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
          generic.getDpsInits()[0] != filter || !generic->isBeforeInBlock(conv))
        return filter;
      copy = generic;
    }
    if (!copy)
      return filter;
    Value rows = copy.getDpsInputs()[0];
    auto rowsType = cast<MemRefType>(rows.getType());
    ArrayRef<int64_t> f = cast<MemRefType>(filter.getType()).getShape();
    MLIRContext *ctx = conv.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    AffineMap rowOf = AffineMap::get(4, 0, {(d(0) * f[1] + d(1)) * f[2] + d(2), d(3)}, ctx);
    auto yield = cast<linalg::YieldOp>(copy.getBody()->getTerminator());
    if (rowsType.getRank() != 2 || !rowsType.isLastDimUnitStride() ||
        copy.getIndexingMapsArray()[0] != rowOf ||
        !copy.getIndexingMapsArray()[1].isIdentity() ||
        yield.getValues()[0] != copy.getBody()->getArgument(0))
      return filter;
    copy.erase();
    return rows;
  }

  /// A convolution marked nn.filter_rows by nn-schedule-convs.
  LogicalResult lowerFilterRows(linalg::Conv2DNhwcHwcfOp op) {
    if (!op.hasPureBufferSemantics() || !nnc::prefersFilterRows(op))
      return op.emitError("nn.filter_rows on a convolution this pass cannot lower");
    Value in = op.getInputs()[0], filter = op.getInputs()[1], out = op.getOutputs()[0];
    ArrayRef<int64_t> fs = cast<MemRefType>(filter.getType()).getShape();
    for (Value v : {in, filter, out})
      if (!cast<MemRefType>(v.getType()).isLastDimUnitStride())
        return op.emitError("nn.filter_rows needs filters contiguous in memory");
    Initial initial = takeInitial(op, out);
    OpBuilder b(op);
    FilterLaneKernel k{{{b, op.getLoc()}, wideRegisters()},
                       in,
                       weightRows(op, filter),
                       out,
                       fs[0],
                       fs[1],
                       fs[2],
                       fs[3] / kLanes,
                       initial.fill,
                       initial.bias};
    k.emit(cast<MemRefType>(out.getType()).getShape());
    op.erase();
    return success();
  }

  /// The input gradient nn.conv2d_input_grad lowers to: loops (n, h, w, c,
  /// f, kh, kw), planar[n, f, h + kh, w + kw] · rotated[kh, kw, f, c] summed
  /// into out[n, h, w, c].
  LogicalResult lowerPlanar(linalg::GenericOp op) {
    if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 || op.hasDynamicShape() ||
        op.getNumLoops() != 7)
      return op.emitError("nn.pixel_lanes on an op this pass cannot lower");
    Value in = op.getDpsInputs()[0], filter = op.getDpsInputs()[1];
    Value out = op.getDpsInits()[0];
    auto inType = cast<MemRefType>(in.getType());
    auto outType = cast<MemRefType>(out.getType());
    ArrayRef<int64_t> fs = cast<MemRefType>(filter.getType()).getShape();
    SmallVector<ReassociationIndices> lastTwo{{0}, {1}, {2, 3}};
    if (!inType.isLastDimUnitStride() ||
        !memref::CollapseShapeOp::isGuaranteedCollapsible(outType, lastTwo))
      return op.emitError("nn.pixel_lanes needs rows of pixels contiguous in memory");
    Initial initial = takeInitial(op, out);
    OpBuilder b(op);
    Location loc = op.getLoc();
    Kernel k{{{b, loc}, wideRegisters()},
             in,
             filter,
             memref::CollapseShapeOp::create(b, loc, out, lastTwo),
             fs[0],
             fs[1],
             fs[2],
             fs[3],
             perFilter(b, loc, initial, fs[3]),
             {},
             std::nullopt};
    if (auto rows = op->getAttrOfType<DenseI64ArrayAttr>("nn.input_rows"))
      k.inputRows.assign(rows.asArrayRef().begin(), rows.asArrayRef().end());
    k.emit(outType.getShape());
    op.erase();
    return success();
  }

  /// The weight gradient nn.conv2d_filter_grad lowers to for one input
  /// channel: loops (kh, kw, f, n, oh, ow), x[n, oh + kh, ow + kw] ·
  /// dy[n, oh, ow, f] summed into out[kh, kw, f].
  LogicalResult lowerFilterGrad(linalg::GenericOp op) {
    if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 || op.hasDynamicShape())
      return op.emitError("nn.pixel_lanes on an op this pass cannot lower");
    Value in = op.getDpsInputs()[0], grad = op.getDpsInputs()[1];
    Value out = op.getDpsInits()[0];
    auto gradType = cast<MemRefType>(grad.getType());
    ArrayRef<int64_t> o = cast<MemRefType>(out.getType()).getShape();
    ArrayRef<int64_t> g = gradType.getShape();
    SmallVector<ReassociationIndices> pixels{{0}, {1}, {2, 3}};
    if (cast<MemRefType>(in.getType()).getRank() != 3 || g.size() != 4 || o.size() != 3 ||
        !cast<MemRefType>(in.getType()).isLastDimUnitStride() ||
        !memref::CollapseShapeOp::isGuaranteedCollapsible(gradType, pixels))
      return op.emitError("nn.pixel_lanes needs rows of pixels contiguous in memory");
    OpBuilder b(op);
    Location loc = op.getLoc();
    FilterGradKernel k{{{b, loc}, wideRegisters()},
                       in,
                       memref::CollapseShapeOp::create(b, loc, grad, pixels),
                       out,
                       g[0],
                       g[1],
                       g[2],
                       o[0],
                       o[1],
                       o[2],
                       {},
                       {}};
    k.emit();
    op.erase();
    return success();
  }

  /// A generic computing `out` from itself elementwise, in place: all
  /// loops parallel, identity maps, a body of plain arithmetic on its
  /// input alone.
  static bool isInPlaceActivation(linalg::GenericOp g, Value out) {
    if (g.getNumDpsInputs() != 1 || g.getNumDpsInits() != 1 || g.getDpsInputs()[0] != out ||
        g.getDpsInits()[0] != out || g.getNumReductionLoops() != 0 ||
        !llvm::all_of(g.getIndexingMapsArray(), [](AffineMap m) { return m.isIdentity(); }))
      return false;
    Block *body = g.getBlock();
    return body->getArgument(1).use_empty() &&
           llvm::all_of(body->without_terminator(),
                        [](Operation &op) { return op.getNumRegions() == 0; });
  }

  /// A 2x2, stride-2 pooling window (nnc::isPoolingWindow) over `expand`,
  /// an image [N, OH, OW, F] expanded to [N, OH / 2, 2, OW / 2, 2, F], into
  /// a contiguous [N, OH / 2, OW / 2, F], its body plain arithmetic.
  static bool isPooling2x2(linalg::GenericOp g, memref::ExpandShapeOp expand) {
    ArrayRef<int64_t> in = expand.getResultType().getShape();
    auto outType = cast<MemRefType>(g.getDpsInits()[0].getType());
    return nnc::isPoolingWindow(g) && g.getDpsInputs()[0] == expand.getResult() &&
           in.size() == 6 && in[2] == 2 && in[4] == 2 &&
           expand.getReassociationIndices() ==
               SmallVector<ReassociationIndices>{{0}, {1, 2}, {3, 4}, {5}} &&
           outType.getLayout().isIdentity() &&
           llvm::all_of(g.getBlock()->without_terminator(),
                        [](Operation &op) { return op.getNumRegions() == 0; });
  }

  /// The pooling epilogue of the one-channel convolution `conv` into
  /// `out`, a buffer allocated here, when nothing but an in-place
  /// activation and one 2x2 pooling (through an expand_shape) reads `out`,
  /// nothing between the convolution and the pooling but the fill and
  /// allocations touches memory, the pooled output is allocated in this
  /// block and only filled (with a scalar) before, and the kernel takes two
  /// output rows per step over an even image. Erases the fill; the caller
  /// erases the activation, the expand_shape and the pooling after
  /// emitting the kernel where the pooling was.
  static std::optional<Kernel::Pooling> takePooling(linalg::Conv2DNhwcHwcfOp conv, Value out,
                                                    int64_t f, int64_t registers) {
    // (A buffer from outside, an argument, is the caller's to read.)
    ArrayRef<int64_t> shape = cast<MemRefType>(out.getType()).getShape();
    if (rowsPerStep(f, registers) != 2 || shape[1] % 2 || shape[2] % 2 ||
        !out.getDefiningOp<memref::AllocOp>())
      return std::nullopt;
    Kernel::Pooling pooling;
    memref::ExpandShapeOp expand;
    for (Operation *user : out.getUsers()) {
      // (The activation uses `out` twice, as input and output.)
      if (user == conv || user == pooling.activation || isa<memref::DeallocOp>(user))
        continue;
      auto generic = dyn_cast<linalg::GenericOp>(user);
      auto e = dyn_cast<memref::ExpandShapeOp>(user);
      if (generic && !pooling.activation && isInPlaceActivation(generic, out))
        pooling.activation = generic;
      else if (e && !expand && e->hasOneUse())
        expand = e;
      else
        return std::nullopt;
    }
    if (!expand)
      return std::nullopt;
    auto window = dyn_cast<linalg::GenericOp>(*expand->getUsers().begin());
    if (!window || !isPooling2x2(window, expand))
      return std::nullopt;
    // Program order: the convolution, the activation, the pooling.
    Block *block = conv->getBlock();
    for (Operation *op : {pooling.activation.getOperation(), expand.getOperation(),
                          window.getOperation()})
      if (op && (op->getBlock() != block || !conv->isBeforeInBlock(op)))
        return std::nullopt;
    if (pooling.activation && !pooling.activation->isBeforeInBlock(window))
      return std::nullopt;
    // The pooled output: allocated here, only filled before the pooling
    // (its readers, a kernel this pass made among them, come after).
    Value pooled = window.getDpsInits()[0];
    linalg::FillOp fill;
    for (Operation *user : pooled.getUsers()) {
      Operation *at = block->findAncestorOpInBlock(*user);
      if (!at)
        return std::nullopt;
      if (at == window || window->isBeforeInBlock(at))
        continue;
      auto f = dyn_cast<linalg::FillOp>(user);
      if (!f || fill || f.getOutputs()[0] != pooled)
        return std::nullopt;
      fill = f;
    }
    if (!fill || !pooled.getDefiningOp<memref::AllocOp>())
      return std::nullopt;
    // The kernel runs where the pooling was: nothing in between may touch
    // memory but the activation, the fill and allocations.
    for (Operation *op = conv->getNextNode(); op != window.getOperation(); op = op->getNextNode())
      if (op != pooling.activation && op != expand && op != fill &&
          !isa<memref::AllocOp>(op) && !isMemoryEffectFree(op))
        return std::nullopt;
    pooling.window = window;
    pooling.init = fill.getInputs()[0];
    fill.erase();
    OpBuilder b(window);
    pooling.out = memref::CollapseShapeOp::create(
        b, window.getLoc(), pooled, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    return pooling;
  }

  LogicalResult lower(linalg::Conv2DNhwcHwcfOp op) {
    if (!op.hasPureBufferSemantics() || !nnc::prefersPixelLanes(op))
      return op.emitError("nn.pixel_lanes on a convolution this pass cannot lower");
    Value in = op.getInputs()[0], filter = op.getInputs()[1], out = op.getOutputs()[0];
    auto inType = cast<MemRefType>(in.getType());
    auto outType = cast<MemRefType>(out.getType());
    ArrayRef<int64_t> fs = cast<MemRefType>(filter.getType()).getShape();
    SmallVector<ReassociationIndices> lastTwo{{0}, {1}, {2, 3}};
    if (!memref::CollapseShapeOp::isGuaranteedCollapsible(inType, lastTwo) ||
        !memref::CollapseShapeOp::isGuaranteedCollapsible(outType, lastTwo))
      return op.emitError("nn.pixel_lanes needs rows of pixels contiguous in memory");
    Initial initial = takeInitial(op, out);
    // The epilogue needs the accumulators' initial value (it never reads
    // the output); the kernel then goes where the pooling was.
    std::optional<Kernel::Pooling> pooling;
    if (initial.fill || initial.bias)
      pooling = takePooling(op, out, fs[3], wideRegisters());
    OpBuilder b(pooling ? pooling->window.getOperation() : op.getOperation());
    Location loc = op.getLoc();
    Kernel k{{{b, loc}, wideRegisters()},
             memref::CollapseShapeOp::create(b, loc, in, lastTwo),
             filter,
             memref::CollapseShapeOp::create(b, loc, out, lastTwo),
             fs[0],
             fs[1],
             1,
             fs[3],
             perFilter(b, loc, initial, fs[3]),
             {},
             pooling};
    k.emit(outType.getShape());
    op.erase();
    if (pooling) {
      Operation *expand = pooling->window.getDpsInputs()[0].getDefiningOp();
      pooling->window.erase();
      expand->erase();
      if (pooling->activation)
        pooling->activation.erase();
      if (k.out.use_empty())
        k.out.getDefiningOp()->erase(); // the output's unused rows view
      eraseIfUnused(out);
    }
    return success();
  }

  /// Erases a buffer allocated here that nothing but its dealloc uses.
  static void eraseIfUnused(Value buffer) {
    auto alloc = buffer.getDefiningOp<memref::AllocOp>();
    if (!alloc || !llvm::all_of(buffer.getUsers(),
                                [](Operation *u) { return isa<memref::DeallocOp>(u); }))
      return;
    for (Operation *user : llvm::make_early_inc_range(buffer.getUsers()))
      user->erase();
    alloc.erase();
  }
};
} // namespace
