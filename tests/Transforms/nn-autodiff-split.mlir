// RUN: nn-opt %s --nn-autodiff=split-step=true | FileCheck %s

// For threads: each takes the gradient of its slice of the batch with
// @grad_step (its workspace passed in); @apply_step updates with the mean.
module attributes {nn.optimizer = {kind = "sgd", momentum = 0.9 : f32, weight_decay = 0.0 : f32}} {
  func.func @loss(%w: tensor<3x2xf32> {nn.role = "param", nn.name = "fc.weight"},
                  %b: tensor<2xf32> {nn.role = "param", nn.name = "fc.bias"},
                  %x: tensor<4x3xf32> {nn.role = "input", nn.name = "x"},
                  %t: tensor<4x2xf32> {nn.role = "target", nn.name = "label"})
      -> (tensor<4xf32>, tensor<4x2xf32>) attributes {nn.loss} {
    %y = nn.dense %x, %w, %b : tensor<4x3xf32>, tensor<3x2xf32>, tensor<2xf32> -> tensor<4x2xf32>
    %l = nn.softmax_cross_entropy %y, %t : tensor<4x2xf32>, tensor<4x2xf32> -> tensor<4xf32>
    return %l, %y : tensor<4xf32>, tensor<4x2xf32>
  }
}

// CHECK-NOT: func.func @train_step
// CHECK-LABEL: func.func @grad_step(
//  CHECK-SAME:   %[[W:[^:]*]]: tensor<3x2xf32> {nn.name = "fc.weight", nn.role = "param"}
//  CHECK-SAME:   %[[B:[^:]*]]: tensor<2xf32> {nn.name = "fc.bias", nn.role = "param"}
//  CHECK-SAME:   %[[X:[^:]*]]: tensor<4x3xf32> {nn.name = "x", nn.role = "input"}
//  CHECK-SAME:   %[[T:[^:]*]]: tensor<4x2xf32> {nn.name = "label", nn.role = "target"}
//  CHECK-SAME:   -> (tensor<3x2xf32> {nn.name = "fc.weight.grad", nn.role = "grad"}, tensor<2xf32> {nn.name = "fc.bias.grad", nn.role = "grad"}, tensor<f32> {nn.role = "loss"}, tensor<4x2xf32> {nn.role = "output"})
//  CHECK-SAME:   attributes {llvm.emit_c_interface, nn.workspace_arg}
//       CHECK:   nn.softmax_cross_entropy_grad
//   CHECK-NOT:   nn.sgd
//       CHECK:   return

// CHECK-LABEL: func.func @apply_step(
//  CHECK-SAME:   %[[W:[^:]*]]: tensor<3x2xf32> {nn.name = "fc.weight", nn.role = "param"}
//  CHECK-SAME:   %[[B:[^:]*]]: tensor<2xf32> {nn.name = "fc.bias", nn.role = "param"}
//  CHECK-SAME:   %[[VW:[^:]*]]: tensor<3x2xf32> {nn.name = "fc.weight.velocity", nn.role = "state"}
//  CHECK-SAME:   %[[VB:[^:]*]]: tensor<2xf32> {nn.name = "fc.bias.velocity", nn.role = "state"}
//  CHECK-SAME:   %[[GW:[^:]*]]: tensor<3x2xf32> {nn.name = "fc.weight.grad", nn.role = "grad"}
//  CHECK-SAME:   %[[GB:[^:]*]]: tensor<2xf32> {nn.name = "fc.bias.grad", nn.role = "grad"}
//  CHECK-SAME:   %[[LR:[^:]*]]: tensor<f32> {nn.role = "lr"}
//  CHECK-SAME:   %[[STEP:[^:]*]]: tensor<f32> {nn.role = "step"}
//       CHECK:   %[[NW:.*]], %[[NVW:.*]] = nn.sgd %[[W]], %[[GW]], %[[VW]], %[[LR]] {momentum = 0.899999976 : f32}
//       CHECK:   %[[NB:.*]], %[[NVB:.*]] = nn.sgd %[[B]], %[[GB]], %[[VB]], %[[LR]]
//       CHECK:   return %[[NW]], %[[NB]], %[[NVW]], %[[NVB]]
