//===- Passes.td - conversions out of the nn dialect -------*- tablegen -*-===//

#ifndef NN_CONVERSION_PASSES_TD
#define NN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertNNToLinalgPass : Pass<"convert-nn-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower nn ops to linalg on tensors";
  let description = [{
    Every nn op becomes named linalg ops (`linalg.matmul`, `linalg.transpose`,
    `linalg.fill`) or `linalg.generic` ops with `arith` and `math` bodies,
    still on tensors, so that elementwise fusion and bufferization can follow.
    Reductions keep the reduced dimension innermost-last so that the loops
    they become run along contiguous memory.
    ```mlir
    %y = nn.relu %x : tensor<4x8xf32>
    // becomes
    %e = tensor.empty() : tensor<4x8xf32>
    %y = linalg.generic {...} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
      ^bb0(%in: f32, %out: f32):
        %0 = arith.maximumf %in, %cst : f32
        linalg.yield %0 : f32
    } -> tensor<4x8xf32>
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

#endif // NN_CONVERSION_PASSES_TD
