// RUN: nn-opt %s --nn-autodiff -split-input-file -verify-diagnostics | FileCheck %s

module attributes {nn.optimizer = #nn.optimizer<sgd, {momentum = 0.9 : f32, weight_decay = 0.0 : f32}>} {
  func.func @loss(%w: tensor<3x2xf32> {nn.role = #nn.role<param>, nn.name = "fc.weight"},
                  %b: tensor<2xf32> {nn.role = #nn.role<param>, nn.name = "fc.bias"},
                  %x: tensor<4x3xf32> {nn.role = #nn.role<input>, nn.name = "x"},
                  %t: tensor<4x2xf32> {nn.role = #nn.role<target>, nn.name = "label"})
      -> (tensor<4xf32>, tensor<4x2xf32>) attributes {nn.loss} {
    %y = nn.dense %x, %w, %b : tensor<4x3xf32>, tensor<3x2xf32>, tensor<2xf32> -> tensor<4x2xf32>
    %l = nn.softmax_cross_entropy %y, %t : tensor<4x2xf32>, tensor<4x2xf32> -> tensor<4xf32>
    return %l, %y : tensor<4xf32>, tensor<4x2xf32>
  }
}

// CHECK-LABEL: func.func @train_step(
//  CHECK-SAME:   %[[W:[^:]*]]: tensor<3x2xf32> {nn.name = "fc.weight", nn.role = #nn.role<param>}
//  CHECK-SAME:   %[[B:[^:]*]]: tensor<2xf32> {nn.name = "fc.bias", nn.role = #nn.role<param>}
//  CHECK-SAME:   %[[VW:[^:]*]]: tensor<3x2xf32> {nn.name = "fc.weight.velocity", nn.role = #nn.role<state>, nn.slot = "velocity"}
//  CHECK-SAME:   %[[VB:[^:]*]]: tensor<2xf32> {nn.name = "fc.bias.velocity", nn.role = #nn.role<state>, nn.slot = "velocity"}
//  CHECK-SAME:   %[[X:[^:]*]]: tensor<4x3xf32> {nn.name = "x", nn.role = #nn.role<input>}
//  CHECK-SAME:   %[[T:[^:]*]]: tensor<4x2xf32> {nn.name = "label", nn.role = #nn.role<target>}
//  CHECK-SAME:   %[[LR:[^:]*]]: tensor<f32> {nn.role = #nn.role<lr>}
//  CHECK-SAME:   {nn.role = #nn.role<loss>}
//  CHECK-SAME:   attributes {llvm.emit_c_interface}
//       CHECK:   %[[Y:.*]] = nn.dense %[[X]], %[[W]], %[[B]]
//       CHECK:   %[[L:.*]] = nn.softmax_cross_entropy %[[Y]], %[[T]]
//       CHECK:   %[[MEAN:.*]] = nn.mean %[[L]]
//       CHECK:   %[[DL:.*]] = nn.mean_grad
//       CHECK:   %[[DY:.*]] = nn.softmax_cross_entropy_grad %[[Y]], %[[T]], %[[DL]]
//       CHECK:   %[[XT:.*]] = nn.transpose %[[X]]
//       CHECK:   %[[DW:.*]] = nn.matmul %[[XT]], %[[DY]]
//       CHECK:   %[[DB:.*]] = nn.batch_sum %[[DY]]
//       CHECK:   %[[PW:.*]], %[[NVW:.*]] = nn.sgd %[[W]], %[[DW]], %[[VW]], %[[LR]] {momentum = {{.*}}}
//       CHECK:   %[[PB:.*]], %[[NVB:.*]] = nn.sgd %[[B]], %[[DB]], %[[VB]], %[[LR]]
//       CHECK:   return %[[PW]], %[[PB]], %[[NVW]], %[[NVB]], %[[MEAN]], %[[Y]]

// -----

// A value used twice gets the sum of both adjoints.
module {
  func.func @loss(%w: tensor<2x2xf32> {nn.role = #nn.role<param>, nn.name = "w"},
                  %b: tensor<2xf32> {nn.role = #nn.role<param>, nn.name = "b"},
                  %x: tensor<1x2xf32> {nn.role = #nn.role<input>},
                  %t: tensor<1x2xf32> {nn.role = #nn.role<target>})
      -> (tensor<1xf32>, tensor<1x2xf32>) attributes {nn.loss} {
    %h = nn.dense %x, %w, %b : tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32> -> tensor<1x2xf32>
    %y = nn.mul %h, %h : tensor<1x2xf32>
    %l = nn.mse %y, %t : tensor<1x2xf32>, tensor<1x2xf32> -> tensor<1xf32>
    return %l, %y : tensor<1xf32>, tensor<1x2xf32>
  }
}

// CHECK-LABEL: func.func @train_step(
//       CHECK:   %[[H:.*]] = nn.dense
//       CHECK:   %[[DY:.*]] = nn.mse_grad
//       CHECK:   %[[A:.*]] = nn.mul %[[DY]], %[[H]]
//       CHECK:   %[[B:.*]] = nn.mul %[[DY]], %[[H]]
//       CHECK:   nn.add %[[A]], %[[B]]

// -----

// expected-error @+1 {{no function marked 'nn.loss' to differentiate}}
module {
  func.func @predict(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    return %x : tensor<1x2xf32>
  }
}

// -----

module {
  func.func @loss(%w: tensor<2x2xf32> {nn.role = #nn.role<param>, nn.name = "w"},
                  %b: tensor<2xf32> {nn.role = #nn.role<param>, nn.name = "b"},
                  %x: tensor<2x2xf32> {nn.role = #nn.role<input>},
                  %t: tensor<1x2xf32> {nn.role = #nn.role<target>})
      -> (tensor<1xf32>, tensor<1x2xf32>) attributes {nn.loss} {
    %h = nn.dense %x, %w, %b : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32> -> tensor<2x2xf32>
    // expected-error @+1 {{no gradient rule for 'nn.batch_sum'}}
    %s = nn.batch_sum %h : tensor<2x2xf32> -> tensor<2xf32>
    %r = nn.reshape %s : tensor<2xf32> -> tensor<1x2xf32>
    %l = nn.mse %r, %t : tensor<1x2xf32>, tensor<1x2xf32> -> tensor<1xf32>
    return %l, %r : tensor<1xf32>, tensor<1x2xf32>
  }
}
