// RUN: nn-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nn-fuse-elementwise))' | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// Bias and activation after a matmul merge into one loop; the matmul stays
// a matmul (the schedule tiles it).
// CHECK-LABEL: func.func @bias_relu(
//       CHECK:   %[[MM:.*]] = linalg.matmul
//       CHECK:   %[[G:.*]] = linalg.generic {{.*}} ins(%[[MM]], %{{.*}} : tensor<4x8xf32>, tensor<8xf32>)
//       CHECK:     arith.addf
//       CHECK:     arith.maximumf
//   CHECK-NOT:   linalg.generic
//       CHECK:   return %[[G]]
func.func @bias_relu(%x: tensor<4x3xf32>, %w: tensor<3x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  %biased = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%biased : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  return %relu : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A producer is never fused into the contraction that reads it: the matmul
// would become a generic the schedule cannot tile.
// CHECK-LABEL: func.func @into_matmul(
//       CHECK:   %[[T:.*]] = linalg.generic
//       CHECK:     math.tanh
//       CHECK:   linalg.matmul ins(%[[T]], %{{.*}} : tensor<4x3xf32>, tensor<3x8xf32>)
func.func @into_matmul(%x: tensor<4x3xf32>, %w: tensor<3x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e3 = tensor.empty() : tensor<4x3xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x3xf32>) outs(%e3 : tensor<4x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %h = math.tanh %a : f32
    linalg.yield %h : f32
  } -> tensor<4x3xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%t, %w : tensor<4x3xf32>, tensor<3x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %mm : tensor<4x8xf32>
}

// -----

#id4 = affine_map<(n, h, w, c) -> (n, h, w, c)>
#win_in = affine_map<(n, i, kh, j, kw, c) -> (n, i * 2 + kh, j * 2 + kw, c)>
#win = affine_map<(n, i, kh, j, kw, c) -> (kh, kw)>
#win_out = affine_map<(n, i, kh, j, kw, c) -> (n, i, j, c)>

// Nor into a window reduction (pooling): the activation stays a loop of its
// own, where it vectorizes.
// CHECK-LABEL: func.func @into_pooling(
//       CHECK:   %[[T:.*]] = linalg.generic
//       CHECK:     math.tanh
//       CHECK:   linalg.generic {{.*}} ins(%[[T]], %{{.*}} : tensor<1x4x4x2xf32>, tensor<2x2xf32>)
//       CHECK:     arith.addf
func.func @into_pooling(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  %t = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %h = math.tanh %a : f32
    linalg.yield %h : f32
  } -> tensor<1x4x4x2xf32>
  %ep = tensor.empty() : tensor<1x2x2x2xf32>
  %fp = linalg.fill ins(%zero : f32) outs(%ep : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %window = tensor.empty() : tensor<2x2xf32>
  %p = linalg.generic {indexing_maps = [#win_in, #win, #win_out],
                       iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]}
      ins(%t, %window : tensor<1x4x4x2xf32>, tensor<2x2xf32>) outs(%fp : tensor<1x2x2x2xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x2x2x2xf32>
  return %p : tensor<1x2x2x2xf32>
}
