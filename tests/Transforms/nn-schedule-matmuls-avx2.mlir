// RUN: nn-opt %s --nn-set-target="triple=x86_64-linux-gnu cpu=haswell" --nn-schedule-matmuls -split-input-file | FileCheck %s

// The schedule for a target with 16 registers of 8 floats (AVX2): tiles
// of 6 rows x 16 columns (12 accumulators), the columns beyond a multiple
// of 16 split at 8 (44 = 32 + 8 + 4).
// CHECK-LABEL: func.func @wide(
//  CHECK-SAME:     %[[C:[^:]*]]: memref<12x44xf32>
//       CHECK:   scf.for {{.*}} to %c32 step %c16
//       CHECK:     scf.for {{.*}} to %c12 step %c6
//       CHECK:       vector.transfer_read %[[C]]{{.*}} : memref<12x44xf32>, vector<6x16xf32>
//       CHECK:       scf.for {{.*}} iter_args({{.*}}) -> (vector<6x16xf32>)
// CHECK-COUNT-6:       vector.fma {{.*}} : vector<16xf32>
//   CHECK-NOT:       vector.fma
//       CHECK:       vector.transfer_write {{.*}}, %[[C]]{{.*}} : vector<6x16xf32>, memref<12x44xf32>
//       CHECK:   vector.transfer_read %[[C]]{{.*}} : memref<12x44xf32>, vector<6x8xf32>
// CHECK-COUNT-6:   vector.fma {{.*}} : vector<8xf32>
//       CHECK:   vector.transfer_read %[[C]]{{.*}} : memref<12x44xf32>, vector<6x4xf32>
// CHECK-COUNT-6:   vector.fma {{.*}} : vector<4xf32>
//   CHECK-NOT:   linalg.matmul
func.func @wide(%a: memref<12x40xf32>, %b: memref<40x44xf32>, %c: memref<12x44xf32>) {
  linalg.matmul {nn.kernel = #nn.kernel<tiled>} ins(%a, %b : memref<12x40xf32>, memref<40x44xf32>) outs(%c : memref<12x44xf32>)
  return
}

// -----

// One row, 20 columns: strips of one register (8, 8 and 4 masked), the k
// loop unrolled twice: 6 accumulators (at most half the 16 registers).
// CHECK-LABEL: func.func @narrow(
//       CHECK:   vector.maskedload {{.*}} : memref<1x20xf32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
//       CHECK:   scf.for {{.*}} step %c2 iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-COUNT-6:     vector.fma {{.*}} : vector<8xf32>
//       CHECK:     scf.yield
//   CHECK-NOT:   linalg.matmul
func.func @narrow(%a: memref<1x400xf32>, %b: memref<400x20xf32>, %c: memref<1x20xf32>) {
  linalg.matmul {nn.kernel = #nn.kernel<narrow>} ins(%a, %b : memref<1x400xf32>, memref<400x20xf32>) outs(%c : memref<1x20xf32>)
  return
}

