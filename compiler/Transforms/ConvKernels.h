//===- ConvKernels.h - vector kernels for convolutions ----------*- C++ -*-===//
//
// Hand-written vector kernels for the convolutions nn-select-kernels gives
// them (#nn.kernel: pixel_lanes, filter_rows, filter_grad_pixel_lanes,
// input_grad_pixel_lanes); the pass nn-conv-kernels (ConvKernels.cpp)
// lowers each such op with one of them.
// Each kernel's loops and registers are described at its struct; the code
// of each is in a file of its own.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_TRANSFORMS_CONVKERNELS_H
#define NNC_TRANSFORMS_CONVKERNELS_H

#include "compiler/Transforms/VectorEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

#include <numeric>
#include <optional>

namespace nnc::conv {

namespace arith = mlir::arith;
namespace linalg = mlir::linalg;
namespace vector = mlir::vector;
using mlir::ArrayRef;
using mlir::cast;
using mlir::function_ref;
using mlir::IRMapping;
using mlir::SmallVector;
using mlir::Value;
using mlir::ValueRange;
using mlir::VectorType;

/// Output rows per step at most (4, measured with LeNet-5's C1 and C3
/// input gradient, was no faster than 2).
constexpr int64_t kMaxRows = 2;

/// VectorEmitter, and the split of NHWC pixels into one vector per
/// channel and back.
struct Emitter : nnc::VectorEmitter {
  /// Registers of `lanes` floats the target has, which the kernels block
  /// by (with 16 lanes: 32 with AVX-512; AVX2's 16 of 8 floats hold 8).
  int64_t registers;
  /// The kernels' vector width (the target's kernelLanes): LLVM splits it
  /// for narrower registers.
  int64_t lanes;

  /// vector<16·F> of 16 pixels in NHWC order (pixel-major) -> F vectors of
  /// 16 pixels.
  SmallVector<Value> split(Value pixels, int64_t f) {
    SmallVector<Value> channels;
    for (int64_t c = 0; c < f; ++c) {
      SmallVector<int64_t> mask;
      for (int64_t p = 0; p < lanes; ++p)
        mask.push_back(p * f + c);
      channels.push_back(
          vector::ShuffleOp::create(b, loc, pixels, pixels, mask));
    }
    return channels;
  }

  /// The inverse of split.
  Value interleave(ArrayRef<Value> channels) {
    int64_t f = channels.size();
    Value all = concat(channels);
    SmallVector<int64_t> mask;
    for (int64_t p = 0; p < lanes; ++p)
      for (int64_t c = 0; c < f; ++c)
        mask.push_back(c * lanes + p);
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
      int64_t width =
          cast<VectorType>(level.front().getType()).getNumElements();
      SmallVector<int64_t> concat(2 * width);
      std::iota(concat.begin(), concat.end(), 0);
      SmallVector<Value> next;
      for (size_t i = 0; i < level.size(); i += 2)
        next.push_back(
            vector::ShuffleOp::create(b, loc, level[i], level[i + 1], concat));
      level = std::move(next);
    }
    return level.front();
  }
};

/// Output rows per step of the pixel-lane kernel: as many as `registers`
/// 16-float registers hold (rows x F accumulators, F weights and one input
/// vector), at most kMaxRows.
inline int64_t rowsPerStep(int64_t f, int64_t registers) {
  return std::clamp<int64_t>((registers - 1 - f) / f, 1, kMaxRows);
}

/// A convolution with 16 output pixels of a row in the lanes: F
/// accumulators per output row, for each input channel and kernel offset
/// one contiguous load of 16 input pixels per output row and one FMA per
/// filter with the broadcast weight.
struct PixelLaneKernel : Emitter {
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
    IRMapping activationOutside,
        windowOutside; // their bodies' broadcast scalars
  };
  std::optional<Pooling> pooling;

  SmallVector<Value> inputAt(Value n, Value c, Value row, Value col);

  /// One tile: output pixels [ow, ow + 16) of rows oh .. oh + rows - 1 of
  /// image n; with `valid` (the remainder), only that many pixels are read
  /// and written. Per input channel and kernel row a loop; per kernel
  /// column the F weights broadcast, then for each output row one load of
  /// 16 input pixels and F FMAs: rows x F accumulators (12 for two rows of
  /// LeNet-5's C1, enough FMAs in flight for both units) + F weights + 1
  /// registers, and a loop body small enough for the decoded-instruction
  /// cache (fully unrolled, the kernel ran from the decoders at a third of
  /// the speed).
  void tile(Value n, Value oh, Value ow, int64_t rows,
            std::optional<int64_t> valid);

  /// The pooling epilogue of a tile of two output rows (acc: F vectors of
  /// 16 pixels per row): the activation on every accumulator; per pair of
  /// filters, per window offset (kh, kw) one shuffle picking the kw-th
  /// pixel of each window from row kh, 8 pooled pixels of each filter,
  /// into which the window's body accumulates; then the pooled pixels
  /// interleaved into NHWC and stored (`valid / 2` of them).
  void storePooled(Value n, Value oh, Value ow, ArrayRef<Value> acc,
                   std::optional<int64_t> valid);

  /// Every group of `rows` output rows (the last group what remains) and
  /// tile of every image.
  void emit(ArrayRef<int64_t> shape);
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
  /// Pixels per block at most for the block's live vectors to fit in the
  /// target's registers (livePixelsFor).
  int64_t livePixels = kMaxPixels;

  /// Filter j's weights at kernel offset (i, jw) and channel ch.
  SmallVector<Value> weightAt(Value i, int64_t jw, Value ch, int64_t j);

  /// Output pixels [ow, ow + pixels) of row oh of image n.
  void block(Value n, Value oh, Value ow, int64_t pixels);

  /// Every block of every row of every image: blocks of as many pixels as
  /// the registers less 4 hold as accumulators (28 of AVX-512's 32; at most
  /// kMaxPixels and livePixels), the row's remaining pixels one more block.
  void emit(ArrayRef<int64_t> shape);

  /// The most pixels whose live vectors fit in `registers` native vector
  /// registers of `split` per kernel vector: per pixel q accumulators and
  /// the broadcast input (one register), and the q weight vectors. With
  /// more, LLVM spills accumulators in the channel loop: 64 filters (q = 4)
  /// at 7 pixels spill (168 GFLOPS on Zen 4, bench/kernels/cnn_3x3.mlir's
  /// c2_conv), at 5 they do not (249, 95% of peak); 32 filters of one
  /// channel at 14 pixels, 86 GFLOPS, at 10, 120.
  static int64_t livePixelsFor(int64_t registers, int64_t split, int64_t q) {
    return (registers - split * q) / (split * q + 1);
  }

  /// Channels up to which the channel loop is unrolled.
  static constexpr int64_t kUnrolledChannels = 8;
  /// Pixels per block at most.
  static constexpr int64_t kMaxPixels = 14;
};

/// The weight gradient of a one-channel convolution,
/// dW[kh, kw, f] = sum over (n, oh, ow) of x[n, oh + kh, ow + kw] · dy[n, oh,
/// ow, f], with 16 output pixels (ow) in the lanes, one image at a time: its
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
  SmallVector<Value>
  tiles(ValueRange values,
        function_ref<SmallVector<Value>(Value, Value, ValueRange,
                                        std::optional<int64_t>)>
            body);

  /// Adds one tile's products to `acc` (columns x F partial sums).
  SmallVector<Value> tile(Value image, Value row, Value col, Value krow,
                          int64_t firstColumn, int64_t columns, ValueRange acc,
                          std::optional<int64_t> valid);

  /// The partial sums of kernel row `krow`, columns [first, first + columns).
  SmallVector<Value> partials(Value krow, int64_t first, int64_t columns);

  void emit();
};

} // namespace nnc::conv

#endif // NNC_TRANSFORMS_CONVKERNELS_H
