module @m {
  func.func @predict(%x: tensor<2x3xf32> {nn.role = #nn.role<input>}) -> (tensor<2x3xf32> {nn.role = #nn.role<output>}) attributes {llvm.emit_c_interface} {
    %y = nn.relu %x : tensor<2x3xf32>
    return %y : tensor<2x3xf32>
  }
}
