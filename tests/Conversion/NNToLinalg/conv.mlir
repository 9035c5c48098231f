// RUN: nn-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// Patches are a strided copy; padding embeds the image in zeros first.
// CHECK: #[[READ:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d3, d2 + d4, d5)>
// CHECK-LABEL: func.func @im2col(
//       CHECK:   %[[Z:.*]] = linalg.fill
//       CHECK:   %[[P:.*]] = tensor.insert_slice %{{.*}} into %[[Z]][0, 1, 0, 0] [2, 5, 6, 3] [1, 1, 1, 1] : tensor<2x5x6x3xf32> into tensor<2x7x6x3xf32>
//       CHECK:   %[[C:.*]] = linalg.generic {indexing_maps = [#[[READ]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[P]] : tensor<2x7x6x3xf32>)
//       CHECK:   tensor.collapse_shape %[[C]] {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<2x3x5x3x2x3xf32> into tensor<30x18xf32>
func.func @im2col(%x: tensor<2x5x6x3xf32>) -> tensor<30x18xf32> {
  %0 = nn.im2col %x {kernel = array<i64: 3, 2>, stride = array<i64: 2, 1>, padding = array<i64: 1, 0>} : tensor<2x5x6x3xf32> -> tensor<30x18xf32>
  return %0 : tensor<30x18xf32>
}

// -----

// Each kernel offset's slice of the rows adds onto the image window it came
// from (in the padded image, with the stride); 3 x 2 offsets, then the
// padding is cut off.
// CHECK-LABEL: func.func @col2im(
//       CHECK:   %[[ROWS:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1, 2], [3, 4, 5]] output_shape [2, 3, 5, 3, 2, 3]
//       CHECK:   %[[IMG:.*]] = linalg.fill {{.*}} -> tensor<2x7x6x3xf32>
//       CHECK:   %[[P0:.*]] = tensor.extract_slice %[[ROWS]][0, 0, 0, 0, 0, 0] [2, 3, 5, 1, 1, 3] [1, 1, 1, 1, 1, 1]
//       CHECK:   %[[W0:.*]] = tensor.extract_slice %[[IMG]][0, 0, 0, 0] [2, 3, 5, 3] [1, 2, 1, 1]
//       CHECK:   %[[S0:.*]] = linalg.generic {{.*}} ins(%[[P0]] : tensor<2x3x5x3xf32>) outs(%[[W0]] : tensor<2x3x5x3xf32>)
//       CHECK:     arith.addf
//       CHECK:   tensor.insert_slice %[[S0]] into %[[IMG]][0, 0, 0, 0] [2, 3, 5, 3] [1, 2, 1, 1]
// CHECK-COUNT-5:   tensor.insert_slice
//       CHECK:   tensor.extract_slice %{{.*}}[0, 1, 0, 0] [2, 5, 6, 3] [1, 1, 1, 1] : tensor<2x7x6x3xf32> to tensor<2x5x6x3xf32>
func.func @col2im(%r: tensor<30x18xf32>) -> tensor<2x5x6x3xf32> {
  %0 = nn.col2im %r {kernel = array<i64: 3, 2>, stride = array<i64: 2, 1>, padding = array<i64: 1, 0>} : tensor<30x18xf32> -> tensor<2x5x6x3xf32>
  return %0 : tensor<2x5x6x3xf32>
}

// -----

// Patches that tile the image (stride = kernel, no padding) hold each pixel
// once: one copy puts them in place, no zeros and no sums.
// CHECK: #[[ROWS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d3, d2, d4, d5)>
// CHECK-LABEL: func.func @col2im_tiles(
//   CHECK-NOT:   linalg.fill
//       CHECK:   %[[R:.*]] = tensor.expand_shape %{{.*}} output_shape [2, 2, 2, 2, 3, 3]
//       CHECK:   %[[C:.*]] = linalg.generic {indexing_maps = [#[[ROWS]], #{{.*}}], {{.*}} ins(%[[R]] : tensor<2x2x2x2x3x3xf32>) outs(%{{.*}} : tensor<2x2x2x2x3x3xf32>)
//  CHECK-NEXT:   ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
//  CHECK-NEXT:     linalg.yield %[[IN]]
//       CHECK:   tensor.collapse_shape %[[C]] {{\[}}[0], [1, 2], [3, 4], [5]] : tensor<2x2x2x2x3x3xf32> into tensor<2x4x6x3xf32>
//   CHECK-NOT:   tensor.insert_slice
func.func @col2im_tiles(%r: tensor<8x18xf32>) -> tensor<2x4x6x3xf32> {
  %0 = nn.col2im %r {kernel = array<i64: 2, 3>, stride = array<i64: 2, 3>, padding = array<i64: 0, 0>} : tensor<8x18xf32> -> tensor<2x4x6x3xf32>
  return %0 : tensor<2x4x6x3xf32>
}

// -----

// A kernel that covers the image (LeNet-5's C5: 5x5 on 5x5, stride 1) has
// one patch per image: the patches are the image, reshaped, not copied.
// CHECK-LABEL: func.func @im2col_whole_image(
//  CHECK-SAME:   %[[X:.*]]: tensor<2x5x5x3xf32>
//  CHECK-NEXT:   %[[P:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2, 3], [4], [5]] output_shape [2, 1, 1, 5, 5, 3]
//  CHECK-NEXT:   %[[R:.*]] = tensor.collapse_shape %[[P]] {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<2x1x1x5x5x3xf32> into tensor<2x75xf32>
//  CHECK-NEXT:   return %[[R]]
func.func @im2col_whole_image(%x: tensor<2x5x5x3xf32>) -> tensor<2x75xf32> {
  %0 = nn.im2col %x {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<2x5x5x3xf32> -> tensor<2x75xf32>
  return %0 : tensor<2x75xf32>
}

// -----

// A kernel that covers the image (LeNet-5's C5: 5x5 on 5x5, stride 1) has
// one patch per image: the rows are the image, reshaped.
// CHECK-LABEL: func.func @col2im_whole_image(
//       CHECK:   %[[R:.*]] = tensor.expand_shape %{{.*}} output_shape [2, 1, 1, 5, 5, 3]
//  CHECK-NEXT:   %[[I:.*]] = tensor.collapse_shape %[[R]] {{\[}}[0], [1, 2, 3], [4], [5]] : tensor<2x1x1x5x5x3xf32> into tensor<2x5x5x3xf32>
//  CHECK-NEXT:   return %[[I]]
func.func @col2im_whole_image(%r: tensor<2x75xf32>) -> tensor<2x5x5x3xf32> {
  %0 = nn.col2im %r {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<2x75xf32> -> tensor<2x5x5x3xf32>
  return %0 : tensor<2x5x5x3xf32>
}

// -----

// Kernel windows (the windows tile the image): the image reshaped to [N, OH, 2, OW, 2, C]
// and each window a pair of its dimensions, so that every operand is
// indexed by a projected permutation (vectorizable). An average sums its
// elements scaled by 1/4: no pass of its own scales the sums.
// CHECK: #[[IMG:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d3, d5)>
// CHECK-LABEL: func.func @avgpool(
//       CHECK:   %[[W:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2], [3, 4], [5]] output_shape [2, 2, 2, 3, 2, 3] : tensor<2x4x6x3xf32> into tensor<2x2x2x3x2x3xf32>
//       CHECK:   %[[P:.*]] = linalg.generic {indexing_maps = [#[[IMG]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]} ins(%[[W]] : tensor<2x2x2x3x2x3xf32>)
//  CHECK-NEXT:   ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
//  CHECK-NEXT:     %[[Q:.*]] = arith.constant 2.500000e-01 : f32
//  CHECK-NEXT:     %[[S:.*]] = arith.mulf %[[IN]], %[[Q]] : f32
//  CHECK-NEXT:     %[[SUM:.*]] = arith.addf %[[ACC]], %[[S]] : f32
//  CHECK-NEXT:     linalg.yield %[[SUM]]
//       CHECK:   return %[[P]]
func.func @avgpool(%x: tensor<2x4x6x3xf32>) -> tensor<2x2x3x3xf32> {
  %0 = nn.pool2d %x {kind = #nn.pool_kind<avg>, size = 2, stride = 2, nn.kernel = #nn.kernel<windows>} : tensor<2x4x6x3xf32> -> tensor<2x2x3x3xf32>
  return %0 : tensor<2x2x3x3xf32>
}

// -----

// Without a kernel, the same windows are gathered (the general form).
// CHECK: #[[READ:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d3)>
// CHECK-LABEL: func.func @avgpool_gather(
//       CHECK:   linalg.generic {indexing_maps = [#[[READ]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
func.func @avgpool_gather(%x: tensor<2x4x6x3xf32>) -> tensor<2x2x3x3xf32> {
  %0 = nn.pool2d %x {kind = #nn.pool_kind<avg>, size = 2, stride = 2} : tensor<2x4x6x3xf32> -> tensor<2x2x3x3xf32>
  return %0 : tensor<2x2x3x3xf32>
}

// -----

// Overlapping windows (stride 1) read the image through (oh + i, ow + j).
// CHECK: #[[READ:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d4, d2 + d5, d3)>
// CHECK-LABEL: func.func @maxpool_overlapping(
//       CHECK:   linalg.generic {indexing_maps = [#[[READ]], {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
//       CHECK:     arith.maximumf
func.func @maxpool_overlapping(%x: tensor<2x4x6x3xf32>) -> tensor<2x3x5x3xf32> {
  %0 = nn.pool2d %x {kind = #nn.pool_kind<max>, size = 2, stride = 1} : tensor<2x4x6x3xf32> -> tensor<2x3x5x3xf32>
  return %0 : tensor<2x3x5x3xf32>
}

// -----

// The adjoint of max pooling routes the gradient to the window's maximum,
// on the image as [N, OH, 2, OW, 2, C], then reshaped back.
// CHECK: #[[IMG:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d3, d5)>
// CHECK-LABEL: func.func @maxpool_grad(
//       CHECK:   %[[X:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2], [3, 4], [5]]
//       CHECK:   %[[G:.*]] = linalg.generic {indexing_maps = [#[[IMG]], #[[WIN]], #[[WIN]], #[[IMG]]], {{.*}} ins(%[[X]], %{{.*}}, %{{.*}} : tensor<2x2x2x3x2x3xf32>, tensor<2x2x3x3xf32>, tensor<2x2x3x3xf32>)
//       CHECK:     arith.cmpf oeq
//       CHECK:     arith.select
//       CHECK:   tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3, 4], [5]] : tensor<2x2x2x3x2x3xf32> into tensor<2x4x6x3xf32>
func.func @maxpool_grad(%x: tensor<2x4x6x3xf32>, %y: tensor<2x2x3x3xf32>) -> tensor<2x4x6x3xf32> {
  %0 = nn.pool2d_grad %x, %y, %y {kind = #nn.pool_kind<max>, size = 2, stride = 2} : tensor<2x4x6x3xf32>, tensor<2x2x3x3xf32>
  return %0 : tensor<2x4x6x3xf32>
}

// -----

// A direct convolution: the padded image, the filter copied into
// KH x KW x C x F, the bias broadcast over the output pixels, linalg's
// convolution accumulating onto it (with the op's kernel), then the rows.
// CHECK: #[[ROW:.*]] = affine_map<(d0, d1, d2, d3) -> ((d0 * 2 + d1) * 3 + d2, d3)>
// CHECK: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @conv2d(
//  CHECK-SAME:     %{{.*}}: tensor<2x5x6x3xf32>, %{{.*}}: tensor<18x4xf32>, %[[BIAS:.*]]: tensor<4xf32>
//       CHECK:   %[[P:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 1, 0] [2, 5, 6, 3] [1, 1, 1, 1] : tensor<2x5x6x3xf32> into tensor<2x7x8x3xf32>
//       CHECK:   %[[F:.*]] = linalg.generic {indexing_maps = [#[[ROW]], #{{.*}}]{{.*}} ins(%{{.*}} : tensor<18x4xf32>) outs(%{{.*}} : tensor<3x2x3x4xf32>)
//       CHECK:   %[[B:.*]] = linalg.generic {indexing_maps = [#[[CHANNEL]], #{{.*}}]{{.*}} ins(%[[BIAS]] : tensor<4xf32>) outs(%{{.*}} : tensor<2x3x7x4xf32>)
//       CHECK:   %[[C:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<filter_lanes>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%[[P]], %[[F]] : tensor<2x7x8x3xf32>, tensor<3x2x3x4xf32>) outs(%[[B]] : tensor<2x3x7x4xf32>)
//       CHECK:   tensor.collapse_shape %[[C]] {{\[}}[0, 1, 2], [3]] : tensor<2x3x7x4xf32> into tensor<42x4xf32>
func.func @conv2d(%x: tensor<2x5x6x3xf32>, %w: tensor<18x4xf32>, %b: tensor<4xf32>) -> tensor<42x4xf32> {
  %0 = nn.conv2d %x, %w, %b {kernel = array<i64: 3, 2>, stride = array<i64: 2, 1>, padding = array<i64: 1, 1>, nn.kernel = #nn.kernel<filter_lanes>} : tensor<2x5x6x3xf32>, tensor<18x4xf32>, tensor<4xf32> -> tensor<42x4xf32>
  return %0 : tensor<42x4xf32>
}

// -----

// A weight gradient: the padded image as [C, H, W, N], the output
// gradient's rows as an [OH, OW, N, F] filter, their convolution (kernel
// filter_grad_columns, for the schedule), then its [C, KH, KW, F] result
// reordered into (kh, kw, c) rows.
// CHECK: #[[CHWN:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d1, d2, d0)>
// CHECK: #[[FILTER:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d0, d1, d3)>
// CHECK-LABEL: func.func @filter_grad(
//       CHECK:   %[[G:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1, 2], [3]] output_shape [2, 5, 7, 4] : tensor<70x4xf32> into tensor<2x5x7x4xf32>
//       CHECK:   %[[P:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 1, 0] [2, 5, 6, 3] [1, 1, 1, 1] : tensor<2x5x6x3xf32> into tensor<2x7x8x3xf32>
//       CHECK:   %[[I:.*]] = linalg.generic {indexing_maps = [#[[CHWN]], #{{.*}}]{{.*}} ins(%[[P]] : tensor<2x7x8x3xf32>) outs(%{{.*}} : tensor<3x7x8x2xf32>)
//       CHECK:   %[[F:.*]] = linalg.generic {indexing_maps = [#[[FILTER]], #{{.*}}]{{.*}} ins(%[[G]] : tensor<2x5x7x4xf32>) outs(%{{.*}} : tensor<5x7x2x4xf32>)
//       CHECK:   %[[C:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<filter_grad_columns>, strides = dense<1> : tensor<2xi64>} ins(%[[I]], %[[F]] : tensor<3x7x8x2xf32>, tensor<5x7x2x4xf32>) outs(%{{.*}} : tensor<3x3x2x4xf32>)
//       CHECK:   %[[W:.*]] = linalg.generic {indexing_maps = [#[[FILTER]], #{{.*}}]{{.*}} ins(%[[C]] : tensor<3x3x2x4xf32>) outs(%{{.*}} : tensor<3x2x3x4xf32>)
//       CHECK:   tensor.collapse_shape %[[W]] {{\[}}[0, 1, 2], [3]] : tensor<3x2x3x4xf32> into tensor<18x4xf32>
func.func @filter_grad(%x: tensor<2x5x6x3xf32>, %dy: tensor<70x4xf32>) -> tensor<18x4xf32> {
  %0 = nn.conv2d_filter_grad %x, %dy {kernel = array<i64: 3, 2>, padding = array<i64: 1, 1>, nn.kernel = #nn.kernel<filter_grad_columns>} : tensor<2x5x6x3xf32>, tensor<70x4xf32> -> tensor<18x4xf32>
  return %0 : tensor<18x4xf32>
}

// -----

// Kernel filter_grad_pixel_lanes (one input channel, 3 filters over rows
// of 16 pixels): a reduction over (n, oh, ow) on the image itself, for
// nn-conv-kernels.
// CHECK: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0 + d4, d1 + d5)>
// CHECK: #[[DY:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4, d5, d2)>
// CHECK: #[[DW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @filter_grad_one_channel(
//  CHECK-SAME:     %[[IN:.*]]: tensor<2x6x18x1xf32>, %[[D:.*]]: tensor<128x3xf32>
//       CHECK:   %[[G:.*]] = tensor.expand_shape %[[D]] {{\[}}[0, 1, 2], [3]] output_shape [2, 4, 16, 3]
//       CHECK:   %[[IMG:.*]] = tensor.collapse_shape %[[IN]] {{\[}}[0], [1], [2, 3]] : tensor<2x6x18x1xf32> into tensor<2x6x18xf32>
//       CHECK:   %[[S:.*]] = linalg.generic {indexing_maps = [#[[X]], #[[DY]], #[[DW]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[IMG]], %[[G]] : tensor<2x6x18xf32>, tensor<2x4x16x3xf32>) outs(%{{.*}} : tensor<3x3x3xf32>) attrs =  {nn.kernel = #nn.kernel<filter_grad_pixel_lanes>}
//       CHECK:     arith.mulf
//       CHECK:     arith.addf
//       CHECK:   tensor.collapse_shape %[[S]] {{\[}}[0, 1], [2]] : tensor<3x3x3xf32> into tensor<9x3xf32>
func.func @filter_grad_one_channel(%x: tensor<2x6x18x1xf32>, %dy: tensor<128x3xf32>) -> tensor<9x3xf32> {
  %0 = nn.conv2d_filter_grad %x, %dy {kernel = array<i64: 3, 3>, padding = array<i64: 0, 0>, nn.kernel = #nn.kernel<filter_grad_pixel_lanes>} : tensor<2x6x18x1xf32>, tensor<128x3xf32> -> tensor<9x3xf32>
  return %0 : tensor<9x3xf32>
}

// -----

// The same without a kernel: the general form, a convolution the loops
// compute.
// CHECK-LABEL: func.func @filter_grad_one_channel_general(
//       CHECK:   linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x6x18x2xf32>, tensor<4x16x2x3xf32>)
func.func @filter_grad_one_channel_general(%x: tensor<2x6x18x1xf32>, %dy: tensor<128x3xf32>) -> tensor<9x3xf32> {
  %0 = nn.conv2d_filter_grad %x, %dy {kernel = array<i64: 3, 3>, padding = array<i64: 0, 0>} : tensor<2x6x18x1xf32>, tensor<128x3xf32> -> tensor<9x3xf32>
  return %0 : tensor<9x3xf32>
}

// -----

// An input gradient: the gradient channel-planar ([2, 4, 5, 7]) inside a
// zero border of K - 1 - p pixels (1 row, no columns for the 3x2 kernel
// with padding 1), the weight rotated by 180 degrees as [KH, KW, F, C],
// and their convolution, of kernel input_grad_pixel_lanes for
// nn-conv-kernels with the rows of the planar input that are not border.
// CHECK: #[[PLANAR:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
// CHECK: #[[ROTATE:.*]] = affine_map<(d0, d1, d2, d3) -> (((-d0 + 2) * 2 - d1 + 1) * 3 + d3, d2)>
// CHECK: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d1 + d5, d2 + d6)>
// CHECK: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d5, d6, d4, d3)>
// CHECK-LABEL: func.func @input_grad(
//  CHECK-SAME:     %[[DY:.*]]: tensor<70x4xf32>, %[[WT:.*]]: tensor<18x4xf32>
//       CHECK:   %[[G:.*]] = tensor.expand_shape %[[DY]] {{\[}}[0, 1, 2], [3]] output_shape [2, 5, 7, 4]
//       CHECK:   %[[T:.*]] = linalg.generic {indexing_maps = [#[[PLANAR]], #{{.*}}]{{.*}} ins(%[[G]] : tensor<2x5x7x4xf32>) outs(%{{.*}} : tensor<2x4x5x7xf32>)
//       CHECK:   %[[P:.*]] = tensor.insert_slice %[[T]] into %{{.*}}[0, 0, 1, 0] [2, 4, 5, 7] [1, 1, 1, 1] : tensor<2x4x5x7xf32> into tensor<2x4x7x7xf32>
//       CHECK:   %[[R:.*]] = linalg.generic {indexing_maps = [#[[ROTATE]], #{{.*}}]{{.*}} ins(%[[WT]] : tensor<18x4xf32>) outs(%{{.*}} : tensor<3x2x4x3xf32>)
//       CHECK:   %[[Z:.*]] = linalg.fill {{.*}} -> tensor<2x5x6x3xf32>
//       CHECK:   %[[DX:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[W]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[P]], %[[R]] : tensor<2x4x7x7xf32>, tensor<3x2x4x3xf32>) outs(%[[Z]] : tensor<2x5x6x3xf32>) attrs =  {nn.kernel = #nn.kernel<input_grad_pixel_lanes, rows = [1, 5]>}
//       CHECK:   return %[[DX]]
func.func @input_grad(%dy: tensor<70x4xf32>, %w: tensor<18x4xf32>) -> tensor<2x5x6x3xf32> {
  %0 = nn.conv2d_input_grad %dy, %w {kernel = array<i64: 3, 2>, padding = array<i64: 1, 1>, nn.kernel = #nn.kernel<input_grad_pixel_lanes>} : tensor<70x4xf32>, tensor<18x4xf32> -> tensor<2x5x6x3xf32>
  return %0 : tensor<2x5x6x3xf32>
}
