// RUN: nn-opt %s --split-input-file --nn-set-batch=batch=3 --verify-diagnostics | FileCheck %s

// The samples' arguments take the new batch; every op's type follows: by
// inference (im2col, dense, loss), as its operand (relu, dropout) and by
// scaling (reshape). A weight whose first dimension equals the old batch
// keeps it; so does an op on parameters alone (the mask's product).
// CHECK-LABEL: func.func @loss(
//  CHECK-SAME:   %{{.*}}: tensor<2x3xf32>
//  CHECK-SAME:   %{{.*}}: tensor<3x4x4x1xf32> {nn.role = #nn.role<input>}
//  CHECK-SAME:   %{{.*}}: tensor<3x2xf32> {nn.role = #nn.role<target>}
//  CHECK-SAME:   %{{.*}}: tensor<3x2x2x3xf32> {nn.role = #nn.role<noise>}
//  CHECK-SAME:   -> (tensor<3xf32>, tensor<3x2xf32>)
//       CHECK:   nn.mul {{.*}} : tensor<4x3xf32>
//       CHECK:   nn.im2col {{.*}} -> tensor<12x4xf32>
//       CHECK:   nn.dense {{.*}} -> tensor<12x3xf32>
//       CHECK:   nn.reshape {{.*}} : tensor<12x3xf32> -> tensor<3x2x2x3xf32>
//       CHECK:   nn.relu {{.*}} : tensor<3x2x2x3xf32>
//       CHECK:   nn.dropout {{.*}} : tensor<3x2x2x3xf32>
//       CHECK:   nn.flatten {{.*}} -> tensor<3x12xf32>
//       CHECK:   nn.dense {{.*}} -> tensor<3x2xf32>
//       CHECK:   nn.mse {{.*}} -> tensor<3xf32>
func.func @loss(%v: tensor<2x3xf32> {nn.role = #nn.role<param>},
                %w: tensor<4x3xf32> {nn.role = #nn.role<param>},
                %b: tensor<3xf32> {nn.role = #nn.role<param>},
                %w2: tensor<12x2xf32> {nn.role = #nn.role<param>},
                %b2: tensor<2xf32> {nn.role = #nn.role<param>},
                %x: tensor<2x4x4x1xf32> {nn.role = #nn.role<input>},
                %t: tensor<2x2xf32> {nn.role = #nn.role<target>},
                %n: tensor<2x2x2x3xf32> {nn.role = #nn.role<noise>})
    -> (tensor<2xf32>, tensor<2x2xf32>) {
  %m = nn.mul %w, %w : tensor<4x3xf32>
  %r = nn.im2col %x {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<2x4x4x1xf32> -> tensor<8x4xf32>
  %d = nn.dense %r, %m, %b : tensor<8x4xf32>, tensor<4x3xf32>, tensor<3xf32> -> tensor<8x3xf32>
  %i = nn.reshape %d : tensor<8x3xf32> -> tensor<2x2x2x3xf32>
  %a = nn.relu %i : tensor<2x2x2x3xf32>
  %o = nn.dropout %a, %n {rate = 5.000000e-01 : f32} : tensor<2x2x2x3xf32>
  %f = nn.flatten %o : tensor<2x2x2x3xf32> -> tensor<2x12xf32>
  %y = nn.dense %f, %w2, %b2 : tensor<2x12xf32>, tensor<12x2xf32>, tensor<2xf32> -> tensor<2x2xf32>
  %l = nn.mse %y, %t : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2xf32>
  return %l, %y : tensor<2xf32>, tensor<2x2xf32>
}

// -----

// The samples' arguments must agree on the batch.
// expected-error @below {{the samples' arguments of @f must be tensors with one batch as their first dimension}}
func.func @f(%x: tensor<2x4xf32> {nn.role = #nn.role<input>},
             %t: tensor<5x4xf32> {nn.role = #nn.role<target>}) -> tensor<2x4xf32> {
  return %x : tensor<2x4xf32>
}

// -----

// An op whose type cannot follow the batch is named: 3 x 3 elements do
// not make rows of 2.
func.func @g(%x: tensor<2x3xf32> {nn.role = #nn.role<input>}) -> tensor<3x2xf32> {
  // expected-error @below {{cannot compile 'nn.reshape' for a batch of 3}}
  %r = nn.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}
