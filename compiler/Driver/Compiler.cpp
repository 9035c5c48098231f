//===- Compiler.cpp - from a model file to any stage ----------------------===//

#include "compiler/Driver/Compiler.h"
#include "compiler/Driver/Diagnostics.h"

#include "compiler/Backend/Cache.h"
#include "compiler/Backend/Codegen.h"
#include "compiler/Backend/JIT.h"
#include "compiler/Conversion/Passes.h"
#include "compiler/Frontend/Parser.h"
#include "compiler/Frontend/ProgramToNN.h"
#include "compiler/Transforms/Passes.h"
#include "dialects/nn/IR/NNOps.h"
#include "dialects/nn/IR/Optimizers.h"
#include "dialects/nn/Transforms/Passes.h"
#include "nnrt/Threads.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Path.h"

#include <chrono>
#include <fmt/format.h>
#include <thread>

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
  ModuleAST ast = parseModule(sm, &ctx);
  // After a syntax error, the statements that did parse are still checked,
  // so that every independent error is reported in one run.
  if (!ast.blocksComplete)
    return failure();
  Locator locate(sm, &ctx);
  FailureOr<Program> prog = analyze(ast, locate);
  if (failed(prog) || ast.hadSyntaxError)
    return failure();
  return Analyzed{std::move(ast), std::move(*prog)};
}

OwningOpRef<ModuleOp> nnc::buildModule(const Program &prog, llvm::SourceMgr &sm,
                                       MLIRContext &ctx,
                                       std::optional<int64_t> batch) {
  ctx.loadDialect<nn::NNDialect, func::FuncDialect>();
  Locator locate(sm, &ctx);
  return generateNN(prog, locate, batch.value_or(prog.batch()));
}

PipelineConfig nnc::pipelineConfig(const ModelIR &model) {
  PipelineConfig opts;
  opts.training = model.train.present;
  return opts;
}

LogicalResult nnc::verifyModel(ModuleOp module) {
  InternalErrors held(module->getContext());
  if (failed(verify(module)))
    return held.report("nn");
  return success();
}

LogicalResult nnc::lowerModule(ModuleOp module, Stage stage,
                               const PipelineConfig &opts, StageTimes *times,
                               Stage from) {
  struct Step {
    Stage upTo;
    const char *name;
    std::function<void(OpPassManager &)> build;
  };
  Step steps[] = {
      {Stage::NNTrain, "autodiff",
       [&](OpPassManager &pm) { buildNNTrainPipeline(pm, opts); }},
      {Stage::Linalg, "linalg",
       [&](OpPassManager &pm) { buildNNToLinalgPipeline(pm, opts); }},
      {Stage::Loops, "loops",
       [&](OpPassManager &pm) { buildLinalgToLoopsPipeline(pm, opts); }},
      {Stage::LLVMMLIR, "llvm-dialect",
       [&](OpPassManager &pm) { buildLoopsToLLVMPipeline(pm, opts); }},
  };
  for (const Step &step : steps) {
    if (stage < step.upTo)
      break;
    if (step.upTo <= from)
      continue; // the module is there already
    StageClock clock(times);
    PassManager pm(module->getContext());
    // The module is verified once per stage, not after each of its passes
    // (10% of the instructions of compiling LeNet-5); nn-opt verifies
    // after every pass.
    pm.enableVerifier(false);
    step.build(pm);
    InternalErrors held(module->getContext());
    if (failed(pm.run(module)) || failed(verify(module)))
      return held.report(step.name);
    clock.lap(step.name);
  }
  return success();
}

LogicalResult nnc::emitStage(llvm::SourceMgr &sm, MLIRContext &ctx, Stage stage,
                             llvm::raw_ostream &os) {
  if (stage == Stage::AST) {
    FailureOr<Analyzed> analyzed = analyzeSource(sm, ctx);
    if (failed(analyzed))
      return failure();
    dump(analyzed->ast, sm, os);
    return success();
  }
  FailureOr<ModelIR> model = loadModel(sm, ctx);
  if (failed(model))
    return failure();
  ModuleOp module = *model->module;
  PipelineConfig config = pipelineConfig(*model);
  config.training &= !model->differentiated;
  if (failed(lowerModule(module, stage == Stage::LLVM ? Stage::LLVMMLIR : stage,
                         config)))
    return failure();
  if (stage == Stage::LLVM)
    return printLLVMIR(module, os);
  module->print(os);
  os << "\n";
  return success();
}

/// What decides the compiled code besides the compiler and the host: the
/// model as the nn dialect prints it (no locations), the pipeline and the
/// target's description (the JIT's: the host's).
static std::string cacheInputs(ModuleOp module, const PipelineConfig &config) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << pipelineOptions(config) << "\n";
  os << TargetDescription::host().toAttr(module.getContext()) << "\n";
  module->print(os, OpPrintingFlags().enableDebugInfo(false));
  return text;
}

/// The share of the training step's (or @predict's) ops whose loop nests
/// compile on a second thread (nn-outline-loop-nests). Above a half: the
/// first thread keeps the function's own body too, whose views and small
/// loops cost more per op to lower than the large nests (LeNet-5: 0.99-1.4
/// s at 0.6, 1.2-2.0 s at 0.5, 1.4-1.7 s at 0.7, on a busy machine).
static constexpr double kNestShare = 0.6;

namespace {
/// A diagnostic of a compilation thread, kept (outliving the thread's
/// context) to be reported on the caller's.
struct CapturedDiagnostic {
  DiagnosticSeverity severity;
  std::string message;
  std::string file; // empty: no source location
  unsigned line = 0, column = 0;
};

/// Functions compiled together, on a thread and in a context of their own.
struct Part {
  /// The public functions to compile; all of them when empty.
  std::vector<std::string> functions;
  /// Where the part's source module stands: after nn-autodiff, which
  /// compileModel runs, or (the outlined nests) at loops.
  Stage from = Stage::NNTrain;
  /// The share of each function's loop nests compiled on a second thread
  /// (nn-outline-loop-nests); none when 0.
  double nestShare = 0;
  /// Where to write the part's LLVM dialect module (".mlir" added); not
  /// written when empty (CompileOptions::saveTemps).
  std::string saveTo;

  /// The options of the nn-to-llvm-pipeline that lowered the part from the
  /// nn stage; empty for the nests, which continue another part's.
  std::string pipeline;
  StageTimes times;
  std::vector<llvm::SmallVector<char, 0>> objects;
  int64_t gradWorkspaceBytes = 0;
  std::vector<CapturedDiagnostic> diagnostics;
  bool compiled = false;
};
} // namespace

/// Moves the functions nn-outline-loop-nests made into a module of their
/// own; `module` keeps their declarations.
static OwningOpRef<ModuleOp> splitOutlined(ModuleOp module) {
  OwningOpRef<ModuleOp> nests = module.clone();
  for (Operation &op :
       llvm::make_early_inc_range(nests->getBody()->getOperations())) {
    auto fn = dyn_cast<func::FuncOp>(op);
    if (fn && fn->hasAttr("nn.outlined"))
      fn.setPublic();
    else
      op.erase();
  }
  for (auto fn : module.getOps<func::FuncOp>())
    if (fn->hasAttr("nn.outlined"))
      fn.getBody().getBlocks().clear();
  return nests;
}

static void compilePart(llvm::StringRef source, const DialectRegistry &registry,
                        const PipelineConfig &config, Part &part);

/// Writes `module` to `path`.mlir (CompileOptions::saveTemps).
static LogicalResult saveModule(ModuleOp module, const std::string &path) {
  std::error_code error;
  llvm::raw_fd_ostream os(path + ".mlir", error);
  if (!error) {
    module->print(os);
    os << "\n";
    os.close();
    error = os.error();
  }
  if (error)
    return emitError(module->getLoc(), "cannot write '")
           << path << ".mlir': " << error.message();
  return success();
}

/// The body of compilePart, in its context; a part of the loop nests is
/// compiled on `beside`'s thread into `nests`.
static LogicalResult lowerPart(MLIRContext &ctx, llvm::StringRef source,
                               const DialectRegistry &registry,
                               const PipelineConfig &config, Part &part,
                               std::thread &beside, std::string &nestSource,
                               Part &nests) {
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(source, ParserConfig(&ctx));
  if (!module)
    return failure();
  // The part's functions, with a share of their loop nests outlined for
  // the thread beside.
  PipelineConfig own = config;
  own.keep = part.functions;
  own.outlineShare = part.from < Stage::Loops ? part.nestShare : 0;
  if (part.from < Stage::Loops) {
    part.pipeline = pipelineOptions(own);
    // Each function's arguments and results, as the manifest counts them.
    llvm::StringMap<size_t> manifestArgs;
    for (auto fn : module->getOps<func::FuncOp>())
      if (fn.isPublic())
        manifestArgs[fn.getSymName()] =
            fn.getNumArguments() + fn.getNumResults();
    // To loops first: the memory plan's sizes are read there. The other
    // parts compile the other functions.
    if (failed(lowerModule(*module, Stage::Loops, own, &part.times, part.from)))
      return failure();
    for (auto fn : module->getOps<func::FuncOp>())
      if (fn.isPublic() &&
          failed(checkLowered(fn, manifestArgs.lookup(fn.getSymName()))))
        return failure();
    if (auto grad = module->lookupSymbol<func::FuncOp>("grad_step"))
      if (auto bytes = grad->getAttrOfType<IntegerAttr>("nn.workspace_bytes"))
        part.gradWorkspaceBytes = bytes.getInt();
    // Every thread runs @apply_step at once: a static workspace would be
    // shared (the optimizers' updates, elementwise, need none).
    if (auto apply = module->lookupSymbol<func::FuncOp>("apply_step"))
      if (apply->hasAttr("nn.workspace_bytes"))
        return apply.emitError(
            "internal error: @apply_step needs a workspace, which "
            "the threads that run it would share");
  }
  if (own.outlineShare > 0) {
    StageClock clock(&part.times);
    OwningOpRef<ModuleOp> outlined = splitOutlined(*module);
    if (!outlined->getBody()->empty()) {
      llvm::raw_string_ostream os(nestSource);
      if (failed(writeBytecodeToFile(*outlined, os)))
        return emitError(module->getLoc(),
                         "internal error: cannot serialize the loop nests");
      nests.from = Stage::Loops;
      if (!part.saveTo.empty())
        nests.saveTo = part.saveTo + ".nests";
      beside =
          std::thread(compilePart, llvm::StringRef(nestSource),
                      std::cref(registry), std::cref(config), std::ref(nests));
    }
    clock.lap("split");
  }
  if (failed(lowerModule(*module, Stage::LLVMMLIR, own, &part.times,
                         std::max(part.from, Stage::Loops))))
    return failure();
  if (!part.saveTo.empty() && failed(saveModule(*module, part.saveTo)))
    return failure();
  FailureOr<llvm::SmallVector<char, 0>> object =
      compileForJIT(*module, &part.times);
  if (failed(object))
    return failure();
  part.objects.push_back(std::move(*object));
  return success();
}

/// Compiles part.functions of `source` (an nn module as bytecode, lowered
/// as far as part.from) to object files for the JIT. Nothing here touches
/// the caller's context: the module is parsed into one of this thread's.
static void compilePart(llvm::StringRef source, const DialectRegistry &registry,
                        const PipelineConfig &config, Part &part) {
  MLIRContext ctx(registry, MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler capture(&ctx, [&](Diagnostic &d) {
    CapturedDiagnostic c;
    c.severity = d.getSeverity();
    c.message = d.str();
    if (auto at = d.getLocation()->findInstanceOf<FileLineColLoc>()) {
      c.file = at.getFilename().str();
      c.line = at.getLine();
      c.column = at.getColumn();
    }
    part.diagnostics.push_back(std::move(c));
    return success();
  });
  std::thread beside;
  std::string nestSource;
  Part nests;
  part.compiled = succeeded(lowerPart(ctx, source, registry, config, part,
                                      beside, nestSource, nests));
  if (!beside.joinable())
    return;
  beside.join();
  part.compiled &= nests.compiled;
  llvm::append_range(part.diagnostics, nests.diagnostics);
  for (auto &object : nests.objects)
    part.objects.push_back(std::move(object));
  double seconds = 0;
  for (const auto &[stage, s] : nests.times)
    seconds += s;
  part.times.emplace_back("nests (parallel)", seconds);
}

namespace {
/// Parts compiling on threads of their own, from one serialized module.
struct PendingParts {
  std::string source;
  PipelineConfig config;
  std::vector<Part> parts;
  std::vector<std::thread> threads;

  ~PendingParts() { join(); }
  void join() {
    for (std::thread &t : threads)
      if (t.joinable())
        t.join();
  }
};
} // namespace

/// Starts compiling each of `parts` of `source` (a module as bytecode) on a
/// thread of its own.
static std::unique_ptr<PendingParts>
startParts(std::string source, std::vector<Part> parts,
           const PipelineConfig &config, const DialectRegistry &registry) {
  auto pending = std::make_unique<PendingParts>();
  pending->source = std::move(source);
  pending->config = config;
  pending->parts = std::move(parts);
  for (Part &part : pending->parts)
    pending->threads.emplace_back(compilePart, llvm::StringRef(pending->source),
                                  std::cref(registry),
                                  std::cref(pending->config), std::ref(part));
  return pending;
}

/// Waits for `pending` and reports its parts' diagnostics at `loc`'s
/// context. Returns the object files; appends the stage times of the first
/// part to compiled.times when `detailed`, and each other part's total as
/// one line "FUNCTIONS (`how`)", and each part's pipeline.
static FailureOr<std::vector<llvm::SmallVector<char, 0>>>
finishParts(PendingParts &pending, Location loc, bool detailed,
            llvm::StringRef how, CompiledModel &compiled) {
  StageTimes &times = compiled.times;
  int64_t &gradWorkspaceBytes = compiled.info.gradWorkspaceBytes;
  pending.join();
  MLIRContext *ctx = loc->getContext();
  std::vector<llvm::SmallVector<char, 0>> objects;
  bool ok = true;
  for (Part &part : pending.parts) {
    for (const CapturedDiagnostic &d : part.diagnostics) {
      Location at =
          d.file.empty()
              ? loc
              : Location(FileLineColLoc::get(ctx, d.file, d.line, d.column));
      switch (d.severity) {
      case DiagnosticSeverity::Error:
        emitError(at, d.message);
        break;
      case DiagnosticSeverity::Warning:
        emitWarning(at, d.message);
        break;
      default:
        emitRemark(at, d.message);
      }
    }
    ok &= part.compiled;
    compiled.pipelines.emplace_back(llvm::join(part.functions, "+"),
                                    part.pipeline);
    gradWorkspaceBytes = std::max(gradWorkspaceBytes, part.gradWorkspaceBytes);
    for (auto &object : part.objects)
      objects.push_back(std::move(object));
  }
  if (!ok)
    return failure();
  for (size_t i = 0; i < pending.parts.size(); ++i) {
    const Part &part = pending.parts[i];
    if (i == 0 && detailed) {
      times.insert(times.end(), part.times.begin(), part.times.end());
      continue;
    }
    double total = 0;
    for (const auto &[stage, seconds] : part.times)
      total += seconds;
    times.emplace_back(llvm::join(part.functions, "+") + " (" + how.str() + ")",
                       total);
  }
  return objects;
}

/// @grad_step's manifest gains its last argument, the workspace each
/// thread passes (nn-static-memory-plan adds it when the step needs one).
static void addWorkspace(nnrt::ModelInfo &info) {
  for (nnrt::FunctionManifest &fn : info.functions)
    if (fn.name == "grad_step" && info.gradWorkspaceBytes > 0) {
      nnrt::ArgSpec ws;
      ws.role = nnrt::Role::Workspace;
      ws.shape = {info.gradWorkspaceBytes};
      fn.args.push_back(ws);
    }
}

/// The part that compiles `functions`, saved under `saveTemps` unless
/// empty.
static Part makePart(std::vector<std::string> functions, double nestShare,
                     llvm::StringRef saveTemps) {
  Part part;
  part.functions = std::move(functions);
  part.nestShare = nestShare;
  if (!saveTemps.empty()) {
    llvm::SmallString<128> path(saveTemps);
    llvm::sys::path::append(path, llvm::join(part.functions, "+"));
    part.saveTo = path.str().str();
  }
  return part;
}

/// @loss compiling beside the training, or still to compile
/// (compileModel's deferLoss), and what the compile cache needs once it is
/// done.
struct nnc::DeferredLoss {
  std::unique_ptr<PendingParts> parts; // null: not started
  std::string source;
  PipelineConfig config;
  const DialectRegistry *registry = nullptr;
  std::string saveTemps;
  std::vector<llvm::SmallVector<char, 0>> objects; // the others, for the cache
  std::optional<CompileCache> cache;
  std::string key;
  CacheEntry entry;
};

LogicalResult nnc::finishLoss(CompiledModel &compiled, Location loc) {
  if (!compiled.deferredLoss)
    return success();
  std::shared_ptr<DeferredLoss> deferred = std::move(compiled.deferredLoss);
  bool beside = deferred->parts != nullptr;
  if (!beside) // both cores are free now: half of its nests on the second
    deferred->parts =
        startParts(std::move(deferred->source),
                   {makePart({"loss"}, kNestShare, deferred->saveTemps)},
                   deferred->config, *deferred->registry);
  FailureOr<std::vector<llvm::SmallVector<char, 0>>> objects = finishParts(
      *deferred->parts, loc, /*detailed=*/false,
      beside ? "beside the training" : "after the training", compiled);
  if (failed(objects) || failed(compiled.engine->add(*objects, loc)))
    return failure();
  FailureOr<void (*)(void **)> loss =
      compiled.engine->lookupPacked("loss", loc);
  if (failed(loss))
    return failure();
  compiled.functions.loss = *loss;
  if (deferred->cache) {
    deferred->entry.objects = std::move(deferred->objects);
    for (auto &object : *objects)
      deferred->entry.objects.push_back(std::move(object));
    deferred->cache->store(deferred->key, deferred->entry);
  }
  return success();
}

FailureOr<CompiledModel> nnc::compileModel(const ModelIR &model,
                                           MLIRContext &ctx,
                                           std::optional<PipelineConfig> opts,
                                           const CompileOptions &how) {
  const CompileCache *cache = how.cache;
  bool deferLoss = how.deferLoss;
  auto start = std::chrono::steady_clock::now();
  CompiledModel compiled;
  PipelineConfig config = opts ? *opts : pipelineConfig(model);
  bool training = config.training;
  if (training && !model.train.present)
    return emitError(model.loc, "model '")
           << model.name << "' has no train block to compile";
  int threads = training ? int(std::max(1u, config.threads)) : 1;
  config.threads = unsigned(threads);
  int64_t batch = config.batch > 0 ? config.batch : model.batch;
  if (batch % threads != 0) {
    emitError(UnknownLoc::get(&ctx), "a batch of ")
        << batch << " does not split evenly over " << threads << " threads";
    return failure();
  }
  config.batch = batch / threads;
  if (model.differentiated && training &&
      (threads > 1 || config.batch != model.batch))
    return emitError(model.loc, "module '")
           << model.name << "' holds @train_step for one thread at a batch of "
           << model.batch
           << " (nn-autodiff ran: --emit=nn-train); its nn stage "
              "(--emit=nn) trains at any batch on any number of threads";
  // nn-autodiff ran already on a differentiated module.
  config.training = training && !model.differentiated;
  OwningOpRef<ModuleOp> module = model.module.get().clone();
  Location loc = module->getLoc();
  // Training and evaluation run @train_step and @loss (which returns the
  // outputs too); @predict would be a third copy of the forward pass to
  // compile (a quarter of LeNet-5's compile time), used only by `nnc bench`,
  // which compiles without the train block.
  std::vector<std::string> stepFunctions =
      !training      ? std::vector<std::string>{"predict"}
      : threads == 1 ? std::vector<std::string>{"train_step"}
                     : std::vector<std::string>{"grad_step", "apply_step"};
  // @loss, which evaluation runs, beside the step; nn-autodiff reads
  // @loss or @train_loss first.
  config.keep = stepFunctions;
  if (training)
    config.keep.push_back("loss");
  std::string key =
      cache ? CompileCache::key(cacheInputs(*module, config)) : "";
  // nn-autodiff once, here: the runtime's manifests are read from its
  // result, and every part starts from it.
  if (failed(lowerModule(*module, Stage::NNTrain, config, &compiled.times)))
    return failure();
  FailureOr<nnrt::ModelInfo> info = describeModule(*module);
  if (failed(info))
    return failure();
  compiled.info = std::move(*info);
  compiled.info.threads = threads;
  compiled.info.flushDenormals =
      TargetDescription::host().denormals == nn::DenormalFlush::X86Mxcsr;
  if (threads > 1)
    for (const nnrt::ParamSpec &p : compiled.info.params)
      compiled.info.updateSlices.push_back(
          nn::updateSliceElements(nnrt::numElements(p.shape), threads));

  std::optional<CacheEntry> entry;
  if (cache && how.saveTemps.empty())
    entry = cache->lookup(key);
  if (entry) {
    // An entry that does not load (truncated by a full disk, say) is
    // replaced, silently: the cache only saves time.
    ScopedDiagnosticHandler silent(&ctx,
                                   [](Diagnostic &) { return success(); });
    FailureOr<std::unique_ptr<JITModule>> loaded =
        JITModule::load(entry->objects, loc);
    if (failed(loaded))
      entry.reset(); // unusable: compile afresh and replace it
    else
      compiled.engine = std::move(*loaded);
  }
  if (entry) {
    compiled.fromCache = true;
    compiled.info.gradWorkspaceBytes =
        std::atoll(entry->facts["grad_workspace_bytes"].c_str());
    addWorkspace(compiled.info);
    compiled.cachedSeconds = std::atof(entry->facts["compile_seconds"].c_str());
    compiled.times.emplace_back(
        "cache",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
  } else {
    // The training step (a share of its loop nests on a thread of their
    // own) beside the loss: two cores share the work.
    Part step = makePart(stepFunctions, kNestShare, how.saveTemps);
    std::string source;
    llvm::raw_string_ostream os(source);
    if (failed(writeBytecodeToFile(*module, os)))
      return emitError(loc, "internal error: cannot serialize the module");
    const DialectRegistry &registry = ctx.getDialectRegistry();
    std::unique_ptr<PendingParts> loss;
    if (training && !deferLoss)
      loss = startParts(source, {makePart({"loss"}, 0, how.saveTemps)}, config,
                        registry);
    std::unique_ptr<PendingParts> steps =
        startParts(source, {step}, config, registry);
    FailureOr<std::vector<llvm::SmallVector<char, 0>>> objects =
        finishParts(*steps, loc, /*detailed=*/true, "", compiled);
    if (failed(objects))
      return failure();
    addWorkspace(compiled.info);
    // A deferred loss compiles on a core the training leaves free; with
    // every core training, after the training (finishLoss): one thread
    // preempted by the compilation would hold up the others at every step
    // (LeNet-5's first epoch with two threads took 2.9-3.0 s instead of
    // 1.7-2.2 s).
    if (training && deferLoss &&
        config.threads < unsigned(nnrt::availableCpus()))
      loss = startParts(source, {makePart({"loss"}, 0, how.saveTemps)}, config,
                        registry);
    if (loss && !deferLoss) {
      FailureOr<std::vector<llvm::SmallVector<char, 0>>> more =
          finishParts(*loss, loc, /*detailed=*/false, "parallel", compiled);
      if (failed(more))
        return failure();
      for (auto &object : *more)
        objects->push_back(std::move(object));
      loss.reset();
    }
    StageClock clock(&compiled.times);
    FailureOr<std::unique_ptr<JITModule>> loaded =
        JITModule::load(*objects, loc);
    if (failed(loaded))
      return failure();
    compiled.engine = std::move(*loaded);
    clock.lap("load");
    CacheEntry fresh;
    fresh.facts["grad_workspace_bytes"] =
        std::to_string(compiled.info.gradWorkspaceBytes);
    fresh.facts["compile_seconds"] = std::to_string(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    fresh.facts["model"] = model.name;
    if (training && deferLoss) {
      auto deferred = std::make_shared<DeferredLoss>();
      deferred->parts = std::move(loss);
      if (!deferred->parts) {
        deferred->source = std::move(source);
        deferred->config = config;
        deferred->registry = &registry;
        deferred->saveTemps = how.saveTemps;
      }
      deferred->objects = std::move(*objects);
      if (cache)
        deferred->cache = *cache;
      deferred->key = key;
      deferred->entry = std::move(fresh);
      compiled.deferredLoss = std::move(deferred);
    } else if (cache) {
      fresh.objects = std::move(*objects);
      cache->store(key, fresh);
    }
  }

  auto lookup = [&](StringRef name, nnrt::PackedFunction &fn) {
    FailureOr<void (*)(void **)> f = compiled.engine->lookupPacked(name, loc);
    if (succeeded(f))
      fn = *f;
    return f;
  };
  if (!training && failed(lookup("predict", compiled.functions.predict)))
    return failure();
  if (training && !compiled.deferredLoss &&
      failed(lookup("loss", compiled.functions.loss)))
    return failure();
  if (training && threads == 1 &&
      failed(lookup("train_step", compiled.functions.trainStep)))
    return failure();
  if (training && threads > 1 &&
      (failed(lookup("grad_step", compiled.functions.gradStep)) ||
       failed(lookup("apply_step", compiled.functions.applyStep))))
    return failure();
  compiled.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return compiled;
}
