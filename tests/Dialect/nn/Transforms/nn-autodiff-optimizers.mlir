// RUN: nn-opt %s --nn-autodiff -split-input-file | FileCheck %s

// Adam keeps two state slots per parameter (m, then v) and reads the step.
module attributes {nn.optimizer = #nn.optimizer<adam, {beta1 = 0.8 : f32, beta2 = 0.9 : f32, weight_decay = 0.0 : f32}>} {
  func.func @loss(%w: tensor<3x2xf32> {nn.role = #nn.role<param>, nn.name = "w"},
                  %b: tensor<2xf32> {nn.role = #nn.role<param>, nn.name = "b"},
                  %x: tensor<4x3xf32> {nn.role = #nn.role<input>},
                  %t: tensor<4x2xf32> {nn.role = #nn.role<target>})
      -> (tensor<4xf32>, tensor<4x2xf32>) attributes {nn.loss} {
    %y = nn.dense %x, %w, %b : tensor<4x3xf32>, tensor<3x2xf32>, tensor<2xf32> -> tensor<4x2xf32>
    %l = nn.mse %y, %t : tensor<4x2xf32>, tensor<4x2xf32> -> tensor<4xf32>
    return %l, %y : tensor<4xf32>, tensor<4x2xf32>
  }
}

// CHECK-LABEL: func.func @train_step(
//  CHECK-SAME:   %[[W:[^:]*]]: tensor<3x2xf32> {nn.name = "w", nn.role = #nn.role<param>}
//  CHECK-SAME:   %[[B:[^:]*]]: tensor<2xf32> {nn.name = "b", nn.role = #nn.role<param>}
//  CHECK-SAME:   %[[MW:[^:]*]]: tensor<3x2xf32> {nn.name = "w.m", nn.role = #nn.role<state>, nn.slot = "m"}
//  CHECK-SAME:   %[[MB:[^:]*]]: tensor<2xf32> {nn.name = "b.m", nn.role = #nn.role<state>, nn.slot = "m"}
//  CHECK-SAME:   %[[VW:[^:]*]]: tensor<3x2xf32> {nn.name = "w.v", nn.role = #nn.role<state>, nn.slot = "v"}
//  CHECK-SAME:   %[[VB:[^:]*]]: tensor<2xf32> {nn.name = "b.v", nn.role = #nn.role<state>, nn.slot = "v"}
//  CHECK-SAME:   %[[LR:[^:]*]]: tensor<f32> {nn.role = #nn.role<lr>}, %[[T:[^:]*]]: tensor<f32> {nn.role = #nn.role<step>}
//       CHECK:   nn.adam %[[W]], %{{.*}}, %[[MW]], %[[VW]], %[[LR]], %[[T]] {beta1 = 8.000000e-01 : f32, beta2 = 0.899999976 : f32}
//       CHECK:   nn.adam %[[B]], %{{.*}}, %[[MB]], %[[VB]], %[[LR]], %[[T]]

// -----

module attributes {nn.optimizer = #nn.optimizer<rmsprop, {alpha = 0.9 : f32}>} {
  func.func @loss(%w: tensor<3x2xf32> {nn.role = #nn.role<param>, nn.name = "w"},
                  %b: tensor<2xf32> {nn.role = #nn.role<param>, nn.name = "b"},
                  %x: tensor<4x3xf32> {nn.role = #nn.role<input>},
                  %t: tensor<4x2xf32> {nn.role = #nn.role<target>})
      -> (tensor<4xf32>, tensor<4x2xf32>) attributes {nn.loss} {
    %y = nn.dense %x, %w, %b : tensor<4x3xf32>, tensor<3x2xf32>, tensor<2xf32> -> tensor<4x2xf32>
    %l = nn.mse %y, %t : tensor<4x2xf32>, tensor<4x2xf32> -> tensor<4xf32>
    return %l, %y : tensor<4xf32>, tensor<4x2xf32>
  }
}

// CHECK-LABEL: func.func @train_step(
//  CHECK-SAME:   {nn.name = "w.square_avg", nn.role = #nn.role<state>, nn.slot = "square_avg"}
//       CHECK:   nn.rmsprop {{.*}} {alpha = 0.899999976 : f32
