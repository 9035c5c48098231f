// RUN: nn-opt %s --split-input-file --nn-distinct-empty-tensors | FileCheck %s

// 40 uses of one empty tensor: uses 1-16 keep it, 17-32 and 33-40 get a
// copy each, made before the run's first user.
// CHECK-LABEL: func.func @chain(
//       CHECK:   %[[E:.*]] = tensor.empty() : tensor<1x4xf32>
//       CHECK:   %[[F0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   %[[E2:.*]] = tensor.empty() : tensor<1x4xf32>
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<1x4xf32>)
//       CHECK:   %[[E3:.*]] = tensor.empty() : tensor<1x4xf32>
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E3]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E3]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E3]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E3]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E3]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E3]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E3]] : tensor<1x4xf32>)
//       CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[E3]] : tensor<1x4xf32>)
//   CHECK-NOT:   tensor.empty
func.func @chain(%z: f32) -> tensor<40x1x4xf32> {
  %e = tensor.empty() : tensor<1x4xf32>
  %acc0 = tensor.empty() : tensor<40x1x4xf32>
  %f0 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc1 = tensor.insert_slice %f0 into %acc0[0, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc2 = tensor.insert_slice %f1 into %acc1[1, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc3 = tensor.insert_slice %f2 into %acc2[2, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f3 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc4 = tensor.insert_slice %f3 into %acc3[3, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f4 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc5 = tensor.insert_slice %f4 into %acc4[4, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f5 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc6 = tensor.insert_slice %f5 into %acc5[5, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f6 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc7 = tensor.insert_slice %f6 into %acc6[6, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f7 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc8 = tensor.insert_slice %f7 into %acc7[7, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f8 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc9 = tensor.insert_slice %f8 into %acc8[8, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f9 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc10 = tensor.insert_slice %f9 into %acc9[9, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f10 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc11 = tensor.insert_slice %f10 into %acc10[10, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f11 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc12 = tensor.insert_slice %f11 into %acc11[11, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f12 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc13 = tensor.insert_slice %f12 into %acc12[12, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f13 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc14 = tensor.insert_slice %f13 into %acc13[13, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f14 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc15 = tensor.insert_slice %f14 into %acc14[14, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f15 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc16 = tensor.insert_slice %f15 into %acc15[15, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f16 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc17 = tensor.insert_slice %f16 into %acc16[16, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f17 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc18 = tensor.insert_slice %f17 into %acc17[17, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f18 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc19 = tensor.insert_slice %f18 into %acc18[18, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f19 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc20 = tensor.insert_slice %f19 into %acc19[19, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f20 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc21 = tensor.insert_slice %f20 into %acc20[20, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f21 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc22 = tensor.insert_slice %f21 into %acc21[21, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f22 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc23 = tensor.insert_slice %f22 into %acc22[22, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f23 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc24 = tensor.insert_slice %f23 into %acc23[23, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f24 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc25 = tensor.insert_slice %f24 into %acc24[24, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f25 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc26 = tensor.insert_slice %f25 into %acc25[25, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f26 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc27 = tensor.insert_slice %f26 into %acc26[26, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f27 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc28 = tensor.insert_slice %f27 into %acc27[27, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f28 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc29 = tensor.insert_slice %f28 into %acc28[28, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f29 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc30 = tensor.insert_slice %f29 into %acc29[29, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f30 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc31 = tensor.insert_slice %f30 into %acc30[30, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f31 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc32 = tensor.insert_slice %f31 into %acc31[31, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f32 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc33 = tensor.insert_slice %f32 into %acc32[32, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f33 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc34 = tensor.insert_slice %f33 into %acc33[33, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f34 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc35 = tensor.insert_slice %f34 into %acc34[34, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f35 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc36 = tensor.insert_slice %f35 into %acc35[35, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f36 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc37 = tensor.insert_slice %f36 into %acc36[36, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f37 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc38 = tensor.insert_slice %f37 into %acc37[37, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f38 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc39 = tensor.insert_slice %f38 into %acc38[38, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  %f39 = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %acc40 = tensor.insert_slice %f39 into %acc39[39, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x4xf32> into tensor<40x1x4xf32>
  return %acc40 : tensor<40x1x4xf32>
}

// -----

// 16 uses or fewer: unchanged (every example's objects are).
// CHECK-LABEL: func.func @few(
//       CHECK:   tensor.empty
//   CHECK-NOT:   tensor.empty
func.func @few(%z: f32) -> (tensor<4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %a = linalg.fill ins(%z : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %b = linalg.fill ins(%z : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// A filled tensor shared by 20 matmuls (CSE merges the zero fills of a
// chain): uses 17-20 get a copy of the fill, before the 17th user
// (the empty tensor, with two uses now, is left as it is).
// CHECK-LABEL: func.func @fills(
//       CHECK:   %[[E:.*]] = tensor.empty() : tensor<1x4xf32>
//       CHECK:   %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F]] : tensor<1x4xf32>)
//       CHECK:   %[[F2:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F2]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F2]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F2]] : tensor<1x4xf32>)
//       CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>) outs(%[[F2]] : tensor<1x4xf32>)
//   CHECK-NOT:   linalg.fill
func.func @fills(%x: tensor<1x4xf32>, %w: tensor<4x4xf32>, %z: f32) -> tensor<1x4xf32> {
  %e = tensor.empty() : tensor<1x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h0 = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h1 = linalg.matmul ins(%h0, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h2 = linalg.matmul ins(%h1, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h3 = linalg.matmul ins(%h2, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h4 = linalg.matmul ins(%h3, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h5 = linalg.matmul ins(%h4, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h6 = linalg.matmul ins(%h5, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h7 = linalg.matmul ins(%h6, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h8 = linalg.matmul ins(%h7, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h9 = linalg.matmul ins(%h8, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h10 = linalg.matmul ins(%h9, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h11 = linalg.matmul ins(%h10, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h12 = linalg.matmul ins(%h11, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h13 = linalg.matmul ins(%h12, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h14 = linalg.matmul ins(%h13, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h15 = linalg.matmul ins(%h14, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h16 = linalg.matmul ins(%h15, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h17 = linalg.matmul ins(%h16, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h18 = linalg.matmul ins(%h17, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h19 = linalg.matmul ins(%h18, %w : tensor<1x4xf32>, tensor<4x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  return %h19 : tensor<1x4xf32>
}
