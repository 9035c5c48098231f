// RUN: nn-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// Softmax subtracts the row maximum before exp.
// CHECK-LABEL: func.func @softmax(
//       CHECK:   linalg.fill ins(%{{.*}} : f32)
//       CHECK:   linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
//       CHECK:     arith.maximumf
//       CHECK:   linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
//       CHECK:     arith.subf
//       CHECK:     math.exp
//       CHECK:   linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
//       CHECK:     arith.divf
func.func @softmax(%z: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = nn.softmax %z : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// CHECK-LABEL: func.func @softmax_cross_entropy(
//       CHECK:   arith.maximumf
//       CHECK:   math.exp
//       CHECK:   math.log
//       CHECK:   linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
//       CHECK:   -> tensor<4xf32>
func.func @softmax_cross_entropy(%z: tensor<4x10xf32>, %t: tensor<4x10xf32>) -> tensor<4xf32> {
  %0 = nn.softmax_cross_entropy %z, %t : tensor<4x10xf32>, tensor<4x10xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// 0 · log(0) counts as 0: the target guards the term.
// CHECK-LABEL: func.func @cross_entropy(
//       CHECK:   math.log
//       CHECK:   arith.cmpf one
//       CHECK:   arith.select
func.func @cross_entropy(%p: tensor<4x10xf32>, %t: tensor<4x10xf32>) -> tensor<4xf32> {
  %0 = nn.cross_entropy %p, %t : tensor<4x10xf32>, tensor<4x10xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @mse(
//       CHECK:   arith.subf
//       CHECK:   arith.mulf
//       CHECK:   arith.constant 1.000000e-01 : f32
func.func @mse(%y: tensor<4x10xf32>, %t: tensor<4x10xf32>) -> tensor<4xf32> {
  %0 = nn.mse %y, %t : tensor<4x10xf32>, tensor<4x10xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @mean(
//       CHECK:   linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
//       CHECK:   arith.constant 0.0833333{{[0-9]*}} : f32
func.func @mean(%x: tensor<4x3xf32>) -> tensor<f32> {
  %0 = nn.mean %x : tensor<4x3xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @grads(
//   CHECK-NOT:   nn.
//       CHECK:   return
func.func @grads(%y: tensor<4x10xf32>, %t: tensor<4x10xf32>, %dl: tensor<4xf32>, %g: tensor<f32>)
    -> (tensor<4x10xf32>, tensor<4x10xf32>, tensor<4x10xf32>, tensor<4x10xf32>, tensor<4xf32>) {
  %0 = nn.cross_entropy_grad %y, %t, %dl : tensor<4x10xf32>, tensor<4x10xf32>, tensor<4xf32> -> tensor<4x10xf32>
  %1 = nn.softmax_cross_entropy_grad %y, %t, %dl : tensor<4x10xf32>, tensor<4x10xf32>, tensor<4xf32> -> tensor<4x10xf32>
  %2 = nn.mse_grad %y, %t, %dl : tensor<4x10xf32>, tensor<4x10xf32>, tensor<4xf32> -> tensor<4x10xf32>
  %3 = nn.softmax_grad %y, %y : tensor<4x10xf32>
  %4 = nn.mean_grad %g : tensor<f32> -> tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4x10xf32>, tensor<4x10xf32>, tensor<4x10xf32>, tensor<4x10xf32>, tensor<4xf32>
}

// -----

// The target class's output: Σ_c y·t per row; its adjoint is dl · t.
// CHECK-LABEL: func.func @distance_loss(
//       CHECK:   linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
//       CHECK:     arith.mulf
//       CHECK:     arith.addf
//       CHECK:   linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
//       CHECK:     arith.mulf
//   CHECK-NOT:   nn.
func.func @distance_loss(%y: tensor<4x10xf32>, %t: tensor<4x10xf32>, %dl: tensor<4xf32>) -> (tensor<4xf32>, tensor<4x10xf32>) {
  %0 = nn.distance_loss %y, %t : tensor<4x10xf32>, tensor<4x10xf32> -> tensor<4xf32>
  %1 = nn.distance_loss_grad %y, %t, %dl : tensor<4x10xf32>, tensor<4x10xf32>, tensor<4xf32> -> tensor<4x10xf32>
  return %0, %1 : tensor<4xf32>, tensor<4x10xf32>
}
