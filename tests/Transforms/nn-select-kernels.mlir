// RUN: nn-opt %s --nn-select-kernels -split-input-file | FileCheck %s
// RUN: nn-opt %s --nn-select-kernels=direct-convolutions=false -split-input-file | FileCheck %s --check-prefix=PLAIN

// The plain pipeline keeps every im2col and matmul; the kernels are still
// chosen (the conversion's form of pooling reads them).
// PLAIN-LABEL: func.func @predict(
//       PLAIN:   nn.im2col
//       PLAIN:   nn.dense {{.*}} {nn.kernel = #nn.kernel<tiled>}

// Inference: the dense of patch rows becomes a convolution of the image
// and the im2col goes.
// CHECK-LABEL: func.func @predict(
//  CHECK-SAME:     %[[X:.*]]: tensor<2x12x12x1xf32>, %[[W:.*]]: tensor<25x6xf32>, %[[B:.*]]: tensor<6xf32>
//   CHECK-NOT:   nn.im2col
//       CHECK:   %[[Y:.*]] = nn.conv2d %[[X]], %[[W]], %[[B]] {kernel = array<i64: 5, 5>, nn.kernel = #nn.kernel<filter_lanes>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : tensor<2x12x12x1xf32>, tensor<25x6xf32>, tensor<6xf32> -> tensor<128x6xf32>
//       CHECK:   return %[[Y]]
func.func @predict(%x: tensor<2x12x12x1xf32>, %w: tensor<25x6xf32>, %b: tensor<6xf32>) -> tensor<128x6xf32> {
  %r = nn.im2col %x {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<2x12x12x1xf32> -> tensor<128x25xf32>
  %y = nn.dense %r, %w, %b : tensor<128x25xf32>, tensor<25x6xf32>, tensor<6xf32> -> tensor<128x6xf32>
  return %y : tensor<128x6xf32>
}

// -----

// Training: the weight gradient, rowsᵀ · dy, is computed from the image
// too, and no im2col is left.
// CHECK-LABEL: func.func @step(
//  CHECK-SAME:     %[[X:.*]]: tensor<2x12x12x1xf32>, %{{.*}}: tensor<25x6xf32>, %{{.*}}: tensor<6xf32>, %[[DY:.*]]: tensor<128x6xf32>
//   CHECK-NOT:   nn.im2col
//       CHECK:   nn.conv2d %[[X]]
//       CHECK:   nn.conv2d_filter_grad %[[X]], %[[DY]] {kernel = array<i64: 5, 5>, nn.kernel = #nn.kernel<filter_grad_columns>, padding = array<i64: 0, 0>} : tensor<2x12x12x1xf32>, tensor<128x6xf32> -> tensor<25x6xf32>
func.func @step(%x: tensor<2x12x12x1xf32>, %w: tensor<25x6xf32>, %b: tensor<6xf32>, %dy: tensor<128x6xf32>) -> (tensor<128x6xf32>, tensor<25x6xf32>) {
  %r = nn.im2col %x {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<2x12x12x1xf32> -> tensor<128x25xf32>
  %y = nn.dense %r, %w, %b : tensor<128x25xf32>, tensor<25x6xf32>, tensor<6xf32> -> tensor<128x6xf32>
  %rt = nn.transpose %r : tensor<128x25xf32> -> tensor<25x128xf32>
  %dw = nn.matmul %rt, %dy : tensor<25x128xf32>, tensor<128x6xf32> -> tensor<25x6xf32>
  return %y, %dw : tensor<128x6xf32>, tensor<25x6xf32>
}

// -----

// A strided convolution's weight gradient stays a matmul on the rows (its
// rows skip pixels); its forward is direct.
// CHECK-LABEL: func.func @strided(
//       CHECK:   %[[R:.*]] = nn.im2col
//       CHECK:   nn.conv2d
//       CHECK:   %[[RT:.*]] = nn.transpose %[[R]]
//       CHECK:   nn.matmul %[[RT]]
//   CHECK-NOT:   nn.conv2d_filter_grad
func.func @strided(%x: tensor<2x20x20x1xf32>, %w: tensor<9x6xf32>, %b: tensor<6xf32>, %dy: tensor<162x6xf32>) -> (tensor<162x6xf32>, tensor<9x6xf32>) {
  %r = nn.im2col %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<2x20x20x1xf32> -> tensor<162x9xf32>
  %y = nn.dense %r, %w, %b : tensor<162x9xf32>, tensor<9x6xf32>, tensor<6xf32> -> tensor<162x6xf32>
  %rt = nn.transpose %r : tensor<162x9xf32> -> tensor<9x162xf32>
  %dw = nn.matmul %rt, %dy : tensor<9x162xf32>, tensor<162x6xf32> -> tensor<9x6xf32>
  return %y, %dw : tensor<162x6xf32>, tensor<9x6xf32>
}

// -----

// Output rows narrower than the 8-pixel tile stay on im2col and a matmul:
// here one output pixel, so the rows are the image itself.
// CHECK-LABEL: func.func @narrow(
//       CHECK:   nn.im2col
//       CHECK:   nn.dense
//   CHECK-NOT:   nn.conv2d
func.func @narrow(%x: tensor<2x5x5x16xf32>, %w: tensor<400x120xf32>, %b: tensor<120xf32>) -> tensor<2x120xf32> {
  %r = nn.im2col %x {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<2x5x5x16xf32> -> tensor<2x400xf32>
  %y = nn.dense %r, %w, %b : tensor<2x400xf32>, tensor<400x120xf32>, tensor<120xf32> -> tensor<2x120xf32>
  return %y : tensor<2x120xf32>
}

// -----

// The input gradient of a convolution into few channels (6 < 16), rows
// 12 pixels wide: computed from the gradient and the weight directly, no
// patch rows.
// CHECK-LABEL: func.func @input_grad_direct(
//  CHECK-SAME:     %[[DY:.*]]: tensor<128x4xf32>, %[[W:.*]]: tensor<150x4xf32>
//   CHECK-NOT:   nn.matmul
//       CHECK:   %[[DX:.*]] = nn.conv2d_input_grad %[[DY]], %[[W]] {kernel = array<i64: 5, 5>, nn.kernel = #nn.kernel<input_grad_pixel_lanes>, padding = array<i64: 0, 0>} : tensor<128x4xf32>, tensor<150x4xf32> -> tensor<2x12x12x6xf32>
//   CHECK-NOT:   nn.col2im
//       CHECK:   return %[[DX]]
func.func @input_grad_direct(%dy: tensor<128x4xf32>, %w: tensor<150x4xf32>) -> tensor<2x12x12x6xf32> {
  %wt = nn.transpose %w : tensor<150x4xf32> -> tensor<4x150xf32>
  %r = nn.matmul %dy, %wt : tensor<128x4xf32>, tensor<4x150xf32> -> tensor<128x150xf32>
  %dx = nn.col2im %r {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<128x150xf32> -> tensor<2x12x12x6xf32>
  return %dx : tensor<2x12x12x6xf32>
}

// -----

// Sixteen channels fill the lanes as they are: the input gradient stays a
// product and col2im (its rows fit, so in one piece).
// CHECK-LABEL: func.func @input_grad_many_channels(
//   CHECK-NOT:   nn.conv2d_input_grad
//       CHECK:   nn.matmul
//       CHECK:   nn.col2im
func.func @input_grad_many_channels(%dy: tensor<32x4xf32>, %w: tensor<144x4xf32>) -> tensor<2x6x6x16xf32> {
  %wt = nn.transpose %w : tensor<144x4xf32> -> tensor<4x144xf32>
  %r = nn.matmul %dy, %wt : tensor<32x4xf32>, tensor<4x144xf32> -> tensor<32x144xf32>
  %dx = nn.col2im %r {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<32x144xf32> -> tensor<2x6x6x16xf32>
  return %dx : tensor<2x6x6x16xf32>
}

// -----

// An input gradient whose patch rows (200 KB per image) would not fit in
// 512 KB for the batch: made two images at a time in a loop, each chunk's
// image inserted into the result. (Its weight is no transpose, so the
// direct input gradient above does not apply.)
// CHECK-LABEL: func.func @input_grad(
//  CHECK-SAME:     %[[DY:.*]]: tensor<1024x16xf32>, %[[WT:.*]]: tensor<16x200xf32>
//       CHECK:   %[[INIT:.*]] = tensor.empty() : tensor<4x20x20x8xf32>
//       CHECK:   %[[DX:.*]] = scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]])
//       CHECK:     %[[ROW:.*]] = arith.muli %[[N]], %{{.*}} : index
//       CHECK:     %[[PART:.*]] = tensor.extract_slice %[[DY]][%[[ROW]], 0] [512, 16] [1, 1]
//       CHECK:     %[[ROWS:.*]] = nn.matmul %[[PART]], %[[WT]] {nn.kernel = #nn.kernel<tiled>} : tensor<512x16xf32>, tensor<16x200xf32> -> tensor<512x200xf32>
//       CHECK:     %[[IMG:.*]] = nn.col2im %[[ROWS]] {{.*}} -> tensor<2x20x20x8xf32>
//       CHECK:     %[[NEXT:.*]] = tensor.insert_slice %[[IMG]] into %[[ACC]][%[[N]], 0, 0, 0] [2, 20, 20, 8] [1, 1, 1, 1]
//       CHECK:     scf.yield %[[NEXT]]
//       CHECK:   return %[[DX]]
func.func @input_grad(%dy: tensor<1024x16xf32>, %wt: tensor<16x200xf32>) -> tensor<4x20x20x8xf32> {
  %r = nn.matmul %dy, %wt : tensor<1024x16xf32>, tensor<16x200xf32> -> tensor<1024x200xf32>
  %dx = nn.col2im %r {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1024x200xf32> -> tensor<4x20x20x8xf32>
  return %dx : tensor<4x20x20x8xf32>
}

// -----

// Rows that fit (40 KB for the batch) are made at once.
// CHECK-LABEL: func.func @small_input_grad(
//   CHECK-NOT:   scf.for
//       CHECK:   nn.matmul {{.*}} -> tensor<128x25xf32>
//       CHECK:   nn.col2im
func.func @small_input_grad(%dy: tensor<128x16xf32>, %wt: tensor<16x25xf32>) -> tensor<2x12x12x1xf32> {
  %r = nn.matmul %dy, %wt : tensor<128x16xf32>, tensor<16x25xf32> -> tensor<128x25xf32>
  %dx = nn.col2im %r {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<128x25xf32> -> tensor<2x12x12x1xf32>
  return %dx : tensor<2x12x12x1xf32>
}

// -----

// The kernels of forward convolutions: one input channel into fewer
// filters than the kernel lanes (16) over rows of at least 16 pixels puts
// pixels in the lanes; stride 1 into a multiple of 16 filters, the row
// kernel; anything else, the script's filter-lane tiles.
// CHECK-LABEL: func.func @conv_kernels(
//       CHECK:   nn.conv2d {{.*}}nn.kernel = #nn.kernel<pixel_lanes>{{.*}} -> tensor<800x6xf32>
//       CHECK:   nn.conv2d {{.*}}nn.kernel = #nn.kernel<filter_rows>{{.*}} -> tensor<200x16xf32>
//       CHECK:   nn.conv2d {{.*}}nn.kernel = #nn.kernel<filter_lanes>{{.*}} -> tensor<50x16xf32>
//       CHECK:   nn.conv2d {{.*}}nn.kernel = #nn.kernel<filter_lanes>{{.*}} -> tensor<800x6xf32>
func.func @conv_kernels(%x: tensor<2x20x20x1xf32>, %w: tensor<25x6xf32>, %b: tensor<6xf32>,
                        %x6: tensor<2x14x14x6xf32>, %w6: tensor<150x16xf32>, %b16: tensor<16xf32>,
                        %x3: tensor<2x20x20x3xf32>, %w3: tensor<75x6xf32>)
    -> (tensor<800x6xf32>, tensor<200x16xf32>, tensor<50x16xf32>, tensor<800x6xf32>) {
  %0 = nn.conv2d %x, %w, %b {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 2, 2>} : tensor<2x20x20x1xf32>, tensor<25x6xf32>, tensor<6xf32> -> tensor<800x6xf32>
  %1 = nn.conv2d %x6, %w6, %b16 {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<2x14x14x6xf32>, tensor<150x16xf32>, tensor<16xf32> -> tensor<200x16xf32>
  %2 = nn.conv2d %x6, %w6, %b16 {kernel = array<i64: 5, 5>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>} : tensor<2x14x14x6xf32>, tensor<150x16xf32>, tensor<16xf32> -> tensor<50x16xf32>
  %3 = nn.conv2d %x3, %w3, %b {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 2, 2>} : tensor<2x20x20x3xf32>, tensor<75x6xf32>, tensor<6xf32> -> tensor<800x6xf32>
  return %0, %1, %2, %3 : tensor<800x6xf32>, tensor<200x16xf32>, tensor<50x16xf32>, tensor<800x6xf32>
}

// -----

// Weight gradients: one channel and few filters over rows of 16 pixels or
// more get pixels in the lanes; others the convolution by the gradient.
// CHECK-LABEL: func.func @filter_grad_kernels(
//       CHECK:   nn.conv2d_filter_grad {{.*}}nn.kernel = #nn.kernel<filter_grad_pixel_lanes>
//       CHECK:   nn.conv2d_filter_grad {{.*}}nn.kernel = #nn.kernel<filter_grad_columns>
func.func @filter_grad_kernels(%x: tensor<2x20x20x1xf32>, %dy: tensor<512x6xf32>,
                               %x6: tensor<2x14x14x6xf32>, %dy16: tensor<200x16xf32>)
    -> (tensor<25x6xf32>, tensor<150x16xf32>) {
  %0 = nn.conv2d_filter_grad %x, %dy {kernel = array<i64: 5, 5>, padding = array<i64: 0, 0>} : tensor<2x20x20x1xf32>, tensor<512x6xf32> -> tensor<25x6xf32>
  %1 = nn.conv2d_filter_grad %x6, %dy16 {kernel = array<i64: 5, 5>, padding = array<i64: 0, 0>} : tensor<2x14x14x6xf32>, tensor<200x16xf32> -> tensor<150x16xf32>
  return %0, %1 : tensor<25x6xf32>, tensor<150x16xf32>
}

// -----

// Matmuls of one or two rows get the narrow kernel, unless their left
// operand is a transpose (read in place, which that kernel does not
// take); pooling whose windows tile the image, the windows kernel.
// CHECK-LABEL: func.func @matmul_and_pool_kernels(
//       CHECK:   nn.dense {{.*}}{nn.kernel = #nn.kernel<narrow>} {{.*}} -> tensor<2x10xf32>
//       CHECK:   nn.dense {{.*}}{nn.kernel = #nn.kernel<tiled>} {{.*}} -> tensor<3x10xf32>
//       CHECK:   %[[T:.*]] = nn.transpose
//       CHECK:   nn.matmul %[[T]], {{.*}}{nn.kernel = #nn.kernel<tiled>} {{.*}} -> tensor<2x10xf32>
//       CHECK:   nn.pool2d {{.*}}nn.kernel = #nn.kernel<windows>{{.*}} -> tensor<2x2x3x3xf32>
//       CHECK:   nn.pool2d {{.*}}nn.kernel = #nn.kernel<gather>{{.*}} -> tensor<2x1x2x3xf32>
//       CHECK:   nn.pool2d {{.*}}nn.kernel = #nn.kernel<gather>{{.*}} -> tensor<2x3x5x3xf32>
func.func @matmul_and_pool_kernels(%x2: tensor<2x8xf32>, %x3: tensor<3x8xf32>, %w: tensor<8x10xf32>,
                                   %b: tensor<10xf32>, %u: tensor<8x2xf32>, %img: tensor<2x4x6x3xf32>,
                                   %odd: tensor<2x5x7x3xf32>)
    -> (tensor<2x10xf32>, tensor<3x10xf32>, tensor<2x10xf32>, tensor<2x2x3x3xf32>, tensor<2x1x2x3xf32>, tensor<2x3x5x3xf32>) {
  %0 = nn.dense %x2, %w, %b : tensor<2x8xf32>, tensor<8x10xf32>, tensor<10xf32> -> tensor<2x10xf32>
  %1 = nn.dense %x3, %w, %b : tensor<3x8xf32>, tensor<8x10xf32>, tensor<10xf32> -> tensor<3x10xf32>
  %t = nn.transpose %u : tensor<8x2xf32> -> tensor<2x8xf32>
  %2 = nn.matmul %t, %w : tensor<2x8xf32>, tensor<8x10xf32> -> tensor<2x10xf32>
  %3 = nn.pool2d %img {kind = #nn.pool_kind<max>, size = 2, stride = 2} : tensor<2x4x6x3xf32> -> tensor<2x2x3x3xf32>
  %4 = nn.pool2d %odd {kind = #nn.pool_kind<max>, size = 3, stride = 3} : tensor<2x5x7x3xf32> -> tensor<2x1x2x3xf32>
  %5 = nn.pool2d %img {kind = #nn.pool_kind<avg>, size = 2, stride = 1} : tensor<2x4x6x3xf32> -> tensor<2x3x5x3xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x10xf32>, tensor<3x10xf32>, tensor<2x10xf32>, tensor<2x2x3x3xf32>, tensor<2x1x2x3xf32>, tensor<2x3x5x3xf32>
}
