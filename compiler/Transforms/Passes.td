//===- Passes.td - schedules on linalg and loops ------------*- tablegen -*-===//
//
// How fast code is made: separate from what an op means (the conversions),
// as Halide separates algorithm from schedule.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_TRANSFORMS_PASSES_TD
#define NNC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNScheduleConvsPass : Pass<"nn-schedule-convs", "::mlir::ModuleOp"> {
  let summary = "Tile and vectorize the direct convolutions of kernel filter_lanes";
  let description = [{
    Applies nnc's convolution schedule (a transform-dialect script, see
    ConvSchedule.cpp) on tensors: tiles of one output row of 16 pixels by 16
    filters for each kernel row (remainders peeled so every tile is
    static), each tile decomposed into a 1-D convolution and vectorized
    into contractions over the kernel column and the input channels.
    It takes the convolutions whose `nn.kernel` is `filter_lanes`, and the
    weight gradients' of `filter_grad_columns`, whose "kernel" is a whole
    output image, tiled one kernel column at a time as well. After
    bufferization nn-schedule-matmuls hoists the accumulators and lowers
    the contractions to broadcast-and-FMA outer products, as for matmuls.
    Convolutions of the kernels `pixel_lanes` and `filter_rows` are left
    to nn-conv-kernels, on buffers; one without `nn.kernel` to the loops.
    ```mlir
    %y = linalg.conv_2d_nhwc_hwcf {nn.kernel = #nn.kernel<filter_lanes>, ...} ins(%x, %w : tensor<64x14x14x6xf32>, tensor<5x5x6x20xf32>) outs(%b : tensor<64x10x10x20xf32>) -> tensor<64x10x10x20xf32>
    // becomes scf.for loops over (n, oh, 16 pixels, 16 filters, kh) of vector contractions
    ```
  }];
  let dependentDialects = ["::mlir::nn::NNDialect",
                           "::mlir::transform::TransformDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect"];
}

def NNSetTargetPass : Pass<"nn-set-target", "::mlir::ModuleOp"> {
  let summary = "Attach the description of the target to the module";
  let description = [{
    Sets the module's `nn.target` to the description of the target
    (compiler/Target/TargetDescription.h) with `triple` and `cpu`, the
    host's when both are empty: the vector registers, the convolution
    kernels' vector width, the data caches, FMA and how denormals are
    flushed. The schedule passes after it read the target from there.
    ```mlir
    // nn-opt --nn-set-target="triple=x86_64-linux-gnu cpu=haswell"
    module attributes {nn.target = #nn.target<triple = "x86_64-unknown-linux-gnu",
        cpu = "haswell", vector_lanes = 8, vector_registers = 16, ...>}
    ```
  }];
  let options = [
    Option<"triple", "triple", "std::string", "",
           "Target triple (empty: the host's)">,
    Option<"cpu", "cpu", "std::string", "",
           "Target CPU, as LLVM names it (empty: the host's)">,
  ];
  let dependentDialects = ["::mlir::nn::NNDialect"];
}

def NNScheduleMatmulsPass : Pass<"nn-schedule-matmuls", "::mlir::ModuleOp"> {
  let summary = "Tile, vectorize and register-block the linalg.matmuls of kernels tiled and narrow";
  let description = [{
    On buffers, applies nnc's matmul schedule (a transform-dialect script,
    MatmulSchedule.cpp) to the matmuls of `nn.kernel` `tiled`: register tiles two vectors wide (8 rows with 32
    registers, 6 with fewer), stepped one k at a time with the accumulator
    hoisted into registers and outer products of broadcasts and FMAs; the
    remainder rows peeled, and the columns beyond a multiple of the tile
    split into matmuls of one and then the rest of a register, so that
    every k loop reads its output in one vector type. Those of kernel
    `narrow` (one or two rows) are not tiled: per block of up to 8 one-register strips, one k
    loop unrolled up to 8 times with independent accumulators. Accumulators
    MLIR's hoisting leaves in memory are moved out of their k loops here;
    a fill right before the matmul starts them instead of being run. The
    registers are the module's `#nn.target`'s (nn-set-target). A matmul
    without `nn.kernel` is left to the loops.
    ```mlir
    linalg.matmul {nn.kernel = #nn.kernel<tiled>} ins(%a, %b : memref<64x784xf32>, memref<784x300xf32>)
                  outs(%c : memref<64x300xf32>)
    // becomes, for the full tiles (AVX-512):
    scf.for %j = 0 to 288 step 32 {   // and the remaining 12 columns
      scf.for %i = 0 to 64 step 8 {
        %acc = vector.transfer_read %c[%i, %j] : vector<8x32xf32>
        %r = scf.for %k = 0 to 784 iter_args(%acc) { ... 8 x vector.fma ... }
        vector.transfer_write %r, %c[%i, %j]
      }
    }
    ```
  }];
  let dependentDialects = ["::mlir::nn::NNDialect",
                           "::mlir::transform::TransformDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect"];
}

def NNFoldTransposesPass : Pass<"nn-fold-transposes", "::mlir::func::FuncOp"> {
  let summary = "Read a matmul's left operand through its transpose instead of copying it";
  let description = [{
    Weight gradients are `xᵀ · dy`; as written, `xᵀ` is a `linalg.transpose`
    into a new buffer, a strided copy of the whole activation (for LeNet-5's
    first convolution, 50176 x 25 floats per step: 5 ms, more than the
    matmul itself). This pass gives the matmul the indexing map
    `(m, n, k) -> (k, m)` on its left operand and drops the copy. With one k
    per step, the schedule then reads a contiguous row of `x` for each
    outer product, so the transposed product runs as fast as a plain one.
    Right operands keep their copies: read transposed, each step would
    gather a column.
    ```mlir
    %t = linalg.transpose ins(%x : tensor<64x784xf32>) outs(%e : tensor<784x64xf32>) permutation = [1, 0]
    %dw = linalg.matmul ins(%t, %dy : ...) outs(%acc : tensor<784x300xf32>)
    // becomes
    %dw = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>,
                                         affine_map<(m, n, k) -> (k, n)>,
                                         affine_map<(m, n, k) -> (m, n)>]
            ins(%x, %dy : ...) outs(%acc : tensor<784x300xf32>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def NNStaticMemoryPlanPass : Pass<"nn-static-memory-plan", "::mlir::ModuleOp"> {
  let summary = "Place every temporary buffer of a function in one static workspace";
  let description = [{
    After bufferization each intermediate tensor is a `memref.alloc` freed
    by a `memref.dealloc`: a malloc and a free per buffer and per call, and
    for large buffers fresh pages from the kernel every time (LeNet-5's
    batch-256 inference spent 40% of its time in page faults). This pass
    gives each function one workspace, a private zero-initialised global of
    the plan's peak size, and turns each temporary into a `memref.view` at a
    fixed offset in it: buffers whose lifetimes (from allocation to
    deallocation, in the function's entry block) overlap get disjoint bytes,
    the others share them. Offsets are 64-byte aligned and chosen greedily,
    largest buffer first. The function records the peak in
    `nn.workspace_bytes`. The compiled functions then allocate nothing; a
    function's workspace is shared by its calls, so one function must not
    run concurrently with itself, except one marked `nn.workspace_arg`
    (the per-thread `@grad_step`), or every public function with
    `workspace-args` (`nnc compile`: the object keeps no mutable state): it
    takes its workspace from the caller as a last argument, a `memref<Nxi8>`
    of at least the recorded size.
    ```mlir
    %a = memref.alloc() {alignment = 64 : i64} : memref<64x300xf32>
    ...
    memref.dealloc %a : memref<64x300xf32>
    // becomes
    memref.global "private" @train_step_workspace : memref<1843200xi8> {alignment = 64 : i64}
    %ws = memref.get_global @train_step_workspace : memref<1843200xi8>
    %a = memref.view %ws[%c76800][] : memref<1843200xi8> to memref<64x300xf32>
    ```
  }];
  let options = [
    Option<"workspaceArgs", "workspace-args", "bool", "false",
           "Every public function takes its workspace from the caller">,
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect",
                           "::mlir::nn::NNDialect"];
}

def NNOutlineLoopNestsPass : Pass<"nn-outline-loop-nests", "::mlir::ModuleOp"> {
  let summary = "Move a share of each function's loop nests into functions of their own";
  let description = [{
    Lowering a module to the LLVM dialect and LLVM's code generation run on
    one thread per module. To compile one large function on two threads,
    this pass moves loop nests of every public function (top-level
    `scf.for` ops without results or symbol references) into private
    functions marked `nn.outlined`, each called where the nest was: the
    nest's free values become arguments, except constants, which are
    cloned (loop bounds stay static). Nests are taken largest first (size:
    ops inside) while the moved ops stay within `share` of the function's;
    the driver then compiles the outlined functions as a module of their
    own, beside the rest. The static shapes and strides of the memref
    arguments keep every address computation constant.
    ```mlir
    func.func @f(%a: memref<64x16xf32>) {
      scf.for %i = %c0 to %c64 step %c1 { ... %a ... }
    // becomes
    func.func @f(%a: memref<64x16xf32>) {
      call @f_nest0(%a) : (memref<64x16xf32>) -> ()
    func.func private @f_nest0(%a: memref<64x16xf32>) attributes {nn.outlined} {
      %c0 = arith.constant 0 : index
      ...
      scf.for %i = %c0 to %c64 step %c1 { ... %a ... }
    ```
  }];
  let options = [
    Option<"share", "share", "double", "0.5",
           "Largest share of a function's ops (0 to 1) moved into outlined functions">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def NNSplitAtLoopsPass : Pass<"nn-split-at-loops", "::mlir::func::FuncOp"> {
  let summary = "Give each top-level loop nest of a long function a block of its own";
  let description = [{
    `convert-scf-to-cf` splits the block at every loop it lowers, and the
    dialect conversion moves (and records, to undo) each op after the loop:
    quadratic in the number of top-level loops of a function (a chain of
    1,000 layers took 4 s and 1.2 GB there). When a function's block holds
    at least `min-nests` ops with regions, this pass splits it before each
    of them but the first, from the last back (each op moves once), joined
    by unconditional branches that LLVM merges again.
    ```mlir
    scf.for ... { A }
    scf.for ... { B }
    // becomes
      scf.for ... { A }
      cf.br ^bb1
    ^bb1:
      scf.for ... { B }
    ```
  }];
  let options = [
    Option<"minNests", "min-nests", "int64_t", "2",
           "Split only blocks holding at least this many ops with regions">,
  ];
  let dependentDialects = ["::mlir::cf::ControlFlowDialect"];
}

def NNSelectKernelsPass : Pass<"nn-select-kernels", "::mlir::func::FuncOp"> {
  let summary = "Choose the algorithm of every convolution, matmul and pooling";
  let description = [{
    On nn, after nn-autodiff (the direct ops have no gradient rules), from
    the module's `#nn.target` and the shapes. First the form, with
    `direct-convolutions` (the optimized pipeline):
    - `nn.dense` of `nn.im2col` rows becomes `nn.conv2d` of the image, and
      a stride-1 convolution's weight gradient (`nn.matmul` of the rows'
      transpose and dy) `nn.conv2d_filter_grad`, unless the output rows are
      narrower than 8 pixels. A strided weight gradient keeps its rows.
    - The input gradient (`nn.col2im` of `dy · Wᵀ`) of a stride-1
      convolution of fewer channels than the kernel lanes and rows of at
      least 8 pixels becomes `nn.conv2d_input_grad(dy, W)`; any other is
      computed a few images at a time (an `scf.for` over chunks whose patch
      rows fit in half the L2 and divide the batch).
    Then each convolution, matmul and pooling op gets its kernel,
    `nn.kernel = #nn.kernel<...>` (the attribute's table says which).
    ```mlir
    %r = nn.im2col %x {kernel = array<i64: 5, 5>, ...} : tensor<64x32x32x1xf32> -> tensor<50176x25xf32>
    %y = nn.dense %r, %w, %b : ... -> tensor<50176x6xf32>
    // becomes
    %y = nn.conv2d %x, %w, %b {kernel = array<i64: 5, 5>, nn.kernel = #nn.kernel<pixel_lanes>, ...} : ... -> tensor<50176x6xf32>
    ```
  }];
  let options = [
    Option<"directConvolutions", "direct-convolutions", "bool", "true",
           "compute convolutions from the image where that pays, not from im2col rows">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::nn::NNDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def NNStridedCopiesToLoopsPass : Pass<"nn-strided-copies-to-loops", "::mlir::func::FuncOp"> {
  let summary = "Turn memref.copy between strided views into linalg.copy";
  let description = [{
    Bufferized `tensor.insert_slice` ops (padding and dilating images for
    convolutions) copy into strided subviews. The LLVM lowering turns such a
    `memref.copy` into a call to the `memrefCopy` runtime function, which
    neither the JIT nor a standalone object file has; as `linalg.copy` the
    copy becomes loops like every other linalg op. Copies between contiguous
    buffers stay `memref.copy` (an `llvm.memcpy`).
    ```mlir
    memref.copy %x, %sv : memref<2x28x28x1xf32> to memref<2x28x28x1xf32, strided<[1024, 32, 1, 1], offset: 66>>
    // becomes
    linalg.copy ins(%x : memref<2x28x28x1xf32>) outs(%sv : memref<2x28x28x1xf32, strided<...>>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def NNFuseElementwisePass : Pass<"nn-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops, never into a matmul";
  let description = [{
    Upstream elementwise fusion also folds parallel producers (the im2col
    copy of a convolution, say) into the contraction that reads them; the
    matmul then becomes a generic with strided indexing that the matmul
    schedule cannot tile, and runs as naive loops. This pass fuses a
    single-use producer only into a consumer that is a `linalg.generic`
    with parallel loops only, so bias, activation and their adjoints still
    merge into one loop while matmuls stay matmuls, and an activation is not
    pulled into the short inner loops of a pooling window, where it would
    not vectorize (LeNet-5's tanh + average pooling: 1.3 ms fused, 0.35 ms
    apart).
    ```mlir
    %s = linalg.generic ... ins(%mm, %b) { arith.addf }     // bias
    %y = linalg.generic ... ins(%s) { math.tanh }           // activation
    // becomes one generic: ins(%mm, %b) { arith.addf; math.tanh }
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def NNApproximateMathPass : Pass<"nn-approximate-math"> {
  let summary = "Replace libm calls (exp, log, tanh) with inline polynomials";
  let description = [{
    `math.exp`, `math.log` and `math.tanh` otherwise become calls to libm,
    one scalar call per element: in LeNet-5 the tanh calls alone took a
    sixth of a training step. MLIR's polynomial approximations (accurate to
    a few ulp in f32) are plain arithmetic that LLVM vectorizes with the
    loop around it. f32 tanh takes MLIR's rational function without its
    special case for |x| < 0.0004 (within 2 ulp there without it; 4 ulp at
    most overall, as before): 14 vector operations per 16 values instead
    of 17, 12-15% faster. The approximations' fused multiply-adds become
    `vector.fma` (and, on scalars, `llvm.intr.fmuladd`): one FMA
    instruction where the target has them, a multiply and an add where not
    (as `math.fma`, LLVM's exact `fma`, they were a call to `fmaf` per
    element there).
    ```mlir
    %y = math.tanh %x : vector<16xf32>
    // becomes a clamp, a rational function of vector.fma ops and a division
    ```
  }];
  let dependentDialects = ["::mlir::math::MathDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def NNVectorizeElementwisePass : Pass<"nn-vectorize-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Vectorize the linalg.generic ops the schedules leave (bias, activations, adjoints, reductions, updates)";
  let description = [{
    On buffers, after nn-schedule-matmuls. Each `linalg.generic` with static
    shapes, projected-permutation maps in loop order and a body of `arith`
    and `math` ops gets the loops contiguous in every operand collapsed, is
    tiled to about 64 elements along its innermost loops (remainders
    peeled) and vectorized; reductions become `vector.multi_reduction`.
    Ops of at most 4,096 elements whose rows are shorter than 16 and not a
    multiple of 8 stay loops. A pooling window reduction over NHWC (rows of
    at most 512 floats) goes row by row: one vector load per row, one
    shuffle per window offset, the body on whole rows.
    ```mlir
    linalg.generic {indexing_maps = [#id, #id], ...}
        ins(%x : memref<8x28x28x6xf32>) outs(%y : memref<8x28x28x6xf32>) {
      math.tanh ...
    }
    // becomes
    %xs = memref.collapse_shape %x [[0, 1, 2, 3]] : ... into memref<37632xf32>
    scf.for %i = %c0 to %c37632 step %c64 {
      %v = vector.transfer_read ... : memref<64xf32, ...>, vector<64xf32>
      %t = math.tanh %v : vector<64xf32>
      vector.transfer_write %t, ...
    }
    ```
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::memref::MemRefDialect"];
}

def NNConvKernelsPass : Pass<"nn-conv-kernels", "::mlir::func::FuncOp"> {
  let summary = "Lower the convolutions of the kernels pixel_lanes and filter_rows with hand-written vector kernels";
  let description = [{
    On buffers, lowers each op whose `nn.kernel` names one of its three
    hand-written vector kernels (compiler/Transforms/ConvKernels.h, where
    each kernel's loops and registers are described):

    - `pixel_lanes` on a `linalg.conv_2d_nhwc_hwcf` (one input channel,
      stride 1) and `input_grad_pixel_lanes` on the generic of
      `nn.conv2d_input_grad` (planar input; its `rows` bound the rows
      inside the zero border): 16 output pixels of a row in the lanes, F
      accumulators per output row. When only an in-place activation and a
      2x2, stride-2 pooling read a convolution's output, both run on the
      accumulators and only the pooled tile is stored.
    - `filter_rows` on a convolution (stride 1, filters a multiple of
      16): the filters in the lanes, blocks of output pixels of a row.
    - `filter_grad_pixel_lanes` on the generic of a one-channel
      `nn.conv2d_filter_grad`: the weight gradient with 16 output pixels in
      the lanes, one image at a time.

    A fill or bias broadcast written right before the op starts the
    accumulators instead of being run. The kernels are written in vectors
    of the `#nn.target`'s `kernel_lanes` floats and block by its vector
    registers, counted in vectors of that width.
    ```mlir
    linalg.conv_2d_nhwc_hwcf {nn.kernel = #nn.kernel<pixel_lanes>, ...} ins(%x, %w : memref<64x32x32x1xf32>, memref<5x5x1x6xf32>) outs(%y : memref<64x28x28x6xf32>)
    // becomes scf.for loops over images, rows and 16-pixel tiles of vector FMAs
    ```
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // NNC_TRANSFORMS_PASSES_TD
