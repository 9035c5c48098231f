//===- Autodiff.cpp - reverse-mode differentiation of nn functions --------===//
//
// The sweep is generic: it knows no op. It finds the ops that lie between
// the differentiated arguments and the output, walks them backwards, and asks
// each for its vector-Jacobian product through DifferentiableOpInterface,
// summing the adjoints of values used more than once.
//
//===----------------------------------------------------------------------===//

#include "dialects/nn/IR/NNOps.h"
#include "dialects/nn/IR/Optimizers.h"
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

int64_t mlir::nn::updateSliceElements(int64_t elements, int64_t parts) {
  int64_t slice = (elements + parts - 1) / parts;
  return (slice + 15) / 16 * 16;
}

static Value zerosLike(OpBuilder &b, Location loc, Type type) {
  return arith::ConstantOp::create(b, loc,
                                   cast<TypedAttr>(b.getZeroAttr(type)));
}

FailureOr<SmallVector<Value>> mlir::nn::buildAdjoints(OpBuilder &b,
                                                      Value output, Value seed,
                                                      ValueRange wrt) {
  Block *block = output.getParentBlock();

  // Active: depends on some differentiated value.
  llvm::DenseSet<Value> active(wrt.begin(), wrt.end());
  for (Operation &op : *block)
    if (llvm::any_of(op.getOperands(),
                     [&](Value v) { return active.count(v); }))
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

static std::optional<Role> roleOf(func::FuncOp f, unsigned arg) {
  if (auto role = f.getArgAttrOfType<RoleAttr>(arg, "nn.role"))
    return role.getValue();
  return std::nullopt;
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

  /// The optimizer named by the module's nn.optimizer attribute.
  struct Optimizer {
    OptimizerAttr attr;
    SmallVector<StringRef> slots;

    FloatAttr f32(OpBuilder &b, StringRef key) const {
      return b.getF32FloatAttr(hyperParameter(attr, key));
    }

    /// Emits the update of every parameter: (new params, new state per
    /// slot); `state(slot, k)` is slot `slot` of parameter k.
    std::pair<SmallVector<Value>, SmallVector<SmallVector<Value>>>
    update(OpBuilder &b, Location loc, ArrayRef<Value> params,
           ArrayRef<Value> grads, function_ref<Value(size_t, size_t)> state,
           Value lr, Value t) const {
      FloatAttr wd = f32(b, "weight_decay");
      SmallVector<Value> newParams;
      SmallVector<SmallVector<Value>> newState(slots.size());
      for (size_t k = 0; k < params.size(); ++k) {
        Value p = params[k], g = grads[k];
        SmallVector<Value> updated;
        switch (attr.getKind()) {
        case OptimizerKind::Adam: {
          auto op = AdamOp::create(b, loc, p, g, state(0, k), state(1, k), lr,
                                   t, f32(b, "beta1"), f32(b, "beta2"),
                                   f32(b, "eps"), wd);
          updated = {op.getNewParam(), op.getNewM(), op.getNewV()};
          break;
        }
        case OptimizerKind::RMSProp: {
          auto op = RMSPropOp::create(b, loc, p, g, state(0, k), lr,
                                      f32(b, "alpha"), f32(b, "eps"), wd);
          updated = {op.getNewParam(), op.getNewAcc()};
          break;
        }
        case OptimizerKind::Adagrad: {
          auto op = AdagradOp::create(b, loc, p, g, state(0, k), lr,
                                      f32(b, "eps"), wd);
          updated = {op.getNewParam(), op.getNewAcc()};
          break;
        }
        case OptimizerKind::SGD: {
          // Without momentum the velocity is not read (v' = g): the
          // gradient stands in for it, and v' is dropped.
          auto op = SGDOp::create(b, loc, p, g, slots.empty() ? g : state(0, k),
                                  lr, f32(b, "momentum"), wd,
                                  hyperParameter(attr, "nesterov") != 0
                                      ? b.getUnitAttr()
                                      : UnitAttr());
          updated = {op.getNewParam(), op.getNewVelocity()};
          break;
        }
        }
        newParams.push_back(updated[0]);
        for (size_t s = 0; s < slots.size(); ++s)
          newState[s].push_back(updated[s + 1]);
      }
      return {newParams, newState};
    }
  };

  LogicalResult buildTrainStep(ModuleOp module, func::FuncOp loss) {
    MLIRContext *ctx = module.getContext();
    Location loc = loss.getLoc();
    Optimizer opt;
    // Without one: plain SGD.
    opt.attr = module->getAttrOfType<OptimizerAttr>("nn.optimizer");
    if (!opt.attr)
      opt.attr =
          OptimizerAttr::get(ctx, OptimizerKind::SGD, DictionaryAttr::get(ctx));
    opt.slots = stateSlots(opt.attr);
    ArrayRef<StringRef> slots = opt.slots;

    // Signature: params, then each state slot for every param, then the
    // non-parameter arguments of @loss (input, target), the learning rate
    // and the 1-based step number (Adam's bias correction).
    SmallVector<unsigned> paramIdx, otherIdx;
    for (unsigned i = 0; i < loss.getNumArguments(); ++i)
      (roleOf(loss, i) == Role::Param ? paramIdx : otherIdx).push_back(i);
    FunctionType lossType = loss.getFunctionType();
    if (lossType.getNumResults() != 2)
      return loss.emitError("expected @loss to return (losses, output)");

    auto attrs = [&](Role role, StringAttr name, StringRef slot = {}) {
      NamedAttrList l;
      l.append("nn.role", RoleAttr::get(ctx, role));
      if (name)
        l.append("nn.name", name);
      if (!slot.empty())
        l.append("nn.slot", StringAttr::get(ctx, slot));
      return l.getDictionary(ctx);
    };
    // The output keeps what @loss says of it (nn.distance).
    DictionaryAttr outputAttrs = loss.getResultAttrDict(1);
    if (!outputAttrs || !outputAttrs.get("nn.role"))
      outputAttrs = attrs(Role::Output, {});
    auto nameOf = [&](unsigned i) {
      return loss.getArgAttrOfType<StringAttr>(i, "nn.name");
    };
    auto stateName = [&](unsigned i, StringRef slot) {
      return StringAttr::get(ctx, nameOf(i).str() + "." + slot.str());
    };
    auto gradName = [&](unsigned i) {
      return StringAttr::get(ctx, nameOf(i).str() + ".grad");
    };
    auto scalar = RankedTensorType::get({}, Float32Type::get(ctx));

    /// A function under construction: its signature, then its body.
    struct Signature {
      SmallVector<Type> args, results;
      SmallVector<DictionaryAttr> argAttrs, resultAttrs;
      void arg(Type t, DictionaryAttr a) {
        args.push_back(t);
        argAttrs.push_back(a);
      }
      void result(Type t, DictionaryAttr a) {
        results.push_back(t);
        resultAttrs.push_back(a);
      }
    };
    OpBuilder b(ctx);
    b.setInsertionPointAfter(loss);
    auto create = [&](StringRef name, const Signature &sig) {
      auto f = func::FuncOp::create(
          b, loc, name, FunctionType::get(ctx, sig.args, sig.results));
      f.setAllArgAttrs(sig.argAttrs);
      f.setAllResultAttrs(sig.resultAttrs);
      f->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
      return f;
    };
    size_t n = paramIdx.size(), numState = slots.size() * n;
    // The parameters' and their state's tensors: as @loss takes them, or
    // (apply_step with parts) as flat slices.
    using TypeOf = function_ref<Type(unsigned)>;
    auto whole = [&](unsigned i) { return lossType.getInput(i); };
    auto addParams = [&](Signature &sig, TypeOf type) {
      for (unsigned i : paramIdx)
        sig.arg(type(i), loss.getArgAttrDict(i));
    };
    auto addState = [&](Signature &sig, bool asResult, TypeOf type) {
      for (StringRef slot : slots)
        for (unsigned i : paramIdx)
          asResult
              ? sig.result(type(i),
                           attrs(Role::State, stateName(i, slot), slot))
              : sig.arg(type(i), attrs(Role::State, stateName(i, slot), slot));
    };
    auto addOthers = [&](Signature &sig) {
      for (unsigned i : otherIdx)
        sig.arg(lossType.getInput(i), loss.getArgAttrDict(i));
    };
    auto addNewParams = [&](Signature &sig, TypeOf type) {
      for (unsigned i : paramIdx)
        sig.result(type(i), attrs(Role::Param, nameOf(i)));
    };
    /// Forward and backward in the block at `b`: the mean loss, the output
    /// and the gradients.
    auto differentiate = [&](Block *entry, size_t othersAt)
        -> FailureOr<std::tuple<Value, Value, SmallVector<Value>>> {
      SmallVector<Value> lossArgs(loss.getNumArguments());
      for (auto [k, i] : llvm::enumerate(paramIdx))
        lossArgs[i] = entry->getArgument(k);
      for (auto [k, i] : llvm::enumerate(otherIdx))
        lossArgs[i] = entry->getArgument(othersAt + k);
      SmallVector<Value> outs = cloneBody(b, loss, lossArgs);
      Value mean = MeanOp::create(b, loc, outs[0]);
      Value one = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(scalar, 1.0f));
      SmallVector<Value> params(entry->getArguments().take_front(n));
      FailureOr<SmallVector<Value>> grads = buildAdjoints(b, mean, one, params);
      if (failed(grads))
        return failure();
      return std::make_tuple(mean, outs[1], *grads);
    };

    if (!splitStep) {
      Signature sig;
      addParams(sig, whole);
      addState(sig, /*asResult=*/false, whole);
      addOthers(sig);
      sig.arg(scalar, attrs(Role::LearningRate, {}));
      sig.arg(scalar, attrs(Role::Step, {}));
      addNewParams(sig, whole);
      addState(sig, /*asResult=*/true, whole);
      sig.result(scalar, attrs(Role::Loss, {}));
      sig.result(lossType.getResult(1), outputAttrs);
      func::FuncOp step = create("train_step", sig);
      Block *entry = step.addEntryBlock();
      b.setInsertionPointToStart(entry);
      auto fwdBwd = differentiate(entry, n + numState);
      if (failed(fwdBwd))
        return failure();
      auto [mean, output, grads] = *fwdBwd;
      Value lr = entry->getArgument(entry->getNumArguments() - 2);
      Value t = entry->getArgument(entry->getNumArguments() - 1);
      auto [newParams, newState] = opt.update(
          b, loc, SmallVector<Value>(entry->getArguments().take_front(n)),
          grads,
          [&](size_t slot, size_t k) {
            return entry->getArgument(n + slot * n + k);
          },
          lr, t);
      SmallVector<Value> results(newParams);
      for (auto &slot : newState)
        results.append(slot);
      results.append({mean, output});
      func::ReturnOp::create(b, loc, results);
      return success();
    }

    // @grad_step(params, others) -> (grads, mean loss, output)
    Signature gradSig;
    addParams(gradSig, whole);
    addOthers(gradSig);
    for (unsigned i : paramIdx)
      gradSig.result(lossType.getInput(i), attrs(Role::Grad, gradName(i)));
    gradSig.result(scalar, attrs(Role::Loss, {}));
    gradSig.result(lossType.getResult(1), outputAttrs);
    func::FuncOp gradStep = create("grad_step", gradSig);
    // Threads run it at the same time: its temporaries must not share one
    // static workspace (nn-static-memory-plan takes one per call instead).
    gradStep->setAttr("nn.workspace_arg", UnitAttr::get(ctx));
    Block *gradEntry = gradStep.addEntryBlock();
    b.setInsertionPointToStart(gradEntry);
    auto fwdBwd = differentiate(gradEntry, n);
    if (failed(fwdBwd))
      return failure();
    auto [mean, output, grads] = *fwdBwd;
    SmallVector<Value> gradResults(grads);
    gradResults.append({mean, output});
    func::ReturnOp::create(b, loc, gradResults);

    // @apply_step(params, state, grads, lr, step) -> (params', state');
    // with parts, every tensor a flat slice and the grads of every part.
    b.setInsertionPointAfter(gradStep);
    int64_t numParts = std::max<int64_t>(parts, 1);
    auto updated = [&](unsigned i) -> Type {
      auto type = cast<RankedTensorType>(lossType.getInput(i));
      if (numParts == 1)
        return type;
      return RankedTensorType::get(
          {updateSliceElements(type.getNumElements(), numParts)},
          type.getElementType());
    };
    Signature applySig;
    addParams(applySig, updated);
    addState(applySig, /*asResult=*/false, updated);
    for (int64_t part = 0; part < numParts; ++part)
      for (unsigned i : paramIdx)
        applySig.arg(updated(i), attrs(Role::Grad, gradName(i)));
    applySig.arg(scalar, attrs(Role::LearningRate, {}));
    applySig.arg(scalar, attrs(Role::Step, {}));
    addNewParams(applySig, updated);
    addState(applySig, /*asResult=*/true, updated);
    func::FuncOp apply = create("apply_step", applySig);
    Block *entry = apply.addEntryBlock();
    b.setInsertionPointToStart(entry);
    auto args = entry->getArguments();
    // The mean of the parts' gradients, summed in part order (the same
    // order at every step: repeatable).
    SmallVector<Value> meanGrads(args.slice(n + numState, n));
    if (numParts > 1)
      for (size_t k = 0; k < n; ++k) {
        for (int64_t part = 1; part < numParts; ++part)
          meanGrads[k] = AddOp::create(b, loc, meanGrads[k],
                                       args[n + numState + part * n + k]);
        auto type = cast<RankedTensorType>(meanGrads[k].getType());
        Value inv = arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(type, 1.0f / float(numParts)));
        meanGrads[k] = MulOp::create(b, loc, meanGrads[k], inv);
      }
    auto [newParams, newState] = opt.update(
        b, loc, SmallVector<Value>(args.take_front(n)), meanGrads,
        [&](size_t slot, size_t k) {
          return entry->getArgument(n + slot * n + k);
        },
        args[args.size() - 2], args[args.size() - 1]);
    SmallVector<Value> results(newParams);
    for (auto &slot : newState)
      results.append(slot);
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
    auto g =
        func::FuncOp::create(b, f.getLoc(), (f.getName() + "_grad").str(),
                             FunctionType::get(ctx, type.getInputs(), results));
    g->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
    Block *entry = g.addEntryBlock();
    b.setInsertionPointToStart(entry);
    Value value = cloneBody(b, f, entry->getArguments())[0];
    Value one = arith::ConstantOp::create(b, f.getLoc(),
                                          DenseElementsAttr::get(scalar, 1.0f));
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
