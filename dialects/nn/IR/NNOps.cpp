//===- NNOps.cpp - nn operations: shapes, verifiers, gradient rules -------===//
//
// Result shapes are inferred (InferTypeOpInterface), so a mismatch between
// what an op computes and the type it is given is reported by the verifier
// with both shapes. Each forward op's vector-Jacobian product lives here, next
// to the op, built from other nn ops.
//
//===----------------------------------------------------------------------===//

#include "dialects/nn/IR/NNOps.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::nn;

#include "dialects/nn/IR/NNInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/nn/IR/NNOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static RankedTensorType tensorOf(ArrayRef<int64_t> shape, MLIRContext *ctx) {
  return RankedTensorType::get(shape, Float32Type::get(ctx));
}

static RankedTensorType rankedOf(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Prints a shape as `AxBxC` (or `scalar`), as MLIR prints tensor types.
static std::string shapeStr(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  return s;
}

static Value zerosLike(OpBuilder &b, Location loc, Type type) {
  return arith::ConstantOp::create(b, loc,
                                   cast<TypedAttr>(b.getZeroAttr(type)));
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

LogicalResult DenseOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> x = rankedOf(adaptor.getInput()).getShape();
  ArrayRef<int64_t> w = rankedOf(adaptor.getWeight()).getShape();
  ArrayRef<int64_t> b = rankedOf(adaptor.getBias()).getShape();
  if (x[1] != w[0])
    return emitOptionalError(loc, "input has ", x[1],
                             " features but the weight expects ", w[0]);
  if (b[0] != w[1])
    return emitOptionalError(loc, "bias has ", b[0],
                             " elements but the layer has ", w[1], " outputs");
  types.push_back(tensorOf({x[0], w[1]}, ctx));
  return success();
}

FailureOr<SmallVector<Value>> DenseOp::buildVjp(OpBuilder &b,
                                                ValueRange grads) {
  Location loc = getLoc();
  Value dy = grads[0];
  Value wT = TransposeOp::create(b, loc, getWeight());
  Value xT = TransposeOp::create(b, loc, getInput());
  Value dx = MatMulOp::create(b, loc, dy, wT);
  Value dw = MatMulOp::create(b, loc, xT, dy);
  Value db = BatchSumOp::create(b, loc, dy);
  return SmallVector<Value>{dx, dw, db};
}

LogicalResult RBFOp::inferReturnTypes(MLIRContext *ctx,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> x = rankedOf(adaptor.getInput()).getShape();
  ArrayRef<int64_t> p = rankedOf(adaptor.getPrototypes()).getShape();
  if (x[1] != p[1])
    return emitOptionalError(loc, "input has ", x[1],
                             " features but the prototypes have ", p[1]);
  types.push_back(tensorOf({x[0], p[0]}, ctx));
  return success();
}

FailureOr<SmallVector<Value>> RBFOp::buildVjp(OpBuilder &b, ValueRange grads) {
  Location loc = getLoc();
  Value dx = RBFGradOp::create(b, loc, getInput(), getPrototypes(), grads[0]);
  Value dyT = TransposeOp::create(b, loc, grads[0]);
  Value dp = RBFGradOp::create(b, loc, getPrototypes(), getInput(), dyT);
  return SmallVector<Value>{dx, dp};
}

LogicalResult RBFGradOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> l = rankedOf(adaptor.getLhs()).getShape();
  ArrayRef<int64_t> r = rankedOf(adaptor.getRhs()).getShape();
  ArrayRef<int64_t> g = rankedOf(adaptor.getGrad()).getShape();
  if (l[1] != r[1])
    return emitOptionalError(loc, "operands have ", l[1], " and ", r[1],
                             " features");
  if (g[0] != l[0] || g[1] != r[0])
    return emitOptionalError(loc, "expected an adjoint of shape ",
                             shapeStr({l[0], r[0]}), ", found ", shapeStr(g));
  types.push_back(tensorOf(l, ctx));
  return success();
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> a = rankedOf(adaptor.getLhs()).getShape();
  ArrayRef<int64_t> b = rankedOf(adaptor.getRhs()).getShape();
  if (a[1] != b[0])
    return emitOptionalError(loc, "inner dimensions differ: ", a[1], " vs ",
                             b[0]);
  types.push_back(tensorOf({a[0], b[1]}, ctx));
  return success();
}

FailureOr<SmallVector<Value>> MatMulOp::buildVjp(OpBuilder &b,
                                                 ValueRange grads) {
  Location loc = getLoc();
  Value lhsT = TransposeOp::create(b, loc, getLhs());
  Value rhsT = TransposeOp::create(b, loc, getRhs());
  return SmallVector<Value>{MatMulOp::create(b, loc, grads[0], rhsT),
                            MatMulOp::create(b, loc, lhsT, grads[0])};
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location>,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> a = rankedOf(adaptor.getInput()).getShape();
  types.push_back(tensorOf({a[1], a[0]}, ctx));
  return success();
}

FailureOr<SmallVector<Value>> TransposeOp::buildVjp(OpBuilder &b,
                                                    ValueRange grads) {
  return SmallVector<Value>{TransposeOp::create(b, getLoc(), grads[0])};
}

LogicalResult BatchSumOp::inferReturnTypes(MLIRContext *ctx,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> x = rankedOf(adaptor.getInput()).getShape();
  if (x.empty())
    return emitOptionalError(loc, "expected a batch dimension, found a scalar");
  types.push_back(tensorOf(x.drop_front(), ctx));
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<Value>> AddOp::buildVjp(OpBuilder &b, ValueRange grads) {
  return SmallVector<Value>{grads[0], grads[0]};
}

FailureOr<SmallVector<Value>> SubOp::buildVjp(OpBuilder &b, ValueRange grads) {
  Value zero = zerosLike(b, getLoc(), getType());
  return SmallVector<Value>{grads[0],
                            SubOp::create(b, getLoc(), zero, grads[0])};
}

FailureOr<SmallVector<Value>> MulOp::buildVjp(OpBuilder &b, ValueRange grads) {
  return SmallVector<Value>{MulOp::create(b, getLoc(), grads[0], getRhs()),
                            MulOp::create(b, getLoc(), grads[0], getLhs())};
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<Value>> StepOp::buildVjp(OpBuilder &b, ValueRange grads) {
  // Zero almost everywhere; undefined (and taken as zero) at x = 0.
  return SmallVector<Value>{zerosLike(b, getLoc(), getType())};
}

FailureOr<SmallVector<Value>> LeakyReluOp::buildVjp(OpBuilder &b,
                                                    ValueRange grads) {
  return SmallVector<Value>{LeakyReluGradOp::create(b, getLoc(), getInput(),
                                                    grads[0], getAlphaAttr())};
}

FailureOr<SmallVector<Value>> EluOp::buildVjp(OpBuilder &b, ValueRange grads) {
  return SmallVector<Value>{
      EluGradOp::create(b, getLoc(), getInput(), grads[0], getAlphaAttr())};
}

LogicalResult DropoutOp::verify() {
  float rate = getRate().convertToFloat();
  if (rate < 0.0f || rate >= 1.0f)
    return emitOpError("rate must be in [0, 1), found ") << rate;
  return success();
}

FailureOr<SmallVector<Value>> DropoutOp::buildVjp(OpBuilder &b,
                                                  ValueRange grads) {
  // The same elements are kept, with the same scale; the noise has no
  // gradient.
  return SmallVector<Value>{
      DropoutOp::create(b, getLoc(), grads[0], getNoise(), getRateAttr()),
      Value()};
}

LogicalResult SoftmaxOp::verify() {
  if (getType().getRank() == 0)
    return emitOpError("expected a tensor of rank at least 1, found a scalar");
  return success();
}

FailureOr<SmallVector<Value>> SoftmaxOp::buildVjp(OpBuilder &b,
                                                  ValueRange grads) {
  return SmallVector<Value>{
      SoftmaxGradOp::create(b, getLoc(), getResult(), grads[0])};
}

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> x = rankedOf(adaptor.getInput()).getShape();
  if (x.empty())
    return emitOptionalError(loc, "expected a batch dimension, found a scalar");
  int64_t n = 1;
  for (int64_t d : x.drop_front())
    n *= d;
  types.push_back(tensorOf({x[0], n}, ctx));
  return success();
}

FailureOr<SmallVector<Value>> FlattenOp::buildVjp(OpBuilder &b,
                                                  ValueRange grads) {
  return SmallVector<Value>{
      ReshapeOp::create(b, getLoc(), getInput().getType(), grads[0])};
}

LogicalResult ReshapeOp::verify() {
  int64_t in = getInput().getType().getNumElements();
  int64_t out = getType().getNumElements();
  if (in != out)
    return emitOpError("element count changes: ")
           << in << " (" << shapeStr(getInput().getType().getShape()) << ") vs "
           << out << " (" << shapeStr(getType().getShape()) << ")";
  return success();
}

FailureOr<SmallVector<Value>> ReshapeOp::buildVjp(OpBuilder &b,
                                                  ValueRange grads) {
  return SmallVector<Value>{
      ReshapeOp::create(b, getLoc(), getInput().getType(), grads[0])};
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// Output size of a window sliding over `in` with the given geometry, or -1
/// when the window does not fit.
static int64_t windowCount(int64_t in, int64_t k, int64_t s, int64_t p) {
  if (s <= 0 || k <= 0 || in + 2 * p < k)
    return -1;
  return (in + 2 * p - k) / s + 1;
}

/// Checks kernel/stride/padding and computes (OH, OW) for an NHWC input.
static FailureOr<std::pair<int64_t, int64_t>>
convGeometry(std::optional<Location> loc, ArrayRef<int64_t> x,
             ArrayRef<int64_t> k, ArrayRef<int64_t> s, ArrayRef<int64_t> p) {
  if (k.size() != 2 || s.size() != 2 || p.size() != 2)
    return emitOptionalError(loc,
                             "kernel, stride and padding need 2 values each");
  for (int i = 0; i < 2; ++i) {
    if (s[i] <= 0)
      return emitOptionalError(loc, "stride must be positive, found ", s[i]);
    if (p[i] < 0 || p[i] >= k[i])
      return emitOptionalError(loc, "padding must be in [0, kernel), found ",
                               p[i], " for kernel ", k[i]);
  }
  int64_t oh = windowCount(x[1], k[0], s[0], p[0]);
  int64_t ow = windowCount(x[2], k[1], s[1], p[1]);
  if (oh < 0 || ow < 0)
    return emitOptionalError(loc, "kernel ", k[0], "x", k[1],
                             " is larger than the padded ", x[1], "x", x[2],
                             " input");
  return std::make_pair(oh, ow);
}

LogicalResult Im2ColOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> x = rankedOf(adaptor.getInput()).getShape();
  ArrayRef<int64_t> k = adaptor.getKernel();
  auto geom =
      convGeometry(loc, x, k, adaptor.getStride(), adaptor.getPadding());
  if (failed(geom))
    return failure();
  types.push_back(
      tensorOf({x[0] * geom->first * geom->second, k[0] * k[1] * x[3]}, ctx));
  return success();
}

FailureOr<SmallVector<Value>> Im2ColOp::buildVjp(OpBuilder &b,
                                                 ValueRange grads) {
  return SmallVector<Value>{
      Col2ImOp::create(b, getLoc(), getInput().getType(), grads[0],
                       getKernelAttr(), getStrideAttr(), getPaddingAttr())};
}

LogicalResult Col2ImOp::verify() {
  ArrayRef<int64_t> x = getType().getShape();
  auto geom = convGeometry(getLoc(), x, getKernel(), getStride(), getPadding());
  if (failed(geom))
    return failure();
  SmallVector<int64_t> expected{x[0] * geom->first * geom->second,
                                getKernel()[0] * getKernel()[1] * x[3]};
  if (getInput().getType().getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("expected patch rows of shape ")
           << shapeStr(expected) << " for a " << shapeStr(x) << " image, found "
           << shapeStr(getInput().getType().getShape());
  return success();
}

LogicalResult Conv2DOp::verify() {
  ArrayRef<int64_t> x = getInput().getType().getShape();
  ArrayRef<int64_t> k = getKernel();
  auto geom = convGeometry(getLoc(), x, k, getStride(), getPadding());
  if (failed(geom))
    return failure();
  int64_t f = getWeight().getType().getDimSize(1);
  if (getWeight().getType().getDimSize(0) != k[0] * k[1] * x[3])
    return emitOpError("expected a weight of ")
           << k[0] * k[1] * x[3] << " rows (kernel " << k[0] << "x" << k[1]
           << " x " << x[3] << " channels), found "
           << getWeight().getType().getDimSize(0);
  if (getBias().getType().getDimSize(0) != f)
    return emitOpError("expected ")
           << f << " biases, found " << getBias().getType().getDimSize(0);
  SmallVector<int64_t> expected{x[0] * geom->first * geom->second, f};
  if (getType().getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("expected a result of shape ")
           << shapeStr(expected) << ", found "
           << shapeStr(getType().getShape());
  return success();
}

/// The checks both stride-1 convolution gradients share: the geometry of
/// image `x` under `kernel` and `padding`, and one row of `grad` per output
/// position. Gives the weight's shape, (KH·KW·C) x F, or failure.
static FailureOr<SmallVector<int64_t>>
checkGradientRows(Operation *op, ArrayRef<int64_t> x, ArrayRef<int64_t> k,
                  ArrayRef<int64_t> padding, RankedTensorType grad) {
  SmallVector<int64_t> unit{1, 1};
  auto geom = convGeometry(op->getLoc(), x, k, unit, padding);
  if (failed(geom))
    return failure();
  int64_t rows = x[0] * geom->first * geom->second;
  if (grad.getDimSize(0) != rows)
    return op->emitOpError("expected ")
           << rows << " gradient rows (one per output position), found "
           << grad.getDimSize(0);
  return SmallVector<int64_t>{k[0] * k[1] * x[3], grad.getDimSize(1)};
}

LogicalResult Conv2DFilterGradOp::verify() {
  auto expected =
      checkGradientRows(*this, getInput().getType().getShape(), getKernel(),
                        getPadding(), getGrad().getType());
  if (failed(expected))
    return failure();
  if (getType().getShape() != ArrayRef<int64_t>(*expected))
    return emitOpError("expected a result of shape ")
           << shapeStr(*expected) << ", found "
           << shapeStr(getType().getShape());
  return success();
}

LogicalResult Conv2DInputGradOp::verify() {
  auto weight = checkGradientRows(*this, getType().getShape(), getKernel(),
                                  getPadding(), getGrad().getType());
  if (failed(weight))
    return failure();
  if (getWeight().getType().getShape() != ArrayRef<int64_t>(*weight))
    return emitOpError("expected a weight of shape ")
           << shapeStr(*weight) << ", found "
           << shapeStr(getWeight().getType().getShape());
  return success();
}

LogicalResult ChannelScaleOp::verify() {
  int64_t c = getInput().getType().getDimSize(3);
  if (getScale().getType().getDimSize(0) != c)
    return emitOpError("expected ") << c << " per-channel values, found "
                                    << getScale().getType().getDimSize(0);
  return success();
}

FailureOr<SmallVector<Value>> ChannelScaleOp::buildVjp(OpBuilder &b,
                                                       ValueRange grads) {
  Location loc = getLoc();
  Value dy = grads[0];
  Value zero = zerosLike(b, loc, getBias().getType());
  Value dx = ChannelScaleOp::create(b, loc, dy, getScale(), zero);
  Value ds =
      ChannelSumOp::create(b, loc, MulOp::create(b, loc, dy, getInput()));
  Value db = ChannelSumOp::create(b, loc, dy);
  return SmallVector<Value>{dx, ds, db};
}

LogicalResult ChannelSumOp::inferReturnTypes(MLIRContext *ctx,
                                             std::optional<Location>,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  types.push_back(tensorOf({rankedOf(adaptor.getInput()).getDimSize(3)}, ctx));
  return success();
}

static LogicalResult checkPool(std::optional<Location> loc, int64_t size,
                               int64_t stride) {
  if (size <= 0 || stride <= 0)
    return emitOptionalError(loc,
                             "pooling size and stride must be positive, "
                             "found size ",
                             size, " and stride ", stride);
  return success();
}

LogicalResult Pool2DOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> x = rankedOf(adaptor.getInput()).getShape();
  int64_t size = adaptor.getSize(), stride = adaptor.getStride();
  if (failed(checkPool(loc, size, stride)))
    return failure();
  int64_t oh = windowCount(x[1], size, stride, 0);
  int64_t ow = windowCount(x[2], size, stride, 0);
  if (oh < 0 || ow < 0)
    return emitOptionalError(loc, "pooling window ", size,
                             " is larger than the ", x[1], "x", x[2], " input");
  types.push_back(tensorOf({x[0], oh, ow, x[3]}, ctx));
  return success();
}

FailureOr<SmallVector<Value>> Pool2DOp::buildVjp(OpBuilder &b,
                                                 ValueRange grads) {
  return SmallVector<Value>{
      Pool2DGradOp::create(b, getLoc(), getInput(), getResult(), grads[0],
                           getKindAttr(), getSizeAttr(), getStrideAttr())};
}

LogicalResult Pool2DGradOp::verify() {
  if (failed(checkPool(getLoc(), getSize(), getStride())))
    return failure();
  if (getSize() != getStride())
    return emitOpError("needs windows that tile the image (stride == size), "
                       "found size ")
           << getSize() << " and stride " << getStride();
  ArrayRef<int64_t> x = getInput().getType().getShape();
  ArrayRef<int64_t> y = getOutput().getType().getShape();
  int64_t size = int64_t(getSize());
  if (x[1] != y[1] * size || x[2] != y[2] * size)
    return emitOpError("windows of ")
           << getSize() << " do not tile the " << x[1] << "x" << x[2]
           << " input into " << y[1] << "x" << y[2];
  return success();
}

//===----------------------------------------------------------------------===//
// Losses and reductions
//===----------------------------------------------------------------------===//

/// Shared shape rule of the per-sample losses: N x C, N x C -> N.
template <typename Adaptor>
static LogicalResult inferLossType(MLIRContext *ctx,
                                   std::optional<Location> loc, Adaptor adaptor,
                                   SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> y = rankedOf(adaptor.getInput()).getShape();
  ArrayRef<int64_t> t = rankedOf(adaptor.getTarget()).getShape();
  if (y != t)
    return emitOptionalError(loc, "prediction and target shapes differ: ",
                             shapeStr(y), " vs ", shapeStr(t));
  types.push_back(tensorOf({y[0]}, ctx));
  return success();
}

/// Shared shape rule of the loss adjoints: N x C, N x C, N -> N x C.
template <typename Adaptor>
static LogicalResult
inferLossGradType(MLIRContext *ctx, std::optional<Location> loc,
                  Adaptor adaptor, SmallVectorImpl<Type> &types) {
  ArrayRef<int64_t> y = rankedOf(adaptor.getInput()).getShape();
  ArrayRef<int64_t> t = rankedOf(adaptor.getTarget()).getShape();
  ArrayRef<int64_t> g = rankedOf(adaptor.getGrad()).getShape();
  if (y != t)
    return emitOptionalError(loc, "prediction and target shapes differ: ",
                             shapeStr(y), " vs ", shapeStr(t));
  if (g[0] != y[0])
    return emitOptionalError(loc, "expected ", y[0],
                             " per-sample adjoints, found ", g[0]);
  types.push_back(tensorOf(y, ctx));
  return success();
}

#define NN_LOSS(Op, GradOp)                                                    \
  LogicalResult Op::inferReturnTypes(                                          \
      MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,          \
      SmallVectorImpl<Type> &types) {                                          \
    return inferLossType(ctx, loc, adaptor, types);                            \
  }                                                                            \
  FailureOr<SmallVector<Value>> Op::buildVjp(OpBuilder &b, ValueRange grads) { \
    Value d = GradOp::create(b, getLoc(), getInput(), getTarget(), grads[0]);  \
    return SmallVector<Value>{d, Value()};                                     \
  }                                                                            \
  LogicalResult GradOp::inferReturnTypes(                                      \
      MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,          \
      SmallVectorImpl<Type> &types) {                                          \
    return inferLossGradType(ctx, loc, adaptor, types);                        \
  }

NN_LOSS(CrossEntropyOp, CrossEntropyGradOp)
NN_LOSS(SoftmaxCrossEntropyOp, SoftmaxCrossEntropyGradOp)
NN_LOSS(MSEOp, MSEGradOp)
NN_LOSS(CosineLossOp, CosineLossGradOp)
NN_LOSS(DistanceLossOp, DistanceLossGradOp)
#undef NN_LOSS

LogicalResult CrossEntropyOp::canonicalize(CrossEntropyOp op,
                                           PatternRewriter &rewriter) {
  auto softmax = op.getInput().getDefiningOp<SoftmaxOp>();
  if (!softmax)
    return failure();
  rewriter.replaceOpWithNewOp<SoftmaxCrossEntropyOp>(op, softmax.getInput(),
                                                     op.getTarget());
  return success();
}

LogicalResult MeanOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location>, Adaptor,
                                       SmallVectorImpl<Type> &types) {
  types.push_back(tensorOf({}, ctx));
  return success();
}

FailureOr<SmallVector<Value>> MeanOp::buildVjp(OpBuilder &b, ValueRange grads) {
  return SmallVector<Value>{
      MeanGradOp::create(b, getLoc(), getInput().getType(), grads[0])};
}

//===----------------------------------------------------------------------===//
// Optimizers
//===----------------------------------------------------------------------===//

LogicalResult SGDOp::verify() {
  float momentum = getMomentum().convertToFloat();
  if (momentum < 0.0f || momentum >= 1.0f)
    return emitOpError("momentum must be in [0, 1), found ") << momentum;
  if (getWeightDecay().convertToFloat() < 0.0f)
    return emitOpError("weight decay must be non-negative, found ")
           << getWeightDecay().convertToFloat();
  if (getNesterov() && momentum == 0.0f)
    return emitOpError("Nesterov momentum needs a momentum above 0");
  return success();
}

LogicalResult AdamOp::verify() {
  for (auto [name, value] :
       {std::pair<StringRef, float>{"beta1", getBeta1().convertToFloat()},
        {"beta2", getBeta2().convertToFloat()}})
    if (value < 0.0f || value >= 1.0f)
      return emitOpError() << name << " must be in [0, 1), found " << value;
  if (getEps().convertToFloat() <= 0.0f)
    return emitOpError("eps must be positive, found ")
           << getEps().convertToFloat();
  return success();
}

LogicalResult RMSPropOp::verify() {
  float alpha = getAlpha().convertToFloat();
  if (alpha < 0.0f || alpha >= 1.0f)
    return emitOpError("alpha must be in [0, 1), found ") << alpha;
  if (getEps().convertToFloat() <= 0.0f)
    return emitOpError("eps must be positive, found ")
           << getEps().convertToFloat();
  return success();
}

LogicalResult AdagradOp::verify() {
  if (getEps().convertToFloat() <= 0.0f)
    return emitOpError("eps must be positive, found ")
           << getEps().convertToFloat();
  return success();
}
