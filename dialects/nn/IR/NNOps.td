//===- NNOps.td - operations of the nn dialect -------------*- tablegen -*-===//
//
// Layers, activations, losses, their gradient ops and optimizer updates.
// Forward ops implement DifferentiableOpInterface; the `*_grad` ops are the
// building blocks of those rules and are not differentiated again.
//
//===----------------------------------------------------------------------===//

#ifndef NN_OPS_TD
#define NN_OPS_TD

include "dialects/nn/IR/NNAttrs.td"
include "dialects/nn/IR/NNBase.td"
include "dialects/nn/IR/NNInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, !listconcat([Pure], traits)>;

/// An op whose gradient rule lives in NNOps.cpp.
class NN_DiffOp<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(
          [DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>], traits)>;

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def NN_DenseOp : NN_DiffOp<"dense", [InferTypeOpAdaptor]> {
  let summary = "fully connected layer: x · W + b";
  let description = [{
    Multiplies a batch of row vectors by a weight matrix and adds a bias:
    `result[n, o] = Σ_i input[n, i] · weight[i, o] + bias[o]`.
    ```mlir
    %y = nn.dense %x, %w, %b : tensor<64x784xf32>, tensor<784x300xf32>, tensor<300xf32> -> tensor<64x300xf32>
    ```
  }];
  let arguments = (ins NN_Matrix:$input, NN_Matrix:$weight, NN_Vector:$bias);
  let results = (outs NN_Matrix:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias attr-dict `:` type($input) `,` type($weight) `,` type($bias) `->` type($result)
  }];
}

def NN_RBFOp : NN_DiffOp<"rbf", [InferTypeOpAdaptor]> {
  let summary = "Euclidean radial basis function units";
  let description = [{
    Each output unit is the squared Euclidean distance of the input to that
    unit's prototype, as LeNet-5's output layer (LeCun et al. 1998):
    `result[n, c] = Σ_i (input[n, i] - prototypes[c, i])²`. The closest
    prototype wins, so the prediction is the smallest output.
    ```mlir
    %y = nn.rbf %x, %p : tensor<64x84xf32>, tensor<10x84xf32> -> tensor<64x10xf32>
    ```
  }];
  let arguments = (ins NN_Matrix:$input, NN_Matrix:$prototypes);
  let results = (outs NN_Matrix:$result);
  let assemblyFormat = [{
    $input `,` $prototypes attr-dict `:` type($input) `,` type($prototypes) `->` type($result)
  }];
}

def NN_RBFGradOp : NN_Op<"rbf_grad", [InferTypeOpAdaptor]> {
  let summary = "adjoint of nn.rbf with respect to one of its operands";
  let description = [{
    `result[p, i] = 2 Σ_q grad[p, q] · (lhs[p, i] - rhs[q, i])`. With
    (input, prototypes, dy) it is the adjoint of the input; with
    (prototypes, input, dyᵀ) that of the prototypes.
    ```mlir
    %dx = nn.rbf_grad %x, %p, %dy : tensor<64x84xf32>, tensor<10x84xf32>, tensor<64x10xf32> -> tensor<64x84xf32>
    ```
  }];
  let arguments = (ins NN_Matrix:$lhs, NN_Matrix:$rhs, NN_Matrix:$grad);
  let results = (outs NN_Matrix:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs `,` $grad attr-dict `:` type($lhs) `,` type($rhs) `,` type($grad) `->` type($result)
  }];
}

def NN_MatMulOp : NN_DiffOp<"matmul", [InferTypeOpAdaptor]> {
  let summary = "rank-2 matrix product";
  let description = [{
    Computes `lhs · rhs`; the inner dimensions must agree.
    ```mlir
    %y = nn.matmul %a, %b : tensor<64x300xf32>, tensor<300x784xf32> -> tensor<64x784xf32>
    ```
  }];
  let arguments = (ins NN_Matrix:$lhs, NN_Matrix:$rhs);
  let results = (outs NN_Matrix:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

def NN_TransposeOp : NN_DiffOp<"transpose", [InferTypeOpAdaptor]> {
  let summary = "transpose of a matrix";
  let description = [{
    ```mlir
    %t = nn.transpose %w : tensor<784x300xf32> -> tensor<300x784xf32>
    ```
  }];
  let arguments = (ins NN_Matrix:$input);
  let results = (outs NN_Matrix:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_BatchSumOp : NN_Op<"batch_sum", [InferTypeOpAdaptor]> {
  let summary = "sum over the leading (batch) dimension";
  let description = [{
    `result[j...] = Σ_n input[n, j...]`; the gradient of a bias.
    ```mlir
    %db = nn.batch_sum %dy : tensor<64x300xf32> -> tensor<300xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

class NN_BinaryOp<string mnemonic, string what>
    : NN_DiffOp<mnemonic, [SameOperandsAndResultType]> {
  let summary = "elementwise " # what;
  let description = [{
    Both operands and the result have the same shape.
    ```mlir
    %z = nn.}] # mnemonic # [{ %x, %y : tensor<64x10xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$lhs, NN_Tensor:$rhs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def NN_AddOp : NN_BinaryOp<"add", "sum">;
def NN_SubOp : NN_BinaryOp<"sub", "difference">;
def NN_MulOp : NN_BinaryOp<"mul", "product">;

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

class NN_ActivationOp<string mnemonic, string formula>
    : NN_DiffOp<mnemonic, [SameOperandsAndResultType]> {
  let summary = "activation " # formula;
  let description = [{
    Applies `}] # formula # [{` to every element.
    ```mlir
    %y = nn.}] # mnemonic # [{ %x : tensor<64x300xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

/// An activation whose adjoint is `gradOp(saved, dy)`, `saved` being its
/// input (`getInput()`) or result (`getResult()`): the rule is generated.
class NN_RuleActivationOp<string mnemonic, string formula, string gradOp,
                          string saved>
    : NN_ActivationOp<mnemonic, formula> {
  let extraClassDefinition = [{
    ::mlir::FailureOr<::llvm::SmallVector<::mlir::Value>>
    $cppClass::buildVjp(::mlir::OpBuilder &b, ::mlir::ValueRange grads) {
      return ::llvm::SmallVector<::mlir::Value>{
          }] # gradOp # [{::create(b, getLoc(), }] # saved # [{, grads[0])};
    }
  }];
}

def NN_ReluOp : NN_RuleActivationOp<"relu", "max(x, 0)", "ReluGradOp",
                                     "getInput()">;
def NN_SigmoidOp : NN_RuleActivationOp<"sigmoid", "1 / (1 + exp(-x))",
                                        "SigmoidGradOp", "getResult()">;
def NN_TanhOp : NN_RuleActivationOp<"tanh", "tanh(x)", "TanhGradOp",
                                     "getResult()">;
def NN_StepOp : NN_ActivationOp<"step", "x >= 0 ? 1 : 0"> {
  let description = [{
    The binary step (Heaviside) function: 1 for `x >= 0`, 0 otherwise. Its
    derivative is zero almost everywhere, so gradients do not flow through it
    (nnc warns when a trained model contains one).
    ```mlir
    %y = nn.step %x : tensor<64x16xf32>
    ```
  }];
}

def NN_ScaledTanhOp : NN_RuleActivationOp<"scaled_tanh", "1.7159 · tanh(2x / 3)",
                                           "ScaledTanhGradOp", "getResult()"> {
  let description = [{
    LeCun et al. 1998's squashing function f(a) = A·tanh(S·a) with
    A = 1.7159 and S = 2/3, chosen so that f(±1) = ±1.
    ```mlir
    %y = nn.scaled_tanh %x : tensor<64x84xf32>
    ```
  }];
}
def NN_SwishOp : NN_RuleActivationOp<"swish", "x · sigmoid(x)", "SwishGradOp",
                                      "getInput()">;

def NN_SoftplusOp : NN_RuleActivationOp<"softplus", "log(1 + exp(x))",
                                        "SoftplusGradOp", "getInput()">;

class NN_AlphaActivationOp<string mnemonic, string formula>
    : NN_DiffOp<mnemonic, [SameOperandsAndResultType]> {
  let summary = "activation " # formula;
  let description = [{
    Applies `}] # formula # [{` to every element.
    ```mlir
    %y = nn.}] # mnemonic # [{ %x {alpha = 0.1 : f32} : tensor<64x300xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, F32Attr:$alpha);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def NN_LeakyReluOp : NN_AlphaActivationOp<"leaky_relu", "x > 0 ? x : alpha · x">;
def NN_EluOp : NN_AlphaActivationOp<"elu", "x > 0 ? x : alpha · (exp(x) - 1)">;

def NN_SoftmaxOp : NN_DiffOp<"softmax", [SameOperandsAndResultType]> {
  let summary = "softmax over the last dimension";
  let description = [{
    `result[..., i] = exp(x[..., i]) / Σ_j exp(x[..., j])`, computed after
    subtracting the row maximum so that it cannot overflow.
    ```mlir
    %p = nn.softmax %z : tensor<64x10xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def NN_DropoutOp : NN_DiffOp<"dropout", [AllTypesMatch<["input", "noise", "result"]>]> {
  let summary = "inverted dropout with a given noise tensor";
  let description = [{
    Keeps each element whose noise value (uniform in [0, 1), drawn by the
    runtime from the run's seed) is at least `rate`, scaled by
    `1 / (1 - rate)`, and zeroes the others (Srivastava et al. 2014). The
    training step applies it; prediction and evaluation leave it out.
    ```mlir
    %y = nn.dropout %x, %u {rate = 0.5 : f32} : tensor<64x300xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$noise, F32Attr:$rate);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input `,` $noise attr-dict `:` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

def NN_FlattenOp : NN_DiffOp<"flatten", [InferTypeOpAdaptor]> {
  let summary = "collapse all but the batch dimension";
  let description = [{
    ```mlir
    %f = nn.flatten %x : tensor<64x1x28x28xf32> -> tensor<64x784xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Matrix:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_ReshapeOp : NN_DiffOp<"reshape"> {
  let summary = "reinterpret a tensor with another shape of the same size";
  let description = [{
    The element order (row-major) is kept; only the shape changes.
    ```mlir
    %x = nn.reshape %f : tensor<64x784xf32> -> tensor<64x1x28x28xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution and pooling (NHWC)
//===----------------------------------------------------------------------===//

def NN_Im2ColOp : NN_DiffOp<"im2col", [InferTypeOpAdaptor]> {
  let summary = "unfold image patches into rows (convolution as a matmul)";
  let description = [{
    For each output position (n, oh, ow) of a convolution with the given
    kernel, stride and zero padding, one row holds the input patch in
    (kh, kw, c) order:
    `result[(n·OH + oh)·OW + ow, (kh·KW + kw)·C + c] =
     input[n, oh·sh + kh - ph, ow·sw + kw - pw, c]` (0 outside the image).
    A convolution is then `nn.dense` of these rows with a
    `(KH·KW·C) x F` weight, so it runs on the tiled matmul.
    ```mlir
    %cols = nn.im2col %x {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>}
          : tensor<64x32x32x1xf32> -> tensor<50176x25xf32>
    ```
  }];
  let arguments = (ins NN_Image:$input, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs NN_Matrix:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_Conv2DOp : NN_Op<"conv2d"> {
  let summary = "direct convolution, the same values as dense(im2col(x), W, b)";
  let description = [{
    A convolution computed from the image itself, without the im2col copy:
    `result[(n·OH + oh)·OW + ow, f] = bias[f] +
     Σ_{kh, kw, c} input[n, oh·sh + kh - ph, ow·sw + kw - pw, c] ·
                   weight[(kh·KW + kw)·C + c, f]` (0 outside the image),
    the rows and the weight of `nn.im2col` and `nn.dense`. The front end
    never emits it: the optimized pipeline's `nn-select-kernels`
    rewrites `nn.dense(nn.im2col(x))` into it after the gradient is taken,
    so it has no gradient rule. It lowers to `linalg.conv_2d_nhwc_hwcf`,
    which `nn-schedule-convs` tiles and vectorizes.
    ```mlir
    %y = nn.conv2d %x, %w, %b {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>}
       : tensor<64x32x32x1xf32>, tensor<25x6xf32>, tensor<6xf32> -> tensor<50176x6xf32>
    ```
  }];
  let arguments = (ins NN_Image:$input, NN_Matrix:$weight, NN_Vector:$bias,
                   DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride,
                   DenseI64ArrayAttr:$padding);
  let results = (outs NN_Matrix:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias attr-dict `:` type($input) `,` type($weight) `,` type($bias) `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_Conv2DFilterGradOp : NN_Op<"conv2d_filter_grad"> {
  let summary = "weight gradient of a stride-1 convolution, from the image";
  let description = [{
    The gradient of a convolution's `(KH·KW·C) x F` weight given the
    image and the gradient of its output rows, the same values as
    `nn.matmul(nn.transpose(nn.im2col(x)), grad)` without the patch copy:
    `result[(kh·KW + kw)·C + c, f] =
     Σ_{n, oh, ow} input[n, oh + kh - ph, ow + kw - pw, c] ·
                   grad[(n·OH + oh)·OW + ow, f]` (0 outside the image).
    Like `nn.conv2d`, only `nn-select-kernels` makes it, after the
    gradient is taken. It lowers to a convolution of the image (channels
    as batch, samples as channels) with the output gradient as filter.
    ```mlir
    %dw = nn.conv2d_filter_grad %x, %dy {kernel = array<i64: 5, 5>, padding = array<i64: 0, 0>}
        : tensor<64x32x32x1xf32>, tensor<50176x6xf32> -> tensor<25x6xf32>
    ```
  }];
  let arguments = (ins NN_Image:$input, NN_Matrix:$grad, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$padding);
  let results = (outs NN_Matrix:$result);
  let assemblyFormat = [{
    $input `,` $grad attr-dict `:` type($input) `,` type($grad) `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_Conv2DInputGradOp : NN_Op<"conv2d_input_grad"> {
  let summary = "input gradient of a stride-1 convolution, without patch rows";
  let description = [{
    The gradient of a stride-1 convolution's image given the gradient of
    its output rows and its `(KH·KW·C) x F` weight, the same values as
    `nn.col2im(nn.matmul(grad, nn.transpose(weight)))` without the patch
    rows: `result[n, h, w, c] = Σ_{kh, kw, f}
     grad[(n·OH + h + ph - kh)·OW + w + pw - kw, f] · weight[(kh·KW + kw)·C + c, f]`
    (terms whose output position is outside the OH x OW output dropped).
    Like `nn.conv2d`, only `nn-select-kernels` makes it, after the
    gradient is taken. It lowers to a convolution of the gradient, turned
    channel-planar inside a zero border of `K - 1 - p` pixels, with the
    weight rotated by 180 degrees, marked for `nn-conv-kernels`.
    ```mlir
    %dx = nn.conv2d_input_grad %dy, %w {kernel = array<i64: 5, 5>, padding = array<i64: 0, 0>}
        : tensor<6400x16xf32>, tensor<150x16xf32> -> tensor<64x14x14x6xf32>
    ```
  }];
  let arguments = (ins NN_Matrix:$grad, NN_Matrix:$weight, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$padding);
  let results = (outs NN_Image:$result);
  let assemblyFormat = [{
    $grad `,` $weight attr-dict `:` type($grad) `,` type($weight) `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_Col2ImOp : NN_Op<"col2im"> {
  let summary = "fold patch rows back into an image, summing overlaps";
  let description = [{
    The adjoint of `nn.im2col`: every row entry is added to the input pixel
    it was copied from (padding positions are dropped).
    ```mlir
    %dx = nn.col2im %dcols {kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>}
        : tensor<12800x150xf32> -> tensor<64x14x14x6xf32>
    ```
  }];
  let arguments = (ins NN_Matrix:$input, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs NN_Image:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def NN_Pool2DOp : NN_DiffOp<"pool2d", [InferTypeOpAdaptor]> {
  let summary = "average or max pooling over square windows";
  let description = [{
    `kind` is `avg`, `max` or `sum` (the window's sum, as LeNet's trainable
    subsampling uses it); windows of `size x size` move by `stride`.
    ```mlir
    %p = nn.pool2d %x {kind = #nn.pool_kind<avg>, size = 2, stride = 2} : tensor<64x28x28x6xf32> -> tensor<64x14x14x6xf32>
    ```
  }];
  let arguments = (ins NN_Image:$input, NN_PoolKindAttr:$kind, I64Attr:$size,
                   I64Attr:$stride);
  let results = (outs NN_Image:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let extraClassDeclaration = [{
    /// Whether the windows tile the image exactly (stride == size, both
    /// sides multiples of it): each pixel is in one window.
    bool windowsTile() {
      ArrayRef<int64_t> x = getInput().getType().getShape();
      int64_t size = int64_t(getSize());
      return int64_t(getStride()) == size && x[1] % size == 0 &&
             x[2] % size == 0;
    }
  }];
}

def NN_ChannelScaleOp : NN_DiffOp<"channel_scale", [AllTypesMatch<["input", "result"]>,
                                                   AllTypesMatch<["scale", "bias"]>]> {
  let summary = "per-channel affine map: x · scale[c] + bias[c]";
  let description = [{
    With LeNet's trainable subsampling this is the coefficient and bias each
    map applies to its window sums.
    ```mlir
    %y = nn.channel_scale %x, %a, %b : tensor<64x14x14x6xf32>, tensor<6xf32>
    ```
  }];
  let arguments = (ins NN_Image:$input, NN_Vector:$scale, NN_Vector:$bias);
  let results = (outs NN_Image:$result);
  let assemblyFormat = "$input `,` $scale `,` $bias attr-dict `:` type($input) `,` type($scale)";
  let hasVerifier = 1;
}

def NN_ChannelSumOp : NN_Op<"channel_sum", [InferTypeOpAdaptor]> {
  let summary = "sum over all but the channel (last) dimension";
  let description = [{
    The gradient of a per-channel parameter.
    ```mlir
    %s = nn.channel_sum %x : tensor<64x14x14x6xf32> -> tensor<6xf32>
    ```
  }];
  let arguments = (ins NN_Image:$input);
  let results = (outs NN_Vector:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_Pool2DGradOp : NN_Op<"pool2d_grad", [AllTypesMatch<["input", "result"]>,
                                           AllTypesMatch<["output", "grad"]>]> {
  let summary = "adjoint of nn.pool2d for windows that tile the image";
  let description = [{
    With `stride == size`: average pooling spreads each adjoint evenly over
    its window; max pooling routes it to the window's maximum (to every
    element equal to it, on ties). Operands: the pooling input, its result
    and the result's adjoint.
    ```mlir
    %dx = nn.pool2d_grad %x, %y, %dy {kind = #nn.pool_kind<max>, size = 2, stride = 2}
        : tensor<64x28x28x6xf32>, tensor<64x14x14x6xf32>
    ```
  }];
  let arguments = (ins NN_Image:$input, NN_Image:$output, NN_Image:$grad,
                   NN_PoolKindAttr:$kind, I64Attr:$size, I64Attr:$stride);
  let results = (outs NN_Image:$result);
  let assemblyFormat = [{
    $input `,` $output `,` $grad attr-dict `:` type($input) `,` type($output)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Losses (per sample) and reductions
//===----------------------------------------------------------------------===//

class NN_LossOp<string mnemonic, string formula>
    : NN_DiffOp<mnemonic, [InferTypeOpAdaptor]> {
  let summary = "per-sample loss " # formula;
  let description = [{
    Takes a batch of predictions and targets of the same shape `N x C` and
    returns one loss per sample (`N`): `}] # formula # [{`.
    ```mlir
    %l = nn.}] # mnemonic # [{ %y, %t : tensor<64x10xf32>, tensor<64x10xf32> -> tensor<64xf32>
    ```
  }];
  let arguments = (ins NN_Matrix:$input, NN_Matrix:$target);
  let results = (outs NN_Vector:$result);
  let assemblyFormat = [{
    $input `,` $target attr-dict `:` type($input) `,` type($target) `->` type($result)
  }];
}

def NN_CrossEntropyOp
    : NN_LossOp<"cross_entropy", "-Σ_c t[c] · log(p[c])"> {
  // cross_entropy(softmax(z)) becomes softmax_cross_entropy(z): no log(0).
  let hasCanonicalizeMethod = 1;
}
def NN_SoftmaxCrossEntropyOp
    : NN_LossOp<"softmax_cross_entropy",
                "Σ_c t[c] · (logsumexp(z) - z[c]), the cross-entropy of softmax(z), computed stably">;
def NN_MSEOp : NN_LossOp<"mse", "Σ_c (y[c] - t[c])² / C">;
def NN_CosineLossOp
    : NN_LossOp<"cosine_loss", "1 - y·t / (|y| |t| + 1e-8), one minus the cosine similarity">;

def NN_DistanceLossOp
    : NN_LossOp<"distance_loss",
                "Σ_c t[c] · y[c], the output of the target class: on RBF outputs the squared distance to the target's prototype (LeCun et al. 1998, eq. 1)">;

def NN_MeanOp : NN_DiffOp<"mean", [InferTypeOpAdaptor]> {
  let summary = "mean of all elements";
  let description = [{
    ```mlir
    %loss = nn.mean %l : tensor<64xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Scalar:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Gradient ops: the pieces of the rules above
//===----------------------------------------------------------------------===//

class NN_ActivationGradOp<string mnemonic, string forward, string saved, string formula>
    : NN_Op<mnemonic, [SameOperandsAndResultType]> {
  let summary = "adjoint of nn." # forward;
  let description = [{
    Given the forward op's }] # saved # [{ and the adjoint of its result, computes the
    adjoint of its input: `}] # formula # [{`.
    ```mlir
    %dx = nn.}] # mnemonic # [{ %v, %dy : tensor<64x300xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$saved, NN_Tensor:$grad);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$saved `,` $grad attr-dict `:` type($result)";
}

def NN_ReluGradOp : NN_ActivationGradOp<"relu_grad", "relu", "input x",
                                        "x > 0 ? dy : 0">;
def NN_SigmoidGradOp : NN_ActivationGradOp<"sigmoid_grad", "sigmoid", "result y",
                                           "dy · y · (1 - y)">;
def NN_TanhGradOp : NN_ActivationGradOp<"tanh_grad", "tanh", "result y",
                                        "dy · (1 - y²)">;
def NN_SoftmaxGradOp : NN_ActivationGradOp<"softmax_grad", "softmax", "result y",
                                           "y · (dy - Σ_j dy[j] · y[j])">;

def NN_ScaledTanhGradOp : NN_ActivationGradOp<"scaled_tanh_grad", "scaled_tanh",
    "result y", "dy · (2/3) · 1.7159 · (1 - (y / 1.7159)²)">;
def NN_SwishGradOp : NN_ActivationGradOp<"swish_grad", "swish", "input x",
    "dy · (s + x · s · (1 - s)), s = sigmoid(x)">;
def NN_SoftplusGradOp : NN_ActivationGradOp<"softplus_grad", "softplus", "input x",
    "dy · sigmoid(x)">;

class NN_AlphaActivationGradOp<string mnemonic, string forward, string formula>
    : NN_Op<mnemonic, [SameOperandsAndResultType]> {
  let summary = "adjoint of nn." # forward;
  let description = [{
    Given the forward op's input x and the adjoint of its result:
    `}] # formula # [{`.
    ```mlir
    %dx = nn.}] # mnemonic # [{ %x, %dy {alpha = 0.1 : f32} : tensor<64x300xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$saved, NN_Tensor:$grad, F32Attr:$alpha);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$saved `,` $grad attr-dict `:` type($result)";
}

def NN_LeakyReluGradOp : NN_AlphaActivationGradOp<"leaky_relu_grad", "leaky_relu",
    "x > 0 ? dy : alpha · dy">;
def NN_EluGradOp : NN_AlphaActivationGradOp<"elu_grad", "elu",
    "x > 0 ? dy : alpha · exp(x) · dy">;

class NN_LossGradOp<string mnemonic, string forward, string formula>
    : NN_Op<mnemonic, [InferTypeOpAdaptor]> {
  let summary = "adjoint of nn." # forward;
  let description = [{
    Given the loss op's operands and the adjoint `dl` of its per-sample
    result, computes the adjoint of its first operand: `}] # formula # [{`.
    ```mlir
    %dy = nn.}] # mnemonic # [{ %y, %t, %dl : tensor<64x10xf32>, tensor<64x10xf32>, tensor<64xf32> -> tensor<64x10xf32>
    ```
  }];
  let arguments = (ins NN_Matrix:$input, NN_Matrix:$target, NN_Vector:$grad);
  let results = (outs NN_Matrix:$result);
  let assemblyFormat = [{
    $input `,` $target `,` $grad attr-dict `:` type($input) `,` type($target) `,` type($grad) `->` type($result)
  }];
}

def NN_CrossEntropyGradOp
    : NN_LossGradOp<"cross_entropy_grad", "cross_entropy", "-dl · t / p">;
def NN_SoftmaxCrossEntropyGradOp
    : NN_LossGradOp<"softmax_cross_entropy_grad", "softmax_cross_entropy",
                    "dl · (softmax(z) · Σ_c t[c] - t)">;
def NN_MSEGradOp : NN_LossGradOp<"mse_grad", "mse", "dl · 2 (y - t) / C">;
def NN_CosineLossGradOp : NN_LossGradOp<"cosine_loss_grad", "cosine_loss",
    "-dl · (t / (|y| |t|) - (y·t) y / (|y|³ |t|))">;

def NN_DistanceLossGradOp
    : NN_LossGradOp<"distance_loss_grad", "distance_loss", "dl · t">;

def NN_MeanGradOp : NN_Op<"mean_grad"> {
  let summary = "adjoint of nn.mean";
  let description = [{
    Spreads the adjoint of a mean evenly: every element gets `dl / size`.
    ```mlir
    %dl = nn.mean_grad %g : tensor<f32> -> tensor<64xf32>
    ```
  }];
  let arguments = (ins NN_Scalar:$grad);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$grad attr-dict `:` type($grad) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Optimizer updates
//===----------------------------------------------------------------------===//

def NN_SGDOp : NN_Op<"sgd", [AllTypesMatch<["param", "grad", "velocity",
                                            "new_param", "new_velocity"]>]> {
  let summary = "stochastic gradient descent step with (Nesterov) momentum";
  let description = [{
    With `g = grad + weight_decay · param`:
    `v' = momentum · v + g`, and `p' = p - lr · v'` (or, with `nesterov`,
    `p' = p - lr · (g + momentum · v')`), as PyTorch defines it. With
    momentum 0 this is plain SGD. The learning rate is an operand so that a
    schedule can change it between steps without recompiling.
    ```mlir
    %p2, %v2 = nn.sgd %p, %g, %v, %lr {momentum = 0.9 : f32} : tensor<784x300xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins NN_Tensor:$param, NN_Tensor:$grad, NN_Tensor:$velocity,
                   NN_Scalar:$lr,
                   DefaultValuedAttr<F32Attr, "0.0">:$momentum,
                   DefaultValuedAttr<F32Attr, "0.0">:$weight_decay,
                   UnitAttr:$nesterov);
  let results = (outs NN_Tensor:$new_param, NN_Tensor:$new_velocity);
  let assemblyFormat = [{
    $param `,` $grad `,` $velocity `,` $lr attr-dict `:` type($param) `,` type($lr)
  }];
  let hasVerifier = 1;
}

def NN_AdamOp : NN_Op<"adam", [AllTypesMatch<["param", "grad", "m", "v",
                                              "new_param", "new_m", "new_v"]>,
                                AllTypesMatch<["lr", "step"]>]> {
  let summary = "Adam step (Kingma & Ba 2015) with bias correction";
  let description = [{
    With `g = grad + weight_decay · param` and `t` the 1-based step:
    `m' = β1 m + (1 - β1) g`, `v' = β2 v + (1 - β2) g²`,
    `p' = p - lr · (m' / (1 - β1^t)) / (sqrt(v' / (1 - β2^t)) + ε)`.
    ```mlir
    %p2, %m2, %v2 = nn.adam %p, %g, %m, %v, %lr, %t {beta1 = 0.9 : f32, beta2 = 0.999 : f32, eps = 1.0e-8 : f32}
        : tensor<784x300xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins NN_Tensor:$param, NN_Tensor:$grad, NN_Tensor:$m,
                   NN_Tensor:$v, NN_Scalar:$lr, NN_Scalar:$step,
                   DefaultValuedAttr<F32Attr, "0.9">:$beta1,
                   DefaultValuedAttr<F32Attr, "0.999">:$beta2,
                   DefaultValuedAttr<F32Attr, "1.0e-8">:$eps,
                   DefaultValuedAttr<F32Attr, "0.0">:$weight_decay);
  let results = (outs NN_Tensor:$new_param, NN_Tensor:$new_m, NN_Tensor:$new_v);
  let assemblyFormat = [{
    $param `,` $grad `,` $m `,` $v `,` $lr `,` $step attr-dict `:` type($param) `,` type($lr)
  }];
  let hasVerifier = 1;
}

class NN_AccumulatorOptimizerOp<string mnemonic, string what, string formula>
    : NN_Op<mnemonic, [AllTypesMatch<["param", "grad", "acc", "new_param", "new_acc"]>]> {
  let summary = what # " step";
  let description = [{
    With `g = grad + weight_decay · param`: }] # formula # [{.
    ```mlir
    %p2, %a2 = nn.}] # mnemonic # [{ %p, %g, %a, %lr {eps = 1.0e-8 : f32} : tensor<784x300xf32>, tensor<f32>
    ```
  }];
  let results = (outs NN_Tensor:$new_param, NN_Tensor:$new_acc);
  let assemblyFormat = [{
    $param `,` $grad `,` $acc `,` $lr attr-dict `:` type($param) `,` type($lr)
  }];
  let hasVerifier = 1;
}

def NN_RMSPropOp : NN_AccumulatorOptimizerOp<"rmsprop", "RMSProp (Hinton 2012)",
    "`a' = α a + (1 - α) g²`, `p' = p - lr · g / (sqrt(a') + ε)`"> {
  let arguments = (ins NN_Tensor:$param, NN_Tensor:$grad, NN_Tensor:$acc,
                   NN_Scalar:$lr,
                   DefaultValuedAttr<F32Attr, "0.99">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0e-8">:$eps,
                   DefaultValuedAttr<F32Attr, "0.0">:$weight_decay);
}

def NN_AdagradOp : NN_AccumulatorOptimizerOp<"adagrad", "Adagrad (Duchi et al. 2011)",
    "`a' = a + g²`, `p' = p - lr · g / (sqrt(a') + ε)`"> {
  let arguments = (ins NN_Tensor:$param, NN_Tensor:$grad, NN_Tensor:$acc,
                   NN_Scalar:$lr,
                   DefaultValuedAttr<F32Attr, "1.0e-10">:$eps,
                   DefaultValuedAttr<F32Attr, "0.0">:$weight_decay);
}

#endif // NN_OPS_TD
