// RUN: nn-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @relu(
//       CHECK:   linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
//       CHECK:     arith.maximumf
func.func @relu(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = nn.relu %x : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @sigmoid(
//       CHECK:   arith.negf
//       CHECK:   math.exp
//       CHECK:   arith.addf
//       CHECK:   arith.divf
func.func @sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.sigmoid %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @tanh(
//       CHECK:   math.tanh
func.func @tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.tanh %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @step(
//       CHECK:   arith.cmpf oge
//       CHECK:   arith.select
func.func @step(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.step %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @arith(
//       CHECK:   arith.addf
//       CHECK:   arith.subf
//       CHECK:   arith.mulf
func.func @arith(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.add %a, %b : tensor<4xf32>
  %1 = nn.sub %0, %b : tensor<4xf32>
  %2 = nn.mul %1, %b : tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @activation_grads(
//       CHECK:   arith.cmpf ogt
//       CHECK:   arith.select
//       CHECK:   arith.subf
//       CHECK:   arith.mulf
func.func @activation_grads(%y: tensor<4xf32>, %dy: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = nn.relu_grad %y, %dy : tensor<4xf32>
  %1 = nn.sigmoid_grad %y, %dy : tensor<4xf32>
  %2 = nn.tanh_grad %y, %dy : tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @flatten(
//       CHECK:   tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
//       CHECK:   tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [2, 12] : tensor<24xf32> into tensor<2x12xf32>
func.func @flatten(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %0 = nn.flatten %x : tensor<2x3x4xf32> -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}

// -----

// The update is one loop computing both the parameter and the velocity.
// CHECK-LABEL: func.func @sgd(
//       CHECK:   %[[R:.*]]:2 = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<f32>)
//       CHECK:     arith.mulf
//       CHECK:     linalg.yield %{{.*}}, %{{.*}} : f32, f32
//       CHECK:   return %[[R]]#0, %[[R]]#1
func.func @sgd(%p: tensor<5xf32>, %g: tensor<5xf32>, %v: tensor<5xf32>, %lr: tensor<f32>) -> (tensor<5xf32>, tensor<5xf32>) {
  %p2, %v2 = nn.sgd %p, %g, %v, %lr {momentum = 0.9 : f32} : tensor<5xf32>, tensor<f32>
  return %p2, %v2 : tensor<5xf32>, tensor<5xf32>
}

// -----

// CHECK-LABEL: func.func @lenet_activations(
//       CHECK:   arith.constant 0.666666{{[0-9]*}} : f32
//       CHECK:   math.tanh
//       CHECK:   arith.constant 1.715900e+00 : f32
//       CHECK:   math.exp
//       CHECK:   arith.cmpf ogt
//       CHECK:   arith.select
func.func @lenet_activations(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = nn.scaled_tanh %x : tensor<4xf32>
  %1 = nn.elu %x {alpha = 1.0 : f32} : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}
