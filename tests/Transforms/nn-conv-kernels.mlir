// RUN: nn-opt %s --nn-conv-kernels -split-input-file -verify-diagnostics | FileCheck %s

// 4 output rows of 18 pixels, 3 filters: two rows per step, a tile of 16
// pixels and a masked tile of 2. Per input channel (one here) and kernel
// row a loop carrying the 2 x 3 accumulators; in its body, per kernel
// column the 3 weights broadcast and, for each of the 2 output rows, one
// load of 16 input pixels and 3 FMAs: 18 FMAs. The accumulators start
// from the output (split into one vector per filter) and are interleaved
// back into NHWC per row: concatenated by shuffles of two vectors of one
// type (the third filter's paired with zeros), then one shuffle.
// CHECK-LABEL: func.func @conv(
//  CHECK-SAME:     %[[IN:.*]]: memref<1x6x20x1xf32>, %[[W:.*]]: memref<3x3x1x3xf32>, %[[OUT:.*]]: memref<1x4x18x3xf32>
//   CHECK-DAG:   %[[I:.*]] = memref.collapse_shape %[[IN]] {{\[}}[0], [1], [2, 3]] : memref<1x6x20x1xf32> into memref<1x6x20xf32>
//   CHECK-DAG:   %[[O:.*]] = memref.collapse_shape %[[OUT]] {{\[}}[0], [1], [2, 3]] : memref<1x4x18x3xf32> into memref<1x4x54xf32>
//       CHECK:   scf.for
//       CHECK:     scf.for
//       CHECK:       scf.for
//       CHECK:         vector.load %[[O]]{{.*}} : memref<1x4x54xf32>, vector<48xf32>
//       CHECK:         scf.for {{.*}} iter_args
//       CHECK:           scf.for {{.*}} iter_args
//       CHECK:             memref.load %[[W]]
//       CHECK:             vector.load %[[I]]{{.*}} : memref<1x6x20xf32>, vector<16xf32>
// CHECK-COUNT-18:          vector.fma {{.*}} : vector<16xf32>
//       CHECK:             scf.yield
//       CHECK:         %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
//       CHECK:         %[[C01:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 1, {{.*}}, 31] : vector<16xf32>, vector<16xf32>
//       CHECK:         %[[C2Z:.*]] = vector.shuffle %{{.*}}, %[[Z]] [0, 1, {{.*}}, 31] : vector<16xf32>, vector<16xf32>
//       CHECK:         %[[ALL:.*]] = vector.shuffle %[[C01]], %[[C2Z]] [0, 1, {{.*}}, 63] : vector<32xf32>, vector<32xf32>
//       CHECK:         vector.shuffle %[[ALL]], %[[ALL]] [0, 16, 32, 1, 17, 33, {{.*}}, 15, 31, 47] : vector<64xf32>, vector<64xf32>
//       CHECK:         vector.store {{.*}}, %[[O]]{{.*}} : memref<1x4x54xf32>, vector<48xf32>
//       CHECK:       }
//       CHECK:       vector.maskedload %[[O]]
// CHECK-COUNT-18:    vector.fma {{.*}} : vector<16xf32>
//       CHECK:       vector.maskedstore %[[O]]
//   CHECK-NOT:   linalg.conv_2d_nhwc_hwcf
func.func @conv(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %out: memref<1x4x18x3xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<pixel_lanes>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x1xf32>, memref<3x3x1x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  return
}

// -----

// A convolution onto its bias broadcast over the pixels (what nn.conv2d
// lowers to): the broadcast is not run; the accumulators start from the
// bias instead of reading the output back.
// CHECK-LABEL: func.func @conv_on_bias(
//  CHECK-SAME:     %[[W:[^:]*]]: memref<3x3x1x3xf32>, %[[B:[^:]*]]: memref<3xf32>
//   CHECK-NOT:   linalg.generic
//       CHECK:   %[[B0:.*]] = memref.load %[[B]]
//       CHECK:   %[[B1:.*]] = memref.load %[[B]]
//       CHECK:   %[[B2:.*]] = memref.load %[[B]]
//       CHECK:   vector.broadcast %[[B0]] : f32 to vector<16xf32>
//   CHECK-NOT:   vector.load {{.*}} : memref<1x4x54xf32>, vector<48xf32>
//       CHECK:   vector.store {{.*}} : memref<1x4x54xf32>, vector<48xf32>
func.func @conv_on_bias(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %b: memref<3xf32>, %out: memref<1x4x18x3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<3xf32>) outs(%out : memref<1x4x18x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<pixel_lanes>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x1xf32>, memref<3x3x1x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  return
}

// -----

// The output is read between the broadcast and the convolution: the
// broadcast stays and the tiles read the output.
// CHECK-LABEL: func.func @bias_read_between(
//       CHECK:   linalg.generic
//       CHECK:   memref.copy
//       CHECK:   vector.load {{.*}} : memref<1x4x54xf32>, vector<48xf32>
func.func @bias_read_between(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %b: memref<3xf32>, %out: memref<1x4x18x3xf32>, %copy: memref<1x4x18x3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<3xf32>) outs(%out : memref<1x4x18x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  memref.copy %out, %copy : memref<1x4x18x3xf32> to memref<1x4x18x3xf32>
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<pixel_lanes>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x1xf32>, memref<3x3x1x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  return
}

// -----

// The input gradient nn.conv2d_input_grad lowers to: a convolution of a
// channel-planar input (2 channels; rows 1 to 4 of 6 nonzero, the rest a
// zero border) into zeros. The fill is not run (the accumulators start at
// zero); a loop over the 2 channels, and one over the kernel rows whose
// bounds skip the rows that would read only the border.
// CHECK-LABEL: func.func @planar(
//  CHECK-SAME:     %[[IN:.*]]: memref<1x2x6x20xf32>, %[[W:.*]]: memref<3x3x2x3xf32>, %[[OUT:.*]]: memref<1x4x18x3xf32>
//   CHECK-NOT:   linalg.fill
//       CHECK:   arith.maxsi
//       CHECK:   arith.minsi
//       CHECK:   scf.for %[[C:.*]] = %{{.*}} to %c2{{.*}} iter_args
//       CHECK:     scf.for {{.*}} iter_args
//       CHECK:       memref.load %[[W]][%{{.*}}, %{{.*}}, %[[C]], %{{.*}}] : memref<3x3x2x3xf32>
//       CHECK:       vector.load %[[IN]][%{{.*}}, %[[C]], %{{.*}}, %{{.*}}] : memref<1x2x6x20xf32>, vector<16xf32>
// CHECK-COUNT-18:    vector.fma {{.*}} : vector<16xf32>
//       CHECK:   vector.store {{.*}} : memref<1x4x54xf32>, vector<48xf32>
//       CHECK:   vector.maskedstore
//   CHECK-NOT:   linalg.generic
func.func @planar(%in: memref<1x2x6x20xf32>, %w: memref<3x3x2x3xf32>, %out: memref<1x4x18x3xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<1x4x18x3xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d1 + d5, d2 + d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d5, d6, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%in, %w : memref<1x2x6x20xf32>, memref<3x3x2x3xf32>) outs(%out : memref<1x4x18x3xf32>) attrs = {nn.kernel = #nn.kernel<input_grad_pixel_lanes, rows = [1, 4]>} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// The row kernel (kernel filter_rows): 16 filters in the lanes, rows of 16
// pixels in a block of 14 and one of 2, accumulators starting from the
// bias (its broadcast not run). Per kernel row a loop; in it, per kernel
// column (3) and channel (2, unrolled) the weight vector loaded once and
// one FMA per pixel with the pixel's broadcast input: 84 FMAs per kernel
// row for the block of 14, 12 for the block of 2.
// CHECK-LABEL: func.func @filter_rows(
//  CHECK-SAME:     %[[IN:[^:]*]]: memref<1x4x18x2xf32>, %[[W:[^:]*]]: memref<3x3x2x16xf32>, %[[B:[^:]*]]: memref<16xf32>, %[[OUT:[^:]*]]: memref<1x2x16x16xf32>
//   CHECK-NOT:   linalg.generic
//       CHECK:   scf.for
//       CHECK:     scf.for
//       CHECK:       scf.for
//       CHECK:         vector.load %[[B]]{{.*}} : memref<16xf32>, vector<16xf32>
//       CHECK:         scf.for {{.*}} iter_args
//       CHECK:           vector.load %[[W]]{{.*}} : memref<3x3x2x16xf32>, vector<16xf32>
//       CHECK:           memref.load %[[IN]]
// CHECK-COUNT-84:        vector.fma {{.*}} : vector<16xf32>
//       CHECK:           scf.yield
// CHECK-COUNT-14:      vector.store {{.*}}, %[[OUT]]{{.*}} : memref<1x2x16x16xf32>, vector<16xf32>
//       CHECK:       scf.for {{.*}} iter_args
// CHECK-COUNT-12:      vector.fma {{.*}} : vector<16xf32>
// CHECK-COUNT-2:     vector.store {{.*}}, %[[OUT]]
//   CHECK-NOT:   linalg.conv_2d_nhwc_hwcf
func.func @filter_rows(%in: memref<1x4x18x2xf32>, %w: memref<3x3x2x16xf32>, %b: memref<16xf32>, %out: memref<1x2x16x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<16xf32>) outs(%out : memref<1x2x16x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<filter_rows>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x4x18x2xf32>, memref<3x3x2x16xf32>) outs(%out : memref<1x2x16x16xf32>)
  return
}

// -----

// The filter is a copy of the layer's 18 x 16 weight rows (what nn.conv2d
// lowers to): the kernel reads the rows, (kh·3 + kw)·2 + c, and the copy
// is not run.
// CHECK-LABEL: func.func @filter_rows_from_weight(
//  CHECK-SAME:     %[[ROWS:[^:]*]]: memref<18x16xf32>
//   CHECK-NOT:   linalg.generic
//       CHECK:   vector.load %[[ROWS]][%{{.*}}, %{{.*}}] : memref<18x16xf32>, vector<16xf32>
//   CHECK-NOT:   linalg.generic
func.func @filter_rows_from_weight(%in: memref<1x4x18x2xf32>, %rows: memref<18x16xf32>, %out: memref<1x2x16x16xf32>) {
  %w = memref.alloc() : memref<3x3x2x16xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> ((d0 * 3 + d1) * 2 + d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%rows : memref<18x16xf32>) outs(%w : memref<3x3x2x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<filter_rows>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x4x18x2xf32>, memref<3x3x2x16xf32>) outs(%out : memref<1x2x16x16xf32>)
  memref.dealloc %w : memref<3x3x2x16xf32>
  return
}

// -----

func.func @filter_rows_strided(%in: memref<1x5x18x2xf32>, %w: memref<3x3x2x16xf32>, %out: memref<1x2x8x16xf32>) {
  // expected-error @+1 {{nn.kernel filter_rows on a convolution this pass cannot lower}}
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<filter_rows>, strides = dense<2> : tensor<2xi64>}
    ins(%in, %w : memref<1x5x18x2xf32>, memref<3x3x2x16xf32>) outs(%out : memref<1x2x8x16xf32>)
  return
}

// -----

// Convolutions without nn.kernel are not this pass's.
// CHECK-LABEL: func.func @unmarked(
//       CHECK:   linalg.conv_2d_nhwc_hwcf
func.func @unmarked(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %out: memref<1x4x18x3xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x1xf32>, memref<3x3x1x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  return
}

// -----

func.func @two_channels(%in: memref<1x6x20x2xf32>, %w: memref<3x3x2x3xf32>, %out: memref<1x4x18x3xf32>) {
  // expected-error @+1 {{nn.kernel pixel_lanes on a convolution this pass cannot lower}}
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<pixel_lanes>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x2xf32>, memref<3x3x2x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  return
}

// -----

// A one-channel weight gradient (what nn.conv2d_filter_grad lowers to),
// one image at a time: the image's gradient turned pixels-innermost into a
// one-image temporary, then per kernel row one pass with the 3 kernel
// columns' x 3 filters' partial sums in 16 lanes (9 FMAs per tile), kept
// between images in a 3x3x3x16 buffer, reduced across the lanes into dW at
// the end.
// CHECK-LABEL: func.func @filter_grad(
//  CHECK-SAME:     %[[IN:.*]]: memref<2x6x18xf32>, %[[G:.*]]: memref<2x4x16x3xf32>, %[[DW:.*]]: memref<3x3x3xf32>
//       CHECK:   %[[GT:.*]] = memref.alloc() : memref<4x3x16xf32>
//       CHECK:   %[[P:.*]] = memref.alloc() : memref<3x3x3x16xf32>
//       CHECK:   vector.store {{.*}}, %[[P]]
//       CHECK:   scf.for
//       CHECK:     vector.load {{.*}} vector<48xf32>
// CHECK-COUNT-3:   vector.shuffle
//       CHECK:     vector.store {{.*}}, %[[GT]]
//       CHECK:     scf.for
// CHECK-COUNT-9:     vector.load %[[P]]
//       CHECK:       scf.for
// CHECK-COUNT-3:       vector.load %[[GT]]
//       CHECK:         vector.load %[[IN]]
// CHECK-COUNT-9:       vector.fma {{.*}} : vector<16xf32>
// CHECK-COUNT-9:     vector.store {{.*}}, %[[P]]
//       CHECK:   scf.for
//       CHECK:     vector.reduction <add>
//       CHECK:     memref.store {{.*}}, %[[DW]]
//       CHECK:   memref.dealloc %[[P]]
//       CHECK:   memref.dealloc %[[GT]]
//   CHECK-NOT:   linalg.generic
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

// -----

// Only an in-place activation and a 2x2 average pooling read the
// convolution's output (inference): both are applied to the accumulators
// of each two-row tile, and only the pooled tile is stored. 4 rows of 18
// pixels, 3 filters: per tile the activation on the 2 x 3 accumulators;
// per pair of filters (the third alone, paired with itself) four shuffles
// pick each window's pixel (kh, kw) of both filters, 8 pooled pixels
// each, into which the window's body accumulates from the fill value; the
// pooled pixels interleaved into NHWC: 24 floats for the full tile, 3 of
// the 2-pixel remainder (masked). The convolution's output buffer, the
// activation, the pooling and its fill are gone.
// CHECK-LABEL: func.func @conv_tanh_pool(
//  CHECK-SAME:     %[[IN:.*]]: memref<1x6x20x1xf32>, %[[W:.*]]: memref<3x3x1x3xf32>, %[[B:.*]]: memref<3xf32>
//   CHECK-NOT:   memref<1x4x18x3xf32>
//       CHECK:   %[[P:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x2x9x3xf32>
//       CHECK:   %[[PR:.*]] = memref.collapse_shape %[[P]] {{\[}}[0], [1], [2, 3]] : memref<1x2x9x3xf32> into memref<1x2x27xf32>
//       CHECK:   scf.for
//       CHECK:     scf.for
//       CHECK:       scf.for
//       CHECK:         scf.for {{.*}} iter_args
//       CHECK:           scf.for {{.*}} iter_args
// CHECK-COUNT-18:          vector.fma {{.*}} : vector<16xf32>
// CHECK-COUNT-6:   math.tanh %{{.*}} : vector<16xf32>
//       CHECK:         %[[INIT:.*]] = vector.broadcast %{{.*}} : f32 to vector<16xf32>
//       CHECK:         %[[W00:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<16xf32>, vector<16xf32>
//       CHECK:         %[[M00:.*]] = arith.mulf %[[W00]]
//       CHECK:         %[[S00:.*]] = arith.addf %[[INIT]], %[[M00]]
//       CHECK:         vector.shuffle %{{.*}}, %{{.*}} [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31] : vector<16xf32>, vector<16xf32>
// CHECK-COUNT-2:   vector.shuffle %{{.*}}, %{{.*}} [{{.*}}] : vector<16xf32>, vector<16xf32>
//       CHECK:         %[[ALL:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 1, {{.*}}, 31] : vector<16xf32>, vector<16xf32>
//       CHECK:         %[[NHWC:.*]] = vector.shuffle %[[ALL]], %[[ALL]] [0, 8, 16, 1, 9, 17, 2, 10, 18, {{.*}}, 7, 15, 23] : vector<32xf32>, vector<32xf32>
//       CHECK:         vector.store %[[NHWC]], %[[PR]]{{.*}} : memref<1x2x27xf32>, vector<24xf32>
//       CHECK:       %[[MASK:.*]] = vector.create_mask %{{.*}} : vector<24xi1>
//       CHECK:       vector.maskedstore %[[PR]]{{.*}}, %[[MASK]], %{{.*}} : memref<1x2x27xf32>, vector<24xi1>, vector<24xf32>
//   CHECK-NOT:   linalg.generic
//       CHECK:   return %[[P]]
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

// Another reader of the convolution's output (training: the activation's
// gradient reads it) keeps it: the rows are stored, the pooling stays.
// CHECK-LABEL: func.func @conv_tanh_pool_kept(
//       CHECK:   vector.store {{.*}} : memref<1x4x54xf32>, vector<48xf32>
//       CHECK:   linalg.generic
//       CHECK:   linalg.generic
//  CHECK-SAME:     iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]
func.func @conv_tanh_pool_kept(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %b: memref<3xf32>, %copy: memref<1x4x18x3xf32>) -> memref<1x2x9x3xf32> {
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
  memref.copy %out, %copy : memref<1x4x18x3xf32> to memref<1x4x18x3xf32>
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

// The convolution's output is the caller's buffer (an argument): it is
// written, and the pooling stays.
// CHECK-LABEL: func.func @conv_pool_into_argument(
//       CHECK:   vector.store {{.*}} : memref<1x4x54xf32>, vector<48xf32>
//       CHECK:   linalg.generic
//  CHECK-SAME:     iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]
func.func @conv_pool_into_argument(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %out: memref<1x4x18x3xf32>) -> memref<1x2x9x3xf32> {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<1x4x18x3xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<pixel_lanes>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x1xf32>, memref<3x3x1x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  %pooled = memref.alloc() {alignment = 64 : i64} : memref<1x2x9x3xf32>
  linalg.fill ins(%zero : f32) outs(%pooled : memref<1x2x9x3xf32>)
  %windows = memref.expand_shape %out [[0], [1, 2], [3, 4], [5]] output_shape [1, 2, 2, 9, 2, 3] : memref<1x4x18x3xf32> into memref<1x2x2x9x2x3xf32>
  linalg.generic {indexing_maps = [affine_map<(n, i, kh, j, kw, c) -> (n, i, kh, j, kw, c)>, affine_map<(n, i, kh, j, kw, c) -> (n, i, j, c)>],
                  iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]}
      ins(%windows : memref<1x2x2x9x2x3xf32>) outs(%pooled : memref<1x2x9x3xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %m = arith.maximumf %acc, %x : f32
    linalg.yield %m : f32
  }
  return %pooled : memref<1x2x9x3xf32>
}

// -----

// Something between the convolution and the pooling writes memory (here
// the convolution's input): the kernel cannot move to the pooling, and
// nothing is fused.
// CHECK-LABEL: func.func @conv_pool_write_between(
//       CHECK:   vector.store {{.*}} : memref<1x4x54xf32>, vector<48xf32>
//       CHECK:   memref.copy
//       CHECK:   linalg.generic
//  CHECK-SAME:     iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]
func.func @conv_pool_write_between(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %next: memref<1x6x20x1xf32>) -> memref<1x2x9x3xf32> {
  %zero = arith.constant 0.0 : f32
  %out = memref.alloc() {alignment = 64 : i64} : memref<1x4x18x3xf32>
  linalg.fill ins(%zero : f32) outs(%out : memref<1x4x18x3xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<pixel_lanes>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x1xf32>, memref<3x3x1x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  memref.copy %next, %in : memref<1x6x20x1xf32> to memref<1x6x20x1xf32>
  %pooled = memref.alloc() {alignment = 64 : i64} : memref<1x2x9x3xf32>
  linalg.fill ins(%zero : f32) outs(%pooled : memref<1x2x9x3xf32>)
  %windows = memref.expand_shape %out [[0], [1, 2], [3, 4], [5]] output_shape [1, 2, 2, 9, 2, 3] : memref<1x4x18x3xf32> into memref<1x2x2x9x2x3xf32>
  linalg.generic {indexing_maps = [affine_map<(n, i, kh, j, kw, c) -> (n, i, kh, j, kw, c)>, affine_map<(n, i, kh, j, kw, c) -> (n, i, j, c)>],
                  iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]}
      ins(%windows : memref<1x2x2x9x2x3xf32>) outs(%pooled : memref<1x2x9x3xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %m = arith.maximumf %acc, %x : f32
    linalg.yield %m : f32
  }
  memref.dealloc %out : memref<1x4x18x3xf32>
  return %pooled : memref<1x2x9x3xf32>
}

// -----

func.func @wrong_kernel(%in: memref<1x6x20x1xf32>, %w: memref<3x3x1x3xf32>, %out: memref<1x4x18x3xf32>) {
  // expected-error @+1 {{nn.kernel #nn.kernel<filter_grad_pixel_lanes> on an op this pass cannot lower}}
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<filter_grad_pixel_lanes>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x20x1xf32>, memref<3x3x1x3xf32>) outs(%out : memref<1x4x18x3xf32>)
  return
}

// -----

// The fill is folded into the accumulators when nothing reads the output
// between it and the kernel, even through a view (nnc::initialWriter, the
// schedules' one alias query): a view of the output read before the fill
// does not keep it.
// CHECK-LABEL: func.func @view_read_before_fill(
//       CHECK:   linalg.copy
//   CHECK-NOT:   linalg.fill
//       CHECK:   vector.fma
func.func @view_read_before_fill(%in: memref<1x2x6x20xf32>, %w: memref<3x3x2x3xf32>, %out: memref<1x4x18x3xf32>, %copy: memref<1x4x54xf32>) {
  %zero = arith.constant 0.0 : f32
  %rows = memref.collapse_shape %out [[0], [1], [2, 3]] : memref<1x4x18x3xf32> into memref<1x4x54xf32>
  linalg.copy ins(%rows : memref<1x4x54xf32>) outs(%copy : memref<1x4x54xf32>)
  linalg.fill ins(%zero : f32) outs(%out : memref<1x4x18x3xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d1 + d5, d2 + d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d5, d6, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%in, %w : memref<1x2x6x20xf32>, memref<3x3x2x3xf32>) outs(%out : memref<1x4x18x3xf32>) attrs = {nn.kernel = #nn.kernel<input_grad_pixel_lanes, rows = [1, 4]>} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A read of the filled output through a view between the fill and the
// kernel keeps the fill: the kernel reads its output back.
// CHECK-LABEL: func.func @view_read_after_fill(
//       CHECK:   linalg.fill
//       CHECK:   linalg.copy
//       CHECK:   vector.fma
func.func @view_read_after_fill(%in: memref<1x2x6x20xf32>, %w: memref<3x3x2x3xf32>, %out: memref<1x4x18x3xf32>, %copy: memref<1x4x54xf32>) {
  %zero = arith.constant 0.0 : f32
  %rows = memref.collapse_shape %out [[0], [1], [2, 3]] : memref<1x4x18x3xf32> into memref<1x4x54xf32>
  linalg.fill ins(%zero : f32) outs(%out : memref<1x4x18x3xf32>)
  linalg.copy ins(%rows : memref<1x4x54xf32>) outs(%copy : memref<1x4x54xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d1 + d5, d2 + d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d5, d6, d4, d3)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%in, %w : memref<1x2x6x20xf32>, memref<3x3x2x3xf32>) outs(%out : memref<1x4x18x3xf32>) attrs = {nn.kernel = #nn.kernel<input_grad_pixel_lanes, rows = [1, 4]>} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// 64 filters (4 vectors a pixel): blocks of 5 pixels, so that the block's
// 20 accumulators, 4 weight vectors and 5 broadcast inputs fit in 32
// registers (7 pixels spilled accumulators): a row of 14 pixels is 2
// blocks of 5 (a loop) and one of 4. Per kernel column (3) and channel (2,
// unrolled): 60 FMAs for a block of 5, 48 for the block of 4.
// CHECK-LABEL: func.func @filter_rows_four_vectors(
//       CHECK:   scf.for {{.*}} to %c2
//       CHECK:     scf.for {{.*}} iter_args
// CHECK-COUNT-120:   vector.fma {{.*}} : vector<16xf32>
//       CHECK:       scf.yield
// CHECK-COUNT-20:  vector.store
//       CHECK:   scf.for {{.*}} iter_args
// CHECK-COUNT-96:  vector.fma {{.*}} : vector<16xf32>
//       CHECK:     scf.yield
// CHECK-COUNT-16: vector.store
func.func @filter_rows_four_vectors(%in: memref<1x3x16x2xf32>, %w: memref<3x3x2x64xf32>, %out: memref<1x1x14x64xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, nn.kernel = #nn.kernel<filter_rows>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x3x16x2xf32>, memref<3x3x2x64xf32>) outs(%out : memref<1x1x14x64xf32>)
  return
}
