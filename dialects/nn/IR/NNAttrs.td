//===- NNAttrs.td - attributes of the nn dialect -----------*- tablegen -*-===//
//
// The typed attributes that carry a model's contract between the stages:
// what each function argument is (nn.role), which optimizer the training
// step applies (nn.optimizer), how the runtime trains the module (nn.train),
// the pooling kind of pool2d, and the machine the CPU schedule is for
// (nn.target).
//
//===----------------------------------------------------------------------===//

#ifndef NN_ATTRS_TD
#define NN_ATTRS_TD

include "dialects/nn/IR/NNBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def NN_Role : I32Enum<"Role", "what a function argument or result holds", [
    I32EnumCase<"Param", 0, "param">,       // a trainable parameter
    I32EnumCase<"State", 1, "state">,       // optimizer state of a parameter
    I32EnumCase<"Input", 2, "input">,       // the batch of samples
    I32EnumCase<"Target", 3, "target">,     // the batch's targets
    I32EnumCase<"Noise", 4, "noise">,       // uniform [0, 1) noise of a dropout
    I32EnumCase<"LearningRate", 5, "lr">,   // this step's learning rate
    I32EnumCase<"Step", 6, "step">,         // the 1-based step number
    I32EnumCase<"Grad", 7, "grad">,         // a parameter's gradient
    I32EnumCase<"Loss", 8, "loss">,         // the batch's mean loss
    I32EnumCase<"Losses", 9, "losses">,     // one loss per sample
    I32EnumCase<"Output", 10, "output">,    // the model's outputs
    I32EnumCase<"Workspace", 11, "workspace"> // scratch memory from the caller
  ]> {
  let cppNamespace = "::mlir::nn";
}

def NN_RoleAttr : EnumAttr<NN_Dialect, NN_Role, "role"> {
  let summary = "what a function argument or result holds";
  let assemblyFormat = "`<` $value `>`";
}

def NN_OptimizerKind : I32Enum<"OptimizerKind", "an optimizer", [
    I32EnumCase<"SGD", 0, "sgd">,
    I32EnumCase<"Adam", 1, "adam">,
    I32EnumCase<"RMSProp", 2, "rmsprop">,
    I32EnumCase<"Adagrad", 3, "adagrad">
  ]> {
  let cppNamespace = "::mlir::nn";
}

def NN_OptimizerAttr : AttrDef<NN_Dialect, "Optimizer"> {
  let mnemonic = "optimizer";
  let summary = "the optimizer a training step applies, with its hyper-parameters";
  let description = [{
    Its kind and every hyper-parameter but the learning rate (an argument of
    the step), as dialects/nn/IR/Optimizers.cpp's table lists them: f32
    values, and unit attributes for flags (SGD's `nesterov`).
    ```mlir
    module attributes {nn.optimizer = #nn.optimizer<sgd, {momentum = 0.9 : f32, weight_decay = 0.0 : f32}>}
    ```
  }];
  let parameters = (ins EnumParameter<NN_OptimizerKind>:$kind,
                        "::mlir::DictionaryAttr":$hyper);
  let assemblyFormat = "`<` $kind `,` $hyper `>`";
  let genVerifyDecl = 1;
}

def NN_TrainAttr : AttrDef<NN_Dialect, "Train"> {
  let mnemonic = "train";
  let summary = "how the runtime trains a module: its data, batch and schedule";
  let description = [{
    The train block's settings that are not in the functions: the dataset
    (`mnist`, `fashion_mnist` or `csv` with its tables and column), how
    its samples are prepared (`pad`, `range_min`/`range_max` or
    `standardize`, `shift`), what the loss compares against (`label`: class
    indices, `target`: values), and the schedule (`batch`, `epochs`, `lr`,
    `schedule` `constant`, `cosine` or `step` with `step_every` and
    `step_gamma`, `seed`). Parameters at their defaults are not printed.
    `nnc train`, `eval`, `bench` and `compile` read it from nn-dialect
    input as they read the train block from a model file.
    ```mlir
    module @lenet5 attributes {nn.train = #nn.train<dataset = "mnist",
        batch = 64, epochs = 10, lr = 1.000000e-01 : f64, pad = 2>}
    ```
  }];
  let parameters = (ins
      StringRefParameter<"the dataset">:$dataset,
      "int64_t":$batch,
      DefaultValuedParameter<"int64_t", "1">:$epochs,
      "::mlir::FloatAttr":$lr,
      StringRefParameter<"the learning-rate schedule", "\"constant\"">:$schedule,
      DefaultValuedParameter<"int64_t", "1">:$step_every,
      OptionalParameter<"::mlir::FloatAttr">:$step_gamma,
      DefaultValuedParameter<"uint64_t", "1">:$seed,
      DefaultValuedParameter<"int64_t", "0">:$pad,
      DefaultValuedParameter<"int64_t", "0">:$shift,
      OptionalParameter<"::mlir::FloatAttr">:$range_min,
      OptionalParameter<"::mlir::FloatAttr">:$range_max,
      OptionalParameter<"::mlir::BoolAttr">:$standardize,
      StringRefParameter<"class labels or target values", "\"label\"">:$target,
      StringRefParameter<"a csv dataset's training table", "\"\"">:$csv_train,
      StringRefParameter<"a csv dataset's test table", "\"\"">:$csv_test,
      StringRefParameter<"a csv table's label or target column", "\"last\"">:$csv_column,
      OptionalParameter<"::mlir::BoolAttr">:$csv_regression,
      OptionalParameter<"::mlir::BoolAttr">:$csv_header);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def NN_PoolKind : I32Enum<"PoolKind", "what a pooling window computes", [
    I32EnumCase<"Avg", 0, "avg">,
    I32EnumCase<"Max", 1, "max">,
    I32EnumCase<"Sum", 2, "sum">
  ]> {
  let cppNamespace = "::mlir::nn";
}

def NN_PoolKindAttr : EnumAttr<NN_Dialect, NN_PoolKind, "pool_kind"> {
  let summary = "what a pooling window computes: its mean, maximum or sum";
  let assemblyFormat = "`<` $value `>`";
}

def NN_DenormalFlush : I32Enum<"DenormalFlush",
    "how compiled code flushes denormal floats to zero while it runs", [
    I32EnumCase<"None", 0, "none">,          // it does not: the target's default
    I32EnumCase<"X86Mxcsr", 1, "x86_mxcsr">  // MXCSR's FTZ and DAZ bits
  ]> {
  let cppNamespace = "::mlir::nn";
}

def NN_TargetAttr : AttrDef<NN_Dialect, "Target"> {
  let mnemonic = "target";
  let summary = "the machine the CPU schedule is for";
  let description = [{
    What nnc's schedules know of the target (compiler/Target/): the triple
    and CPU, the floats in its widest vector register and how many such
    registers it has, the vector width the hand-written convolution kernels
    are written in (LLVM splits them for narrower registers), the data
    caches of one core, whether it has fused multiply-add, and how the
    compiled entry points flush denormals. nn-set-target attaches it to the
    module; nn-schedule-matmuls, nn-conv-kernels, nn-select-kernels
    and nn-vectorize-elementwise read it (without it: an AVX-512 core).
    ```mlir
    module attributes {nn.target = #nn.target<triple = "x86_64-pc-linux-gnu",
        cpu = "haswell", vector_lanes = 8, vector_registers = 16,
        kernel_lanes = 16, l1_bytes = 32768, l2_bytes = 1048576, fma = true,
        denormals = x86_mxcsr>}
    ```
  }];
  let parameters = (ins
      StringRefParameter<"the target triple">:$triple,
      StringRefParameter<"the CPU, as LLVM names it">:$cpu,
      "int64_t":$vector_lanes,
      "int64_t":$vector_registers,
      "int64_t":$kernel_lanes,
      "int64_t":$l1_bytes,
      "int64_t":$l2_bytes,
      "bool":$fma,
      EnumParameter<NN_DenormalFlush>:$denormals);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def NN_KernelKind : I32Enum<"KernelKind",
    "the algorithm nn-select-kernels chose for a convolution, matmul or pooling", [
    // Convolutions (nn.conv2d and the linalg.conv_2d_nhwc_hwcf it lowers to).
    I32EnumCase<"FilterLanes", 0, "filter_lanes">,
    I32EnumCase<"FilterRows", 1, "filter_rows">,
    I32EnumCase<"PixelLanes", 2, "pixel_lanes">,
    // Weight gradients (nn.conv2d_filter_grad and what it lowers to).
    I32EnumCase<"FilterGradColumns", 3, "filter_grad_columns">,
    I32EnumCase<"FilterGradPixelLanes", 4, "filter_grad_pixel_lanes">,
    // Input gradients (nn.conv2d_input_grad and its generic).
    I32EnumCase<"InputGradPixelLanes", 5, "input_grad_pixel_lanes">,
    // Matmuls (nn.dense, nn.matmul and their linalg.matmul).
    I32EnumCase<"Tiled", 6, "tiled">,
    I32EnumCase<"Narrow", 7, "narrow">,
    // Pooling (nn.pool2d).
    I32EnumCase<"Windows", 8, "windows">,
    I32EnumCase<"Gather", 9, "gather">
  ]> {
  let cppNamespace = "::mlir::nn";
}

def NN_KernelAttr : AttrDef<NN_Dialect, "Kernel"> {
  let mnemonic = "kernel";
  let summary = "the algorithm an op is lowered and scheduled with";
  let description = [{
    nn-select-kernels records on each convolution, matmul and pooling op
    (as the discardable attribute `nn.kernel`) which algorithm it gets; the
    conversion to linalg lowers that algorithm and carries the attribute
    onto the linalg op it makes, and the schedule passes (nn-schedule-convs,
    nn-conv-kernels, nn-schedule-matmuls) dispatch on it. An op without one
    is lowered to the plain loops of its general form.

    | kind | ops | algorithm |
    | --- | --- | --- |
    | `filter_lanes` | conv2d | filters in the vector lanes: nn-schedule-convs' tiles |
    | `filter_rows` | conv2d (stride 1, filters a multiple of the kernel lanes) | nn-conv-kernels' row kernel |
    | `pixel_lanes` | conv2d (stride 1, one channel, few filters) | output pixels in the lanes (nn-conv-kernels) |
    | `filter_grad_columns` | conv2d_filter_grad | a convolution of the image by the gradient, tiled a kernel column at a time |
    | `filter_grad_pixel_lanes` | conv2d_filter_grad (one channel, few filters) | a reduction with output pixels in the lanes (nn-conv-kernels) |
    | `input_grad_pixel_lanes` | conv2d_input_grad | the planar gradient, pixels in the lanes (nn-conv-kernels); `rows` bounds the kernel rows that read more than the zero border |
    | `tiled` | dense, matmul | register tiles (nn-schedule-matmuls' script) |
    | `narrow` | dense, matmul (one or two rows, lhs not transposed) | nn-schedule-matmuls' row kernel |
    | `windows` | pool2d (windows tile the image) | a reduction over the image reshaped into windows |
    | `gather` | pool2d | a reduction reading each window through strides |

    ```mlir
    %y = nn.conv2d %x, %w, %b {kernel = array<i64: 5, 5>, nn.kernel = #nn.kernel<pixel_lanes>, ...}
    linalg.generic {..., nn.kernel = #nn.kernel<input_grad_pixel_lanes, rows = [4, 10]>} ...
    ```
  }];
  let parameters = (ins EnumParameter<NN_KernelKind>:$kind,
                        OptionalArrayRefParameter<"int64_t">:$rows);
  let assemblyFormat = "`<` $kind (`,` `rows` `=` `[` $rows^ `]`)? `>`";
  let builders = [
    AttrBuilder<(ins "KernelKind":$kind), [{
      return $_get($_ctxt, kind, ArrayRef<int64_t>{});
    }]>
  ];
  let genVerifyDecl = 1;
}

#endif // NN_ATTRS_TD
