//===- MatmulSchedule.cpp - the nn-schedule-matmuls pass ------------------===//
//
// The schedule is a transform-dialect script, parsed once per pass instance
// and applied to the whole module. On this machine (Zen 4, AVX-512) the same
// schedule reaches 97% of one core's peak on 64x800x500 (see
// docs/performance.md and TOOLCHAIN notes).
//
//===----------------------------------------------------------------------===//

#include "compiler/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Parser/Parser.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNSCHEDULEMATMULSPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

/// Why each step:
///  - 8x32 tiles, one k per step: 8 accumulator rows of two 16-float
///    registers fill 16 of the 32 zmm registers, and each broadcast of
///    A(i, k) feeds two FMAs. Measured with bench/kernels on a 2-core Xeon
///    (Sapphire Rapids, measured peak 134 GFLOPS): 256^3 runs at 123 GFLOPS
///    with 8x32 tiles, 61 with 8x16 (the old tile, too few FMAs in flight
///    for two FMA ports), 81 with 12x32, 104 with 4x32; 8x48 and 8x64 fall
///    off a cliff (2 and 13 GFLOPS). The j loop outermost keeps a 32-column
///    panel of B in L1 while i walks down A.
///  - peel rows (inner) then columns (outer): the remainder tiles get static
///    sizes, so every tile vectorizes without masks. The column remainder
///    (under 32) is split once more into a 16-wide tile and the rest, since
///    a vector of 24 or 20 floats straddles registers badly (LeNet-5's C5,
///    120 columns: 550 µs with a 24-wide remainder, 85 µs split). A loop
///    the tile divides needs no peeling (and the transform reports that as
///    a failure, which the include suppresses).
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

  // Columns: peel the 32-wide tiles' remainder, then split that remainder
  // into a 16-wide tile and a narrower rest, so that as much as possible
  // runs on whole registers.
  transform.named_sequence @peel_cols(%loop: !transform.any_op {transform.readonly}) {
    %for = transform.cast %loop : !transform.any_op to !transform.op<"scf.for">
    %main, %rest = transform.loop.peel %for
      : (!transform.op<"scf.for">) -> (!transform.any_op, !transform.any_op)
    transform.foreach %rest : !transform.any_op {
    ^bb0(%r: !transform.any_op):
      %mms = transform.structured.match ops{["linalg.matmul"]} in %r
        : (!transform.any_op) -> !transform.any_op
      transform.foreach %mms : !transform.any_op {
      ^bb0(%mm: !transform.any_op):
        %tiled, %loop16 = transform.structured.tile_using_for %mm tile_sizes [0, 16, 0]
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
        transform.include @peel failures(suppress) (%loop16) : (!transform.any_op) -> ()
      }
    }
    transform.yield
  }

  transform.named_sequence @vectorize(%func: !transform.any_op {transform.consumed}) {
    %tiles = transform.structured.match ops{["linalg.matmul"]} in %func
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
    %mm = transform.structured.match ops{["linalg.matmul"]} in %root
      : (!transform.any_op) -> !transform.any_op
    %tiled, %loops:3 = transform.structured.tile_using_for %mm
      tile_sizes [8, 32, 1] interchange = [1, 0, 2]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                !transform.any_op, !transform.any_op)
    transform.foreach %loops#1 : !transform.any_op {
    ^bb0(%rows: !transform.any_op):
      transform.include @peel failures(suppress) (%rows) : (!transform.any_op) -> ()
    }
    transform.foreach %loops#0 : !transform.any_op {
    ^bb0(%cols: !transform.any_op):
      transform.include @peel_cols failures(suppress) (%cols) : (!transform.any_op) -> ()
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
struct NNScheduleMatmulsPass
    : nn::impl::NNScheduleMatmulsPassBase<NNScheduleMatmulsPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override {
    auto module = parseSourceString<ModuleOp>(kSchedule, ctx, "matmul-schedule");
    if (!module)
      return failure();
    schedule = std::make_shared<OwningOpRef<ModuleOp>>(std::move(module));
    return success();
  }

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
        if (!expand || !expand.getSrc().getDefiningOp<memref::CollapseShapeOp>())
          continue;
        OpBuilder b(mm);
        auto type = cast<MemRefType>(expand.getType());
        Value copy = memref::AllocOp::create(
            b, mm.getLoc(), MemRefType::get(type.getShape(), type.getElementType()),
            b.getI64IntegerAttr(64));
        memref::CopyOp::create(b, mm.getLoc(), expand, copy);
        operand.set(copy);
        b.setInsertionPointAfter(mm);
        memref::DeallocOp::create(b, mm.getLoc(), copy);
      }
    });
  }

  void runOnOperation() override {
    materializeReshapedOperands();
    ModuleOp lib = schedule->get();
    transform::TransformOpInterface entry =
        transform::detail::findTransformEntryPoint(lib, ModuleOp());
    if (!entry)
      return signalPassFailure();
    if (failed(transform::applyTransformNamedSequence(
            getOperation(), entry, lib, transform::TransformOptions())))
      signalPassFailure();
  }

  std::shared_ptr<OwningOpRef<ModuleOp>> schedule;
};
} // namespace
