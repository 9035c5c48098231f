// RUN: nn-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @fuse_softmax_into_cross_entropy
//  CHECK-SAME:   %[[Z:.*]]: tensor<2x3xf32>, %[[T:.*]]: tensor<2x3xf32>
func.func @fuse_softmax_into_cross_entropy(%z: tensor<2x3xf32>, %t: tensor<2x3xf32>) -> tensor<2xf32> {
  //  CHECK-NOT: nn.softmax
  //      CHECK: %[[L:.*]] = nn.softmax_cross_entropy %[[Z]], %[[T]]
  // CHECK-NEXT: return %[[L]]
  %p = nn.softmax %z : tensor<2x3xf32>
  %l = nn.cross_entropy %p, %t : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2xf32>
  return %l : tensor<2xf32>
}

// CHECK-LABEL: func.func @keep_plain_cross_entropy
func.func @keep_plain_cross_entropy(%p: tensor<2x3xf32>, %t: tensor<2x3xf32>) -> tensor<2xf32> {
  // CHECK: nn.cross_entropy
  %l = nn.cross_entropy %p, %t : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2xf32>
  return %l : tensor<2xf32>
}
