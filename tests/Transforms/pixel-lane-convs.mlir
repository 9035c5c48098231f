// RUN: nn-opt %s --nn-pixel-lane-convs -split-input-file -verify-diagnostics | FileCheck %s

// 4 output rows of 18 pixels, 3 filters: two rows per step, a tile of 16
// pixels and a masked tile of 2. Each of the 4 input rows a step reads is
// loaded once per kernel column (3) and serves the output rows whose
// window it is in: 2 x 3 x 3 x 3 = 54 FMAs of 16 pixels per tile. The
// accumulators are interleaved into NHWC by one shuffle per row.
// CHECK-LABEL: func.func @conv(
//  CHECK-SAME:     %[[IN:.*]]: memref<1x6x20x1xf32>, %[[W:.*]]: memref<3x3x1x3xf32>, %[[OUT:.*]]: memref<1x4x18x3xf32>
//   CHECK-DAG:   %[[I:.*]] = memref.collapse_shape %[[IN]] {{\[}}[0], [1], [2, 3]] : memref<1x6x20x1xf32> into memref<1x6x20xf32>
//   CHECK-DAG:   %[[O:.*]] = memref.collapse_shape %[[OUT]] {{\[}}[0], [1], [2, 3]] : memref<1x4x18x3xf32> into memref<1x4x54xf32>
//       CHECK:   scf.for
//       CHECK:     scf.for
//       CHECK:       scf.for
//       CHECK:         vector.load %[[O]]{{.*}} : memref<1x4x54xf32>, vector<48xf32>
//       CHECK:         vector.load %[[I]]{{.*}} : memref<1x6x20xf32>, vector<16xf32>
// CHECK-COUNT-54:      vector.fma {{.*}} : vector<16xf32>
//       CHECK:         vector.shuffle {{.*}} : vector<48xf32>, vector<48xf32>
//       CHECK:         vector.store {{.*}}, %[[O]]{{.*}} : memref<1x4x54xf32>, vector<48xf32>
//       CHECK:       }
//       CHECK:       vector.maskedload %[[O]]
// CHECK-COUNT-54:    vector.fma {{.*}} : vector<16xf32>
//       CHECK:       vector.maskedstore %[[O]]
//   CHECK-NOT:   linalg.conv_2d_nhwc_hwcf
func.func @conv(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %out: memref<1x4x18x3xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.pixel_lanes, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x1xf32>, memref<3x3x1x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  return
}

// -----

// Unmarked convolutions are not this pass's.
// CHECK-LABEL: func.func @unmarked(
//       CHECK:   linalg.conv_2d_nhwc_hwcf
func.func @unmarked(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %out: memref<1x4x18x3xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x1xf32>, memref<3x3x1x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  return
}

// -----

func.func @two_channels(%in: memref<1x6x20x2xf32>, %w: memref<3x3x2x3xf32>, %out: memref<1x4x18x3xf32>) {
  // expected-error @+1 {{nn.pixel_lanes on a convolution this pass cannot lower}}
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.pixel_lanes, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x2xf32>, memref<3x3x2x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  return
}

// -----

// A one-channel weight gradient (what nn.conv2d_filter_grad lowers to):
// the gradient turned pixels-innermost into a temporary once, then per
// kernel row one pass with the 3 kernel columns' x 3 filters' partial sums
// in 16 lanes (9 FMAs per tile), reduced across the lanes into dW.
// CHECK-LABEL: func.func @filter_grad(
//  CHECK-SAME:     %[[IN:.*]]: memref<2x6x18xf32>, %[[G:.*]]: memref<2x4x16x3xf32>, %[[DW:.*]]: memref<3x3x3xf32>
//       CHECK:   %[[GT:.*]] = memref.alloc() : memref<2x4x3x16xf32>
//       CHECK:   vector.load {{.*}} vector<48xf32>
// CHECK-COUNT-3:   vector.shuffle
//       CHECK:   scf.for
// CHECK-COUNT-3:   vector.load %[[GT]]
//       CHECK:   vector.load %[[IN]]
// CHECK-COUNT-9:   vector.fma {{.*}} : vector<16xf32>
//       CHECK:   vector.reduction <add>
//       CHECK:   memref.store {{.*}}, %[[DW]]
//       CHECK:   memref.dealloc %[[GT]]
//   CHECK-NOT:   linalg.generic
func.func @filter_grad(%x: memref<2x6x18xf32>, %g: memref<2x4x16x3xf32>, %dw: memref<3x3x3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0 + d4, d1 + d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4, d5, d2)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %g : memref<2x6x18xf32>, memref<2x4x16x3xf32>) outs(%dw : memref<3x3x3xf32>) attrs = {nn.pixel_lanes} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
