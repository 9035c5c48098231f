//===- Passes.td - schedules on linalg and loops ------------*- tablegen -*-===//
//
// How fast code is made: separate from what an op means (the conversions),
// as Halide separates algorithm from schedule.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_TRANSFORMS_PASSES_TD
#define NNC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNScheduleMatmulsPass : Pass<"nn-schedule-matmuls", "::mlir::ModuleOp"> {
  let summary = "Tile, vectorize and register-block every linalg.matmul";
  let description = [{
    Applies nnc's matmul schedule (a transform-dialect script, see
    MatmulSchedule.cpp) to bufferized IR: tiles of 8 rows x 16 columns
    (one AVX-512 register per row) stepped one k at a time, the remainder
    rows and columns peeled into loops of their own so that every tile has
    static sizes, the tiles vectorized into contractions, the 8x16
    accumulator hoisted out of the k loop into registers, and the
    contraction lowered to broadcast-and-FMA outer products.
    ```mlir
    linalg.matmul ins(%a, %b : memref<64x784xf32>, memref<784x300xf32>)
                  outs(%c : memref<64x300xf32>)
    // becomes, for the full tiles:
    scf.for %j = 0 to 288 step 16 {   // and a 12-column remainder loop
      scf.for %i = 0 to 64 step 8 {
        %acc = vector.transfer_read %c[%i, %j] : vector<8x16xf32>
        %r = scf.for %k = 0 to 784 iter_args(%acc) { ... 8 x vector.fma ... }
        vector.transfer_write %r, %c[%i, %j]
      }
    }
    ```
  }];
  let dependentDialects = ["::mlir::transform::TransformDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect"];
}

#endif // NNC_TRANSFORMS_PASSES_TD
