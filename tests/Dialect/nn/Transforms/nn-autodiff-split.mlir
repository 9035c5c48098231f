// RUN: nn-opt %s -split-input-file --nn-autodiff=split-step=true | FileCheck %s
// RUN: nn-opt %s -split-input-file --nn-autodiff="split-step=true parts=3" | FileCheck %s --check-prefix=PARTS

// For threads: each takes the gradient of its slice of the batch with
// @grad_step (its workspace passed in); @apply_step updates with the mean.
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

// CHECK-NOT: func.func @train_step
// CHECK-LABEL: func.func @grad_step(
//  CHECK-SAME:   %[[W:[^:]*]]: tensor<3x2xf32> {nn.name = "fc.weight", nn.role = #nn.role<param>}
//  CHECK-SAME:   %[[B:[^:]*]]: tensor<2xf32> {nn.name = "fc.bias", nn.role = #nn.role<param>}
//  CHECK-SAME:   %[[X:[^:]*]]: tensor<4x3xf32> {nn.name = "x", nn.role = #nn.role<input>}
//  CHECK-SAME:   %[[T:[^:]*]]: tensor<4x2xf32> {nn.name = "label", nn.role = #nn.role<target>}
//  CHECK-SAME:   -> (tensor<3x2xf32> {nn.name = "fc.weight.grad", nn.role = #nn.role<grad>}, tensor<2xf32> {nn.name = "fc.bias.grad", nn.role = #nn.role<grad>}, tensor<f32> {nn.role = #nn.role<loss>}, tensor<4x2xf32> {nn.role = #nn.role<output>})
//  CHECK-SAME:   attributes {llvm.emit_c_interface, nn.workspace_arg}
//       CHECK:   nn.softmax_cross_entropy_grad
//   CHECK-NOT:   nn.sgd
//       CHECK:   return

// CHECK-LABEL: func.func @apply_step(
//  CHECK-SAME:   %[[W:[^:]*]]: tensor<3x2xf32> {nn.name = "fc.weight", nn.role = #nn.role<param>}
//  CHECK-SAME:   %[[B:[^:]*]]: tensor<2xf32> {nn.name = "fc.bias", nn.role = #nn.role<param>}
//  CHECK-SAME:   %[[VW:[^:]*]]: tensor<3x2xf32> {nn.name = "fc.weight.velocity", nn.role = #nn.role<state>, nn.slot = "velocity"}
//  CHECK-SAME:   %[[VB:[^:]*]]: tensor<2xf32> {nn.name = "fc.bias.velocity", nn.role = #nn.role<state>, nn.slot = "velocity"}
//  CHECK-SAME:   %[[GW:[^:]*]]: tensor<3x2xf32> {nn.name = "fc.weight.grad", nn.role = #nn.role<grad>}
//  CHECK-SAME:   %[[GB:[^:]*]]: tensor<2xf32> {nn.name = "fc.bias.grad", nn.role = #nn.role<grad>}
//  CHECK-SAME:   %[[LR:[^:]*]]: tensor<f32> {nn.role = #nn.role<lr>}
//  CHECK-SAME:   %[[STEP:[^:]*]]: tensor<f32> {nn.role = #nn.role<step>}
//       CHECK:   %[[NW:.*]], %[[NVW:.*]] = nn.sgd %[[W]], %[[GW]], %[[VW]], %[[LR]] {momentum = 0.899999976 : f32}
//       CHECK:   %[[NB:.*]], %[[NVB:.*]] = nn.sgd %[[B]], %[[GB]], %[[VB]], %[[LR]]
//       CHECK:   return %[[NW]], %[[NB]], %[[NVW]], %[[NVB]]

// With parts, @apply_step takes each thread's flat slice of every tensor:
// 6 and 2 floats over three threads make slices of 2 and 1, rounded up
// to 16; the gradients of all three parts come in, and their mean updates.
// PARTS-LABEL: func.func @apply_step(
//  PARTS-SAME:   %[[W:[^:]*]]: tensor<16xf32> {nn.name = "fc.weight", nn.role = #nn.role<param>}
//  PARTS-SAME:   %[[B:[^:]*]]: tensor<16xf32> {nn.name = "fc.bias", nn.role = #nn.role<param>}
//  PARTS-SAME:   %[[VW:[^:]*]]: tensor<16xf32> {nn.name = "fc.weight.velocity", nn.role = #nn.role<state>, nn.slot = "velocity"}
//  PARTS-SAME:   %[[VB:[^:]*]]: tensor<16xf32> {nn.name = "fc.bias.velocity", nn.role = #nn.role<state>, nn.slot = "velocity"}
//  PARTS-SAME:   %[[GW0:[^:]*]]: tensor<16xf32> {nn.name = "fc.weight.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[GB0:[^:]*]]: tensor<16xf32> {nn.name = "fc.bias.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[GW1:[^:]*]]: tensor<16xf32> {nn.name = "fc.weight.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[GB1:[^:]*]]: tensor<16xf32> {nn.name = "fc.bias.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[GW2:[^:]*]]: tensor<16xf32> {nn.name = "fc.weight.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[GB2:[^:]*]]: tensor<16xf32> {nn.name = "fc.bias.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[LR:[^:]*]]: tensor<f32> {nn.role = #nn.role<lr>}
//  PARTS-SAME:   -> (tensor<16xf32> {nn.name = "fc.weight", nn.role = #nn.role<param>}, tensor<16xf32> {nn.name = "fc.bias", nn.role = #nn.role<param>}, tensor<16xf32> {nn.name = "fc.weight.velocity", nn.role = #nn.role<state>, nn.slot = "velocity"}, tensor<16xf32> {nn.name = "fc.bias.velocity", nn.role = #nn.role<state>, nn.slot = "velocity"})
//       PARTS:   %[[S01:.*]] = nn.add %[[GW0]], %[[GW1]]
//       PARTS:   %[[S012:.*]] = nn.add %[[S01]], %[[GW2]]
//       PARTS:   %[[THIRD:.*]] = arith.constant dense<0.333333343> : tensor<16xf32>
//       PARTS:   %[[MEAN:.*]] = nn.mul %[[S012]], %[[THIRD]]
//       PARTS:   nn.sgd %[[W]], %[[MEAN]], %[[VW]], %[[LR]]

// -----

// Adam's two state slots, over three threads: 80 floats make slices of
// 27, rounded up to 32; 20 floats slices of 7, rounded up to 16.
module attributes {nn.optimizer = #nn.optimizer<adam, {beta1 = 0.9 : f32, beta2 = 0.999 : f32, eps = 1.0e-8 : f32, weight_decay = 0.0 : f32}>} {
  func.func @loss(%w: tensor<4x20xf32> {nn.role = #nn.role<param>, nn.name = "fc.weight"},
                  %b: tensor<20xf32> {nn.role = #nn.role<param>, nn.name = "fc.bias"},
                  %x: tensor<6x4xf32> {nn.role = #nn.role<input>, nn.name = "x"},
                  %t: tensor<6x20xf32> {nn.role = #nn.role<target>, nn.name = "label"})
      -> (tensor<6xf32>, tensor<6x20xf32>) attributes {nn.loss} {
    %y = nn.dense %x, %w, %b : tensor<6x4xf32>, tensor<4x20xf32>, tensor<20xf32> -> tensor<6x20xf32>
    %l = nn.softmax_cross_entropy %y, %t : tensor<6x20xf32>, tensor<6x20xf32> -> tensor<6xf32>
    return %l, %y : tensor<6xf32>, tensor<6x20xf32>
  }
}

// Without parts, every tensor keeps its shape.
// CHECK-LABEL: func.func @apply_step(
//  CHECK-SAME:   tensor<4x20xf32> {nn.name = "fc.weight", nn.role = #nn.role<param>}
//  CHECK-SAME:   tensor<4x20xf32> {nn.name = "fc.weight.m", nn.role = #nn.role<state>, nn.slot = "m"}
//  CHECK-SAME:   tensor<20xf32> {nn.name = "fc.bias.v", nn.role = #nn.role<state>, nn.slot = "v"}
//  CHECK-SAME:   tensor<4x20xf32> {nn.name = "fc.weight.grad", nn.role = #nn.role<grad>}
//   CHECK-NOT:   nn.add
//       CHECK:   nn.adam

// PARTS-LABEL: func.func @apply_step(
//  PARTS-SAME:   %[[W:[^:]*]]: tensor<32xf32> {nn.name = "fc.weight", nn.role = #nn.role<param>}
//  PARTS-SAME:   %[[B:[^:]*]]: tensor<16xf32> {nn.name = "fc.bias", nn.role = #nn.role<param>}
//  PARTS-SAME:   %[[MW:[^:]*]]: tensor<32xf32> {nn.name = "fc.weight.m", nn.role = #nn.role<state>, nn.slot = "m"}
//  PARTS-SAME:   %[[MB:[^:]*]]: tensor<16xf32> {nn.name = "fc.bias.m", nn.role = #nn.role<state>, nn.slot = "m"}
//  PARTS-SAME:   %[[VW:[^:]*]]: tensor<32xf32> {nn.name = "fc.weight.v", nn.role = #nn.role<state>, nn.slot = "v"}
//  PARTS-SAME:   %[[VB:[^:]*]]: tensor<16xf32> {nn.name = "fc.bias.v", nn.role = #nn.role<state>, nn.slot = "v"}
//  PARTS-SAME:   %[[GW0:[^:]*]]: tensor<32xf32> {nn.name = "fc.weight.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[GB0:[^:]*]]: tensor<16xf32> {nn.name = "fc.bias.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[GW1:[^:]*]]: tensor<32xf32> {nn.name = "fc.weight.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[GB1:[^:]*]]: tensor<16xf32> {nn.name = "fc.bias.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[GW2:[^:]*]]: tensor<32xf32> {nn.name = "fc.weight.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[GB2:[^:]*]]: tensor<16xf32> {nn.name = "fc.bias.grad", nn.role = #nn.role<grad>}
//  PARTS-SAME:   %[[LR:[^:]*]]: tensor<f32> {nn.role = #nn.role<lr>}, %[[STEP:[^:]*]]: tensor<f32> {nn.role = #nn.role<step>})
//       PARTS:   %[[S01:.*]] = nn.add %[[GB0]], %[[GB1]]
//       PARTS:   %[[S012:.*]] = nn.add %[[S01]], %[[GB2]]
//       PARTS:   %[[MEAN:.*]] = nn.mul %[[S012]]
//       PARTS:   %[[NB:.*]], %[[NMB:.*]], %[[NVB:.*]] = nn.adam %[[B]], %[[MEAN]], %[[MB]], %[[VB]], %[[LR]], %[[STEP]]
//       PARTS:   return {{.*}} : tensor<32xf32>, tensor<16xf32>, tensor<32xf32>, tensor<16xf32>, tensor<32xf32>, tensor<16xf32>
