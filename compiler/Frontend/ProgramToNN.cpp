//===- ProgramToNN.cpp - the nn dialect from a checked model --------------===//

#include "compiler/Frontend/ProgramToNN.h"

#include "dialects/nn/IR/NNOps.h"
#include "dialects/nn/IR/Optimizers.h"
#include "nnrt/Prototypes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

using namespace nnc;
using namespace mlir;

namespace {

class Generator {
public:
  Generator(const Program &prog, const Locator &locate, int64_t batch)
      : prog(prog), locate(locate), batch(batch),
        ctx(locate(prog.loc).getContext()), b(ctx) {}

  OwningOpRef<ModuleOp> run() {
    OwningOpRef<ModuleOp> module =
        ModuleOp::create(locate(prog.loc), prog.name);
    b.setInsertionPointToEnd(module->getBody());
    if (prog.train.present) {
      const TrainSettings &t = prog.train;
      // Every hyper-parameter, given or default, so that the IR says it all.
      auto kind = *nn::symbolizeOptimizerKind(t.optimizer);
      NamedAttrList hyper;
      for (const nn::HyperParameter &h : nn::optimizerInfo(kind).hyper) {
        auto given = t.hyper.find(h.name.str());
        double value = given == t.hyper.end() ? h.fallback : given->second;
        if (h.range != nn::HyperParameter::Range::Flag)
          hyper.append(h.name, b.getF32FloatAttr(value));
        else if (value != 0)
          hyper.append(h.name, b.getUnitAttr());
      }
      (*module)->setAttr(
          "nn.optimizer",
          nn::OptimizerAttr::get(ctx, kind, hyper.getDictionary(ctx)));
      (*module)->setAttr("nn.train", trainAttr());
    }
    buildFunction("predict", /*withLoss=*/false, /*training=*/false);
    if (prog.train.present && prog.train.lossInput >= 0) {
      // Evaluation runs @loss without dropout; with dropout layers the
      // training step is derived from @train_loss, which applies them.
      bool dropout = llvm::any_of(prog.layers, [](const Layer &l) {
        return l.kind == LayerKind::Dropout;
      });
      buildFunction("loss", /*withLoss=*/true, /*training=*/!dropout);
      if (dropout)
        buildFunction("train_loss", /*withLoss=*/true, /*training=*/true);
    }
    return module;
  }

private:
  /// The train block's settings the functions do not hold.
  nn::TrainAttr trainAttr() {
    const TrainSettings &t = prog.train;
    auto f64 = [&](double v) { return b.getF64FloatAttr(v); };
    auto flag = [&](bool set) {
      return set ? b.getBoolAttr(true) : BoolAttr();
    };
    return nn::TrainAttr::get(
        ctx, t.dataset, t.batch, t.epochs, f64(t.lr), t.schedule, t.stepEvery,
        t.schedule == "step" ? f64(t.stepGamma) : FloatAttr(), t.seed, t.pad,
        t.shift, t.range ? f64(t.range->first) : FloatAttr(),
        t.range ? f64(t.range->second) : FloatAttr(), flag(t.standardize),
        t.lossTarget, t.csvTrain, t.csvTest, t.csvColumn, flag(t.csvRegression),
        t.csvHeader ? b.getBoolAttr(*t.csvHeader) : BoolAttr());
  }

  /// The tensor type of a per-sample shape: the batch in front, and images
  /// ([C, H, W] in the language) laid out NHWC, so that channels are
  /// contiguous for the convolution's matmul.
  RankedTensorType batched(ArrayRef<int64_t> shape) {
    SmallVector<int64_t> dims{batch};
    if (shape.size() == 3)
      dims.append({shape[1], shape[2], shape[0]});
    else
      dims.append(shape.begin(), shape.end());
    return RankedTensorType::get(dims, b.getF32Type());
  }

  /// conv2d as im2col rows times a (K·K·C) x F weight: the matmul schedule
  /// then covers convolutions, forward and backward.
  Value conv2d(Location loc, const Layer &l, Value x, Value w, Value bias) {
    auto k = b.getDenseI64ArrayAttr({l.kernel, l.kernel});
    auto s = b.getDenseI64ArrayAttr({l.stride, l.stride});
    auto p = b.getDenseI64ArrayAttr({l.padding, l.padding});
    Value rows = nn::Im2ColOp::create(b, loc, x, k, s, p);
    if (!l.table.empty()) {
      // Unconnected (input map, output map) pairs are zeroed through a
      // constant mask, so their gradient is zero too.
      auto type = cast<RankedTensorType>(w.getType());
      int64_t channels = int64_t(l.table.size());
      SmallVector<float> mask;
      for (int64_t r = 0; r < type.getDimSize(0); ++r)
        for (int64_t f = 0; f < type.getDimSize(1); ++f)
          mask.push_back(l.table[r % channels][f] ? 1.0f : 0.0f);
      Value m = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(type, ArrayRef<float>(mask)));
      w = nn::MulOp::create(b, loc, w, m);
    }
    Value y = nn::DenseOp::create(b, loc, rows, w, bias);
    return nn::ReshapeOp::create(b, loc, batched(l.shape), y);
  }

  /// Fixed RBF prototypes: the digit bitmaps, or random signs drawn from
  /// the train block's seed.
  Value prototypes(Location loc, const Layer &l) {
    int64_t features = prog.layers[l.inputs[0]].shape[0];
    std::vector<float> p;
    if (l.prototypes == "digits") {
      p = nnrt::digitPrototypes();
    } else {
      nnrt::Rng rng(prog.train.seed);
      p = nnrt::randomSigns(l.units, features, rng);
    }
    auto type = RankedTensorType::get({l.units, features}, b.getF32Type());
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, ArrayRef<float>(p)));
  }

  DictionaryAttr roleAttrs(nn::Role role, StringRef name, StringRef init = {}) {
    NamedAttrList l;
    l.append("nn.role", nn::RoleAttr::get(ctx, role));
    l.append("nn.name", b.getStringAttr(name));
    if (!init.empty())
      l.append("nn.init", b.getStringAttr(init));
    return l.getDictionary(ctx);
  }

  /// The layers `root` needs, in dependency order.
  std::vector<int> needed(int root) {
    std::vector<bool> keep(prog.layers.size(), false);
    keep[root] = true;
    for (int i = root; i >= 0; --i)
      if (keep[i])
        for (int in : prog.layers[i].inputs)
          keep[in] = true;
    std::vector<int> order;
    for (size_t i = 0; i < keep.size(); ++i)
      if (keep[i])
        order.push_back(static_cast<int>(i));
    return order;
  }

  /// `training` marks the function nn-autodiff differentiates; only there do
  /// dropout layers apply, each with a noise argument the runtime fills.
  void buildFunction(StringRef name, bool withLoss, bool training) {
    const Layer &out = prog.layers[prog.output];
    std::vector<ParamInfo> params = prog.parameters();
    SmallVector<Type> args;
    SmallVector<DictionaryAttr> argAttrs;
    for (const ParamInfo &p : params) {
      args.push_back(RankedTensorType::get(p.shape, b.getF32Type()));
      argAttrs.push_back(roleAttrs(nn::Role::Param, p.name, p.init));
    }
    const Layer &input = prog.layers[prog.input];
    args.push_back(batched(input.shape));
    argAttrs.push_back(roleAttrs(nn::Role::Input, input.name));
    if (withLoss) {
      args.push_back(batched(out.shape));
      argAttrs.push_back(roleAttrs(nn::Role::Target, "label"));
    }
    std::vector<int> noiseArg(prog.layers.size(), -1);
    if (training)
      for (size_t i = 0; i < prog.layers.size(); ++i)
        if (prog.layers[i].kind == LayerKind::Dropout) {
          noiseArg[i] = int(args.size());
          args.push_back(batched(prog.layers[i].shape));
          argAttrs.push_back(
              roleAttrs(nn::Role::Noise, prog.layers[i].name + ".noise"));
        }
    SmallVector<Type> results;
    if (withLoss)
      results.push_back(RankedTensorType::get({batch}, b.getF32Type()));
    results.push_back(batched(out.shape));

    auto fn = func::FuncOp::create(b, locate(prog.loc), name,
                                   b.getFunctionType(args, results));
    fn.setAllArgAttrs(argAttrs);
    // The outputs, after the per-sample losses; RBF units output distances
    // (the smallest wins).
    NamedAttrList output;
    output.append("nn.role", nn::RoleAttr::get(ctx, nn::Role::Output));
    if (out.kind == LayerKind::RBF)
      output.append("nn.distance", b.getUnitAttr());
    if (withLoss)
      fn.setResultAttr(0, "nn.role", nn::RoleAttr::get(ctx, nn::Role::Losses));
    fn.setResultAttrs(results.size() - 1, output.getDictionary(ctx));
    fn->setAttr("llvm.emit_c_interface", b.getUnitAttr());
    if (training)
      fn->setAttr("nn.loss", b.getUnitAttr());
    Block *entry = fn.addEntryBlock();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(entry);

    // Parameters are numbered in layer order, as Program::parameters().
    std::vector<int> firstParam(prog.layers.size(), 0);
    for (size_t i = 0, n = 0; i < prog.layers.size(); ++i) {
      firstParam[i] = static_cast<int>(n);
      n += prog.layers[i].params.size();
    }
    std::vector<Value> values(prog.layers.size());
    int root = withLoss ? prog.train.lossInput : prog.output;
    std::vector<int> order = needed(root);
    if (withLoss)
      for (int i : needed(prog.output))
        if (!llvm::is_contained(order, i))
          order.push_back(i);
    llvm::sort(order);
    for (int i : order) {
      const Layer &l = prog.layers[i];
      Location loc = locate(l.loc);
      auto in = [&](unsigned k) { return values[l.inputs[k]]; };
      auto param = [&](unsigned k) {
        return entry->getArgument(firstParam[i] + k);
      };
      Value v;
      switch (l.kind) {
      case LayerKind::Input:
        v = entry->getArgument(params.size());
        break;
      case LayerKind::Dense:
        v = nn::DenseOp::create(b, loc, in(0), param(0), param(1));
        break;
      case LayerKind::Conv2D:
        v = conv2d(loc, l, in(0), param(0), param(1));
        break;
      case LayerKind::RBF:
        v = nn::RBFOp::create(
            b, loc, in(0), l.trainable ? Value(param(0)) : prototypes(loc, l));
        break;
      case LayerKind::AvgPool:
      case LayerKind::MaxPool:
        v = nn::Pool2DOp::create(
            b, loc, in(0),
            nn::PoolKindAttr::get(ctx, l.kind == LayerKind::MaxPool
                                           ? nn::PoolKind::Max
                                           : nn::PoolKind::Avg),
            b.getI64IntegerAttr(l.kernel), b.getI64IntegerAttr(l.stride));
        break;
      case LayerKind::Subsample: {
        Value sums = nn::Pool2DOp::create(
            b, loc, in(0), nn::PoolKindAttr::get(ctx, nn::PoolKind::Sum),
            b.getI64IntegerAttr(l.kernel), b.getI64IntegerAttr(l.stride));
        v = nn::ChannelScaleOp::create(b, loc, sums, param(0), param(1));
        break;
      }
      case LayerKind::LeakyRelu:
        v = nn::LeakyReluOp::create(b, loc, in(0), b.getF32FloatAttr(l.alpha));
        break;
      case LayerKind::Elu:
        v = nn::EluOp::create(b, loc, in(0), b.getF32FloatAttr(l.alpha));
        break;
      case LayerKind::Softmax:
        v = nn::SoftmaxOp::create(b, loc, in(0));
        break;
#define ACTIVATION(name, Kind, Op)                                             \
  case LayerKind::Kind:                                                        \
    v = nn::Op::create(b, loc, in(0));                                         \
    break;
#include "compiler/Frontend/Activations.def"
      case LayerKind::Flatten:
        v = nn::FlattenOp::create(b, loc, in(0));
        break;
      case LayerKind::Dropout:
        v = noiseArg[i] < 0
                ? in(0)
                : Value(nn::DropoutOp::create(b, loc, in(0),
                                              entry->getArgument(noiseArg[i]),
                                              b.getF32FloatAttr(l.alpha)));
        break;
      case LayerKind::Add:
        v = nn::AddOp::create(b, loc, in(0), in(1));
        break;
      case LayerKind::Sub:
        v = nn::SubOp::create(b, loc, in(0), in(1));
        break;
      case LayerKind::Mul:
        v = nn::MulOp::create(b, loc, in(0), in(1));
        break;
      }
      values[i] = v;
    }
    SmallVector<Value> rets;
    if (withLoss) {
      Location loc = locate(prog.train.lossLoc);
      Value pred = values[prog.train.lossInput];
      Value target = entry->getArgument(params.size() + 1);
      if (prog.train.loss == LossKind::MSE)
        rets.push_back(nn::MSEOp::create(b, loc, pred, target));
      else if (prog.train.loss == LossKind::Cosine)
        rets.push_back(nn::CosineLossOp::create(b, loc, pred, target));
      else if (prog.train.loss == LossKind::Distance)
        rets.push_back(nn::DistanceLossOp::create(b, loc, pred, target));
      else
        rets.push_back(nn::CrossEntropyOp::create(b, loc, pred, target));
    }
    rets.push_back(values[prog.output]);
    func::ReturnOp::create(b, locate(prog.loc), rets);
  }

  const Program &prog;
  const Locator &locate;
  int64_t batch;
  MLIRContext *ctx;
  OpBuilder b;
};

} // namespace

OwningOpRef<ModuleOp> nnc::generateNN(const Program &prog,
                                      const Locator &locate, int64_t batch) {
  return Generator(prog, locate, batch).run();
}
