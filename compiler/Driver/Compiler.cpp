//===- Compiler.cpp - from a model file to any stage ----------------------===//

#include "compiler/Driver/Compiler.h"

#include "compiler/Backend/JIT.h"
#include "compiler/Conversion/Passes.h"
#include "compiler/Transforms/Passes.h"
#include "compiler/Frontend/ASTToNN.h"
#include "compiler/Frontend/Parser.h"
#include "dialects/nn/IR/NNOps.h"
#include "dialects/nn/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/StringSwitch.h"

#include <chrono>
#include <fmt/format.h>

using namespace mlir;
using namespace nnc;

void nnc::registerDialects(DialectRegistry &registry) {
  registry.insert<nn::NNDialect>();
  // Upstream dialects are only registered (loaded on first use); with them
  // come their external models (bufferization, convert-to-llvm, tiling),
  // which the pipelines rely on. Both calls are out-of-line in libMLIR.
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

void nnc::registerPasses() {
  registerAllPasses();
  nn::registerNNPasses();
  nn::registerNNConversionPasses();
  nn::registerNNSchedulePasses();
  registerPipelines();
}

std::optional<Stage> nnc::parseStage(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Stage>>(name)
      .Case("ast", Stage::AST)
      .Case("nn", Stage::NN)
      .Case("nn-train", Stage::NNTrain)
      .Case("linalg", Stage::Linalg)
      .Case("loops", Stage::Loops)
      .Case("llvm-mlir", Stage::LLVMMLIR)
      .Case("llvm", Stage::LLVM)
      .Default(std::nullopt);
}

llvm::StringRef nnc::stageNames() {
  return "ast|nn|nn-train|linalg|loops|llvm-mlir|llvm";
}

FailureOr<Analyzed> nnc::analyzeSource(llvm::SourceMgr &sm, MLIRContext &ctx) {
  FailureOr<ModuleAST> ast = parseModule(sm, &ctx);
  if (failed(ast))
    return failure();
  Locator locate(sm, &ctx);
  FailureOr<Program> prog = analyze(*ast, locate);
  if (failed(prog))
    return failure();
  return Analyzed{std::move(*ast), std::move(*prog)};
}

OwningOpRef<ModuleOp> nnc::buildModule(const Program &prog, llvm::SourceMgr &sm,
                                       MLIRContext &ctx) {
  ctx.loadDialect<nn::NNDialect, func::FuncDialect>();
  Locator locate(sm, &ctx);
  return generateNN(prog, locate, prog.train.present ? prog.train.batch : 1);
}

PipelineConfig nnc::pipelineConfig(const Program &prog) {
  PipelineConfig opts;
  opts.training = prog.train.present;
  return opts;
}

LogicalResult nnc::lowerModule(ModuleOp module, Stage stage,
                               const PipelineConfig &opts,
                               StageTimes *times) {
  struct Step {
    Stage upTo;
    const char *name;
    std::function<void(OpPassManager &)> build;
  };
  Step steps[] = {
      {Stage::NNTrain, "autodiff",
       [&](OpPassManager &pm) { buildNNTrainPipeline(pm, opts); }},
      {Stage::Linalg, "linalg", buildNNToLinalgPipeline},
      {Stage::Loops, "loops",
       [&](OpPassManager &pm) { buildLinalgToLoopsPipeline(pm, opts); }},
      {Stage::LLVMMLIR, "llvm-dialect",
       [&](OpPassManager &pm) { buildLoopsToLLVMPipeline(pm, opts); }},
  };
  for (const Step &step : steps) {
    if (stage < step.upTo)
      break;
    auto start = std::chrono::steady_clock::now();
    PassManager pm(module->getContext());
    step.build(pm);
    if (failed(pm.run(module)))
      return failure();
    if (times)
      times->emplace_back(step.name,
                          std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count());
  }
  return success();
}

LogicalResult nnc::emitStage(llvm::SourceMgr &sm, MLIRContext &ctx, Stage stage,
                             llvm::raw_ostream &os) {
  FailureOr<Analyzed> analyzed = analyzeSource(sm, ctx);
  if (failed(analyzed))
    return failure();
  if (stage == Stage::AST) {
    dump(analyzed->ast, sm, os);
    return success();
  }
  OwningOpRef<ModuleOp> module = buildModule(analyzed->program, sm, ctx);
  if (failed(verify(*module)))
    return failure();
  if (failed(lowerModule(*module, stage == Stage::LLVM ? Stage::LLVMMLIR : stage,
                         pipelineConfig(analyzed->program))))
    return failure();
  if (stage == Stage::LLVM)
    return printLLVMIR(*module, os);
  module->print(os);
  os << "\n";
  return success();
}

/// A per-sample shape as the compiled code lays it out: images ([C, H, W]
/// in the language) are HWC.
static std::vector<int64_t> compiledShape(std::vector<int64_t> shape) {
  if (shape.size() == 3)
    return {shape[1], shape[2], shape[0]};
  return shape;
}

/// The runtime's view of a model: what the compiled functions take.
static nnrt::ModelInfo describe(const Program &prog) {
  nnrt::ModelInfo info;
  info.name = prog.name;
  for (const ParamInfo &p : prog.parameters())
    info.params.push_back({p.name, p.shape, p.init});
  info.inputShape = compiledShape(prog.layers[prog.input].shape);
  info.outputShape = compiledShape(prog.layers[prog.output].shape);
  info.batch = prog.train.present ? prog.train.batch : 1;
  for (const Layer &l : prog.layers)
    if (l.kind == LayerKind::Dropout)
      info.noiseShapes.push_back(compiledShape(l.shape));
  const std::string &opt = prog.train.optimizer;
  info.stateSlots = opt == "adam"      ? std::vector<std::string>{"m", "v"}
                    : opt == "rmsprop" ? std::vector<std::string>{"square_avg"}
                    : opt == "adagrad" ? std::vector<std::string>{"sum"}
                                       : std::vector<std::string>{"velocity"};
  return info;
}

FailureOr<CompiledModel>
nnc::compileModel(const Program &prog, llvm::SourceMgr &sm, MLIRContext &ctx,
                  std::optional<PipelineConfig> opts) {
  auto start = std::chrono::steady_clock::now();
  CompiledModel compiled;
  OwningOpRef<ModuleOp> module = buildModule(prog, sm, ctx);
  if (failed(verify(*module)))
    return failure();
  bool training = prog.train.present;
  if (failed(lowerModule(*module, Stage::LLVMMLIR,
                         opts ? *opts : pipelineConfig(prog), &compiled.times)))
    return failure();
  auto jitStart = std::chrono::steady_clock::now();
  FailureOr<std::unique_ptr<ExecutionEngine>> engine = jitCompile(*module);
  if (failed(engine))
    return failure();
  compiled.engine = std::move(*engine);
  Location loc = module->getLoc();
  auto lookup = [&](StringRef name, nnrt::PackedFunction &fn) {
    FailureOr<void (*)(void **)> f = lookupEntryPoint(*compiled.engine, name, loc);
    if (succeeded(f))
      fn = *f;
    return f;
  };
  if (failed(lookup("predict", compiled.functions.predict)))
    return failure();
  if (training && (failed(lookup("loss", compiled.functions.loss)) ||
                   failed(lookup("train_step", compiled.functions.trainStep))))
    return failure();
  auto end = std::chrono::steady_clock::now();
  compiled.times.emplace_back(
      "llvm-jit", std::chrono::duration<double>(end - jitStart).count());
  compiled.seconds = std::chrono::duration<double>(end - start).count();
  compiled.info = describe(prog);
  return compiled;
}

std::string nnc::summaryTable(const Program &prog) {
  struct Row {
    std::string name, op, shape, params;
  };
  std::vector<Row> rows;
  auto count = [](int64_t n) {
    std::string s = std::to_string(n);
    for (int i = int(s.size()) - 3; i > 0; i -= 3)
      s.insert(i, ",");
    return s;
  };
  for (const Layer &l : prog.layers) {
    if (prog.train.present && &l - prog.layers.data() > prog.output &&
        l.kind != LayerKind::Input)
      continue; // layers of the loss expression
    int64_t n = 0;
    for (const ParamInfo &p : l.params)
      n += p.trainableCount();
    rows.push_back({l.name, l.op, shapeString(l.shape), n ? count(n) : "-"});
  }
  Row header{"layer", "op", "output shape", "parameters"};
  size_t w[4] = {header.name.size(), header.op.size(), header.shape.size(),
                 header.params.size()};
  for (const Row &r : rows) {
    w[0] = std::max(w[0], r.name.size());
    w[1] = std::max(w[1], r.op.size());
    w[2] = std::max(w[2], r.shape.size());
    w[3] = std::max(w[3], r.params.size());
  }
  std::string total = count(prog.parameterCount());
  w[3] = std::max(w[3], total.size());
  auto line = [&](const Row &r) {
    return fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>{}}\n", r.name, w[0], r.op,
                       w[1], r.shape, w[2], r.params, w[3]);
  };
  std::string out = fmt::format("model {}\n", prog.name) + line(header);
  out += std::string(w[0] + w[1] + w[2] + w[3] + 6, '-') + "\n";
  for (const Row &r : rows)
    out += line(r);
  out += std::string(w[0] + w[1] + w[2] + w[3] + 6, '-') + "\n";
  out += line({"total", "", "", total});
  return out;
}
