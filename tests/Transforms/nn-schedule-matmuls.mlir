// RUN: nn-opt %s --nn-schedule-matmuls -split-input-file -verify-diagnostics | FileCheck %s

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
  linalg.matmul {nn.kernel = #nn.kernel<tiled>} ins(%a, %b : memref<16x40xf32>, memref<40x48xf32>) outs(%c : memref<16x48xf32>)
  return
}

// -----

// One row (batch-1 inference), 36 columns: three 16-column strips, the
// last masked to 4 columns, in one k loop unrolled 5 times (16 / 3
// strips: 15 accumulators), each unrolled step with its own
// accumulators; A(0, k) broadcast from a 1x1 transfer; the steps' sums
// added after the loop and stored, the last strip masked.
// CHECK-LABEL: func.func @narrow(
//  CHECK-SAME:     %[[A:[^:]*]]: memref<1x400xf32>, %[[B:[^:]*]]: memref<400x36xf32>, %[[C:[^:]*]]: memref<1x36xf32>
//       CHECK:   %[[C0:.*]] = vector.load %[[C]]{{.*}} : memref<1x36xf32>, vector<16xf32>
//       CHECK:   vector.load %[[C]]
//       CHECK:   vector.maskedload %[[C]]
//       CHECK:   %[[K:.*]]:15 = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[C0]],
//       CHECK:     vector.transfer_read %[[A]][%{{.*}}, %[[I]]]{{.*}} : memref<1x400xf32>, vector<1x1xf32>
//       CHECK:     vector.load %[[B]][%[[I]], %{{.*}}] : memref<400x36xf32>, vector<16xf32>
// CHECK-COUNT-2:     vector.fma {{.*}} : vector<16xf32>
//       CHECK:     vector.maskedload %[[B]][%[[I]], %{{.*}}]
//       CHECK:     vector.fma
// CHECK-COUNT-12:    vector.fma
//       CHECK:     scf.yield
//       CHECK:   %[[S0:.*]] = arith.addf %[[K]]#0, %[[K]]#3 : vector<16xf32>
//       CHECK:   %[[S1:.*]] = arith.addf %[[S0]], %[[K]]#6 : vector<16xf32>
//       CHECK:   %[[S2:.*]] = arith.addf %[[S1]], %[[K]]#9 : vector<16xf32>
//       CHECK:   %[[S3:.*]] = arith.addf %[[S2]], %[[K]]#12 : vector<16xf32>
//       CHECK:   vector.store %[[S3]], %[[C]]
//       CHECK:   vector.store
//       CHECK:   vector.maskedstore %[[C]]
//   CHECK-NOT:   linalg.matmul
func.func @narrow(%a: memref<1x400xf32>, %b: memref<400x36xf32>, %c: memref<1x36xf32>) {
  linalg.matmul {nn.kernel = #nn.kernel<narrow>} ins(%a, %b : memref<1x400xf32>, memref<400x36xf32>) outs(%c : memref<1x36xf32>)
  return
}

// -----

// LeNet-5's C5 at batch 1: 120 columns are 8 strips (7 and a masked
// half), k unrolled twice: 16 accumulators.
// CHECK-LABEL: func.func @narrow_c5(
//       CHECK:   scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-COUNT-16:   vector.fma {{.*}} : vector<16xf32>
//       CHECK:     scf.yield
// CHECK-COUNT-8:   arith.addf
//   CHECK-NOT:   scf.for
func.func @narrow_c5(%a: memref<1x400xf32>, %b: memref<400x120xf32>, %c: memref<1x120xf32>) {
  linalg.matmul {nn.kernel = #nn.kernel<narrow>} ins(%a, %b : memref<1x400xf32>, memref<400x120xf32>) outs(%c : memref<1x120xf32>)
  return
}

// -----

// Two rows, 200 columns, 7 k: blocks of 128 columns (8 strips; 16
// accumulators, no unrolling) and 72 (5 strips, the last masked to 8; 10
// accumulators), each its own k loop; both rows share each load of B.
// CHECK-LABEL: func.func @narrow_blocks(
//  CHECK-SAME:     %[[A:[^:]*]]: memref<2x7xf32>
//       CHECK:   scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
//       CHECK:     vector.transfer_read %[[A]]
//       CHECK:     vector.load
//       CHECK:     vector.fma
//       CHECK:     vector.transfer_read %[[A]]
// CHECK-COUNT-8:   vector.store
//       CHECK:   scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
//       CHECK:     scf.yield
//       CHECK:   vector.maskedstore
//       CHECK:   vector.maskedstore
//   CHECK-NOT:   scf.for
func.func @narrow_blocks(%a: memref<2x7xf32>, %b: memref<7x200xf32>, %c: memref<2x200xf32>) {
  linalg.matmul {nn.kernel = #nn.kernel<narrow>} ins(%a, %b : memref<2x7xf32>, memref<7x200xf32>) outs(%c : memref<2x200xf32>)
  return
}

// -----

// A narrow matmul into a filled output (a dense layer's zeros before its
// bias): the accumulators start from the fill value, the fill goes.
// CHECK-LABEL: func.func @narrow_filled(
//  CHECK-SAME:     %[[C:[^:]*]]: memref<1x32xf32>
//   CHECK-NOT:   linalg.fill
//   CHECK-NOT:   vector.load %[[C]]
//       CHECK:   scf.for
//       CHECK:   vector.store {{.*}}, %[[C]]
func.func @narrow_filled(%a: memref<1x40xf32>, %b: memref<40x32xf32>, %c: memref<1x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<1x32xf32>)
  linalg.matmul {nn.kernel = #nn.kernel<narrow>} ins(%a, %b : memref<1x40xf32>, memref<40x32xf32>) outs(%c : memref<1x32xf32>)
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
  linalg.matmul {nn.kernel = #nn.kernel<tiled>} ins(%a, %b : memref<16x40xf32>, memref<40x48xf32>) outs(%c : memref<16x48xf32>)
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
  linalg.matmul {nn.kernel = #nn.kernel<tiled>} ins(%a, %b : memref<16x40xf32>, memref<40x32xf32>) outs(%c : memref<16x32xf32>)
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
  linalg.matmul {nn.kernel = #nn.kernel<tiled>} ins(%a, %b : memref<16x40xf32>, memref<40x32xf32>) outs(%c : memref<16x32xf32>)
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
  linalg.matmul {nn.kernel = #nn.kernel<tiled>} ins(%a, %b : memref<16x40xf32>, memref<40x32xf32>) outs(%c : memref<16x32xf32>)
  return
}

// -----

// A matmul without nn.kernel is left to the loops.
// CHECK-LABEL: func.func @unmarked(
//       CHECK:   linalg.matmul
//   CHECK-NOT:   vector.fma
func.func @unmarked(%a: memref<16x40xf32>, %b: memref<40x32xf32>, %c: memref<16x32xf32>) {
  linalg.matmul ins(%a, %b : memref<16x40xf32>, memref<40x32xf32>) outs(%c : memref<16x32xf32>)
  return
}

// -----

// The narrow kernel reads the left operand's rows in place: not through a
// transpose.
func.func @narrow_transposed(%a: memref<7x2xf32>, %b: memref<7x32xf32>, %c: memref<2x32xf32>) {
  // expected-error @+1 {{nn.kernel narrow on a matmul this pass cannot lower}}
  linalg.matmul
    indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%a, %b : memref<7x2xf32>, memref<7x32xf32>) outs(%c : memref<2x32xf32>) {nn.kernel = #nn.kernel<narrow>}
  return
}
