// RUN: nn-opt %s --nn-static-memory-plan -split-input-file | FileCheck %s

// Three temporaries: %a and %b live at the same time, %c only after %a is
// freed, so %c reuses %a's bytes. The workspace is the peak: 4096 + 256.
// CHECK: memref.global "private" @f_workspace : memref<4352xi8> {alignment = 64 : i64}
// CHECK-LABEL: func.func @f(
//  CHECK-SAME:   attributes {nn.workspace_bytes = 4352 : i64}
//       CHECK:   %[[WS:.*]] = memref.get_global @f_workspace : memref<4352xi8>
//       CHECK:   %[[A:.*]] = memref.view %[[WS]][%c0{{.*}}][] : memref<4352xi8> to memref<32x32xf32>
//       CHECK:   %[[B:.*]] = memref.view %[[WS]][%c4096{{.*}}][] : memref<4352xi8> to memref<8x8xf32>
//       CHECK:   %[[C:.*]] = memref.view %[[WS]][%c0{{.*}}][] : memref<4352xi8> to memref<16x16xf32>
//   CHECK-NOT:   memref.alloc
//   CHECK-NOT:   memref.dealloc
func.func @f(%x: memref<32x32xf32>, %y: memref<16x16xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<32x32xf32>
  memref.copy %x, %a : memref<32x32xf32> to memref<32x32xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<8x8xf32>
  %sa = memref.subview %a[0, 0] [8, 8] [1, 1] : memref<32x32xf32> to memref<8x8xf32, strided<[32, 1]>>
  memref.copy %sa, %b : memref<8x8xf32, strided<[32, 1]>> to memref<8x8xf32>
  memref.dealloc %a : memref<32x32xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
  %sc = memref.subview %c[0, 0] [8, 8] [1, 1] : memref<16x16xf32> to memref<8x8xf32, strided<[16, 1]>>
  memref.copy %b, %sc : memref<8x8xf32> to memref<8x8xf32, strided<[16, 1]>>
  memref.dealloc %b : memref<8x8xf32>
  memref.copy %c, %y : memref<16x16xf32> to memref<16x16xf32>
  memref.dealloc %c : memref<16x16xf32>
  return
}

// -----

// A buffer allocated inside a loop, or never freed, keeps its allocation.
// CHECK-LABEL: func.func @kept(
//       CHECK:   scf.for
//       CHECK:     memref.alloc()
//       CHECK:   memref.alloc()
func.func @kept(%n: index) -> memref<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %t = memref.alloc() : memref<4xf32>
    memref.dealloc %t : memref<4xf32>
  }
  %r = memref.alloc() : memref<4xf32>
  return %r : memref<4xf32>
}

// -----

// A function that several threads run at once takes its workspace from the
// caller, as a last argument, instead of a shared global.
//   CHECK-NOT: memref.global
// CHECK-LABEL: func.func @threaded(
//  CHECK-SAME:   %{{.*}}: memref<8xf32>, %[[WS:.*]]: memref<64xi8> {nn.role = #nn.role<workspace>})
//  CHECK-SAME:   nn.workspace_bytes = 64
//       CHECK:   memref.view %[[WS]]
func.func @threaded(%x: memref<8xf32>) attributes {nn.workspace_arg} {
  %a = memref.alloc() : memref<8xf32>
  memref.copy %x, %a : memref<8xf32> to memref<8xf32>
  memref.copy %a, %x : memref<8xf32> to memref<8xf32>
  memref.dealloc %a : memref<8xf32>
  return
}
