// RUN: nn-opt %s --nn-schedule-matmuls -split-input-file | FileCheck %s

// 16 rows, 48 columns: 8 x 32 tiles, then the 16-column remainder, each
// tile's accumulator read before its k loop, carried through it, written
// after; one FMA per accumulator row per k.
// CHECK-LABEL: func.func @wide(
//  CHECK-SAME:     %[[C:[^:]*]]: memref<16x48xf32>
//       CHECK:   scf.for
//       CHECK:     vector.transfer_read %[[C]]{{.*}} : memref<16x48xf32>, vector<8x32xf32>
//       CHECK:     scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// CHECK-COUNT-8:     vector.fma {{.*}} : vector<32xf32>
//       CHECK:     vector.transfer_write {{.*}}, %[[C]]{{.*}} : vector<8x32xf32>, memref<16x48xf32>
//       CHECK:   scf.for
//       CHECK:     vector.transfer_read %[[C]]{{.*}} : memref<16x48xf32>, vector<8x16xf32>
//       CHECK:     scf.for {{.*}} iter_args({{.*}}) -> (vector<8x16xf32>)
// CHECK-COUNT-8:     vector.fma {{.*}} : vector<16xf32>
//   CHECK-NOT:   linalg.matmul
func.func @wide(%a: memref<16x40xf32>, %b: memref<40x48xf32>, %c: memref<16x48xf32>) {
  linalg.matmul ins(%a, %b : memref<16x40xf32>, memref<40x48xf32>) outs(%c : memref<16x48xf32>)
  return
}

// -----

// One row (batch-1 inference), 36 columns: the two 16-column strips share
// one k loop (two independent accumulators, read before it and written
// after), the 4 remaining columns have their own.
// CHECK-LABEL: func.func @narrow(
//  CHECK-SAME:     %[[C:[^:]*]]: memref<1x36xf32>
//       CHECK:   %[[S0:.*]] = vector.transfer_read %[[C]]{{.*}} : memref<1x36xf32>, vector<1x16xf32>
//       CHECK:   %[[S1:.*]] = vector.transfer_read %[[C]]{{.*}} : memref<1x36xf32>, vector<1x16xf32>
//       CHECK:   %[[K:.*]]:2 = scf.for {{.*}} iter_args(%{{.*}} = %[[S0]], %{{.*}} = %[[S1]]) -> (vector<1x16xf32>, vector<1x16xf32>)
// CHECK-COUNT-2:   vector.fma {{.*}} : vector<16xf32>
//       CHECK:   vector.transfer_write %[[K]]#{{.*}}, %[[C]]
//       CHECK:   vector.transfer_write %[[K]]#{{.*}}, %[[C]]
//       CHECK:   vector.transfer_read %[[C]]{{.*}} : memref<1x36xf32>, vector<1x4xf32>
//       CHECK:   scf.for {{.*}} -> (vector<1x4xf32>)
//       CHECK:     vector.fma {{.*}} : vector<4xf32>
//   CHECK-NOT:   linalg.matmul
func.func @narrow(%a: memref<1x400xf32>, %b: memref<400x36xf32>, %c: memref<1x36xf32>) {
  linalg.matmul ins(%a, %b : memref<1x400xf32>, memref<400x36xf32>) outs(%c : memref<1x36xf32>)
  return
}

// -----

// 40 columns, a multiple of 8 but not of 16: five 8-column strips in one
// k loop (LeNet-5's C5 has 120: 15 strips), no second loop.
// CHECK-LABEL: func.func @narrow_eights(
//       CHECK:   scf.for {{.*}} -> (vector<1x8xf32>, vector<1x8xf32>, vector<1x8xf32>, vector<1x8xf32>, vector<1x8xf32>)
// CHECK-COUNT-5:   vector.fma {{.*}} : vector<8xf32>
//   CHECK-NOT:   scf.for
func.func @narrow_eights(%a: memref<1x400xf32>, %b: memref<400x40xf32>, %c: memref<1x40xf32>) {
  linalg.matmul ins(%a, %b : memref<1x400xf32>, memref<400x40xf32>) outs(%c : memref<1x40xf32>)
  return
}

// -----

// Columns a multiple of 16: no split, all three strips in one k loop.
// CHECK-LABEL: func.func @narrow_whole(
//       CHECK:   scf.for {{.*}} -> (vector<1x16xf32>, vector<1x16xf32>, vector<1x16xf32>)
// CHECK-COUNT-3:   vector.fma {{.*}} : vector<16xf32>
//   CHECK-NOT:   scf.for
func.func @narrow_whole(%a: memref<1x400xf32>, %b: memref<400x48xf32>, %c: memref<1x48xf32>) {
  linalg.matmul ins(%a, %b : memref<1x400xf32>, memref<400x48xf32>) outs(%c : memref<1x48xf32>)
  return
}

// -----

// An output filled with zeros right before (a weight gradient): the tiles
// start their accumulators from zero vectors instead of reading the
// output back, and the fill is not run. The 48 columns are two matmuls,
// 32 and 16 wide, each with its own k loops.
// CHECK-LABEL: func.func @zero_filled(
//  CHECK-SAME:     %[[C:[^:]*]]: memref<16x48xf32>
//   CHECK-NOT:   linalg.fill
//   CHECK-NOT:   vector.transfer_read %[[C]]
//       CHECK:   scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
//       CHECK:   vector.transfer_write {{.*}}, %[[C]]{{.*}} : vector<8x32xf32>
//       CHECK:   scf.for {{.*}} iter_args({{.*}}) -> (vector<8x16xf32>)
//       CHECK:   vector.transfer_write {{.*}}, %[[C]]{{.*}} : vector<8x16xf32>
func.func @zero_filled(%a: memref<16x40xf32>, %b: memref<40x48xf32>, %c: memref<16x48xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<16x48xf32>)
  linalg.matmul ins(%a, %b : memref<16x40xf32>, memref<40x48xf32>) outs(%c : memref<16x48xf32>)
  return
}

// -----

// The output is read between the fill and the matmul: the fill stays and
// the tiles read their accumulators from it.
// CHECK-LABEL: func.func @fill_read_between(
//  CHECK-SAME:     %[[C:[^:]*]]: memref<16x32xf32>
//       CHECK:   linalg.fill
//       CHECK:   memref.copy
//       CHECK:   vector.transfer_read %[[C]]
func.func @fill_read_between(%a: memref<16x40xf32>, %b: memref<40x32xf32>, %c: memref<16x32xf32>, %d: memref<16x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<16x32xf32>)
  memref.copy %c, %d : memref<16x32xf32> to memref<16x32xf32>
  linalg.matmul ins(%a, %b : memref<16x40xf32>, memref<40x32xf32>) outs(%c : memref<16x32xf32>)
  return
}

// -----

// An output with a view elsewhere (rows reshaped into an image, as
// LeNet-5's C5 output is): its accumulators still leave the k loop.
// CHECK-LABEL: func.func @viewed_output(
//       CHECK:   %[[ACC:.*]] = vector.transfer_read %{{.*}} : memref<16x32xf32>, vector<8x32xf32>
//       CHECK:   %[[SUM:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[ACC]]) -> (vector<8x32xf32>)
//   CHECK-NOT:     vector.transfer_write
//       CHECK:   }
//       CHECK:   vector.transfer_write %[[SUM]]
func.func @viewed_output(%a: memref<16x40xf32>, %b: memref<40x32xf32>, %c: memref<16x32xf32>) -> memref<16x2x16xf32> {
  linalg.matmul ins(%a, %b : memref<16x40xf32>, memref<40x32xf32>) outs(%c : memref<16x32xf32>)
  %image = memref.expand_shape %c [[0], [1, 2]] output_shape [16, 2, 16] : memref<16x32xf32> into memref<16x2x16xf32>
  return %image : memref<16x2x16xf32>
}

// -----

// A view of the output made before the fill is read between the fill and
// the matmul: the fill stays.
// CHECK-LABEL: func.func @fill_read_through_view(
//       CHECK:   linalg.fill
//       CHECK:   memref.copy
//       CHECK:   vector.transfer_read
func.func @fill_read_through_view(%a: memref<16x40xf32>, %b: memref<40x32xf32>, %c: memref<16x32xf32>, %d: memref<8x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %top = memref.subview %c[0, 0] [8, 32] [1, 1] : memref<16x32xf32> to memref<8x32xf32, strided<[32, 1]>>
  linalg.fill ins(%zero : f32) outs(%c : memref<16x32xf32>)
  memref.copy %top, %d : memref<8x32xf32, strided<[32, 1]>> to memref<8x32xf32>
  linalg.matmul ins(%a, %b : memref<16x40xf32>, memref<40x32xf32>) outs(%c : memref<16x32xf32>)
  return
}

// -----

// One row into 48 columns whose output has a view elsewhere: MLIR's
// hoisting refuses the buffer, the pass's own moves all three strips'
// accumulators out of the one k loop (their transfers provably disjoint).
// CHECK-LABEL: func.func @narrow_viewed(
//  CHECK-SAME:     %[[C:[^:]*]]: memref<1x48xf32>
// CHECK-COUNT-3:   vector.transfer_read %[[C]]
//       CHECK:   scf.for {{.*}} -> (vector<1x16xf32>, vector<1x16xf32>, vector<1x16xf32>)
//   CHECK-NOT:     vector.transfer_write
//       CHECK:   }
// CHECK-COUNT-3:   vector.transfer_write {{.*}}, %[[C]]
func.func @narrow_viewed(%a: memref<1x400xf32>, %b: memref<400x48xf32>, %c: memref<1x48xf32>) -> memref<1x3x16xf32> {
  linalg.matmul ins(%a, %b : memref<1x400xf32>, memref<400x48xf32>) outs(%c : memref<1x48xf32>)
  %image = memref.expand_shape %c [[0], [1, 2]] output_shape [1, 3, 16] : memref<1x48xf32> into memref<1x3x16xf32>
  return %image : memref<1x3x16xf32>
}
