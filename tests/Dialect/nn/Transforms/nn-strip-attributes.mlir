// RUN: nn-opt %s --nn-strip-attributes | FileCheck %s

// CHECK: module {
// CHECK-LABEL: func.func @f(
//  CHECK-SAME:   %{{.*}}: tensor<4xf32>) -> (tensor<4xf32> {other.keep})
//  CHECK-SAME:   attributes {llvm.emit_c_interface}
module attributes {nn.optimizer = #nn.optimizer<sgd, {}>} {
  func.func @f(%a: tensor<4xf32> {nn.role = #nn.role<param>, nn.name = "w"})
      -> (tensor<4xf32> {nn.role = #nn.role<param>, other.keep}) attributes {nn.loss, llvm.emit_c_interface} {
    return %a : tensor<4xf32>
  }
}
