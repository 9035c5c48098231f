//===- MatmulSchedule.cpp - the nn-schedule-matmuls pass ------------------===//
//
// The schedule is a transform-dialect script, its tile sizes set from the
// vector registers of the module's #nn.target (TransformScript.h), applied
// to the whole module. Its speed against the machine's peak is measured in
// bench/ (bench/README.md gives the figures and the CPU they are from).
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/TargetDescription.h"
#include "compiler/Transforms/BufferAccess.h"
#include "compiler/Transforms/Passes.h"
#include "compiler/Transforms/TransformScript.h"
#include "compiler/Transforms/VectorEmitter.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNSCHEDULEMATMULSPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

/// Why each step:
///  - 8x32 tiles, one k per step: 8 accumulator rows of two 16-float
///    registers fill 16 of the 32 zmm registers, and each broadcast of
///    A(i, k) feeds two FMAs. Measured with bench/kernels on Sapphire Rapids
///    (2 cores, measured peak 134 GFLOPS): 256^3 runs at 123 GFLOPS
///    with 8x32 tiles, 61 with 8x16 (the old tile, too few FMAs in flight
///    for two FMA ports), 81 with 12x32, 104 with 4x32; 8x48 and 8x64 fall
///    off a cliff (2 and 13 GFLOPS). The j loop outermost keeps a 32-column
///    panel of B in L1 while i walks down A. With 16 registers of 8 floats
///    (AVX2) the tile is 6x16, 12 ymm accumulators: MLP-A's training step
///    compiled for AVX2 (--cpu haswell, run here) took 1.14-1.19 ms at
///    best with it against 3.1-3.4 ms with the AVX-512 tile split into ymm
///    halves (32 accumulators for 16 registers: spills); alternated on a
///    busier minute, 6x16 1.38-1.64 ms, 4x16 1.52-1.77, 8x16 1.67-2.93.
///    SSE only (x86-64): 6x8 tiles, 7.3 ms against 9.0.
///  - peel rows: the remainder tiles get static sizes, so every tile
///    vectorizes without masks. Columns beyond a multiple of 32 are split
///    off before the script runs (markShapes), into a 16-wide matmul and
///    the rest, since a vector of 24 or 20 floats straddles registers badly
///    (LeNet-5's C5, 120 columns: 550 µs with a 24-wide remainder, 85 µs
///    split). A loop the tile divides needs no peeling (and the transform
///    reports that as a failure, which the include suppresses).
///  - fold alias ops, then hoist: with subviews folded away the accumulator's
///    read and write have loop-invariant indices and leave the k loop.
///  - outer products: a broadcast of A(i, k) times the B row, one FMA per
///    accumulator row; transfers lowered to plain vector loads and stores.
static constexpr const char *kSchedule = R"mlir(
module attributes {transform.with_named_sequence} {
  // Peeling a loop whose trip count the step divides fails; that loop needs
  // no remainder, so the failure is suppressed where this is included.
  transform.named_sequence @peel(%loop: !transform.any_op {transform.readonly}) {
    %for = transform.cast %loop : !transform.any_op to !transform.op<"scf.for">
    %main, %rest = transform.loop.peel %for
      : (!transform.op<"scf.for">) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }

  transform.named_sequence @vectorize(%func: !transform.any_op {transform.consumed}) {
    %tiles = transform.structured.match ops{["linalg.matmul"]}
      attributes{nn.kernel = #nn.kernel<tiled>} in %func
      : (!transform.any_op) -> !transform.any_op
    transform.structured.vectorize %tiles {create_named_contraction} : !transform.any_op
    transform.apply_patterns to %func {
      transform.apply_patterns.memref.fold_memref_alias_ops
    } : !transform.any_op
    %hoisted = transform.structured.hoist_redundant_vector_transfers %func
      : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %hoisted {
      transform.apply_patterns.vector.lower_contraction lowering_strategy = "outerproduct"
      transform.apply_patterns.vector.lower_outerproduct
      transform.apply_patterns.vector.transfer_permutation_patterns
      transform.apply_patterns.vector.lower_transfer max_transfer_rank = 1
      transform.apply_patterns.vector.lower_broadcast
      transform.apply_patterns.vector.lower_shape_cast
    } : !transform.any_op
    transform.yield
  }

  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %mm = transform.structured.match ops{["linalg.matmul"]}
      attributes{nn.kernel = #nn.kernel<tiled>} in %root
      : (!transform.any_op) -> !transform.any_op
    %tiled, %loops:3 = transform.structured.tile_using_for %mm
      tile_sizes [ROWS, COLUMNS, 1] interchange = [1, 0, 2]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                !transform.any_op, !transform.any_op)
    transform.foreach %loops#1 : !transform.any_op {
    ^bb0(%rows: !transform.any_op):
      transform.include @peel failures(suppress) (%rows) : (!transform.any_op) -> ()
    }
    %funcs = transform.structured.match ops{["func.func"]} in %root
      : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %funcs {
      transform.apply_patterns.canonicalization
    } : !transform.any_op
    transform.foreach %funcs : !transform.any_op {
    ^bb0(%func: !transform.any_op):
      transform.include @vectorize failures(propagate) (%func) : (!transform.any_op) -> ()
    }
    transform.yield
  }
}
)mlir";

namespace {
/// The target's vector registers: floats in one, and how many.
struct Registers {
  int64_t lanes, count;
  /// Rows of a tile (two registers wide): as many as leave four registers
  /// for the operands, at most 8 (8 rows fill 16 of 32 registers with
  /// accumulators; with 16 registers, 6 rows fill 12).
  int64_t tileRows() const {
    return std::clamp<int64_t>((count - 4) / 2, 1, 8);
  }
  int64_t tileColumns() const { return 2 * lanes; }
};

/// Rows up to which a matmul counts as narrow.
constexpr int64_t kNarrowRows = 2;
/// Column strips (of a register each) one k loop of a narrow matmul
/// carries at most.
constexpr int64_t kNarrowStrips = 8;
/// Steps of k it unrolls at most.
constexpr int64_t kNarrowUnroll = 8;
/// Blocks of strips written out in sequence at most; past it, a loop.
constexpr int64_t kNarrowBlocksUnrolled = 4;

/// A matmul of a row or two (batch-1 inference) that the narrow kernel
/// takes: static f32 shapes, the default indexing maps, and rows of the
/// right operand and the output contiguous.
bool isNarrow(linalg::MatmulOp mm) {
  auto a = dyn_cast<MemRefType>(mm.getInputs()[0].getType());
  auto b = dyn_cast<MemRefType>(mm.getInputs()[1].getType());
  auto c = dyn_cast<MemRefType>(mm.getOutputs()[0].getType());
  return a && b && c && !mm.hasUserDefinedMaps() && a.hasStaticShape() &&
         b.hasStaticShape() && c.hasStaticShape() &&
         c.getElementType().isF32() && c.getDimSize(0) <= kNarrowRows &&
         b.isLastDimUnitStride() && c.isLastDimUnitStride();
}

/// Computes a narrow matmul C += A·B with vector code, in blocks of up to
/// 8 strips of a register each (the last strip of the matrix masked): per
/// block one k loop, unrolled u times, whose every step broadcasts A(r, k)
/// and loads B's row k strip by strip into one FMA per row and strip. Each
/// of the u steps has its own accumulators (u = half the registers / (rows
/// x strips), from 1 to 8: with 32 registers up to 16 independent FMA
/// chains in flight), summed after the
/// loop; the k beyond a multiple of u follow it. With `fill`, the output
/// was just filled with that value: the accumulators start from it instead
/// of reading the output. LeNet-5's C5 at batch 1 (400 x 120, 192 KB of
/// weights streamed from L2) had 15 strips of 8 columns one k at a time
/// from MLIR's tiling, and F6 (84 columns) a second k loop for its last 4:
/// a standalone 400 x 120 product runs 25% faster this way, LeNet-5's
/// batch-1 inference 2% (its weight rows start off 64-byte lines, so most
/// of their loads split a cache line either way).
void lowerNarrow(linalg::MatmulOp mm, std::optional<Value> fill,
                 Registers regs) {
  OpBuilder b(mm);
  nnc::VectorEmitter e{b, mm.getLoc()};
  Location loc = mm.getLoc();
  Value a = mm.getInputs()[0], w = mm.getInputs()[1], out = mm.getOutputs()[0];
  int64_t rows = cast<MemRefType>(out.getType()).getDimSize(0);
  int64_t n = cast<MemRefType>(out.getType()).getDimSize(1);
  int64_t depth = cast<MemRefType>(a.getType()).getDimSize(1);
  int64_t lanes = regs.lanes;
  auto lane = VectorType::get({lanes}, b.getF32Type());
  // One block of `columns` columns from `first` (a constant when given,
  // else the block loop's index).
  auto block = [&](std::optional<int64_t> fixedFirst, Value loopFirst,
                   int64_t columns) {
    int64_t strips = llvm::divideCeil(columns, lanes);
    int64_t perStep = rows * strips;
    int64_t unroll = std::clamp<int64_t>(
        regs.count / 2 / perStep, 1,
        std::min(kNarrowUnroll, std::max<int64_t>(depth, 1)));
    auto valid = [&](int64_t s) -> std::optional<int64_t> {
      if (s == strips - 1 && columns % lanes)
        return columns % lanes;
      return std::nullopt;
    };
    auto column = [&](int64_t s) -> Value {
      if (fixedFirst)
        return e.index(*fixedFirst + s * lanes);
      return s ? arith::AddIOp::create(b, loc, loopFirst, e.index(s * lanes))
                     .getResult()
               : loopFirst;
    };
    // Accumulator (step u, row r, strip s) is acc[u * perStep + r * strips +
    // s].
    SmallVector<Value> acc;
    for (int64_t u = 0; u < unroll; ++u)
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t s = 0; s < strips; ++s)
          acc.push_back(
              u ? e.zeros(lane)
              : fill
                  ? vector::BroadcastOp::create(b, loc, lane, *fill).getResult()
                  : e.load(lane, out, {e.index(r), column(s)}, valid(s)));
    // One k into the accumulators of step u.
    auto step = [&](Value k, int64_t u, MutableArrayRef<Value> acc) {
      for (int64_t r = 0; r < rows; ++r) {
        // A(r, k) as a 1x1 transfer, which neither the schedule's alias
        // folding nor its 1-D transfer lowering touches: a load folded
        // into the source of a reshape (C5 reads the pooled 5x5x16 image
        // as one row of 400) recomputes a 4-D index with divisions at
        // every k, which LLVM does not simplify back.
        Value one = vector::TransferReadOp::create(
            b, loc, VectorType::get({1, 1}, b.getF32Type()), a,
            ValueRange{e.index(r), k}, std::nullopt,
            ArrayRef<bool>{true, true});
        Value x = vector::BroadcastOp::create(
            b, loc, lane,
            vector::ExtractOp::create(b, loc, one, ArrayRef<int64_t>{0, 0}));
        for (int64_t s = 0; s < strips; ++s) {
          Value &sum = acc[u * perStep + r * strips + s];
          sum = vector::FMAOp::create(
              b, loc, x, e.load(lane, w, {k, column(s)}, valid(s)), sum);
        }
      }
    };
    int64_t whole = depth / unroll * unroll;
    acc = e.loop(
        e.index(0), e.index(whole), acc,
        [&](Value k, ValueRange carried) {
          SmallVector<Value> next(carried);
          for (int64_t u = 0; u < unroll; ++u)
            step(u ? arith::AddIOp::create(b, loc, k, e.index(u)).getResult()
                   : k,
                 u, next);
          return next;
        },
        unroll);
    for (int64_t k = whole; k < depth; ++k)
      step(e.index(k), 0, acc);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t s = 0; s < strips; ++s) {
        Value sum = acc[r * strips + s];
        for (int64_t u = 1; u < unroll; ++u)
          sum = arith::AddFOp::create(b, loc, sum,
                                      acc[u * perStep + r * strips + s]);
        e.store(sum, out, {e.index(r), column(s)}, valid(s));
      }
  };
  // Few blocks are written out one after the other; more (a wide layer)
  // run in a loop over the whole blocks, so that code grows with the
  // kernel, not with the layer's width.
  int64_t width = kNarrowStrips * lanes, whole = n / width;
  if (whole <= kNarrowBlocksUnrolled) {
    for (int64_t first = 0; first < n; first += width)
      block(first, Value(), std::min(n - first, width));
  } else {
    auto blocks = scf::ForOp::create(b, loc, e.index(0), e.index(whole * width),
                                     e.index(width));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(blocks.getBody()->getTerminator());
    block(std::nullopt, blocks.getInductionVar(), width);
    b.setInsertionPointAfter(blocks);
    if (n % width)
      block(whole * width, Value(), n % width);
  }
  mm.erase();
}

struct NNScheduleMatmulsPass
    : nn::impl::NNScheduleMatmulsPassBase<NNScheduleMatmulsPass> {
  using Base::Base;

  /// A matmul input that is a collapse followed by an expand (a reshape
  /// that is neither, such as 50176x6 -> 64x4704) gets its own contiguous
  /// copy: folding the accumulator's memory accesses through that chain
  /// (fold_memref_alias_ops) never terminates in MLIR 22, and the copy is a
  /// memcpy of one activation per step.
  void materializeReshapedOperands() {
    getOperation().walk([](linalg::MatmulOp mm) {
      for (OpOperand *input : mm.getDpsInputOperands()) {
        OpOperand &operand = *input;
        auto expand = operand.get().getDefiningOp<memref::ExpandShapeOp>();
        if (!expand ||
            !expand.getSrc().getDefiningOp<memref::CollapseShapeOp>())
          continue;
        OpBuilder b(mm);
        auto type = cast<MemRefType>(expand.getType());
        Value copy = memref::AllocOp::create(
            b, mm.getLoc(),
            MemRefType::get(type.getShape(), type.getElementType()),
            b.getI64IntegerAttr(64));
        memref::CopyOp::create(b, mm.getLoc(), expand, copy);
        operand.set(copy);
        b.setInsertionPointAfter(mm);
        memref::DeallocOp::create(b, mm.getLoc(), copy);
      }
    });
  }

  /// Replaces `mm` by copies of it on column slices of its right operand
  /// and its output: (first column, columns) each.
  static void splitColumns(linalg::MatmulOp mm,
                           ArrayRef<std::pair<int64_t, int64_t>> parts) {
    OpBuilder b(mm);
    Location loc = mm.getLoc();
    SmallVector<AffineMap> maps = mm.getIndexingMapsArray();
    AffineExpr column = b.getAffineDimExpr(1);
    // The slice of operand `i` (1: the right one, 2: the output) whose
    // column dimension (d1 of the matmul) is [first, first + count).
    auto slice = [&](unsigned i, int64_t first, int64_t count) -> Value {
      Value v = mm->getOperand(i);
      ArrayRef<int64_t> shape = cast<ShapedType>(v.getType()).getShape();
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (unsigned d = 0; d < shape.size(); ++d) {
        bool isColumn = maps[i].getResult(d) == column;
        offsets.push_back(b.getIndexAttr(isColumn ? first : 0));
        sizes.push_back(b.getIndexAttr(isColumn ? count : shape[d]));
        strides.push_back(b.getIndexAttr(1));
      }
      return memref::SubViewOp::create(b, loc, v, offsets, sizes, strides);
    };
    for (const auto &[first, count] : parts) {
      Operation *part = b.clone(*mm);
      part->setOperand(1, slice(1, first, count));
      part->setOperand(2, slice(2, first, count));
    }
    mm.erase();
  }

  /// Splits each tiled matmul for the schedule. Hoisting the accumulators
  /// out of a k loop needs every access to the output in it to be of one
  /// vector type (MLIR 22's disjointness check), so the columns beyond a
  /// multiple of the tile's width (two registers) get matmuls (and k
  /// loops) of their own (split once more at one register: with 16 lanes a
  /// 24- or 20-float vector straddles registers badly). Peeling them
  /// instead left both remainder tiles in one k loop, their accumulators
  /// read and written every step.
  void splitShapes() {
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp mm) {
      if (nn::kernelOf(mm) == nn::KernelKind::Tiled)
        matmuls.push_back(mm);
    });
    for (linalg::MatmulOp mm : matmuls) {
      auto type = cast<ShapedType>(mm.getOutputs()[0].getType());
      if (!type.hasStaticShape())
        continue;
      int64_t n = type.getDimSize(1);
      int64_t width = regs.tileColumns(), lanes = regs.lanes;
      int64_t whole = n / width * width, rest = n - whole;
      SmallVector<std::pair<int64_t, int64_t>> parts;
      if (whole)
        parts.push_back({0, whole});
      if (rest > lanes) {
        parts.push_back({whole, lanes});
        parts.push_back({whole + lanes, rest - lanes});
      } else if (rest) {
        parts.push_back({whole, rest});
      }
      if (parts.size() > 1)
        splitColumns(mm, parts);
    }
  }

  /// A matmul output that a fill writes right before the matmul: the fill,
  /// the output, and the op after the matmul (where its loops end).
  struct FilledOutput {
    linalg::FillOp fill;
    Value out;
    Operation *end;
  };

  /// The matmuls whose output is filled right before them (dW = Xᵀ·dY into
  /// zeros), with nothing else touching the output in between.
  SmallVector<FilledOutput> filledOutputs() {
    SmallVector<FilledOutput> found;
    getOperation().walk([&](linalg::MatmulOp mm) {
      Value out = mm.getOutputs()[0];
      Operation *last = nnc::initialWriter(mm, out);
      auto fill = dyn_cast_or_null<linalg::FillOp>(last);
      if (fill && fill.getOutputs()[0] == out && mm->getNextNode())
        found.push_back({fill, out, mm->getNextNode()});
    });
    return found;
  }

  /// Lowers the narrow matmuls with lowerNarrow, an output filled right
  /// before (one of `filled`) from its fill value, that fill then not run
  /// (and dropped from `filled`).
  LogicalResult lowerNarrowMatmuls(SmallVectorImpl<FilledOutput> &filled) {
    SmallVector<linalg::MatmulOp> narrow;
    getOperation().walk([&](linalg::MatmulOp mm) {
      if (nn::kernelOf(mm) == nn::KernelKind::Narrow)
        narrow.push_back(mm);
    });
    for (linalg::MatmulOp mm : narrow) {
      if (!isNarrow(mm)) {
        mm.emitError("nn.kernel narrow on a matmul this pass cannot lower");
        return failure();
      }
      auto f = llvm::find_if(filled, [&](const FilledOutput &f) {
        return f.end == mm->getNextNode() && f.out == mm.getOutputs()[0];
      });
      linalg::FillOp fill = f == filled.end() ? linalg::FillOp() : f->fill;
      if (fill)
        filled.erase(f);
      lowerNarrow(
          mm, fill ? std::optional<Value>(fill.getInputs()[0]) : std::nullopt,
          regs);
      if (fill)
        fill.erase();
    }
    return success();
  }

  /// After the schedule, a filled output's tiles read their accumulators
  /// once, before their k loops: those reads become the fill value and the
  /// fill goes (LeNet-5's and the MLPs' weight gradients: no pass of zeros
  /// over the gradient, no reading them back). Only when every access to
  /// the output in the matmul's loops is such a read or a write; otherwise
  /// the fill stays.
  void foldFills(MutableArrayRef<FilledOutput> filled) {
    for (FilledOutput &f : filled) {
      SmallVector<vector::TransferReadOp> reads;
      bool foldable = true;
      for (Operation *op = f.fill->getNextNode(); op && op != f.end && foldable;
           op = op->getNextNode())
        op->walk([&](Operation *user) {
          if (isa<ViewLikeOpInterface>(user) ||
              llvm::none_of(user->getOperands(), [&](Value v) {
                return isa<MemRefType>(v.getType()) && nnc::mayAlias(v, f.out);
              }))
            return;
          // Only whole-tile transfers of the output itself: a view read
          // or written here would see the fill.
          if (!llvm::is_contained(user->getOperands(), f.out)) {
            foldable = false;
            return;
          }
          if (isa<vector::TransferWriteOp>(user))
            return;
          auto read = dyn_cast<vector::TransferReadOp>(user);
          auto loop = read && read->hasOneUse()
                          ? dyn_cast<scf::ForOp>(*read->getUsers().begin())
                          : scf::ForOp();
          if (loop && llvm::is_contained(loop.getInitArgs(), read.getResult()))
            reads.push_back(read);
          else
            foldable = false;
        });
      if (!foldable)
        continue;
      for (vector::TransferReadOp read : reads) {
        OpBuilder b(read);
        Value start = vector::BroadcastOp::create(
            b, read.getLoc(), read.getVectorType(), f.fill.getInputs()[0]);
        read.getResult().replaceAllUsesWith(start);
        read.erase();
      }
      f.fill.erase();
    }
  }

  /// Moves the accumulator of each tile out of its k loop: a read and a
  /// write of the same vector at the same loop-invariant place, the only
  /// accesses in the loop to their part of the buffer (others must be
  /// transfers that provably do not overlap it), become a read before the loop,
  /// a loop-carried value and a write after it. The schedule's
  /// hoist_redundant_vector_transfers does this too, but not for a buffer
  /// that has views elsewhere (a matmul's rows reshaped into an image, as
  /// LeNet-5's C5 output and its input gradient are), whose accumulators
  /// it left in memory, read and written at every k.
  static void hoistAccumulators(Operation *root) {
    SmallVector<scf::ForOp> loops;
    root->walk([&](scf::ForOp loop) { loops.push_back(loop); }); // inner first
    IRRewriter rewriter(root->getContext());
    for (scf::ForOp loop : loops) {
      bool hoisted = true;
      while (hoisted) {
        hoisted = false;
        for (auto read : loop.getBody()->getOps<vector::TransferReadOp>()) {
          if (!llvm::all_of(
                  read.getIndices(),
                  [&](Value i) { return loop.isDefinedOutsideOfLoop(i); }) ||
              !loop.isDefinedOutsideOfLoop(read.getBase()) ||
              !loop.isDefinedOutsideOfLoop(read.getPadding()) || read.getMask())
            continue;
          Value buffer = read.getBase();
          vector::TransferWriteOp write;
          bool alone = true;
          loop.getBody()->walk([&](Operation *op) {
            if (op == read)
              return;
            if (!llvm::any_of(op->getOperands(), [&](Value v) {
                  return isa<MemRefType>(v.getType()) &&
                         nnc::mayAlias(v, buffer);
                }))
              return;
            auto w = dyn_cast<vector::TransferWriteOp>(op);
            auto other = dyn_cast<VectorTransferOpInterface>(op);
            if (!write && w && w->getBlock() == loop.getBody() &&
                !w.getMask() && w.getBase() == read.getBase() &&
                w.getIndices() == read.getIndices() &&
                w.getVectorType() == read.getVectorType() &&
                w.getPermutationMap() == read.getPermutationMap() &&
                w.getInBoundsAttr() == read.getInBoundsAttr())
              write = w;
            else if (!other || other.getBase() != read.getBase() ||
                     !vector::isDisjointTransferSet(
                         cast<VectorTransferOpInterface>(read.getOperation()),
                         other,
                         /*testDynamicValueUsingBounds=*/false))
              alone = false; // an access that may overlap
          });
          if (!write || !alone || !read->isBeforeInBlock(write))
            continue;
          read->moveBefore(loop);
          rewriter.setInsertionPoint(loop);
          FailureOr<LoopLikeOpInterface> replaced =
              loop.replaceWithAdditionalYields(
                  rewriter, read.getResult(),
                  /*replaceInitOperandUsesInLoop=*/true,
                  [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
                    return SmallVector<Value>{write.getVector()};
                  });
          if (failed(replaced))
            return;
          loop = cast<scf::ForOp>(replaced->getOperation());
          write->moveAfter(loop);
          write.getValueToStoreMutable().assign(loop.getResults().back());
          hoisted = true;
          break;
        }
      }
    }
  }

  void runOnOperation() override {
    nnc::TargetDescription target = nnc::TargetDescription::of(getOperation());
    regs = {target.vectorLanes, target.vectorRegisters};
    materializeReshapedOperands();
    SmallVector<FilledOutput> filled = filledOutputs();
    if (failed(lowerNarrowMatmuls(filled)))
      return signalPassFailure();
    splitShapes();
    if (failed(nnc::applyTransformScript(
            kSchedule, "matmul-schedule",
            {{"ROWS", regs.tileRows()}, {"COLUMNS", regs.tileColumns()}},
            getOperation(), schedule)))
      return signalPassFailure();
    hoistAccumulators(getOperation());
    foldFills(filled);
  }

  nnc::TransformScript schedule;
  Registers regs;
};
} // namespace
