//===- Autodiff.cpp - reverse-mode differentiation of nn functions --------===//
//
// The sweep is generic: it knows no op. It finds the ops that lie between
// the differentiated arguments and the output, walks them backwards, and asks
// each for its vector-Jacobian product through DifferentiableOpInterface,
// summing the adjoints of values used more than once.
//
//===----------------------------------------------------------------------===//

#include "dialects/nn/IR/NNOps.h"
#include "dialects/nn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNAUTODIFFPASS
#define GEN_PASS_DEF_NNGRADPASS
#include "dialects/nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;
using namespace mlir::nn;

static Value zerosLike(OpBuilder &b, Location loc, Type type) {
  return arith::ConstantOp::create(b, loc, cast<TypedAttr>(b.getZeroAttr(type)));
}

FailureOr<SmallVector<Value>> mlir::nn::buildAdjoints(OpBuilder &b,
                                                      Value output, Value seed,
                                                      ValueRange wrt) {
  Block *block = output.getParentBlock();

  // Active: depends on some differentiated value.
  llvm::DenseSet<Value> active(wrt.begin(), wrt.end());
  for (Operation &op : *block)
    if (llvm::any_of(op.getOperands(), [&](Value v) { return active.count(v); }))
      active.insert(op.result_begin(), op.result_end());

  llvm::DenseMap<Value, Value> adjoint;
  adjoint[output] = seed;
  auto accumulate = [&](Value v, Value g, Location loc) {
    auto [it, inserted] = adjoint.try_emplace(v, g);
    if (!inserted)
      it->second = AddOp::create(b, loc, it->second, g);
  };

  SmallVector<Operation *> ops;
  for (Operation &op : *block)
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops)) {
    if (op->hasTrait<OpTrait::IsTerminator>())
      continue;
    bool needed = llvm::any_of(op->getResults(),
                               [&](Value r) { return adjoint.count(r); });
    bool activeOp = llvm::any_of(op->getOperands(),
                                 [&](Value v) { return active.count(v); });
    if (!needed || !activeOp)
      continue;
    auto diff = dyn_cast<DifferentiableOpInterface>(op);
    if (!diff)
      return op->emitError("no gradient rule for '") << op->getName() << "'";
    SmallVector<Value> resultGrads;
    for (Value r : op->getResults()) {
      Value g = adjoint.lookup(r);
      resultGrads.push_back(g ? g : zerosLike(b, op->getLoc(), r.getType()));
    }
    FailureOr<SmallVector<Value>> operandGrads = diff.buildVjp(b, resultGrads);
    if (failed(operandGrads))
      return failure();
    for (auto [operand, grad] :
         llvm::zip_equal(op->getOperands(), *operandGrads))
      if (grad && active.count(operand))
        accumulate(operand, grad, op->getLoc());
  }

  SmallVector<Value> grads;
  for (Value v : wrt) {
    Value g = adjoint.lookup(v);
    grads.push_back(g ? g : zerosLike(b, v.getLoc(), v.getType()));
  }
  return grads;
}

/// Clones `src`'s body into the entry block of `dst`, mapping the first
/// arguments of `src` to `args`; returns the values `src` returns.
static SmallVector<Value> cloneBody(OpBuilder &b, func::FuncOp src,
                                    ValueRange args) {
  IRMapping map;
  map.map(src.getArguments(), args);
  SmallVector<Value> results;
  for (Operation &op : src.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands())
        results.push_back(map.lookup(v));
      break;
    }
    b.clone(op, map);
  }
  return results;
}

static StringAttr roleOf(func::FuncOp f, unsigned arg) {
  return f.getArgAttrOfType<StringAttr>(arg, "nn.role");
}

namespace {

struct NNAutodiffPass : nn::impl::NNAutodiffPassBase<NNAutodiffPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp loss;
    module.walk([&](func::FuncOp f) {
      if (f->hasAttr("nn.loss"))
        loss = f;
    });
    if (!loss) {
      module.emitError("no function marked 'nn.loss' to differentiate");
      return signalPassFailure();
    }
    if (failed(buildTrainStep(module, loss)))
      signalPassFailure();
  }

  /// The state each optimizer keeps per parameter, in argument order.
  static SmallVector<StringRef> stateSlots(StringRef kind) {
    if (kind == "adam")
      return {"m", "v"};
    if (kind == "rmsprop")
      return {"square_avg"};
    if (kind == "adagrad")
      return {"sum"};
    return {"velocity"};
  }

  LogicalResult buildTrainStep(ModuleOp module, func::FuncOp loss) {
    MLIRContext *ctx = module.getContext();
    Location loc = loss.getLoc();
    auto opt = module->getAttrOfType<DictionaryAttr>("nn.optimizer");
    auto number = [&](StringRef key, double fallback) {
      auto a = opt ? opt.getAs<FloatAttr>(key) : FloatAttr();
      return a ? a.getValueAsDouble() : fallback;
    };
    StringRef kind = "sgd";
    if (opt)
      if (auto k = opt.getAs<StringAttr>("kind"))
        kind = k.getValue();
    if (!llvm::is_contained({"sgd", "adam", "rmsprop", "adagrad"}, kind))
      return loss.emitError("unsupported optimizer '") << kind << "'";
    SmallVector<StringRef> slots = stateSlots(kind);

    // Signature: params, then each state slot for every param, then the
    // non-parameter arguments of @loss (input, target), the learning rate
    // and the 1-based step number (Adam's bias correction).
    SmallVector<unsigned> paramIdx, otherIdx;
    for (unsigned i = 0; i < loss.getNumArguments(); ++i)
      (roleOf(loss, i) && roleOf(loss, i).getValue() == "param" ? paramIdx
                                                                 : otherIdx)
          .push_back(i);
    FunctionType lossType = loss.getFunctionType();
    if (lossType.getNumResults() != 2)
      return loss.emitError("expected @loss to return (losses, output)");

    SmallVector<Type> argTypes, resultTypes;
    SmallVector<DictionaryAttr> argAttrs, resultAttrs;
    auto attrs = [&](StringRef role, StringAttr name) {
      NamedAttrList l;
      l.append("nn.role", StringAttr::get(ctx, role));
      if (name)
        l.append("nn.name", name);
      return l.getDictionary(ctx);
    };
    auto nameOf = [&](unsigned i) {
      return loss.getArgAttrOfType<StringAttr>(i, "nn.name");
    };
    auto stateName = [&](unsigned i, StringRef slot) {
      return StringAttr::get(ctx, nameOf(i).str() + "." + slot.str());
    };
    for (unsigned i : paramIdx) {
      argTypes.push_back(lossType.getInput(i));
      argAttrs.push_back(loss.getArgAttrDict(i));
    }
    for (StringRef slot : slots)
      for (unsigned i : paramIdx) {
        argTypes.push_back(lossType.getInput(i));
        argAttrs.push_back(attrs("state", stateName(i, slot)));
      }
    for (unsigned i : otherIdx) {
      argTypes.push_back(lossType.getInput(i));
      argAttrs.push_back(loss.getArgAttrDict(i));
    }
    auto scalar = RankedTensorType::get({}, Float32Type::get(ctx));
    argTypes.append({scalar, scalar});
    argAttrs.append({attrs("lr", {}), attrs("step", {})});
    for (unsigned i : paramIdx) {
      resultTypes.push_back(lossType.getInput(i));
      resultAttrs.push_back(attrs("param", nameOf(i)));
    }
    for (StringRef slot : slots)
      for (unsigned i : paramIdx) {
        resultTypes.push_back(lossType.getInput(i));
        resultAttrs.push_back(attrs("state", stateName(i, slot)));
      }
    resultTypes.push_back(scalar);
    resultAttrs.push_back(attrs("loss", {}));
    resultTypes.push_back(lossType.getResult(1));
    resultAttrs.push_back(attrs("output", {}));

    OpBuilder b(ctx);
    b.setInsertionPointAfter(loss);
    auto step = func::FuncOp::create(b, loc, "train_step",
                                     FunctionType::get(ctx, argTypes, resultTypes));
    step.setAllArgAttrs(argAttrs);
    step.setAllResultAttrs(resultAttrs);
    step->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
    Block *entry = step.addEntryBlock();
    b.setInsertionPointToStart(entry);

    size_t n = paramIdx.size(), numState = slots.size() * n;
    SmallVector<Value> lossArgs(loss.getNumArguments());
    for (auto [k, i] : llvm::enumerate(paramIdx))
      lossArgs[i] = entry->getArgument(k);
    for (auto [k, i] : llvm::enumerate(otherIdx))
      lossArgs[i] = entry->getArgument(n + numState + k);
    Value lr = entry->getArgument(entry->getNumArguments() - 2);
    Value t = entry->getArgument(entry->getNumArguments() - 1);
    auto state = [&](size_t slot, size_t k) {
      return entry->getArgument(n + slot * n + k);
    };

    SmallVector<Value> outs = cloneBody(b, loss, lossArgs);
    Value mean = MeanOp::create(b, loc, outs[0]);
    Value one = arith::ConstantOp::create(b, loc, DenseElementsAttr::get(scalar, 1.0f));
    SmallVector<Value> params(entry->getArguments().take_front(n));
    FailureOr<SmallVector<Value>> grads = buildAdjoints(b, mean, one, params);
    if (failed(grads))
      return failure();

    auto f32 = [&](StringRef key, double fallback) {
      return b.getF32FloatAttr(number(key, fallback));
    };
    FloatAttr wd = f32("weight_decay", 0.0);
    SmallVector<Value> newParams;
    SmallVector<SmallVector<Value>> newState(slots.size());
    for (size_t k = 0; k < n; ++k) {
      Value p = params[k], g = (*grads)[k];
      SmallVector<Value> updated;
      if (kind == "adam") {
        auto op = AdamOp::create(b, loc, p, g, state(0, k), state(1, k), lr, t,
                                 f32("beta1", 0.9), f32("beta2", 0.999),
                                 f32("eps", 1e-8), wd);
        updated = {op.getNewParam(), op.getNewM(), op.getNewV()};
      } else if (kind == "rmsprop") {
        auto op = RMSPropOp::create(b, loc, p, g, state(0, k), lr, f32("alpha", 0.99),
                                    f32("eps", 1e-8), wd);
        updated = {op.getNewParam(), op.getNewAcc()};
      } else if (kind == "adagrad") {
        auto op = AdagradOp::create(b, loc, p, g, state(0, k), lr,
                                    f32("eps", 1e-10), wd);
        updated = {op.getNewParam(), op.getNewAcc()};
      } else {
        auto op = SGDOp::create(b, loc, p, g, state(0, k), lr, f32("momentum", 0.0),
                                wd, opt && opt.get("nesterov") ? b.getUnitAttr() : UnitAttr());
        updated = {op.getNewParam(), op.getNewVelocity()};
      }
      newParams.push_back(updated[0]);
      for (size_t s = 0; s < slots.size(); ++s)
        newState[s].push_back(updated[s + 1]);
    }
    SmallVector<Value> results(newParams);
    for (auto &slot : newState)
      results.append(slot);
    results.push_back(mean);
    results.push_back(outs[1]);
    func::ReturnOp::create(b, loc, results);
    return success();
  }
};

struct NNGradPass : nn::impl::NNGradPassBase<NNGradPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<func::FuncOp> targets;
    getOperation().walk([&](func::FuncOp f) {
      if (f->hasAttr("nn.grad"))
        targets.push_back(f);
    });
    for (func::FuncOp f : targets)
      if (failed(buildGradFunction(f)))
        return signalPassFailure();
  }

  LogicalResult buildGradFunction(func::FuncOp f) {
    MLIRContext *ctx = f.getContext();
    FunctionType type = f.getFunctionType();
    auto scalar = RankedTensorType::get({}, Float32Type::get(ctx));
    if (type.getNumResults() != 1 || type.getResult(0) != scalar)
      return f.emitError("nn.grad needs a single tensor<f32> result, found ")
             << type.getNumResults() << " result(s)";
    SmallVector<Type> results{scalar};
    llvm::append_range(results, type.getInputs());
    OpBuilder b(ctx);
    b.setInsertionPointAfter(f);
    auto g = func::FuncOp::create(b, f.getLoc(), (f.getName() + "_grad").str(),
                                  FunctionType::get(ctx, type.getInputs(), results));
    g->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
    Block *entry = g.addEntryBlock();
    b.setInsertionPointToStart(entry);
    Value value = cloneBody(b, f, entry->getArguments())[0];
    Value one = arith::ConstantOp::create(
        b, f.getLoc(), DenseElementsAttr::get(scalar, 1.0f));
    FailureOr<SmallVector<Value>> grads =
        buildAdjoints(b, value, one, entry->getArguments());
    if (failed(grads))
      return failure();
    SmallVector<Value> rets{value};
    rets.append(*grads);
    func::ReturnOp::create(b, f.getLoc(), rets);
    return success();
  }
};

} // namespace
