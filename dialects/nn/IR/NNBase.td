//===- NNBase.td - the nn dialect and its base classes -----*- tablegen -*-===//
//
// The nn dialect describes a neural network on ranked f32 tensors: layers,
// activations, losses, their gradient rules and the optimizer updates. Every
// op is pure; the training step is a dataflow function built by nn-autodiff.
//
//===----------------------------------------------------------------------===//

#ifndef NN_BASE_TD
#define NN_BASE_TD

include "mlir/IR/OpBase.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let cppNamespace = "::mlir::nn";
  let summary = "Neural-network layers, losses, gradients and optimizers";
  let description = [{
    The `nn` dialect is the first IR of nnc. A model file becomes a module
    with `@predict` (the forward pass) and `@loss` (forward pass and per-sample
    loss); `nn-autodiff` adds `@train_step`, which runs the forward pass, the
    backward pass and the optimizer update in one function. All ops work on
    statically shaped `f32` tensors whose leading dimension is the batch.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
  let useDefaultAttributePrinterParser = 1;
  // nn.role, nn.name, nn.init on arguments and results, nn.optimizer on the
  // module: each must have its type (NNDialect.cpp).
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let hasOperationAttrVerify = 1;
}

def NN_Tensor : TensorRankOf<[F32], [0, 1, 2, 3, 4, 5, 6]>;
def NN_Scalar : TensorRankOf<[F32], [0]>;
def NN_Vector : TensorRankOf<[F32], [1]>;
def NN_Matrix : TensorRankOf<[F32], [2]>;
/// A batch of images, NHWC: batch, height, width, channels.
def NN_Image : TensorRankOf<[F32], [4]>;

#endif // NN_BASE_TD
