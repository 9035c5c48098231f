// RUN: nn-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @dense(
//  CHECK-SAME:   %[[X:[^:]*]]: tensor<4x3xf32>, %[[W:[^:]*]]: tensor<3x2xf32>, %[[B:[^:]*]]: tensor<2xf32>
//       CHECK:   %[[ACC:.*]] = linalg.fill
//       CHECK:   %[[MM:.*]] = linalg.matmul ins(%[[X]], %[[W]] : {{.*}}) outs(%[[ACC]] : tensor<4x2xf32>)
//       CHECK:   linalg.generic {indexing_maps = [#{{.*}}, #[[BIAS:map[0-9]*]], #{{.*}}], iterator_types = ["parallel", "parallel"]} ins(%[[MM]], %[[B]]
//       CHECK:     arith.addf
//   CHECK-NOT:   nn.
func.func @dense(%x: tensor<4x3xf32>, %w: tensor<3x2xf32>, %b: tensor<2xf32>) -> tensor<4x2xf32> {
  %0 = nn.dense %x, %w, %b : tensor<4x3xf32>, tensor<3x2xf32>, tensor<2xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// CHECK-LABEL: func.func @matmul(
//       CHECK:   %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<3x2xf32>) outs(%[[ACC]] : tensor<4x2xf32>)
func.func @matmul(%a: tensor<4x3xf32>, %b: tensor<3x2xf32>) -> tensor<4x2xf32> {
  %0 = nn.matmul %a, %b : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// CHECK-LABEL: func.func @transpose(
//       CHECK:   linalg.transpose ins(%{{.*}} : tensor<4x3xf32>) outs(%{{.*}} : tensor<3x4xf32>) permutation = [1, 0]
func.func @transpose(%a: tensor<4x3xf32>) -> tensor<3x4xf32> {
  %0 = nn.transpose %a : tensor<4x3xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// The batch dimension is reduced in the outer loop, so the inner loop runs
// along contiguous memory.
// CHECK: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @batch_sum(
//       CHECK:   linalg.generic {indexing_maps = [#[[ID]], #[[COL]]], iterator_types = ["reduction", "parallel"]}
//       CHECK:     arith.addf
func.func @batch_sum(%a: tensor<4x3xf32>) -> tensor<3xf32> {
  %0 = nn.batch_sum %a : tensor<4x3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// RBF distances: one reduction over the features, (n, c, i) -> n x c.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[P:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @rbf(
//       CHECK:   linalg.generic {indexing_maps = [#[[X]], #[[P]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]}
//  CHECK-SAME:     outs(%{{.*}} : tensor<4x10xf32>)
//       CHECK:     arith.subf
//       CHECK:     arith.mulf
//       CHECK:     arith.addf
func.func @rbf(%x: tensor<4x84xf32>, %p: tensor<10x84xf32>) -> tensor<4x10xf32> {
  %0 = nn.rbf %x, %p : tensor<4x84xf32>, tensor<10x84xf32> -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// Its adjoint: 2 Σ_q g[p, q] (lhs[p, i] - rhs[q, i]), loops (p, i, q).
// CHECK-DAG: #[[L:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[R:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[G:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @rbf_grad(
//       CHECK:   linalg.generic {indexing_maps = [#[[L]], #[[R]], #[[G]], #[[L]]], iterator_types = ["parallel", "parallel", "reduction"]}
//  CHECK-SAME:     outs(%{{.*}} : tensor<4x84xf32>)
func.func @rbf_grad(%x: tensor<4x84xf32>, %p: tensor<10x84xf32>, %g: tensor<4x10xf32>) -> tensor<4x84xf32> {
  %0 = nn.rbf_grad %x, %p, %g : tensor<4x84xf32>, tensor<10x84xf32>, tensor<4x10xf32> -> tensor<4x84xf32>
  return %0 : tensor<4x84xf32>
}
