// RUN: nn-opt %s | nn-opt | FileCheck %s
// Every op parses, verifies and prints back.

// CHECK-LABEL: func.func @layers
func.func @layers(%x: tensor<2x1x2x2xf32>, %w: tensor<4x3xf32>, %b: tensor<3xf32>,
                  %t: tensor<2x3xf32>) -> tensor<f32> {
  // CHECK: nn.flatten %{{.*}} : tensor<2x1x2x2xf32> -> tensor<2x4xf32>
  %f = nn.flatten %x : tensor<2x1x2x2xf32> -> tensor<2x4xf32>
  // CHECK: nn.reshape %{{.*}} : tensor<2x4xf32> -> tensor<2x2x2xf32>
  %r = nn.reshape %f : tensor<2x4xf32> -> tensor<2x2x2xf32>
  // CHECK: nn.dense %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %d = nn.dense %f, %w, %b : tensor<2x4xf32>, tensor<4x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  // CHECK: nn.matmul %{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x3xf32> -> tensor<2x3xf32>
  %m = nn.matmul %f, %w : tensor<2x4xf32>, tensor<4x3xf32> -> tensor<2x3xf32>
  // CHECK: nn.transpose %{{.*}} : tensor<4x3xf32> -> tensor<3x4xf32>
  %wt = nn.transpose %w : tensor<4x3xf32> -> tensor<3x4xf32>
  // CHECK: nn.batch_sum %{{.*}} : tensor<2x3xf32> -> tensor<3xf32>
  %bs = nn.batch_sum %d : tensor<2x3xf32> -> tensor<3xf32>
  // CHECK: nn.add
  %a = nn.add %d, %m : tensor<2x3xf32>
  // CHECK: nn.sub
  %s = nn.sub %a, %m : tensor<2x3xf32>
  // CHECK: nn.mul
  %p = nn.mul %s, %m : tensor<2x3xf32>
  // CHECK: nn.relu
  %r1 = nn.relu %p : tensor<2x3xf32>
  // CHECK: nn.sigmoid
  %r2 = nn.sigmoid %r1 : tensor<2x3xf32>
  // CHECK: nn.tanh
  %r3 = nn.tanh %r2 : tensor<2x3xf32>
  // CHECK: nn.step
  %r4 = nn.step %r3 : tensor<2x3xf32>
  // CHECK: nn.softmax
  %sm = nn.softmax %r4 : tensor<2x3xf32>
  // CHECK: nn.cross_entropy %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2xf32>
  %l1 = nn.cross_entropy %sm, %t : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2xf32>
  // CHECK: nn.softmax_cross_entropy
  %l2 = nn.softmax_cross_entropy %r4, %t : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2xf32>
  // CHECK: nn.mse
  %l3 = nn.mse %r4, %t : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2xf32>
  // CHECK: nn.mean %{{.*}} : tensor<2xf32> -> tensor<f32>
  %mean = nn.mean %l1 : tensor<2xf32> -> tensor<f32>
  return %mean : tensor<f32>
}

// CHECK-LABEL: func.func @gradients
func.func @gradients(%y: tensor<2x3xf32>, %dy: tensor<2x3xf32>, %t: tensor<2x3xf32>,
                     %dl: tensor<2xf32>, %g: tensor<f32>) {
  // CHECK: nn.relu_grad %{{.*}}, %{{.*}} : tensor<2x3xf32>
  %0 = nn.relu_grad %y, %dy : tensor<2x3xf32>
  // CHECK: nn.sigmoid_grad
  %1 = nn.sigmoid_grad %y, %dy : tensor<2x3xf32>
  // CHECK: nn.tanh_grad
  %2 = nn.tanh_grad %y, %dy : tensor<2x3xf32>
  // CHECK: nn.softmax_grad
  %3 = nn.softmax_grad %y, %dy : tensor<2x3xf32>
  // CHECK: nn.cross_entropy_grad %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2xf32> -> tensor<2x3xf32>
  %4 = nn.cross_entropy_grad %y, %t, %dl : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2xf32> -> tensor<2x3xf32>
  // CHECK: nn.softmax_cross_entropy_grad
  %5 = nn.softmax_cross_entropy_grad %y, %t, %dl : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2xf32> -> tensor<2x3xf32>
  // CHECK: nn.mse_grad
  %6 = nn.mse_grad %y, %t, %dl : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2xf32> -> tensor<2x3xf32>
  // CHECK: nn.mean_grad %{{.*}} : tensor<f32> -> tensor<2xf32>
  %7 = nn.mean_grad %g : tensor<f32> -> tensor<2xf32>
  return
}

// CHECK-LABEL: func.func @optimizer
func.func @optimizer(%p: tensor<4x3xf32>, %g: tensor<4x3xf32>, %v: tensor<4x3xf32>,
                     %lr: tensor<f32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  // CHECK: nn.sgd %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {momentum = {{.*}} : f32, nesterov, weight_decay = {{.*}} : f32} : tensor<4x3xf32>, tensor<f32>
  %p2, %v2 = nn.sgd %p, %g, %v, %lr {momentum = 0.9 : f32, nesterov, weight_decay = 0.001 : f32} : tensor<4x3xf32>, tensor<f32>
  return %p2, %v2 : tensor<4x3xf32>, tensor<4x3xf32>
}

// CHECK-LABEL: func.func @images
func.func @images(%x: tensor<2x6x6x3xf32>, %rows: tensor<32x27xf32>) -> tensor<2x3x3x3xf32> {
  // CHECK: nn.im2col %{{.*}} {kernel = array<i64: 3, 3>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : tensor<2x6x6x3xf32> -> tensor<32x27xf32>
  %c = nn.im2col %x {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<2x6x6x3xf32> -> tensor<32x27xf32>
  // CHECK: nn.col2im %{{.*}} {kernel = array<i64: 3, 3>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : tensor<32x27xf32> -> tensor<2x6x6x3xf32>
  %d = nn.col2im %rows {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<32x27xf32> -> tensor<2x6x6x3xf32>
  // CHECK: nn.conv2d %{{.*}}, %{{.*}}, %{{.*}} {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : tensor<2x6x6x3xf32>, tensor<27x4xf32>, tensor<4xf32> -> tensor<18x4xf32>
  %w = arith.constant dense<0.5> : tensor<27x4xf32>
  %b = arith.constant dense<0.0> : tensor<4xf32>
  %y = nn.conv2d %x, %w, %b {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : tensor<2x6x6x3xf32>, tensor<27x4xf32>, tensor<4xf32> -> tensor<18x4xf32>
  // CHECK: nn.conv2d_filter_grad %{{.*}}, %{{.*}} {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1>} : tensor<2x6x6x3xf32>, tensor<72x4xf32> -> tensor<27x4xf32>
  %dy = arith.constant dense<1.0> : tensor<72x4xf32>
  %dw = nn.conv2d_filter_grad %x, %dy {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1>} : tensor<2x6x6x3xf32>, tensor<72x4xf32> -> tensor<27x4xf32>
  // CHECK: nn.conv2d_input_grad %{{.*}}, %{{.*}} {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1>} : tensor<72x4xf32>, tensor<27x4xf32> -> tensor<2x6x6x3xf32>
  %dx = nn.conv2d_input_grad %dy, %dw {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1>} : tensor<72x4xf32>, tensor<27x4xf32> -> tensor<2x6x6x3xf32>
  // CHECK: nn.pool2d %{{.*}} {kind = #nn.pool_kind<max>, size = 2 : i64, stride = 2 : i64} : tensor<2x6x6x3xf32> -> tensor<2x3x3x3xf32>
  %p = nn.pool2d %x {kind = #nn.pool_kind<max>, size = 2, stride = 2} : tensor<2x6x6x3xf32> -> tensor<2x3x3x3xf32>
  // CHECK: nn.pool2d_grad %{{.*}}, %{{.*}}, %{{.*}} {kind = #nn.pool_kind<avg>, size = 2 : i64, stride = 2 : i64} : tensor<2x6x6x3xf32>, tensor<2x3x3x3xf32>
  %g = nn.pool2d_grad %x, %p, %p {kind = #nn.pool_kind<avg>, size = 2, stride = 2} : tensor<2x6x6x3xf32>, tensor<2x3x3x3xf32>
  return %p : tensor<2x3x3x3xf32>
}

// CHECK-LABEL: func.func @more_activations
func.func @more_activations(%x: tensor<2x3xf32>, %dy: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: nn.leaky_relu %{{.*}} {alpha = {{.*}} : f32} : tensor<2x3xf32>
  %0 = nn.leaky_relu %x {alpha = 0.01 : f32} : tensor<2x3xf32>
  // CHECK: nn.elu %{{.*}} {alpha = 1.000000e+00 : f32}
  %1 = nn.elu %0 {alpha = 1.0 : f32} : tensor<2x3xf32>
  // CHECK: nn.scaled_tanh
  %2 = nn.scaled_tanh %1 : tensor<2x3xf32>
  // CHECK: nn.swish
  %3 = nn.swish %2 : tensor<2x3xf32>
  // CHECK: nn.leaky_relu_grad
  %4 = nn.leaky_relu_grad %x, %dy {alpha = 0.01 : f32} : tensor<2x3xf32>
  // CHECK: nn.elu_grad
  %5 = nn.elu_grad %x, %dy {alpha = 1.0 : f32} : tensor<2x3xf32>
  // CHECK: nn.scaled_tanh_grad
  %6 = nn.scaled_tanh_grad %x, %dy : tensor<2x3xf32>
  // CHECK: nn.swish_grad
  %7 = nn.swish_grad %x, %dy : tensor<2x3xf32>
  // CHECK: nn.softplus %{{.*}} : tensor<2x3xf32>
  %8 = nn.softplus %3 : tensor<2x3xf32>
  // CHECK: nn.softplus_grad %{{.*}}, %{{.*}} : tensor<2x3xf32>
  %9 = nn.softplus_grad %x, %dy : tensor<2x3xf32>
  return %8 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @optimizers
func.func @optimizers(%p: tensor<4xf32>, %lr: tensor<f32>, %t: tensor<f32>) {
  // CHECK: nn.adam %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {beta1 = {{.*}}} : tensor<4xf32>, tensor<f32>
  %0:3 = nn.adam %p, %p, %p, %p, %lr, %t {beta1 = 0.5 : f32} : tensor<4xf32>, tensor<f32>
  // CHECK: nn.rmsprop
  %1:2 = nn.rmsprop %p, %p, %p, %lr {alpha = 0.9 : f32} : tensor<4xf32>, tensor<f32>
  // CHECK: nn.adagrad
  %2:2 = nn.adagrad %p, %p, %p, %lr : tensor<4xf32>, tensor<f32>
  return
}

// CHECK-LABEL: func.func @cosine
func.func @cosine(%y: tensor<2x3xf32>, %t: tensor<2x3xf32>, %dl: tensor<2xf32>) -> tensor<2x3xf32> {
  // CHECK: nn.cosine_loss %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2xf32>
  %l = nn.cosine_loss %y, %t : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2xf32>
  // CHECK: nn.cosine_loss_grad
  %g = nn.cosine_loss_grad %y, %t, %dl : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2xf32> -> tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @subsampling
func.func @subsampling(%x: tensor<2x4x4x3xf32>, %a: tensor<3xf32>) -> tensor<3xf32> {
  // CHECK: nn.channel_scale %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x4x4x3xf32>, tensor<3xf32>
  %y = nn.channel_scale %x, %a, %a : tensor<2x4x4x3xf32>, tensor<3xf32>
  // CHECK: nn.channel_sum %{{.*}} : tensor<2x4x4x3xf32> -> tensor<3xf32>
  %s = nn.channel_sum %y : tensor<2x4x4x3xf32> -> tensor<3xf32>
  return %s : tensor<3xf32>
}

// CHECK-LABEL: func.func @dropout
func.func @dropout(%x: tensor<2x3xf32>, %u: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: nn.dropout %{{.*}}, %{{.*}} {rate = 5.000000e-01 : f32} : tensor<2x3xf32>
  %y = nn.dropout %x, %u {rate = 0.5 : f32} : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @rbf
func.func @rbf(%x: tensor<2x84xf32>, %p: tensor<10x84xf32>, %t: tensor<2x10xf32>, %dl: tensor<2xf32>) -> tensor<2x84xf32> {
  // CHECK: nn.rbf %{{.*}}, %{{.*}} : tensor<2x84xf32>, tensor<10x84xf32> -> tensor<2x10xf32>
  %y = nn.rbf %x, %p : tensor<2x84xf32>, tensor<10x84xf32> -> tensor<2x10xf32>
  // CHECK: nn.distance_loss %{{.*}}, %{{.*}} : tensor<2x10xf32>, tensor<2x10xf32> -> tensor<2xf32>
  %l = nn.distance_loss %y, %t : tensor<2x10xf32>, tensor<2x10xf32> -> tensor<2xf32>
  // CHECK: nn.distance_loss_grad
  %dy = nn.distance_loss_grad %y, %t, %dl : tensor<2x10xf32>, tensor<2x10xf32>, tensor<2xf32> -> tensor<2x10xf32>
  // CHECK: nn.rbf_grad %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x84xf32>, tensor<10x84xf32>, tensor<2x10xf32> -> tensor<2x84xf32>
  %dx = nn.rbf_grad %x, %p, %dy : tensor<2x84xf32>, tensor<10x84xf32>, tensor<2x10xf32> -> tensor<2x84xf32>
  return %dx : tensor<2x84xf32>
}
