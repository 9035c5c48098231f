// RUN: nn-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nn-split-at-loops))' | FileCheck %s
// RUN: nn-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nn-split-at-loops{min-nests=4}))' | FileCheck %s --check-prefix=FEW

// Three top-level loops: the first stays in the entry block, the others
// start blocks of their own, each reached by a branch; the ops between
// loops go with the loop before them.
// CHECK-LABEL: func.func @three(
//       CHECK:   %[[C0:.*]] = arith.constant 0 : index
//       CHECK:   scf.for
//       CHECK:     memref.store
//       CHECK:   arith.addf
//  CHECK-NEXT:   cf.br ^bb1
//       CHECK: ^bb1:
//  CHECK-NEXT:   scf.for
//       CHECK:   cf.br ^bb2
//       CHECK: ^bb2:
//  CHECK-NEXT:   scf.for
//       CHECK:   memref.load %{{.*}}[%[[C0]]]
//  CHECK-NEXT:   return
// FEW-LABEL: func.func @three(
//   FEW-NOT:   cf.br
func.func @three(%a: memref<4xf32>, %x: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %x, %a[%i] : memref<4xf32>
  }
  %y = arith.addf %x, %x : f32
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %y, %a[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %x, %a[%i] : memref<4xf32>
  }
  %r = memref.load %a[%c0] : memref<4xf32>
  return %r : f32
}

// -----

// Loops nested in a loop are left to convert-scf-to-cf: only the
// function's own blocks are split.
// CHECK-LABEL: func.func @nested(
//   CHECK-NOT:   cf.br
func.func @nested(%a: memref<4x4xf32>, %x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c4 step %c1 {
      memref.store %x, %a[%i, %j] : memref<4x4xf32>
    }
    scf.for %j = %c0 to %c4 step %c1 {
      memref.store %x, %a[%j, %i] : memref<4x4xf32>
    }
  }
  return
}
