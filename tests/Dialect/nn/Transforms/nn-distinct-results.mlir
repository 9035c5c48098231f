// RUN: nn-opt %s --nn-distinct-results | FileCheck %s

// CHECK-LABEL: func.func @twice(
//  CHECK-SAME:   %[[A:[^:]*]]: tensor<4xf32>
//       CHECK:   %[[C:.*]] = bufferization.alloc_tensor() copy(%[[A]]) : tensor<4xf32>
//       CHECK:   return %[[A]], %[[C]], %{{.*}}
func.func @twice(%a: tensor<4xf32>, %s: f32) -> (tensor<4xf32>, tensor<4xf32>, f32) {
  return %a, %a, %s : tensor<4xf32>, tensor<4xf32>, f32
}
