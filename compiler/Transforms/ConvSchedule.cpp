//===- ConvSchedule.cpp - the nn-schedule-convs pass ----------------------===//
//
// Direct convolution: linalg.conv_2d_nhwc_hwcf tiled to one output row of
// 16 pixels by 16 filters, decomposed into a 1-D convolution per kernel row
// and vectorized. The result is a register-blocked kernel: 16 accumulators
// of 16 filters, each input pixel broadcast against a filter row, no
// im2col copy. Weight gradients (nn.conv2d_filter_grad's convolutions,
// of kernel filter_grad_columns) are tiled one kernel column at a time
// too: their kernel is a whole output image. It runs on tensors (the
// decomposition needs them); the matmul schedule later hoists the
// accumulators and lowers the contractions to FMAs. The script takes the
// convolutions nn-select-kernels gave the kernel filter_lanes; those of
// kernels pixel_lanes (LeNet-5's C1) and filter_rows (C3) are left to
// nn-conv-kernels (C3's forward: 230-250 µs there against 320-410 here,
// whose decomposition kept a kernel row's 30 weight vectors live and
// spilled them). Measured with
// bench/kernels: C3's forward at 74-80 GFLOPS with 16-pixel tiles (its 10-pixel
// rows are one tile; 56-64 with 8-pixel tiles and a peeled 2), C1's (6 filters
// in 16 lanes) at 30 (28 with 8); keeping the kernel columns whole in the
// forward tile is 20-40% faster for C1 than one column at a time, and 28 whole
// columns in a weight gradient's tile would be a vector of 2,048 floats.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/TargetDescription.h"
#include "compiler/Transforms/Passes.h"
#include "compiler/Transforms/TransformScript.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNSCHEDULECONVSPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

static constexpr const char *kSchedule = R"mlir(
module attributes {transform.with_named_sequence} {
  transform.named_sequence @peel(%loop: !transform.any_op {transform.readonly}) {
    %for = transform.cast %loop : !transform.any_op to !transform.op<"scf.for">
    %main, %rest = transform.loop.peel %for
      : (!transform.op<"scf.for">) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }

  // Tiles each convolution (n, oh, ow, f, kh, kw, c) to one output row of
  // 16 pixels by 16 filters per kernel row; the kernel's columns and the
  // input channels stay whole, so each input pixel loaded serves all of
  // the kernel's columns. The filter loop is peeled before the pixel loop
  // that holds it: peeling the pixels then copies both static filter
  // parts into the remainder, where the other order left the remainder's
  // filter loop unpeeled, of dynamic size, and not vectorizable.
  transform.named_sequence @tile(%convs: !transform.any_op {transform.consumed}) {
    transform.foreach %convs : !transform.any_op {
    ^bb0(%conv: !transform.any_op):
      %tiled, %loops:5 = transform.structured.tile_using_for %conv
        tile_sizes [1, 1, TILE_OW, TILE_F, 1, 0, 0]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                  !transform.any_op, !transform.any_op, !transform.any_op,
                                  !transform.any_op)
      transform.include @peel failures(suppress) (%loops#3) : (!transform.any_op) -> ()
      transform.include @peel failures(suppress) (%loops#2) : (!transform.any_op) -> ()
    }
    transform.yield
  }

  // The same, one kernel column at a time: for weight gradients, whose
  // "kernel" is a whole output image (28x28 for LeNet-5's C1).
  transform.named_sequence @tile_columns(%convs: !transform.any_op {transform.consumed}) {
    transform.foreach %convs : !transform.any_op {
    ^bb0(%conv: !transform.any_op):
      %tiled, %loops:6 = transform.structured.tile_using_for %conv
        tile_sizes [1, 1, GRAD_OW, GRAD_F, 1, 1, 0]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                  !transform.any_op, !transform.any_op, !transform.any_op,
                                  !transform.any_op, !transform.any_op)
      transform.include @peel failures(suppress) (%loops#3) : (!transform.any_op) -> ()
      transform.include @peel failures(suppress) (%loops#2) : (!transform.any_op) -> ()
    }
    transform.yield
  }

  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %funcs = transform.structured.match ops{["func.func"]} in %root
      : (!transform.any_op) -> !transform.any_op
    // Weight gradients first: once
    // vectorized they are no longer convolutions for the second match.
    %grads = transform.structured.match ops{["linalg.conv_2d_nhwc_hwcf"]}
      attributes {nn.kernel = #nn.kernel<filter_grad_columns>} in %root : (!transform.any_op) -> !transform.any_op
    transform.include @tile_columns failures(propagate) (%grads) : (!transform.any_op) -> ()
    transform.apply_patterns to %funcs {
      transform.apply_patterns.canonicalization
    } : !transform.any_op
    %grad_tiles = transform.structured.match ops{["linalg.conv_2d_nhwc_hwcf"]}
      attributes {nn.kernel = #nn.kernel<filter_grad_columns>} in %root : (!transform.any_op) -> !transform.any_op
    %grad_rows = transform.structured.decompose %grad_tiles
      : (!transform.any_op) -> !transform.any_op
    transform.structured.vectorize %grad_rows : !transform.any_op
    %convs = transform.structured.match ops{["linalg.conv_2d_nhwc_hwcf"]}
      attributes {nn.kernel = #nn.kernel<filter_lanes>} in %root : (!transform.any_op) -> !transform.any_op
    transform.include @tile failures(propagate) (%convs) : (!transform.any_op) -> ()
    transform.apply_patterns to %funcs {
      transform.apply_patterns.canonicalization
    } : !transform.any_op
    %tiles = transform.structured.match ops{["linalg.conv_2d_nhwc_hwcf"]}
      attributes {nn.kernel = #nn.kernel<filter_lanes>} in %root : (!transform.any_op) -> !transform.any_op
    %rows = transform.structured.decompose %tiles
      : (!transform.any_op) -> !transform.any_op
    transform.structured.vectorize %rows : !transform.any_op
    transform.yield
  }
}
)mlir";

namespace {
struct NNScheduleConvsPass
    : nn::impl::NNScheduleConvsPassBase<NNScheduleConvsPass> {
  using Base::Base;

  void runOnOperation() override {
    // Tiles of the kernels' vector width in pixels and in filters; a
    // weight gradient's tile is half as many pixels (its kernel columns
    // are tiled too) and as many filter vectors as its accumulators
    // (pixels x vectors), weights and input fit in the registers with, up
    // to the widest gradient's filters: its "output" is the layer's kernel,
    // a few columns wide, so one vector of filters left FMAs waiting on
    // each other (a 3x3 kernel: 3 accumulators; bench/README.md measures
    // the change).
    nnc::TargetDescription target = nnc::TargetDescription::of(getOperation());
    int64_t lanes = target.kernelLanes;
    int64_t registers = target.kernelRegisters();
    int64_t columns = 1, filters = 1;
    getOperation().walk([&](linalg::Conv2DNhwcHwcfOp conv) {
      if (nn::kernelOf(conv) != nn::KernelKind::FilterGradColumns)
        return;
      ArrayRef<int64_t> out =
          cast<ShapedType>(conv.getOutputs()[0].getType()).getShape();
      columns = std::max(columns, std::min(out[2], lanes / 2));
      filters = std::max<int64_t>(filters, llvm::divideCeil(out[3], lanes));
    });
    int64_t gradFilters =
        std::clamp<int64_t>((registers - 1) / (columns + 1), 1, filters);
    if (failed(nnc::applyTransformScript(kSchedule, "conv-schedule",
                                         {{"TILE_OW", lanes},
                                          {"TILE_F", lanes},
                                          {"GRAD_OW", lanes / 2},
                                          {"GRAD_F", gradFilters * lanes}},
                                         getOperation(), schedule)))
      signalPassFailure();
  }

  nnc::TransformScript schedule;
};
} // namespace
