// RUN: nn-opt %s -split-input-file -verify-diagnostics

func.func @dense_features(%x: tensor<2x5xf32>, %w: tensor<4x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{input has 5 features but the weight expects 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.dense %x, %w, %b : tensor<2x5xf32>, tensor<4x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @dense_bias(%x: tensor<2x4xf32>, %w: tensor<4x3xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{bias has 2 elements but the layer has 3 outputs}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.dense %x, %w, %b : tensor<2x4xf32>, tensor<4x3xf32>, tensor<2xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @dense_result(%x: tensor<2x4xf32>, %w: tensor<4x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'nn.dense' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.dense %x, %w, %b : tensor<2x4xf32>, tensor<4x3xf32>, tensor<3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_inner(%a: tensor<4x3xf32>, %b: tensor<5x2xf32>) {
  // expected-error @+2 {{inner dimensions differ: 3 vs 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.matmul %a, %b : tensor<4x3xf32>, tensor<5x2xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<4xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+1 {{operand #0 must be 2D tensor of 32-bit float values, but got 'tensor<4xf32>'}}
  %0 = nn.matmul %a, %b : tensor<4xf32>, tensor<4x2xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @f64(%a: tensor<4xf64>) {
  // expected-error @+1 {{operand #0 must be 0D/1D/2D/3D/4D/5D/6D tensor of 32-bit float values, but got 'tensor<4xf64>'}}
  %0 = nn.relu %a : tensor<4xf64>
  return
}

// -----

// expected-note @+1 {{prior use here}}
func.func @add_shapes(%a: tensor<4xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{use of value '%b' expects different type than prior uses: 'tensor<4xf32>' vs 'tensor<5xf32>'}}
  %0 = nn.add %a, %b : tensor<4xf32>
  return
}

// -----

func.func @softmax_scalar(%a: tensor<f32>) {
  // expected-error @+1 {{expected a tensor of rank at least 1, found a scalar}}
  %0 = nn.softmax %a : tensor<f32>
  return
}

// -----

func.func @reshape_count(%a: tensor<2x6xf32>) {
  // expected-error @+1 {{element count changes: 12 (2x6) vs 10 (2x5)}}
  %0 = nn.reshape %a : tensor<2x6xf32> -> tensor<2x5xf32>
  return
}

// -----

func.func @loss_shapes(%y: tensor<2x3xf32>, %t: tensor<2x4xf32>) {
  // expected-error @+2 {{prediction and target shapes differ: 2x3 vs 2x4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.mse %y, %t : tensor<2x3xf32>, tensor<2x4xf32> -> tensor<2xf32>
  return
}

// -----

func.func @loss_grad_batch(%y: tensor<2x3xf32>, %t: tensor<2x3xf32>, %dl: tensor<3xf32>) {
  // expected-error @+2 {{expected 2 per-sample adjoints, found 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.mse_grad %y, %t, %dl : tensor<2x3xf32>, tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @batch_sum_scalar(%a: tensor<f32>) {
  // expected-error @+2 {{expected a batch dimension, found a scalar}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.batch_sum %a : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @sgd_momentum(%p: tensor<3xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{momentum must be in [0, 1), found 1.5}}
  %0, %1 = nn.sgd %p, %p, %p, %lr {momentum = 1.5 : f32} : tensor<3xf32>, tensor<f32>
  return
}

// -----

func.func @sgd_nesterov(%p: tensor<3xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{Nesterov momentum needs a momentum above 0}}
  %0, %1 = nn.sgd %p, %p, %p, %lr {nesterov} : tensor<3xf32>, tensor<f32>
  return
}

// -----

func.func @sgd_decay(%p: tensor<3xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{weight decay must be non-negative, found -1}}
  %0, %1 = nn.sgd %p, %p, %p, %lr {weight_decay = -1.0 : f32} : tensor<3xf32>, tensor<f32>
  return
}

// -----

func.func @im2col_kernel(%x: tensor<1x4x4x1xf32>) {
  // expected-error @+2 {{kernel 5x5 is larger than the padded 4x4 input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.im2col %x {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x4x4x1xf32> -> tensor<1x25xf32>
  return
}

// -----

func.func @im2col_stride(%x: tensor<1x4x4x1xf32>) {
  // expected-error @+2 {{stride must be positive, found 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.im2col %x {kernel = array<i64: 3, 3>, stride = array<i64: 0, 1>, padding = array<i64: 0, 0>} : tensor<1x4x4x1xf32> -> tensor<4x9xf32>
  return
}

// -----

func.func @col2im_rows(%r: tensor<5x9xf32>) {
  // expected-error @+1 {{expected patch rows of shape 4x9 for a 1x4x4x1 image, found 5x9}}
  %0 = nn.col2im %r {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<5x9xf32> -> tensor<1x4x4x1xf32>
  return
}

// -----

func.func @conv2d_weight(%x: tensor<1x6x6x2xf32>, %w: tensor<9x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{expected a weight of 18 rows (kernel 3x3 x 2 channels), found 9}}
  %0 = nn.conv2d %x, %w, %b {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x6x6x2xf32>, tensor<9x4xf32>, tensor<4xf32> -> tensor<16x4xf32>
  return
}

// -----

func.func @conv2d_bias(%x: tensor<1x6x6x2xf32>, %w: tensor<18x4xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{expected 4 biases, found 3}}
  %0 = nn.conv2d %x, %w, %b {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x6x6x2xf32>, tensor<18x4xf32>, tensor<3xf32> -> tensor<16x4xf32>
  return
}

// -----

func.func @conv2d_result(%x: tensor<1x6x6x2xf32>, %w: tensor<18x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{expected a result of shape 16x4, found 36x4}}
  %0 = nn.conv2d %x, %w, %b {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x6x6x2xf32>, tensor<18x4xf32>, tensor<4xf32> -> tensor<36x4xf32>
  return
}

// -----

func.func @filter_grad_rows(%x: tensor<1x6x6x2xf32>, %dy: tensor<15x4xf32>) {
  // expected-error @+1 {{expected 16 gradient rows (one per output position), found 15}}
  %0 = nn.conv2d_filter_grad %x, %dy {kernel = array<i64: 3, 3>, padding = array<i64: 0, 0>} : tensor<1x6x6x2xf32>, tensor<15x4xf32> -> tensor<18x4xf32>
  return
}

// -----

func.func @filter_grad_result(%x: tensor<1x6x6x2xf32>, %dy: tensor<16x4xf32>) {
  // expected-error @+1 {{expected a result of shape 18x4, found 9x4}}
  %0 = nn.conv2d_filter_grad %x, %dy {kernel = array<i64: 3, 3>, padding = array<i64: 0, 0>} : tensor<1x6x6x2xf32>, tensor<16x4xf32> -> tensor<9x4xf32>
  return
}

// -----

func.func @input_grad_rows(%dy: tensor<15x4xf32>, %w: tensor<18x4xf32>) {
  // expected-error @+1 {{expected 16 gradient rows (one per output position), found 15}}
  %0 = nn.conv2d_input_grad %dy, %w {kernel = array<i64: 3, 3>, padding = array<i64: 0, 0>} : tensor<15x4xf32>, tensor<18x4xf32> -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @input_grad_weight(%dy: tensor<16x4xf32>, %w: tensor<18x3xf32>) {
  // expected-error @+1 {{expected a weight of shape 18x4, found 18x3}}
  %0 = nn.conv2d_input_grad %dy, %w {kernel = array<i64: 3, 3>, padding = array<i64: 0, 0>} : tensor<16x4xf32>, tensor<18x3xf32> -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @input_grad_padding(%dy: tensor<36x4xf32>, %w: tensor<18x4xf32>) {
  // expected-error @+1 {{padding must be in [0, kernel), found 3 for kernel 3}}
  %0 = nn.conv2d_input_grad %dy, %w {kernel = array<i64: 3, 3>, padding = array<i64: 3, 3>} : tensor<36x4xf32>, tensor<18x4xf32> -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @conv2d_kernel(%x: tensor<1x2x2x1xf32>, %w: tensor<9x1xf32>, %b: tensor<1xf32>) {
  // expected-error @+1 {{kernel 3x3 is larger than the padded 2x2 input}}
  %0 = nn.conv2d %x, %w, %b {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<1x2x2x1xf32>, tensor<9x1xf32>, tensor<1xf32> -> tensor<1x1xf32>
  return
}

// -----

func.func @pool_kind(%x: tensor<1x4x4x1xf32>) {
  // expected-error @+1 {{attribute 'kind' failed to satisfy constraint: what a pooling window computes}}
  %0 = nn.pool2d %x {kind = "max", size = 2, stride = 2} : tensor<1x4x4x1xf32> -> tensor<1x2x2x1xf32>
  return
}

// -----

func.func @pool_kind_name(%x: tensor<1x4x4x1xf32>) {
  // expected-error @+2 {{expected one of [avg, max, sum] for what a pooling window computes, got: min}}
  // expected-error @+1 {{failed to parse NN_PoolKindAttr parameter 'value'}}
  %0 = nn.pool2d %x {kind = #nn.pool_kind<min>, size = 2, stride = 2} : tensor<1x4x4x1xf32> -> tensor<1x2x2x1xf32>
  return
}

// -----

// expected-error @+1 {{'sgd' has no hyper-parameter 'beta1'}}
module attributes {nn.optimizer = #nn.optimizer<sgd, {beta1 = 0.9 : f32}>} {
}

// -----

// expected-error @+1 {{hyper-parameter 'nesterov' must be a unit attribute}}
module attributes {nn.optimizer = #nn.optimizer<sgd, {nesterov = 1.0 : f32}>} {
}

// -----

// expected-error @+1 {{hyper-parameter 'momentum' must be in [0, 1), found 1.5}}
module attributes {nn.optimizer = #nn.optimizer<sgd, {momentum = 1.5 : f32}>} {
}

// -----

// expected-error @+1 {{hyper-parameter 'eps' must be positive, found 0}}
module attributes {nn.optimizer = #nn.optimizer<adam, {eps = 0.0 : f32}>} {
}

// -----

// expected-error @+1 {{dataset must be "mnist", "fashion_mnist" or "csv", found "imagenet"}}
module attributes {nn.train = #nn.train<dataset = "imagenet", batch = 4, lr = 0.1 : f64>} {
}

// -----

// expected-error @+1 {{batch and step_every must be at least 1; epochs, pad and shift at least 0}}
module attributes {nn.train = #nn.train<dataset = "mnist", batch = 0, lr = 0.1 : f64>} {
}

// -----

// expected-error @+1 {{lr must be a positive number}}
module attributes {nn.train = #nn.train<dataset = "mnist", batch = 4, lr = -1.0 : f64>} {
}

// -----

// expected-error @+1 {{a csv dataset needs csv_train and csv_test}}
module attributes {nn.train = #nn.train<dataset = "csv", batch = 4, lr = 0.1 : f64, csv_train = "a.csv">} {
}

// -----

// expected-error @+1 {{schedule must be "constant", "cosine" or "step", found "linear"}}
module attributes {nn.train = #nn.train<dataset = "mnist", batch = 4, lr = 0.1 : f64, schedule = "linear">} {
}

// -----

// expected-error @+1 {{range_min and range_max come together, and not with standardize}}
module attributes {nn.train = #nn.train<dataset = "mnist", batch = 4, lr = 0.1 : f64, range_min = -1.0 : f64>} {
}

// -----

// expected-error @+1 {{target must be "label" or "target", found "labels"}}
module attributes {nn.train = #nn.train<dataset = "mnist", batch = 4, lr = 0.1 : f64, target = "labels">} {
}

// -----

// expected-error @+1 {{'nn.train' must be an #nn.train, found {batch = 4 : i64}}}
module attributes {nn.train = {batch = 4}} {
}

// -----

// expected-error @+1 {{'nn.optimizer' must be an #nn.optimizer, found {kind = "adam"}}}
module attributes {nn.optimizer = {kind = "adam"}} {
}

// -----

// expected-error @+1 {{'nn.role' must be an #nn.role, found "param"}}
func.func @string_role(%p: tensor<3xf32> {nn.role = "param"}) {
  return
}

// -----

// expected-error @+1 {{'nn.name' must be a string, found 3 : i64}}
func.func @number_name() -> (tensor<3xf32> {nn.name = 3}) {
  %0 = arith.constant dense<0.0> : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @pool_grad_overlap(%x: tensor<1x4x4x1xf32>, %y: tensor<1x3x3x1xf32>) {
  // expected-error @+1 {{needs windows that tile the image (stride == size), found size 2 and stride 1}}
  %0 = nn.pool2d_grad %x, %y, %y {kind = #nn.pool_kind<avg>, size = 2, stride = 1} : tensor<1x4x4x1xf32>, tensor<1x3x3x1xf32>
  return
}

// -----

func.func @adam_beta(%p: tensor<3xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{beta2 must be in [0, 1), found 1}}
  %0:3 = nn.adam %p, %p, %p, %p, %lr, %lr {beta2 = 1.0 : f32} : tensor<3xf32>, tensor<f32>
  return
}

// -----

func.func @adagrad_eps(%p: tensor<3xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{eps must be positive, found 0}}
  %0:2 = nn.adagrad %p, %p, %p, %lr {eps = 0.0 : f32} : tensor<3xf32>, tensor<f32>
  return
}

// -----

func.func @channel_scale_count(%x: tensor<2x4x4x3xf32>, %a: tensor<2xf32>) {
  // expected-error @+1 {{expected 3 per-channel values, found 2}}
  %y = nn.channel_scale %x, %a, %a : tensor<2x4x4x3xf32>, tensor<2xf32>
  return
}

// -----

func.func @dropout_rate(%x: tensor<3xf32>) {
  // expected-error @+1 {{rate must be in [0, 1), found 1}}
  %y = nn.dropout %x, %x {rate = 1.0 : f32} : tensor<3xf32>
  return
}

// -----

func.func @rbf_features(%x: tensor<2x84xf32>, %p: tensor<10x80xf32>) {
  // expected-error @+2 {{input has 84 features but the prototypes have 80}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.rbf %x, %p : tensor<2x84xf32>, tensor<10x80xf32> -> tensor<2x10xf32>
  return
}

// -----

func.func @rbf_result(%x: tensor<2x84xf32>, %p: tensor<10x84xf32>) {
  // expected-error @+2 {{'nn.rbf' op inferred type(s) 'tensor<2x10xf32>' are incompatible with return type(s) of operation 'tensor<2x84xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.rbf %x, %p : tensor<2x84xf32>, tensor<10x84xf32> -> tensor<2x84xf32>
  return
}

// -----

func.func @rbf_grad_adjoint(%x: tensor<2x84xf32>, %p: tensor<10x84xf32>, %g: tensor<10x2xf32>) {
  // expected-error @+2 {{expected an adjoint of shape 2x10, found 10x2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.rbf_grad %x, %p, %g : tensor<2x84xf32>, tensor<10x84xf32>, tensor<10x2xf32> -> tensor<2x84xf32>
  return
}

// -----

func.func @distance_loss_shapes(%y: tensor<2x10xf32>, %t: tensor<2x9xf32>) {
  // expected-error @+2 {{prediction and target shapes differ: 2x10 vs 2x9}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.distance_loss %y, %t : tensor<2x10xf32>, tensor<2x9xf32> -> tensor<2xf32>
  return
}

// -----

// expected-error @+1 {{vector_lanes and kernel_lanes must be positive, vector_registers at least 4}}
module attributes {nn.target = #nn.target<triple = "x86_64-unknown-linux-gnu", cpu = "haswell", vector_lanes = 8, vector_registers = 2, kernel_lanes = 16, l1_bytes = 32768, l2_bytes = 1048576, fma = true, denormals = x86_mxcsr>} {
}

// -----

// expected-error @+1 {{'nn.target' must be an #nn.target}}
module attributes {nn.target = "haswell"} {
}

// -----

func.func @kernel_not_typed(%x: tensor<2x8xf32>, %w: tensor<8x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nn.kernel' must be an #nn.kernel}}
  %y = nn.dense %x, %w, %b {nn.kernel = "narrow"} : tensor<2x8xf32>, tensor<8x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @kernel_of_another_op(%x: tensor<2x8xf32>, %w: tensor<8x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nn.dense' op cannot use the kernel windows}}
  %y = nn.dense %x, %w, %b {nn.kernel = #nn.kernel<windows>} : tensor<2x8xf32>, tensor<8x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @kernel_on_op_without_kernels(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'nn.relu' op has no kernels to choose from}}
  %y = nn.relu %x {nn.kernel = #nn.kernel<tiled>} : tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @pixel_lanes_strided(%x: tensor<2x12x12x1xf32>, %w: tensor<25x6xf32>, %b: tensor<6xf32>) -> tensor<32x6xf32> {
  // expected-error @+1 {{'nn.conv2d' op needs stride 1 for the kernel pixel_lanes}}
  %y = nn.conv2d %x, %w, %b {kernel = array<i64: 5, 5>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>, nn.kernel = #nn.kernel<pixel_lanes>} : tensor<2x12x12x1xf32>, tensor<25x6xf32>, tensor<6xf32> -> tensor<32x6xf32>
  return %y : tensor<32x6xf32>
}

// -----

func.func @windows_that_do_not_tile(%x: tensor<2x5x7x3xf32>) -> tensor<2x2x3x3xf32> {
  // expected-error @+1 {{'nn.pool2d' op needs windows that tile the image for the kernel windows}}
  %y = nn.pool2d %x {kind = #nn.pool_kind<max>, size = 2, stride = 2, nn.kernel = #nn.kernel<windows>} : tensor<2x5x7x3xf32> -> tensor<2x2x3x3xf32>
  return %y : tensor<2x2x3x3xf32>
}

// -----

func.func @rows_of_another_kernel(%x: tensor<2x8xf32>, %w: tensor<8x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{only input_grad_pixel_lanes takes rows}}
  %y = nn.dense %x, %w, %b {nn.kernel = #nn.kernel<narrow, rows = [0, 2]>} : tensor<2x8xf32>, tensor<8x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
