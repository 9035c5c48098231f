// The kernels of one LeNet-5 training step (batch 64, NHWC), each alone.
// nn.flops counts multiply-adds as 2.
#k5 = {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>}

func.func @c1_im2col(%x: tensor<64x32x32x1xf32>) -> tensor<50176x25xf32> {
  %r = nn.im2col %x {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<64x32x32x1xf32> -> tensor<50176x25xf32>
  return %r : tensor<50176x25xf32>
}
func.func @c1_dense(%r: tensor<50176x25xf32>, %w: tensor<25x6xf32>, %b: tensor<6xf32>) -> tensor<50176x6xf32> attributes {nn.flops = 15052800 : i64} {
  %y = nn.dense %r, %w, %b : tensor<50176x25xf32>, tensor<25x6xf32>, tensor<6xf32> -> tensor<50176x6xf32>
  return %y : tensor<50176x6xf32>
}
func.func @c1_conv(%x: tensor<64x32x32x1xf32>, %w: tensor<25x6xf32>, %b: tensor<6xf32>) -> tensor<50176x6xf32> attributes {nn.flops = 15052800 : i64} {
  %y = nn.conv2d %x, %w, %b {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<64x32x32x1xf32>, tensor<25x6xf32>, tensor<6xf32> -> tensor<50176x6xf32>
  return %y : tensor<50176x6xf32>
}
func.func @c1_dw(%r: tensor<50176x25xf32>, %dy: tensor<50176x6xf32>) -> tensor<25x6xf32> attributes {nn.flops = 15052800 : i64} {
  %t = nn.transpose %r : tensor<50176x25xf32> -> tensor<25x50176xf32>
  %dw = nn.matmul %t, %dy : tensor<25x50176xf32>, tensor<50176x6xf32> -> tensor<25x6xf32>
  return %dw : tensor<25x6xf32>
}
func.func @c1_dw_direct(%x: tensor<64x32x32x1xf32>, %dy: tensor<50176x6xf32>) -> tensor<25x6xf32> attributes {nn.flops = 15052800 : i64} {
  %dw = nn.conv2d_filter_grad %x, %dy {kernel = array<i64: 5, 5>, padding = array<i64: 0, 0>} : tensor<64x32x32x1xf32>, tensor<50176x6xf32> -> tensor<25x6xf32>
  return %dw : tensor<25x6xf32>
}
func.func @c1_tanh_pool(%y: tensor<64x28x28x6xf32>) -> tensor<64x14x14x6xf32> {
  %t = nn.tanh %y : tensor<64x28x28x6xf32>
  %p = nn.pool2d %t {kind = #nn.pool_kind<avg>, size = 2 : i64, stride = 2 : i64} : tensor<64x28x28x6xf32> -> tensor<64x14x14x6xf32>
  return %p : tensor<64x14x14x6xf32>
}
func.func @c3_im2col(%x: tensor<64x14x14x6xf32>) -> tensor<6400x150xf32> {
  %r = nn.im2col %x {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<64x14x14x6xf32> -> tensor<6400x150xf32>
  return %r : tensor<6400x150xf32>
}
func.func @c3_dense(%r: tensor<6400x150xf32>, %w: tensor<150x16xf32>, %b: tensor<16xf32>) -> tensor<6400x16xf32> attributes {nn.flops = 30720000 : i64} {
  %y = nn.dense %r, %w, %b : tensor<6400x150xf32>, tensor<150x16xf32>, tensor<16xf32> -> tensor<6400x16xf32>
  return %y : tensor<6400x16xf32>
}
func.func @c3_conv(%x: tensor<64x14x14x6xf32>, %w: tensor<150x16xf32>, %b: tensor<16xf32>) -> tensor<6400x16xf32> attributes {nn.flops = 30720000 : i64} {
  %y = nn.conv2d %x, %w, %b {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<64x14x14x6xf32>, tensor<150x16xf32>, tensor<16xf32> -> tensor<6400x16xf32>
  return %y : tensor<6400x16xf32>
}
func.func @c3_dx(%dy: tensor<6400x16xf32>, %w: tensor<150x16xf32>) -> tensor<64x14x14x6xf32> attributes {nn.flops = 30720000 : i64} {
  %wt = nn.transpose %w : tensor<150x16xf32> -> tensor<16x150xf32>
  %dr = nn.matmul %dy, %wt : tensor<6400x16xf32>, tensor<16x150xf32> -> tensor<6400x150xf32>
  %dx = nn.col2im %dr {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<6400x150xf32> -> tensor<64x14x14x6xf32>
  return %dx : tensor<64x14x14x6xf32>
}
func.func @c3_dw(%r: tensor<6400x150xf32>, %dy: tensor<6400x16xf32>) -> tensor<150x16xf32> attributes {nn.flops = 30720000 : i64} {
  %t = nn.transpose %r : tensor<6400x150xf32> -> tensor<150x6400xf32>
  %dw = nn.matmul %t, %dy : tensor<150x6400xf32>, tensor<6400x16xf32> -> tensor<150x16xf32>
  return %dw : tensor<150x16xf32>
}
func.func @c3_dw_direct(%x: tensor<64x14x14x6xf32>, %dy: tensor<6400x16xf32>) -> tensor<150x16xf32> attributes {nn.flops = 30720000 : i64} {
  %dw = nn.conv2d_filter_grad %x, %dy {kernel = array<i64: 5, 5>, padding = array<i64: 0, 0>} : tensor<64x14x14x6xf32>, tensor<6400x16xf32> -> tensor<150x16xf32>
  return %dw : tensor<150x16xf32>
}
func.func @c5_dense(%x: tensor<64x400xf32>, %w: tensor<400x120xf32>, %b: tensor<120xf32>) -> tensor<64x120xf32> attributes {nn.flops = 6144000 : i64} {
  %y = nn.dense %x, %w, %b : tensor<64x400xf32>, tensor<400x120xf32>, tensor<120xf32> -> tensor<64x120xf32>
  return %y : tensor<64x120xf32>
}
func.func @mlp_h1(%x: tensor<64x784xf32>, %w: tensor<784x300xf32>, %b: tensor<300xf32>) -> tensor<64x300xf32> attributes {nn.flops = 30105600 : i64} {
  %y = nn.dense %x, %w, %b : tensor<64x784xf32>, tensor<784x300xf32>, tensor<300xf32> -> tensor<64x300xf32>
  return %y : tensor<64x300xf32>
}
func.func @mlp_h1_dw(%x: tensor<64x784xf32>, %dy: tensor<64x300xf32>) -> tensor<784x300xf32> attributes {nn.flops = 30105600 : i64} {
  %t = nn.transpose %x : tensor<64x784xf32> -> tensor<784x64xf32>
  %dw = nn.matmul %t, %dy : tensor<784x64xf32>, tensor<64x300xf32> -> tensor<784x300xf32>
  return %dw : tensor<784x300xf32>
}
