//===- ModelIR.cpp - a model as its nn module says it is ------------------===//
//
// The commands read a model from its nn module alone: the train block's
// settings from nn.train, the parameters from @predict's manifest, the
// sizes from the ops' types. A .nn file is checked and turned into that
// module first; a .mlir file is that module.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Compiler.h"
#include "compiler/Driver/Diagnostics.h"

#include "dialects/nn/IR/NNOps.h"
#include "dialects/nn/IR/Optimizers.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;
using namespace nnc;

/// The train block as nn.train and nn.optimizer hold it.
static TrainSettings decodeTrain(nn::TrainAttr t, nn::OptimizerAttr opt) {
  TrainSettings s;
  s.present = true;
  s.dataset = t.getDataset().str();
  s.batch = t.getBatch();
  s.epochs = t.getEpochs();
  s.lr = t.getLr().getValueAsDouble();
  s.schedule = t.getSchedule().str();
  s.stepEvery = t.getStepEvery();
  if (t.getStepGamma())
    s.stepGamma = t.getStepGamma().getValueAsDouble();
  s.seed = t.getSeed();
  s.pad = t.getPad();
  s.shift = t.getShift();
  if (t.getRangeMin())
    s.range = {t.getRangeMin().getValueAsDouble(),
               t.getRangeMax().getValueAsDouble()};
  s.standardize = t.getStandardize() && t.getStandardize().getValue();
  s.lossTarget = t.getTarget().str();
  s.csvTrain = t.getCsvTrain().str();
  s.csvTest = t.getCsvTest().str();
  s.csvColumn = t.getCsvColumn().str();
  s.csvRegression = t.getCsvRegression() && t.getCsvRegression().getValue();
  if (t.getCsvHeader())
    s.csvHeader = t.getCsvHeader().getValue();
  s.optimizer = opt ? nn::stringifyOptimizerKind(opt.getKind()).str() : "sgd";
  return s;
}

/// Per-sample figures of `fn`'s ops (`batch` samples a call).
static void measure(func::FuncOp fn, int64_t batch, ModelIR &m) {
  auto elements = [](Type t) {
    auto tensor = dyn_cast<RankedTensorType>(t);
    return tensor ? double(tensor.getNumElements()) : 0.0;
  };
  auto add = [&](double n) {
    m.activations += n / double(batch);
    m.largestActivation = std::max(m.largestActivation, n / double(batch));
  };
  for (BlockArgument arg : fn.getArguments())
    if (auto role =
            fn.getArgAttrOfType<nn::RoleAttr>(arg.getArgNumber(), "nn.role");
        role && role.getValue() == nn::Role::Input)
      add(elements(arg.getType()));
  fn.walk([&](Operation *op) {
    // im2col's rows and reshapes are views of a layer's data, or transient.
    if (op->getNumResults() != 1 || isa<nn::Im2ColOp, nn::ReshapeOp>(op) ||
        op->getDialect() != fn->getContext()->getLoadedDialect("nn"))
      return;
    add(elements(op->getResult(0).getType()));
    // Multiply-adds of the products: rows x inner x columns.
    auto product = [&](Value lhs, Value rhs, unsigned columnsDim) {
      m.multiplyAdds +=
          elements(lhs.getType()) *
          double(cast<RankedTensorType>(rhs.getType()).getDimSize(columnsDim)) /
          double(batch);
    };
    if (auto d = dyn_cast<nn::DenseOp>(op))
      product(d.getInput(), d.getWeight(), 1);
    else if (auto r = dyn_cast<nn::RBFOp>(op)) // prototypes: units x inner
      product(r.getInput(), r.getPrototypes(), 0);
    else if (auto mm = dyn_cast<nn::MatMulOp>(op))
      product(mm.getLhs(), mm.getRhs(), 1);
  });
}

/// The facts of `m.module` the commands need; fails (with an error) on a
/// module that is not a model: no @predict, or arguments without roles.
static LogicalResult describe(ModelIR &m) {
  ModuleOp module = *m.module;
  m.name = module.getSymName().value_or("model").str();
  // The name prefixes the C interface's symbols.
  if (m.name.empty() ||
      !llvm::all_of(m.name,
                    [](char c) { return llvm::isAlnum(c) || c == '_'; }) ||
      llvm::isDigit(m.name[0]))
    return emitError(module.getLoc(), "the module's name '")
           << m.name << "' must be an identifier (letters, digits and '_')";
  auto predict = module.lookupSymbol<func::FuncOp>("predict");
  if (!predict || predict.isExternal())
    return emitError(module.getLoc(), "module '")
           << m.name << "' has no @predict: it is not an nn model";
  // The runtime calls each function through its C interface.
  for (auto fn : module.getOps<func::FuncOp>())
    if (fn.isPublic() && !fn->hasAttr("llvm.emit_c_interface"))
      return emitError(fn.getLoc(), "@")
             << fn.getSymName()
             << " needs the unit attribute llvm.emit_c_interface: nnc calls "
                "public functions through their C interface";
  FailureOr<nnrt::FunctionManifest> manifest = manifestOf(predict);
  if (failed(manifest))
    return failure();
  const nnrt::ArgSpec *input = manifest->find(nnrt::Role::Input, false);
  const nnrt::ArgSpec *output = manifest->find(nnrt::Role::Output, true);
  if (!input || !output || input->shape.empty() || output->shape.empty() ||
      input->shape[0] != output->shape[0] || input->shape[0] < 1)
    return emitError(predict.getLoc(), "@predict must take an input and "
                                       "return an output of one batch");
  m.batch = input->shape[0];
  for (const nnrt::ArgSpec &a : manifest->args)
    if (a.role == nnrt::Role::Param)
      m.params.push_back(a);
  m.outputShape.assign(output->shape.begin() + 1, output->shape.end());
  measure(predict, m.batch, m);
  m.differentiated =
      module.lookupSymbol("train_step") || module.lookupSymbol("grad_step");
  auto opt = module->getAttrOfType<nn::OptimizerAttr>("nn.optimizer");
  if (opt)
    for (StringRef slot : nn::stateSlots(opt))
      m.stateSlots.push_back(slot.str());
  if (auto train = module->getAttrOfType<nn::TrainAttr>("nn.train")) {
    if (!module.lookupSymbol<func::FuncOp>("loss"))
      return emitError(module.getLoc(), "module '")
             << m.name << "' has nn.train but no @loss to train";
    m.train = decodeTrain(train, opt);
  }
  return success();
}

FailureOr<ModelIR> nnc::loadModel(llvm::SourceMgr &sm, MLIRContext &ctx) {
  ctx.loadDialect<nn::NNDialect, func::FuncDialect>();
  llvm::StringRef file =
      sm.getMemoryBuffer(sm.getMainFileID())->getBufferIdentifier();
  if (!file.ends_with(".mlir")) {
    FailureOr<Analyzed> analyzed = analyzeSource(sm, ctx);
    if (failed(analyzed))
      return failure();
    ModelIR m(Locator(sm, &ctx)(analyzed->program.loc));
    m.module = buildModule(analyzed->program, sm, ctx);
    if (failed(verifyModel(*m.module)) || failed(describe(m)))
      return failure();
    m.program = std::move(analyzed->program);
    return m;
  }
  // IR is the user's: its parser's and verifier's errors are theirs.
  ParserConfig config(&ctx);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sm, config);
  if (!module || failed(verify(*module)))
    return failure();
  ModelIR m(module->getLoc());
  m.module = std::move(module);
  if (failed(describe(m)))
    return failure();
  return m;
}
