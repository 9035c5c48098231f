module @m {
  func.func @predict(%x: tensor<2x3xf32> {nn.role = #nn.role<input>}) -> (tensor<2x3xf32> {nn.role = #nn.role<output>}) {
    return %x : tensor<2x3xf32>
  }
}
