//===- Compiler.h - from a model file to any stage --------------*- C++ -*-===//
//
// Every decision the tools make lives here: which dialects are loaded, how a
// source becomes a checked Program and an nn module, how far it is lowered,
// and how the result is JIT-compiled and described to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_DRIVER_COMPILER_H
#define NNC_DRIVER_COMPILER_H

#include "compiler/Frontend/Model.h"
#include "compiler/Pipelines/Pipelines.h"

#include "compiler/Backend/Cache.h"
#include "compiler/Backend/Codegen.h"
#include "compiler/Backend/JIT.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OwningOpRef.h"
#include "nnrt/Trainer.h"

#include <memory>
#include <optional>

namespace nnc {

/// nn plus every upstream dialect and its extensions (registered, loaded
/// on first use: the pipelines need their external models), and the
/// translations to LLVM IR.
void registerDialects(mlir::DialectRegistry &registry);
/// nn's passes, the conversions and the pipelines (for nn-opt).
void registerPasses();

enum class Stage { AST, NN, NNTrain, Linalg, Loops, LLVMMLIR, LLVM };
std::optional<Stage> parseStage(llvm::StringRef name);
/// "ast|nn|nn-train|linalg|loops|llvm-mlir|llvm".
llvm::StringRef stageNames();

/// A source file checked and turned into a Program.
struct Analyzed {
  ModuleAST ast;
  Program program;
};
mlir::FailureOr<Analyzed> analyzeSource(llvm::SourceMgr &sm,
                                        mlir::MLIRContext &ctx);

/// The nn module of a program, its functions compiled for `batch` samples
/// (default: the train block's batch, 1 without one).
mlir::OwningOpRef<mlir::ModuleOp>
buildModule(const Program &prog, llvm::SourceMgr &sm, mlir::MLIRContext &ctx,
            std::optional<int64_t> batch = {});

/// A model as the commands compile and run it: its nn module, built from a
/// .nn file or read as nn-dialect IR (a .mlir file), and what the module
/// says of itself. Nothing here comes from the front end's Program.
struct ModelIR {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::string name;
  /// The model's line in a .nn file; the module's in IR.
  mlir::Location loc;
  /// The module's nn.train, decoded (present: it has one).
  TrainSettings train;
  /// The samples the module's functions take.
  int64_t batch = 1;
  /// @train_step is built already (`--emit=nn-train`): nn-autodiff does
  /// not run again, so the step cannot be split over threads.
  bool differentiated = false;
  /// The state slots of the module's nn.optimizer (none without one).
  std::vector<std::string> stateSlots;
  /// @predict's parameters, and per sample: its output's shape, the
  /// elements of its activations (all and the largest) and multiply-adds.
  std::vector<nnrt::ArgSpec> params;
  std::vector<int64_t> outputShape;
  double activations = 0, largestActivation = 0, multiplyAdds = 0;
  /// The .nn file's checked program; none for IR.
  std::optional<Program> program;

  explicit ModelIR(mlir::Location loc) : loc(loc) {}
};

/// The model in sm's main file: nn-dialect IR when its name ends in .mlir,
/// else the model language (every error reported as a diagnostic).
mlir::FailureOr<ModelIR> loadModel(llvm::SourceMgr &sm, mlir::MLIRContext &ctx);

/// Verifies the nn module built from a checked program. A failure is nnc's
/// bug: it is reported as one internal error, without MLIR's message.
mlir::LogicalResult verifyModel(mlir::ModuleOp module);

/// Lowers an nn module in place, as far as `stage` (NN leaves it alone).
/// A pass that fails is reported as verifyModel reports.
mlir::LogicalResult lowerModule(mlir::ModuleOp module, Stage stage,
                                const PipelineConfig &opts,
                                StageTimes *times = nullptr,
                                Stage from = Stage::NN);

/// Pipeline options for a model: training when it has a train block,
/// the host's vector registers (the JIT's target).
PipelineConfig pipelineConfig(const ModelIR &model);

/// The manifest of `fn` on tensors (after nn-autodiff): its arguments,
/// then its results, as their nn.role, nn.name, nn.slot and nn.init say.
mlir::FailureOr<nnrt::FunctionManifest> manifestOf(mlir::func::FuncOp fn);

/// After bufferization: checks that `fn` takes the `manifestArgs`
/// arguments and results its manifest lists, then its workspace if any.
mlir::LogicalResult checkLowered(mlir::func::FuncOp fn, size_t manifestArgs);

/// The runtime's view of a module on tensors (after nn-autodiff): the
/// manifest of every public function and what follows from them.
mlir::FailureOr<nnrt::ModelInfo> describeModule(mlir::ModuleOp module);

/// Prints `stage` of the model in sm (--emit).
mlir::LogicalResult emitStage(llvm::SourceMgr &sm, mlir::MLIRContext &ctx,
                              Stage stage, llvm::raw_ostream &os);

struct DeferredLoss;

/// A model compiled in-process, with what the runtime needs to call it.
struct CompiledModel {
  std::unique_ptr<JITModule> engine;
  nnrt::ModelInfo info;
  nnrt::CompiledFunctions functions;
  StageTimes times;
  /// This run's time to get the code: compiling it, or loading it from
  /// the compile cache.
  double seconds = 0;
  /// Loaded from the compile cache; then `cachedSeconds` is what compiling
  /// it took when it was cached.
  bool fromCache = false;
  double cachedSeconds = 0;
  /// @loss while it still compiles beside the training (compileModel's
  /// deferLoss); finishLoss waits for it.
  std::shared_ptr<DeferredLoss> deferredLoss;
  /// Each compiled part's functions and the options of the
  /// nn-to-llvm-pipeline that lowers them from the nn stage (--verbose):
  /// nn-opt with them reproduces the part's LLVM dialect.
  std::vector<std::pair<std::string, std::string>> pipelines;
};

/// How compileModel works, besides the pipeline.
struct CompileOptions {
  /// Read and write compiled code here; none when null.
  const CompileCache *cache = nullptr;
  /// Return before @loss is compiled (finishLoss).
  bool deferLoss = false;
  /// A directory to write each part's LLVM dialect module to
  /// (FUNCTIONS.mlir, and FUNCTIONS.nests.mlir for the loop nests
  /// compiled beside); none when empty. The cache is not read then.
  std::string saveTemps;
};

/// Compiles train_step and loss with a train block, predict without, with
/// pipelineConfig(model) unless `opts` is given, for opts->batch samples
/// (0: the module's). With opts->threads above 1 the functions take
/// batch / threads samples and grad_step and apply_step replace
/// train_step; the batch must divide. With `how.deferLoss` it returns
/// as soon as the training functions are ready; @loss goes on compiling on
/// a thread of its own when the training threads leave a core free, and is
/// compiled by finishLoss otherwise: call finishLoss before evaluating.
mlir::FailureOr<CompiledModel>
compileModel(const ModelIR &model, mlir::MLIRContext &ctx,
             std::optional<PipelineConfig> opts = std::nullopt,
             const CompileOptions &how = {});

/// Waits for (or compiles) a deferred @loss, loads it into the engine and
/// sets functions.loss (and stores the cache entry); diagnostics at `loc`.
mlir::LogicalResult finishLoss(CompiledModel &compiled, mlir::Location loc);

/// The layer table `nnc summary` prints.
std::string summaryTable(const Program &prog);

} // namespace nnc

#endif
