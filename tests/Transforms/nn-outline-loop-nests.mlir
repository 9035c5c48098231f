// RUN: nn-opt %s --nn-outline-loop-nests=share=0.4 -split-input-file | FileCheck %s
// RUN: nn-opt %s --nn-outline-loop-nests=share=0 -split-input-file | FileCheck %s --check-prefix=NONE
// RUN: not nn-opt %s --nn-outline-loop-nests=share=1.5 -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// The larger nest (a loop with a constant bound and a mask made of
// constants) moves, within 40% of the function's ops; the smaller one
// would pass the share and stays. The callee recomputes the constants and
// the mask (bounds and masks stay static) and takes the buffers as
// arguments; the call sits where the nest was.
// CHECK-LABEL: func.func @two_nests(
//  CHECK-SAME:     %[[A:.*]]: memref<64x16xf32>, %[[B:.*]]: memref<16xf32>)
//       CHECK:   call @two_nests_nest0(%[[A]]) : (memref<64x16xf32>) -> ()
//       CHECK:   scf.for
//       CHECK:     memref.store {{.*}} %[[B]]
//       CHECK:   return
//       CHECK: func.func private @two_nests_nest0(%[[X:.*]]: memref<64x16xf32>) attributes {nn.outlined}
//   CHECK-DAG:   %[[C0:.*]] = arith.constant 0 : index
//   CHECK-DAG:   %[[C64:.*]] = arith.constant 64 : index
//   CHECK-DAG:   %[[M:.*]] = vector.constant_mask [12] : vector<16xi1>
//       CHECK:   scf.for %{{.*}} = %[[C0]] to %[[C64]]
//       CHECK:     vector.maskedload %[[X]]{{.*}}, %[[M]]
//       CHECK:     vector.maskedstore %[[X]]{{.*}}, %[[M]]
//       CHECK:   return
// NONE-LABEL: func.func @two_nests(
//   NONE-NOT:   call
//   NONE-NOT:   nn.outlined
func.func @two_nests(%a: memref<64x16xf32>, %b: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %two = arith.constant dense<2.0> : vector<16xf32>
  %mask = vector.constant_mask [12] : vector<16xi1>
  scf.for %i = %c0 to %c64 step %c1 {
    %v = vector.maskedload %a[%i, %c0], %mask, %zero : memref<64x16xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
    %w = arith.mulf %v, %two : vector<16xf32>
    %u = arith.addf %w, %v : vector<16xf32>
    vector.maskedstore %a[%i, %c0], %mask, %u : memref<64x16xf32>, vector<16xi1>, vector<16xf32>
  }
  %f = arith.constant 1.0 : f32
  scf.for %j = %c0 to %c16 step %c1 {
    memref.store %f, %b[%j] : memref<16xf32>
  }
  return
}

// -----

// A loop with results and a loop that names a global (the workspace of
// another module, were it moved) stay.
// CHECK-LABEL: func.func @stay(
//   CHECK-NOT:   call
//       CHECK:   scf.for {{.*}} iter_args
//       CHECK:   scf.for
//       CHECK:     memref.get_global @g
//   CHECK-NOT: nn.outlined
memref.global "private" @g : memref<16xf32> = dense<0.0>
func.func @stay(%a: memref<16xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %c0 to %c16 step %c1 iter_args(%s = %zero) -> (f32) {
    %x = memref.load %a[%i] : memref<16xf32>
    %t = arith.addf %s, %x : f32
    scf.yield %t : f32
  }
  scf.for %i = %c0 to %c16 step %c1 {
    %g = memref.get_global @g : memref<16xf32>
    %x = memref.load %a[%i] : memref<16xf32>
    memref.store %x, %g[%i] : memref<16xf32>
  }
  return %sum : f32
}

// BAD: error: nn-outline-loop-nests: share must lie in [0, 1], not 1.5
