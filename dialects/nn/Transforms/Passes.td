//===- Passes.td - passes on the nn dialect ----------------*- tablegen -*-===//

#ifndef NN_TRANSFORMS_PASSES_TD
#define NN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNAutodiffPass : Pass<"nn-autodiff", "::mlir::ModuleOp"> {
  let summary = "Build @train_step (forward, backward, optimizer) from @loss";
  let description = [{
    Takes the function marked `nn.loss` and adds `@train_step`: the forward
    pass, a reverse sweep in which every op supplies its vector-Jacobian
    product (`DifferentiableOpInterface`; an op without one on the path to
    the loss is an error naming it), and the update of the module's
    `nn.optimizer` (plain SGD without one). The state is one tensor per
    parameter for each slot of dialects/nn/IR/Optimizers.cpp's table. Every
    argument and result carries its `#nn.role` and `nn.name`, state its
    `nn.slot` (docs/architecture.md, the calling convention).
    ```mlir
    func.func @train_step(%params..., %state..., %x, %t, %noise..., %lr, %step)
        -> (%new_params..., %new_state..., %mean_loss, %y)
    ```
    With `split-step`, two functions instead, for threads that each take
    the gradient of a slice of the batch; with `parts` above 1 each thread
    also updates one flat slice of every tensor (ceil(N / parts) elements
    rounded up to 16, the caller padding every buffer) with the mean of the
    parts' gradients, summed in part order:
    ```mlir
    func.func @grad_step(%params..., %x, %t, %noise...) -> (%grads..., %mean_loss, %y)
    func.func @apply_step(%params..., %state..., %grads_0..., ..., %grads_(parts-1)...,
                          %lr, %step) -> (%new_params..., %new_state...)
    ```
  }];
  let options = [
    Option<"splitStep", "split-step", "bool", /*default=*/"false",
           "Emit @grad_step and @apply_step instead of @train_step">,
    Option<"parts", "parts", "unsigned", /*default=*/"1",
           "With split-step: the threads that share @apply_step, each "
           "updating one flat slice of every tensor with the mean of the "
           "parts' gradients">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect"];
}

def NNGradPass : Pass<"nn-grad", "::mlir::ModuleOp"> {
  let summary = "Add @F_grad for each function F marked nn.grad";
  let description = [{
    For a function with a scalar `tensor<f32>` result, adds `@F_grad` with
    the same arguments, returning the value followed by its gradient with
    respect to every argument. Used to check each op's gradient rule against
    finite differences; it shares the reverse sweep with nn-autodiff.
    ```mlir
    func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.grad} { ... }
    // adds
    func.func @f_grad(%x: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect"];
}

def NNStripAttributesPass : Pass<"nn-strip-attributes", "::mlir::ModuleOp"> {
  let summary = "Drop the nn.* attributes once the nn dialect is gone";
  let description = [{
    `nn.role`, `nn.name`, `nn.init`, `nn.loss` and `nn.optimizer` describe
    functions to the front end, autodiff and the runtime. LLVM has no use
    for them (and warns about unknown parameter attributes), so the lowering
    to LLVM removes them from functions, their arguments and results, and the
    module (the ops that carried `nn.kernel` are loops by then).
    ```mlir
    func.func @predict(%w: memref<784x10xf32> {nn.role = #nn.role<param>, nn.name = "fc.weight"})
    // becomes
    func.func @predict(%w: memref<784x10xf32>)
    ```
  }];
}

def NNDistinctResultsPass : Pass<"nn-distinct-results", "::mlir::func::FuncOp"> {
  let summary = "Give every returned tensor its own value before bufferization";
  let description = [{
    A function may return one value twice (the adjoint of `a + b` is the same
    tensor for both operands). Each result becomes a caller-owned
    out-parameter after bufferization, which needs one buffer per result, so
    this pass copies every repeated result into a fresh
    `bufferization.alloc_tensor`.
    ```mlir
    return %g, %g : tensor<4xf32>, tensor<4xf32>
    // becomes
    %c = bufferization.alloc_tensor() copy(%g) : tensor<4xf32>
    return %g, %c : tensor<4xf32>, tensor<4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

def NNDistinctEmptyTensorsPass
    : Pass<"nn-distinct-empty-tensors", "::mlir::func::FuncOp"> {
  let summary = "Split the uses of a tensor.empty or a filled tensor into runs of at most 16";
  let description = [{
    CSE merges the `tensor.empty` ops of one type into one value, and the
    zero fills of it into one `linalg.fill`, so that in a chain of layers of
    one width every op writes into the same tensor: one alias set, whose
    conflicts One-Shot Bufferize (and the empty-tensor elimination before
    it) check pairwise (a chain of 1,000 dense layers of width 4 took
    minutes). Such a tensor is made from scalars alone, so a copy of it is
    the same tensor and changes nothing but the analysis: with each run of
    16 uses (in program order) after the first using a copy of its own,
    made before the run's first user, the analysis is linear. Fills are
    split first (their copies fill the same empty tensor), then empty
    tensors.
    ```mlir
    %e = tensor.empty() : tensor<1x4xf32>   // 40 uses
    // becomes: uses 1-16 keep %e, 17-32 and 33-40 get a tensor.empty each
    ```
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def NNSetBatchPass : Pass<"nn-set-batch", "::mlir::ModuleOp"> {
  let summary = "Recompile the model's functions for another batch size";
  let description = [{
    The nn functions of a model are typed for one batch: the first
    dimension of every argument whose `#nn.role` is `input`, `target` or
    `noise`. This pass gives those arguments `batch` samples and infers
    every op's result type again from its operands (ops with
    `InferTypeOpInterface`; a result typed as one of its operands follows
    that operand; `nn.reshape` scales its first dimension), then the
    function's results. It runs before nn-autodiff: the threads' slice of
    the batch, `nnc bench --batch`, `nnc compile --batch` and nn-dialect
    input all come through it. 0 leaves the module as it is.
    ```mlir
    func.func @predict(%w: tensor<784x10xf32>, %b: tensor<10xf32>,
                       %x: tensor<64x784xf32> {nn.role = #nn.role<input>})
        -> tensor<64x10xf32>
    // with batch=32: %x: tensor<32x784xf32>, result tensor<32x10xf32>
    ```
  }];
  let options = [
    Option<"batch", "batch", "int64_t", /*default=*/"0",
           "Samples per call; 0 keeps the module's">
  ];
}

def NNKeepFunctionsPass : Pass<"nn-keep-functions", "::mlir::ModuleOp"> {
  let summary = "Erase the public functions that are not listed";
  let description = [{
    What a compilation needs of a model's functions: `nnc train` compiles
    @train_step and @loss but not @predict, `nnc bench` and `nnc compile`
    without `--train` @predict alone, and each of the driver's parallel
    parts its own share. Private functions (the outlined loop nests' bodies
    or declarations) stay. An empty list keeps every function.
    ```mlir
    // nn-keep-functions{names=predict}: @loss and @train_loss are erased
    ```
  }];
  let options = [
    ListOption<"names", "names", "std::string",
               "The public functions to keep">
  ];
}

#endif // NN_TRANSFORMS_PASSES_TD
