// RUN: nn-opt %s --nn-grad -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @f_grad(
//  CHECK-SAME:   %[[X:[^:]*]]: tensor<3xf32>, %[[W:[^:]*]]: tensor<3xf32>)
//  CHECK-SAME:   -> (tensor<f32>, tensor<3xf32>, tensor<3xf32>)
//       CHECK:   %[[T:.*]] = nn.tanh %[[X]]
//       CHECK:   %[[P:.*]] = nn.mul %[[T]], %[[W]]
//       CHECK:   %[[M:.*]] = nn.mean %[[P]]
//       CHECK:   %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
//       CHECK:   %[[DP:.*]] = nn.mean_grad %[[ONE]]
//       CHECK:   %[[DT:.*]] = nn.mul %[[DP]], %[[W]]
//       CHECK:   %[[DW:.*]] = nn.mul %[[DP]], %[[T]]
//       CHECK:   %[[DX:.*]] = nn.tanh_grad %[[T]], %[[DT]]
//       CHECK:   return %[[M]], %[[DX]], %[[DW]]
func.func @f(%x: tensor<3xf32>, %w: tensor<3xf32>) -> tensor<f32> attributes {nn.grad} {
  %t = nn.tanh %x : tensor<3xf32>
  %p = nn.mul %t, %w : tensor<3xf32>
  %m = nn.mean %p : tensor<3xf32> -> tensor<f32>
  return %m : tensor<f32>
}

// -----

// An argument the value does not depend on gets a zero gradient.
// CHECK-LABEL: func.func @g_grad(
//       CHECK:   %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<3xf32>
//       CHECK:   return %{{.*}}, %{{.*}}, %[[Z]]
func.func @g(%x: tensor<3xf32>, %unused: tensor<3xf32>) -> tensor<f32> attributes {nn.grad} {
  %m = nn.mean %x : tensor<3xf32> -> tensor<f32>
  return %m : tensor<f32>
}

// -----

// expected-error @+1 {{nn.grad needs a single tensor<f32> result, found 2 result(s)}}
func.func @h(%x: tensor<3xf32>) -> (tensor<f32>, tensor<f32>) attributes {nn.grad} {
  %m = nn.mean %x : tensor<3xf32> -> tensor<f32>
  return %m, %m : tensor<f32>, tensor<f32>
}
