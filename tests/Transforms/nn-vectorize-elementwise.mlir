// RUN: nn-opt %s --nn-vectorize-elementwise -split-input-file | FileCheck %s

// An elementwise op over NHWC is one loop over all its elements, 64 at a
// time (9,408 = 147 x 64: no remainder).
// CHECK-LABEL: func.func @tanh(
//       CHECK:   %[[X:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2, 3]] : memref<2x28x28x6xf32> into memref<9408xf32>
//       CHECK:   %[[Y:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2, 3]] : memref<2x28x28x6xf32> into memref<9408xf32>
//       CHECK:   scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
//       CHECK:     %[[IN:.*]] = memref.subview %[[X]][%[[I]]] [64] [1]
//       CHECK:     %[[OUT:.*]] = memref.subview %[[Y]][%[[I]]] [64] [1]
//       CHECK:     %[[V:.*]] = vector.transfer_read %[[IN]]{{.*}} vector<64xf32>
//       CHECK:     %[[T:.*]] = math.tanh %[[V]] : vector<64xf32>
//       CHECK:     vector.transfer_write %[[T]], %[[OUT]]
//   CHECK-NOT:   linalg.generic
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c = affine_map<(d0, d1, d2, d3) -> (d3)>
#s = affine_map<(d0, d1) -> ()>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @tanh(%x: memref<2x28x28x6xf32>, %y: memref<2x28x28x6xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : memref<2x28x28x6xf32>) outs(%y : memref<2x28x28x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// A bias add: the pixels collapse, the channels stay a dimension of their
// own (the bias is indexed by them); tiles of 10 pixels x 6 channels, and
// the 8 left over as a second, static tile.
// CHECK-LABEL: func.func @bias(
//       CHECK:   memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<2x28x28x6xf32> into memref<1568x6xf32>
//       CHECK:   arith.addf %{{.*}}, %{{.*}} : vector<10x6xf32>
//       CHECK:   arith.addf %{{.*}}, %{{.*}} : vector<8x6xf32>
//   CHECK-NOT:   linalg.generic
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c = affine_map<(d0, d1, d2, d3) -> (d3)>
#s = affine_map<(d0, d1) -> ()>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @bias(%x: memref<2x28x28x6xf32>, %b: memref<6xf32>, %y: memref<2x28x28x6xf32>) {
  linalg.generic {indexing_maps = [#id, #c, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %b : memref<2x28x28x6xf32>, memref<6xf32>) outs(%y : memref<2x28x28x6xf32>) {
  ^bb0(%in: f32, %bb: f32, %out: f32):
    %t = arith.addf %in, %bb : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// An optimizer update with a scalar operand (the learning rate): 150
// elements are two tiles of 64 and a peeled remainder of 22.
// CHECK-LABEL: func.func @sgd(
//       CHECK:   scf.for
//       CHECK:     vector.transfer_read %{{.*}}[]{{.*}} : memref<f32>, vector<64xf32>
//       CHECK:     arith.subf %{{.*}} : vector<64xf32>
//       CHECK:   }
//       CHECK:   arith.subf %{{.*}} : vector<22xf32>
//   CHECK-NOT:   linalg.generic
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c = affine_map<(d0, d1, d2, d3) -> (d3)>
#s = affine_map<(d0, d1) -> ()>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @sgd(%p: memref<25x6xf32>, %g: memref<25x6xf32>, %lr: memref<f32>, %out: memref<25x6xf32>) {
  linalg.generic {indexing_maps = [#id2, #id2, #s, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%p, %g, %lr : memref<25x6xf32>, memref<25x6xf32>, memref<f32>) outs(%out : memref<25x6xf32>) {
  ^bb0(%a: f32, %d: f32, %l: f32, %o: f32):
    %m = arith.mulf %d, %l : f32
    %t = arith.subf %a, %m : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// A transposed operand would make each tile a shuffle: left to the loops.
// CHECK-LABEL: func.func @transpose(
//       CHECK:   linalg.generic
//   CHECK-NOT:   vector.transfer_read
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c = affine_map<(d0, d1, d2, d3) -> (d3)>
#s = affine_map<(d0, d1) -> ()>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @transpose(%x: memref<6x4xf32>, %y: memref<4x6xf32>) {
  linalg.generic {indexing_maps = [#tr, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<6x4xf32>) outs(%y : memref<4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  return
}

// -----

// A bias gradient: the rows are reduced 10 at a time into the 6 channels
// (lanes along the channels, one add per row).
// CHECK-LABEL: func.func @bias_grad(
//       CHECK:   scf.for
//       CHECK:     %[[ROWS:.*]] = vector.transfer_read {{.*}} vector<10x6xf32>
//   CHECK-NOT:     vector.multi_reduction
//       CHECK:     vector.extract %[[ROWS]][0]
//       CHECK:     arith.addf {{.*}} : vector<6xf32>
//       CHECK:     vector.transfer_write {{.*}} : vector<6xf32>, memref<6xf32>
//   CHECK-NOT:   linalg.generic
func.func @bias_grad(%dy: memref<1000x6xf32>, %db: memref<6xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]}
      ins(%dy : memref<1000x6xf32>) outs(%db : memref<6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.addf %in, %out : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// A sum along rows (a softmax's denominator over a large batch): six rows
// per tile, turned so that the six sums are the lanes; the last two rows
// peeled.
// CHECK-LABEL: func.func @row_sum(
//       CHECK:   scf.for
//       CHECK:     %[[T:.*]] = vector.transfer_read {{.*}} vector<6x10xf32>
//       CHECK:     vector.transpose %[[T]], [1, 0] : vector<6x10xf32> to vector<10x6xf32>
//       CHECK:     arith.addf {{.*}} : vector<6xf32>
//       CHECK:   vector.transfer_read {{.*}} vector<2x10xf32>
//   CHECK-NOT:   linalg.generic
func.func @row_sum(%x: memref<512x10xf32>, %s: memref<512xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<512x10xf32>) outs(%s : memref<512xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.addf %in, %out : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// Small ops (at most 4,096 elements) with short ragged rows stay loops: a
// batch of 64 softmax rows of 10 classes, and their bias add. Rows of a
// multiple of 8 floats, or of 16 or more, are vectorized however small.
// CHECK-LABEL: func.func @small_ragged_rows(
//       CHECK:   linalg.generic {{.*}} ins(%{{.*}} : memref<64x10xf32>) outs(%{{.*}} : memref<64xf32>)
//       CHECK:   linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : memref<64x10xf32>, memref<10xf32>)
//   CHECK-NOT:   vector.
//       CHECK:   vector.transfer_read {{.*}} vector<8x8xf32>
//       CHECK:   vector.transfer_read {{.*}} vector<1x16xf32>
//   CHECK-NOT:   linalg.generic
func.func @small_ragged_rows(%x: memref<64x10xf32>, %s: memref<64xf32>, %b: memref<10xf32>, %y: memref<64x10xf32>,
                             %x8: memref<8x8xf32>, %s8: memref<8xf32>, %x16: memref<1x16xf32>, %s16: memref<1xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<64x10xf32>) outs(%s : memref<64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.addf %in, %out : f32
    linalg.yield %t : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : memref<64x10xf32>, memref<10xf32>) outs(%y : memref<64x10xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %t = arith.addf %in, %bias : f32
    linalg.yield %t : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x8 : memref<8x8xf32>) outs(%s8 : memref<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.addf %in, %out : f32
    linalg.yield %t : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x16 : memref<1x16xf32>) outs(%s16 : memref<1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.addf %in, %out : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// 2x2 average pooling over NHWC with 6 channels (LeNet-5's S2): a loop
// over images and output rows; per output row one load of it and of its
// two input rows (168 floats each), per window offset a shuffle picking
// that offset's pixels (even or odd ones, 6 channels each) and the body
// (scale, add) on whole rows of 84, the scale a vector constant.
// CHECK-LABEL: func.func @avg_pool_rows(
//       CHECK:   %[[SCALE:.*]] = arith.constant dense<2.500000e-01> : vector<84xf32>
//       CHECK:   %[[IN:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2], [3, 4, 5]] : memref<2x14x2x14x2x6xf32> into memref<2x14x2x168xf32>
//       CHECK:   %[[OUT:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<2x14x14x6xf32> into memref<2x14x84xf32>
//       CHECK:   scf.for %[[N:.*]] =
//       CHECK:     scf.for %[[I:.*]] =
//       CHECK:       %[[ACC:.*]] = vector.load %[[OUT]][%[[N]], %[[I]], %{{.*}}] : memref<2x14x84xf32>, vector<84xf32>
//       CHECK:       %[[ROW:.*]] = vector.load %[[IN]][%[[N]], %[[I]], %{{.*}}, %{{.*}}] : memref<2x14x2x168xf32>, vector<168xf32>
//       CHECK:       %[[EVEN:.*]] = vector.shuffle %[[ROW]], %[[ROW]] [0, 1, 2, 3, 4, 5, 12, 13, 14, 15, 16, 17, 24,
//       CHECK:       %[[M:.*]] = arith.mulf %[[EVEN]], %[[SCALE]] : vector<84xf32>
//       CHECK:       %[[A:.*]] = arith.addf %[[ACC]], %[[M]] : vector<84xf32>
//       CHECK:       vector.shuffle %[[ROW]], %[[ROW]] [6, 7, 8, 9, 10, 11, 18,
// CHECK-COUNT-3:     arith.addf
//       CHECK:       vector.store %{{.*}}, %[[OUT]][%[[N]], %[[I]], %{{.*}}] : memref<2x14x84xf32>, vector<84xf32>
//   CHECK-NOT:   linalg.generic
func.func @avg_pool_rows(%x: memref<2x14x2x14x2x6xf32>, %y: memref<2x14x14x6xf32>) {
  %quarter = arith.constant 0.25 : f32
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d3, d5)>], iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]}
      ins(%x : memref<2x14x2x14x2x6xf32>) outs(%y : memref<2x14x14x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.mulf %in, %quarter : f32
    %t = arith.addf %out, %s : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// Rows of more than 512 floats (40 pixels x 2 x 8 channels = 640) are
// tiled like any other op.
// CHECK-LABEL: func.func @long_pool_rows(
//   CHECK-NOT:   vector<640xf32>
//       CHECK:   vector.transfer_read
//   CHECK-NOT:   linalg.generic
func.func @long_pool_rows(%x: memref<1x2x2x40x2x8xf32>, %y: memref<1x2x40x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d3, d5)>], iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction", "parallel"]}
      ins(%x : memref<1x2x2x40x2x8xf32>) outs(%y : memref<1x2x40x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.addf %out, %in : f32
    linalg.yield %t : f32
  }
  return
}
