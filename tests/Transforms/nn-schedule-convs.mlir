// RUN: nn-opt %s --nn-schedule-convs -split-input-file | FileCheck %s

// LeNet-5's C3 with 12 filters (kernel filter_lanes: 12 is not a multiple
// of 16, so not for the row kernel): its output rows of 10 pixels are one tile (single-trip loops
// fold away), the 12 filters one tile; per kernel row (kh) a 1-D
// convolution, vectorized: the 10 output pixels by 12 filters accumulate
// one contraction over the 6 input channels per kernel column.
// CHECK-LABEL: func.func @c3_12(
//       CHECK:   scf.for {{.*}} to %c64
//       CHECK:     scf.for {{.*}} to %c10
//       CHECK:       scf.for {{.*}} to %c5
//       CHECK:         tensor.extract_slice %{{.*}}[%{{.*}}, %{{.*}}, 0, 0] [1, 1, 14, 6]
//       CHECK:         vector.transfer_read {{.*}} vector<1x10x12xf32>
// CHECK-COUNT-5:       vector.contract {{.*}} : vector<1x10x6xf32>, vector<6x12xf32> into vector<1x10x12xf32>
//       CHECK:         vector.transfer_write {{.*}} vector<1x10x12xf32>
//   CHECK-NOT:   scf.for
//   CHECK-NOT:   linalg.conv_2d_nhwc_hwcf
func.func @c3_12(%x: tensor<64x14x14x6xf32>, %w: tensor<5x5x6x12xf32>, %init: tensor<64x10x10x12xf32>) -> tensor<64x10x10x12xf32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<filter_lanes>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<64x14x14x6xf32>, tensor<5x5x6x12xf32>) outs(%init : tensor<64x10x10x12xf32>) -> tensor<64x10x10x12xf32>
  return %y : tensor<64x10x10x12xf32>
}

// -----

// LeNet-5's C3 itself (16 filters, stride 1): kernel filter_rows, the row
// kernel of nn-conv-kernels, which runs on buffers; left alone here.
// CHECK-LABEL: func.func @c3(
//       CHECK:   linalg.conv_2d_nhwc_hwcf {{.*}}nn.kernel = #nn.kernel<filter_rows>
//   CHECK-NOT:   vector.contract
func.func @c3(%x: tensor<64x14x14x6xf32>, %w: tensor<5x5x6x16xf32>, %init: tensor<64x10x10x16xf32>) -> tensor<64x10x10x16xf32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<filter_rows>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<64x14x14x6xf32>, tensor<5x5x6x16xf32>) outs(%init : tensor<64x10x10x16xf32>) -> tensor<64x10x10x16xf32>
  return %y : tensor<64x10x10x16xf32>
}

// -----

// LeNet-5's C1: one input channel and 6 filters, kernel pixel_lanes (for
// nn-conv-kernels); left alone here.
// CHECK-LABEL: func.func @c1(
//       CHECK:   linalg.conv_2d_nhwc_hwcf {{.*}}nn.kernel = #nn.kernel<pixel_lanes>
//   CHECK-NOT:   vector.contract
func.func @c1(%x: tensor<64x32x32x1xf32>, %w: tensor<5x5x1x6xf32>, %init: tensor<64x28x28x6xf32>) -> tensor<64x28x28x6xf32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<pixel_lanes>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<64x32x32x1xf32>, tensor<5x5x1x6xf32>) outs(%init : tensor<64x28x28x6xf32>) -> tensor<64x28x28x6xf32>
  return %y : tensor<64x28x28x6xf32>
}

// -----

// A weight gradient (kernel filter_grad_columns), LeNet-5's C1: the "kernel" is
// the 28x28 output gradient, so it is tiled one kernel column at a time
// too; per output row (5 pixels of 6 filters), 28 x 28 contractions over
// the 64 samples.
// CHECK-LABEL: func.func @c1_filter_grad(
//       CHECK:   scf.for {{.*}} to %c5
//       CHECK:     scf.for {{.*}} to %c28
//       CHECK:       scf.for {{.*}} to %c28
//       CHECK:         vector.transfer_read {{.*}} vector<1x5x64xf32>
//       CHECK:         vector.contract {{.*}} : vector<1x5x64xf32>, vector<64x6xf32> into vector<1x5x6xf32>
//   CHECK-NOT:   linalg.conv_2d_nhwc_hwcf
func.func @c1_filter_grad(%x: tensor<1x32x32x64xf32>, %g: tensor<28x28x64x6xf32>, %init: tensor<1x5x5x6xf32>) -> tensor<1x5x5x6xf32> {
  %y = linalg.conv_2d_nhwc_hwcf {nn.kernel = #nn.kernel<filter_grad_columns>, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %g : tensor<1x32x32x64xf32>, tensor<28x28x64x6xf32>) outs(%init : tensor<1x5x5x6xf32>) -> tensor<1x5x5x6xf32>
  return %y : tensor<1x5x5x6xf32>
}

// -----

// A convolution without nn.kernel is left to the loops.
// CHECK-LABEL: func.func @unmarked(
//       CHECK:   linalg.conv_2d_nhwc_hwcf
//   CHECK-NOT:   vector.contract
func.func @unmarked(%x: tensor<64x14x14x6xf32>, %w: tensor<5x5x6x12xf32>, %init: tensor<64x10x10x12xf32>) -> tensor<64x10x10x12xf32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<64x14x14x6xf32>, tensor<5x5x6x12xf32>) outs(%init : tensor<64x10x10x12xf32>) -> tensor<64x10x10x12xf32>
  return %y : tensor<64x10x10x12xf32>
}

// -----

// A weight gradient of a 3x3 kernel into 64 filters: its "output" rows are
// 3 columns, so its tiles take 4 vectors of filters (12 accumulators, as
// many as the registers hold with the weights and the input), not one (3
// accumulators, the FMAs waiting on each other): one contraction per
// (kh, kernel pixel) of all 64 filters.
// CHECK-LABEL: func.func @wide_filter_grad(
//       CHECK:   scf.for {{.*}} to %c14
//       CHECK:     scf.for {{.*}} to %c14
//       CHECK:       vector.contract {{.*}} : vector<1x3x8xf32>, vector<8x64xf32> into vector<1x3x64xf32>
func.func @wide_filter_grad(%x: tensor<2x16x16x8xf32>, %g: tensor<14x14x8x64xf32>, %init: tensor<2x3x3x64xf32>) -> tensor<2x3x3x64xf32> {
  %y = linalg.conv_2d_nhwc_hwcf {nn.kernel = #nn.kernel<filter_grad_columns>, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %g : tensor<2x16x16x8xf32>, tensor<14x14x8x64xf32>) outs(%init : tensor<2x3x3x64xf32>) -> tensor<2x3x3x64xf32>
  return %y : tensor<2x3x3x64xf32>
}
