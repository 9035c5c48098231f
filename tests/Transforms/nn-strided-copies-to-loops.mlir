// RUN: nn-opt %s --pass-pipeline='builtin.module(func.func(nn-strided-copies-to-loops))' | FileCheck %s

// A copy into a strided view (an image inside its zero border) becomes a
// linalg.copy, which lowers to loops like every linalg op; a copy between
// contiguous buffers stays memref.copy (an llvm.memcpy).
// CHECK-LABEL: func.func @copies(
//  CHECK-SAME:   %[[SRC:[^:]*]]: memref<1x4x4x1xf32>, %[[DST:[^:]*]]: memref<1x6x6x1xf32>, %[[A:[^:]*]]: memref<16xf32>, %[[B:[^:]*]]: memref<16xf32>
//       CHECK:   %[[VIEW:.*]] = memref.subview %[[DST]][0, 1, 1, 0] [1, 4, 4, 1] [1, 1, 1, 1]
//       CHECK:   linalg.copy ins(%[[SRC]] : memref<1x4x4x1xf32>) outs(%[[VIEW]] : memref<1x4x4x1xf32, strided<[36, 6, 1, 1], offset: 7>>)
//   CHECK-NOT:   memref.copy %[[SRC]]
//       CHECK:   memref.copy %[[A]], %[[B]] : memref<16xf32> to memref<16xf32>
func.func @copies(%src: memref<1x4x4x1xf32>, %dst: memref<1x6x6x1xf32>,
                  %a: memref<16xf32>, %b: memref<16xf32>) {
  %view = memref.subview %dst[0, 1, 1, 0] [1, 4, 4, 1] [1, 1, 1, 1]
      : memref<1x6x6x1xf32> to memref<1x4x4x1xf32, strided<[36, 6, 1, 1], offset: 7>>
  memref.copy %src, %view : memref<1x4x4x1xf32> to memref<1x4x4x1xf32, strided<[36, 6, 1, 1], offset: 7>>
  memref.copy %a, %b : memref<16xf32> to memref<16xf32>
  return
}
