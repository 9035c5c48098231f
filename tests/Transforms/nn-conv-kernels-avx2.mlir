// RUN: nn-opt %s --nn-set-target="triple=x86_64-linux-gnu cpu=haswell" --nn-conv-kernels -split-input-file | FileCheck %s

// For a target with 16 registers of 8 floats (AVX2), which hold 8 of the
// kernels' 16-float vectors: the pixel-lane kernel steps one output row
// at a time (3 accumulators, 3 weights and an input vector: 7 of 8), not
// two: per kernel row 3 columns x 3 filters = 9 FMAs.
// CHECK-LABEL: func.func @conv(
//       CHECK:   scf.for
//       CHECK:     scf.for {{.*}} to %c4 step %c1
//       CHECK:       scf.for
//       CHECK:         scf.for {{.*}} iter_args
//       CHECK:           scf.for {{.*}} iter_args
// CHECK-COUNT-9:           vector.fma {{.*}} : vector<16xf32>
//   CHECK-NOT:             vector.fma
//       CHECK:             scf.yield
func.func @conv(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %out: memref<1x4x18x3xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<pixel_lanes>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x1xf32>, memref<3x3x1x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  return
}

// -----

// The row kernel: blocks of 4 pixels (8 registers less 4), four to a row
// of 16: per kernel row 3 columns x 2 channels x 4 pixels = 24 FMAs.
// CHECK-LABEL: func.func @filter_rows(
//       CHECK:   scf.for
//       CHECK:     scf.for
//       CHECK:       scf.for {{.*}} to %c4 step %c1
// CHECK-COUNT-4:       vector.load {{.*}} : memref<1x2x16x16xf32>, vector<16xf32>
//       CHECK:         scf.for {{.*}} iter_args
// CHECK-COUNT-24:        vector.fma {{.*}} : vector<16xf32>
//   CHECK-NOT:           vector.fma
//       CHECK:           scf.yield
// CHECK-COUNT-4:       vector.store {{.*}} : memref<1x2x16x16xf32>, vector<16xf32>
func.func @filter_rows(%in: memref<1x4x18x2xf32>, %w: memref<3x3x2x16xf32>, %out: memref<1x2x16x16xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<filter_rows>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x4x18x2xf32>, memref<3x3x2x16xf32>) outs(%out : memref<1x2x16x16xf32>)
  return
}

// -----

// One row per step leaves no row pairs for the pooling epilogue: the
// convolution's output is stored and the activation and the pooling stay.
// CHECK-LABEL: func.func @conv_tanh_pool(
//       CHECK:   vector.store {{.*}} : memref<1x4x54xf32>, vector<48xf32>
//       CHECK:   linalg.generic
//       CHECK:     math.tanh
//       CHECK:   linalg.generic
func.func @conv_tanh_pool(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %b: memref<3xf32>) -> memref<1x2x9x3xf32> {
  %zero = arith.constant 0.0 : f32
  %quarter = arith.constant 0.25 : f32
  %out = memref.alloc() {alignment = 64 : i64} : memref<1x4x18x3xf32>
  linalg.generic {indexing_maps = [affine_map<(n, h, w, f) -> (f)>, affine_map<(n, h, w, f) -> (n, h, w, f)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<3xf32>) outs(%out : memref<1x4x18x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<pixel_lanes>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x1xf32>, memref<3x3x1x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  linalg.generic {indexing_maps = [affine_map<(n, h, w, f) -> (n, h, w, f)>, affine_map<(n, h, w, f) -> (n, h, w, f)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%out : memref<1x4x18x3xf32>) outs(%out : memref<1x4x18x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %t = math.tanh %x : f32
    linalg.yield %t : f32
  }
  %pooled = memref.alloc() {alignment = 64 : i64} : memref<1x2x9x3xf32>
  linalg.fill ins(%zero : f32) outs(%pooled : memref<1x2x9x3xf32>)
  %windows = memref.expand_shape %out [[0], [1, 2], [3, 4], [5]] output_shape [1, 2, 2, 9, 2, 3] : memref<1x4x18x3xf32> into memref<1x2x2x9x2x3xf32>
  linalg.generic {indexing_maps = [affine_map<(n, i, kh, j, kw, c) -> (n, i, kh, j, kw, c)>, affine_map<(n, i, kh, j, kw, c) -> (n, i, j, c)>],
                  iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]}
      ins(%windows : memref<1x2x2x9x2x3xf32>) outs(%pooled : memref<1x2x9x3xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %q = arith.mulf %x, %quarter : f32
    %s = arith.addf %acc, %q : f32
    linalg.yield %s : f32
  }
  memref.dealloc %out : memref<1x4x18x3xf32>
  return %pooled : memref<1x2x9x3xf32>
}

// -----

// The one-channel weight gradient: one kernel column per pass (3
// accumulators, 3 gradient vectors and an input: 7 of 8) instead of all
// three: per kernel row three passes of 3 FMAs per tile.
// CHECK-LABEL: func.func @filter_grad(
//       CHECK:     scf.for
// CHECK-COUNT-3:     vector.load %{{.*}} : memref<3x3x3x16xf32>, vector<16xf32>
//       CHECK:       scf.for
// CHECK-COUNT-3:       vector.fma {{.*}} : vector<16xf32>
//   CHECK-NOT:         vector.fma
//       CHECK:         scf.yield
// CHECK-COUNT-3:     vector.store {{.*}} : memref<3x3x3x16xf32>, vector<16xf32>
// CHECK-COUNT-3:     vector.load %{{.*}} : memref<3x3x3x16xf32>, vector<16xf32>
//       CHECK:       scf.for
// CHECK-COUNT-3:       vector.fma {{.*}} : vector<16xf32>
//   CHECK-NOT:         vector.fma
//       CHECK:         scf.yield
func.func @filter_grad(%x: memref<2x6x18xf32>, %g: memref<2x4x16x3xf32>, %dw: memref<3x3x3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0 + d4, d1 + d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4, d5, d2)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %g : memref<2x6x18xf32>, memref<2x4x16x3xf32>) outs(%dw : memref<3x3x3xf32>) attrs = {nn.kernel = #nn.kernel<filter_grad_pixel_lanes>} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

