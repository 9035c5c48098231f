//===- ConvKernels.cpp - the nn-conv-kernels pass -------------------------===//
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
// It lowers, on buffers, the ops nn-select-kernels gave one of its
// kernels (nn.kernel): pixel_lanes forward convolutions, the generics of
// nn.conv2d_filter_grad (filter_grad_pixel_lanes, one channel) and
// nn.conv2d_input_grad (input_grad_pixel_lanes, few channels), and with
// its row kernel the filter_rows convolutions (stride 1, filters a
// multiple of 16), with the filters in the lanes.
//
//===----------------------------------------------------------------------===//

#include "compiler/Transforms/ConvKernels.h"
#include "compiler/Target/TargetDescription.h"
#include "compiler/Transforms/BufferAccess.h"
#include "compiler/Transforms/Passes.h"

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
#define GEN_PASS_DEF_NNCONVKERNELSPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

using namespace nnc::conv;

/// A convolution the pass's kernels can take at all: static f32 shapes,
/// stride and dilation 1.
static bool isPlainStrideOne(linalg::Conv2DNhwcHwcfOp conv) {
  auto in = dyn_cast<ShapedType>(conv.getInputs()[0].getType());
  auto filter = dyn_cast<ShapedType>(conv.getInputs()[1].getType());
  auto out = dyn_cast<ShapedType>(conv.getOutputs()[0].getType());
  auto ones = [](DenseIntElementsAttr a) {
    return llvm::all_of(a.getValues<int64_t>(),
                        [](int64_t v) { return v == 1; });
  };
  return in && filter && out && in.hasStaticShape() &&
         filter.hasStaticShape() && out.hasStaticShape() &&
         in.getElementType().isF32() && ones(conv.getStrides()) &&
         ones(conv.getDilations());
}

/// What the pixel-lane kernel takes: one input channel (its rows of pixels
/// are the vectors).
static bool fitsPixelLanes(linalg::Conv2DNhwcHwcfOp conv) {
  return isPlainStrideOne(conv) &&
         cast<ShapedType>(conv.getInputs()[0].getType()).getShape()[3] == 1;
}

/// What the row kernel takes: filters in whole vectors of `lanes`.
static bool fitsFilterRows(linalg::Conv2DNhwcHwcfOp conv, int64_t lanes) {
  return isPlainStrideOne(conv) &&
         cast<ShapedType>(conv.getOutputs()[0].getType()).getShape()[3] %
                 lanes ==
             0;
}

namespace {

struct NNConvKernelsPass : nn::impl::NNConvKernelsPassBase<NNConvKernelsPass> {
  using Base::Base;

  /// The target's (the module's #nn.target).
  nnc::TargetDescription target;
  int64_t lanes = 0;

  void runOnOperation() override {
    target = nnc::TargetDescription::of(getOperation());
    lanes = target.kernelLanes;
    // In this order: the row kernel, the forward convolutions with pixels
    // in the lanes, then the gradients' generics.
    SmallVector<Operation *> ops[3];
    getOperation().walk([&](Operation *op) {
      auto kernel = op->getAttrOfType<nn::KernelAttr>("nn.kernel");
      if (!kernel)
        return;
      switch (kernel.getKind()) {
      case nn::KernelKind::FilterRows:
        ops[0].push_back(op);
        break;
      case nn::KernelKind::PixelLanes:
        ops[1].push_back(op);
        break;
      case nn::KernelKind::InputGradPixelLanes:
      case nn::KernelKind::FilterGradPixelLanes:
        ops[2].push_back(op);
        break;
      default:
        break;
      }
    });
    for (ArrayRef<Operation *> group : ops)
      for (Operation *op : group)
        if (failed(lowerMarked(op)))
          return signalPassFailure();
  }

  /// Lowers `op` with the kernel its nn.kernel names.
  LogicalResult lowerMarked(Operation *op) {
    auto kernel = op->getAttrOfType<nn::KernelAttr>("nn.kernel");
    auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op);
    auto generic = dyn_cast<linalg::GenericOp>(op);
    switch (kernel.getKind()) {
    case nn::KernelKind::FilterRows:
      if (conv)
        return lowerFilterRows(conv);
      break;
    case nn::KernelKind::PixelLanes:
      if (conv)
        return lower(conv);
      break;
    case nn::KernelKind::InputGradPixelLanes:
      if (generic)
        return lowerPlanar(generic, kernel.getRows());
      break;
    case nn::KernelKind::FilterGradPixelLanes:
      if (generic)
        return lowerFilterGrad(generic);
      break;
    default:
      break;
    }
    return op->emitError("nn.kernel ")
           << kernel << " on an op this pass cannot lower";
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
      AffineMap last = AffineMap::get(
          type.getRank(), 0,
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
  static SmallVector<Value> perFilter(OpBuilder &b, Location loc,
                                      Initial initial, int64_t f) {
    SmallVector<Value> values;
    for (int64_t c = 0; c < f && (initial.fill || initial.bias); ++c)
      values.push_back(
          initial.fill
              ? initial.fill
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
    FailureOr<SmallVector<Operation *>> accesses =
        nnc::accessesIn(conv->getBlock(), filter);
    if (failed(accesses))
      return filter;
    linalg::GenericOp copy;
    for (Operation *user : *accesses) {
      if (user == conv || isa<memref::DeallocOp>(user))
        continue;
      auto generic = dyn_cast<linalg::GenericOp>(user);
      if (copy || !generic || generic.getNumDpsInputs() != 1 ||
          generic.getNumDpsInits() != 1 || generic.getDpsInits()[0] != filter ||
          !generic->isBeforeInBlock(conv))
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
    AffineMap rowOf =
        AffineMap::get(4, 0, {(d(0) * f[1] + d(1)) * f[2] + d(2), d(3)}, ctx);
    auto yield = cast<linalg::YieldOp>(copy.getBody()->getTerminator());
    if (rowsType.getRank() != 2 || !rowsType.isLastDimUnitStride() ||
        copy.getIndexingMapsArray()[0] != rowOf ||
        !copy.getIndexingMapsArray()[1].isIdentity() ||
        yield.getValues()[0] != copy.getBody()->getArgument(0))
      return filter;
    copy.erase();
    return rows;
  }

  /// A convolution of kernel filter_rows.
  LogicalResult lowerFilterRows(linalg::Conv2DNhwcHwcfOp op) {
    if (!op.hasPureBufferSemantics() || !fitsFilterRows(op, lanes))
      return op.emitError(
          "nn.kernel filter_rows on a convolution this pass cannot lower");
    Value in = op.getInputs()[0], filter = op.getInputs()[1],
          out = op.getOutputs()[0];
    ArrayRef<int64_t> fs = cast<MemRefType>(filter.getType()).getShape();
    for (Value v : {in, filter, out})
      if (!cast<MemRefType>(v.getType()).isLastDimUnitStride())
        return op.emitError(
            "nn.kernel filter_rows needs filters contiguous in memory");
    Initial initial = takeInitial(op, out);
    OpBuilder b(op);
    FilterLaneKernel k{{{b, op.getLoc()}, target.kernelRegisters(), lanes},
                       in,
                       weightRows(op, filter),
                       out,
                       fs[0],
                       fs[1],
                       fs[2],
                       fs[3] / lanes,
                       initial.fill,
                       initial.bias};
    k.livePixels = FilterLaneKernel::livePixelsFor(
        target.vectorRegisters,
        lanes / std::min<int64_t>(target.vectorLanes, lanes), fs[3] / lanes);
    k.emit(cast<MemRefType>(out.getType()).getShape());
    op.erase();
    return success();
  }

  /// The input gradient nn.conv2d_input_grad lowers to: loops (n, h, w, c,
  /// f, kh, kw), planar[n, f, h + kh, w + kw] · rotated[kh, kw, f, c] summed
  /// into out[n, h, w, c].
  /// `rows`: the gradient's rows inside its zero border (first, count),
  /// when known: kernel rows that would read only zeros are skipped.
  LogicalResult lowerPlanar(linalg::GenericOp op, ArrayRef<int64_t> rows) {
    if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
        op.hasDynamicShape() || op.getNumLoops() != 7)
      return op.emitError("nn.kernel on a generic this pass cannot lower");
    Value in = op.getDpsInputs()[0], filter = op.getDpsInputs()[1];
    Value out = op.getDpsInits()[0];
    auto inType = cast<MemRefType>(in.getType());
    auto outType = cast<MemRefType>(out.getType());
    ArrayRef<int64_t> fs = cast<MemRefType>(filter.getType()).getShape();
    SmallVector<ReassociationIndices> lastTwo{{0}, {1}, {2, 3}};
    if (!inType.isLastDimUnitStride() ||
        !memref::CollapseShapeOp::isGuaranteedCollapsible(outType, lastTwo))
      return op.emitError(
          "nn.kernel pixel lanes need rows of pixels contiguous in memory");
    Initial initial = takeInitial(op, out);
    OpBuilder b(op);
    Location loc = op.getLoc();
    PixelLaneKernel k{{{b, loc}, target.kernelRegisters(), lanes},
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
    k.inputRows.assign(rows.begin(), rows.end());
    k.emit(outType.getShape());
    op.erase();
    return success();
  }

  /// The weight gradient nn.conv2d_filter_grad lowers to for one input
  /// channel: loops (kh, kw, f, n, oh, ow), x[n, oh + kh, ow + kw] ·
  /// dy[n, oh, ow, f] summed into out[kh, kw, f].
  LogicalResult lowerFilterGrad(linalg::GenericOp op) {
    if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
        op.hasDynamicShape())
      return op.emitError("nn.kernel on a generic this pass cannot lower");
    Value in = op.getDpsInputs()[0], grad = op.getDpsInputs()[1];
    Value out = op.getDpsInits()[0];
    auto gradType = cast<MemRefType>(grad.getType());
    ArrayRef<int64_t> o = cast<MemRefType>(out.getType()).getShape();
    ArrayRef<int64_t> g = gradType.getShape();
    SmallVector<ReassociationIndices> pixels{{0}, {1}, {2, 3}};
    if (cast<MemRefType>(in.getType()).getRank() != 3 || g.size() != 4 ||
        o.size() != 3 ||
        !cast<MemRefType>(in.getType()).isLastDimUnitStride() ||
        !memref::CollapseShapeOp::isGuaranteedCollapsible(gradType, pixels))
      return op.emitError(
          "nn.kernel pixel lanes need rows of pixels contiguous in memory");
    OpBuilder b(op);
    Location loc = op.getLoc();
    FilterGradKernel k{{{b, loc}, target.kernelRegisters(), lanes},
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
    if (g.getNumDpsInputs() != 1 || g.getNumDpsInits() != 1 ||
        g.getDpsInputs()[0] != out || g.getDpsInits()[0] != out ||
        g.getNumReductionLoops() != 0 ||
        !llvm::all_of(g.getIndexingMapsArray(),
                      [](AffineMap m) { return m.isIdentity(); }))
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
    return nnc::isPoolingWindow(g) &&
           g.getDpsInputs()[0] == expand.getResult() && in.size() == 6 &&
           in[2] == 2 && in[4] == 2 &&
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
  static std::optional<PixelLaneKernel::Pooling>
  takePooling(linalg::Conv2DNhwcHwcfOp conv, Value out, int64_t f,
              int64_t registers) {
    // (A buffer from outside, an argument, is the caller's to read.)
    ArrayRef<int64_t> shape = cast<MemRefType>(out.getType()).getShape();
    if (rowsPerStep(f, registers) != 2 || shape[1] % 2 || shape[2] % 2 ||
        !out.getDefiningOp<memref::AllocOp>())
      return std::nullopt;
    Block *block = conv->getBlock();
    FailureOr<SmallVector<Operation *>> accesses = nnc::accessesIn(block, out);
    if (failed(accesses))
      return std::nullopt;
    PixelLaneKernel::Pooling pooling;
    memref::ExpandShapeOp expand;
    linalg::GenericOp window;
    for (Operation *user : *accesses) {
      if (user == conv || isa<memref::DeallocOp>(user))
        continue;
      auto generic = dyn_cast<linalg::GenericOp>(user);
      auto e =
          generic && generic.getNumDpsInputs() == 1
              ? generic.getDpsInputs()[0].getDefiningOp<memref::ExpandShapeOp>()
              : memref::ExpandShapeOp();
      if (generic && !pooling.activation && isInPlaceActivation(generic, out))
        pooling.activation = generic;
      else if (e && !window && e.getSrc() == out && e->hasOneUse())
        std::tie(window, expand) = std::make_pair(generic, e);
      else
        return std::nullopt;
    }
    if (!window || !isPooling2x2(window, expand))
      return std::nullopt;
    // Program order: the convolution, the activation, the pooling.
    for (Operation *op : {pooling.activation.getOperation(),
                          expand.getOperation(), window.getOperation()})
      if (op && (op->getBlock() != block || !conv->isBeforeInBlock(op)))
        return std::nullopt;
    if (pooling.activation && !pooling.activation->isBeforeInBlock(window))
      return std::nullopt;
    // The pooled output: allocated here, only filled before the pooling
    // (its readers, a kernel this pass made among them, come after).
    Value pooled = window.getDpsInits()[0];
    FailureOr<SmallVector<Operation *>> pooledAccesses =
        nnc::accessesIn(block, pooled);
    if (failed(pooledAccesses))
      return std::nullopt;
    linalg::FillOp fill;
    for (Operation *user : *pooledAccesses) {
      if (user == window || window->isBeforeInBlock(user))
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
    for (Operation *op = conv->getNextNode(); op != window.getOperation();
         op = op->getNextNode())
      if (op != pooling.activation && op != expand && op != fill &&
          !isa<memref::AllocOp>(op) && !isMemoryEffectFree(op))
        return std::nullopt;
    pooling.window = window;
    pooling.init = fill.getInputs()[0];
    fill.erase();
    OpBuilder b(window);
    pooling.out = memref::CollapseShapeOp::create(
        b, window.getLoc(), pooled,
        SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    return pooling;
  }

  LogicalResult lower(linalg::Conv2DNhwcHwcfOp op) {
    if (!op.hasPureBufferSemantics() || !fitsPixelLanes(op))
      return op.emitError(
          "nn.kernel pixel_lanes on a convolution this pass cannot lower");
    Value in = op.getInputs()[0], filter = op.getInputs()[1],
          out = op.getOutputs()[0];
    auto inType = cast<MemRefType>(in.getType());
    auto outType = cast<MemRefType>(out.getType());
    ArrayRef<int64_t> fs = cast<MemRefType>(filter.getType()).getShape();
    SmallVector<ReassociationIndices> lastTwo{{0}, {1}, {2, 3}};
    if (!memref::CollapseShapeOp::isGuaranteedCollapsible(inType, lastTwo) ||
        !memref::CollapseShapeOp::isGuaranteedCollapsible(outType, lastTwo))
      return op.emitError(
          "nn.kernel pixel lanes need rows of pixels contiguous in memory");
    Initial initial = takeInitial(op, out);
    // The epilogue needs the accumulators' initial value (it never reads
    // the output); the kernel then goes where the pooling was.
    std::optional<PixelLaneKernel::Pooling> pooling;
    if (initial.fill || initial.bias)
      pooling = takePooling(op, out, fs[3], target.kernelRegisters());
    OpBuilder b(pooling ? pooling->window.getOperation() : op.getOperation());
    Location loc = op.getLoc();
    PixelLaneKernel k{{{b, loc}, target.kernelRegisters(), lanes},
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
    if (!alloc || !llvm::all_of(buffer.getUsers(), [](Operation *u) {
          return isa<memref::DeallocOp>(u);
        }))
      return;
    for (Operation *user : llvm::make_early_inc_range(buffer.getUsers()))
      user->erase();
    alloc.erase();
  }
};
} // namespace
