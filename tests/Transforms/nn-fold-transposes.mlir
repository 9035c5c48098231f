// RUN: nn-opt %s --nn-fold-transposes -split-input-file | FileCheck %s

// A weight gradient xᵀ · dy reads x through the matmul's map; the copy goes.
// CHECK-LABEL: func.func @lhs(
//  CHECK-SAME:   %[[X:[^:]*]]: tensor<64x784xf32>, %[[DY:[^:]*]]: tensor<64x300xf32>
//   CHECK-NOT:   linalg.transpose
//       CHECK:   linalg.matmul indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}] ins(%[[X]], %[[DY]] : tensor<64x784xf32>, tensor<64x300xf32>)
func.func @lhs(%x: tensor<64x784xf32>, %dy: tensor<64x300xf32>, %acc: tensor<784x300xf32>) -> tensor<784x300xf32> {
  %e = tensor.empty() : tensor<784x64xf32>
  %t = linalg.transpose ins(%x : tensor<64x784xf32>) outs(%e : tensor<784x64xf32>) permutation = [1, 0]
  %r = linalg.matmul ins(%t, %dy : tensor<784x64xf32>, tensor<64x300xf32>) outs(%acc : tensor<784x300xf32>) -> tensor<784x300xf32>
  return %r : tensor<784x300xf32>
}

// -----

// The maps: lhs (k, m), rhs (k, n), result (m, n).
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @maps(
//       CHECK:   linalg.matmul indexing_maps = [#[[A]], #[[B]], #[[C]]]
func.func @maps(%x: tensor<4x3xf32>, %dy: tensor<4x2xf32>, %acc: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<3x4xf32>
  %t = linalg.transpose ins(%x : tensor<4x3xf32>) outs(%e : tensor<3x4xf32>) permutation = [1, 0]
  %r = linalg.matmul ins(%t, %dy : tensor<3x4xf32>, tensor<4x2xf32>) outs(%acc : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// -----

// A transposed right operand keeps its copy: read in place, every k step
// would gather a column.
// CHECK-LABEL: func.func @rhs(
//       CHECK:   %[[T:.*]] = linalg.transpose
//       CHECK:   linalg.matmul ins(%{{.*}}, %[[T]] :
func.func @rhs(%dy: tensor<64x300xf32>, %w: tensor<784x300xf32>, %acc: tensor<64x784xf32>) -> tensor<64x784xf32> {
  %e = tensor.empty() : tensor<300x784xf32>
  %t = linalg.transpose ins(%w : tensor<784x300xf32>) outs(%e : tensor<300x784xf32>) permutation = [1, 0]
  %r = linalg.matmul ins(%dy, %t : tensor<64x300xf32>, tensor<300x784xf32>) outs(%acc : tensor<64x784xf32>) -> tensor<64x784xf32>
  return %r : tensor<64x784xf32>
}
