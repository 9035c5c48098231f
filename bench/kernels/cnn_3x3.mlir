// The kernels of cnn_3x3 (bench/models/cnn_3x3.nn) at batch 64, NHWC, each
// alone. nn.flops counts multiply-adds as 2.
func.func @c2_conv(%x: tensor<64x14x14x32xf32>, %w: tensor<288x64xf32>, %b: tensor<64xf32>) -> tensor<12544x64xf32> attributes {nn.flops = 462422016 : i64} {
  %y = nn.conv2d %x, %w, %b {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<64x14x14x32xf32>, tensor<288x64xf32>, tensor<64xf32> -> tensor<12544x64xf32>
  return %y : tensor<12544x64xf32>
}
func.func @c2_conv_nopad(%x: tensor<64x16x16x32xf32>, %w: tensor<288x64xf32>, %b: tensor<64xf32>) -> tensor<12544x64xf32> attributes {nn.flops = 462422016 : i64} {
  %y = nn.conv2d %x, %w, %b {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : tensor<64x16x16x32xf32>, tensor<288x64xf32>, tensor<64xf32> -> tensor<12544x64xf32>
  return %y : tensor<12544x64xf32>
}
func.func @c1_conv(%x: tensor<64x28x28x1xf32>, %w: tensor<9x32xf32>, %b: tensor<32xf32>) -> tensor<50176x32xf32> attributes {nn.flops = 28901376 : i64} {
  %y = nn.conv2d %x, %w, %b {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<64x28x28x1xf32>, tensor<9x32xf32>, tensor<32xf32> -> tensor<50176x32xf32>
  return %y : tensor<50176x32xf32>
}
func.func @dense(%x: tensor<64x3136xf32>, %w: tensor<3136x128xf32>, %b: tensor<128xf32>) -> tensor<64x128xf32> attributes {nn.flops = 51380224 : i64} {
  %y = nn.dense %x, %w, %b : tensor<64x3136xf32>, tensor<3136x128xf32>, tensor<128xf32> -> tensor<64x128xf32>
  return %y : tensor<64x128xf32>
}
