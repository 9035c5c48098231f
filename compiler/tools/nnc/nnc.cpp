//===- nnc.cpp - the nn compiler ------------------------------------------===//
//
//   nnc MODEL.nn --emit=STAGE [-o FILE]     print a compilation stage
//   nnc train MODEL.nn [options]            compile, train, evaluate
//   nnc eval MODEL.nn --load CKPT           evaluate a checkpoint
//   nnc summary MODEL.nn                    layers, shapes, parameters
//   nnc bench MODEL.nn [--batch N]          time the compiled inference
//   nnc compile MODEL.nn -o M.o [--header M.h] [--weights CKPT] [--train]
//                                           an object file with a C interface
//
// Flags in, library calls out: everything else is in compiler/Driver.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Commands.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/ToolUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

#include <csignal>

using namespace llvm;

namespace {

cl::SubCommand trainCmd("train", "Compile a model, train it and evaluate it");
cl::SubCommand evalCmd("eval", "Evaluate a trained checkpoint on the test set");
cl::SubCommand summaryCmd("summary", "Print the layers, shapes and parameters");
cl::SubCommand benchCmd("bench", "Time the compiled inference (@predict)");
cl::SubCommand
    compileCmd("compile",
               "Compile a model ahead of time: an object file with a C "
               "interface, and its header");

cl::OptionCategory category("nnc options");

// Options shared by several subcommands carry cl::sub for each.
cl::opt<std::string> input(cl::Positional, cl::desc("<model.nn>"),
                           cl::init("-"),
                           cl::sub(cl::SubCommand::getTopLevel()),
                           cl::sub(trainCmd), cl::sub(evalCmd),
                           cl::sub(summaryCmd), cl::sub(benchCmd),
                           cl::sub(compileCmd), cl::cat(category));

cl::opt<std::string> emit("emit",
                          cl::desc("Print a stage: ast|nn|nn-train|linalg|"
                                   "loops|llvm-mlir|llvm"),
                          cl::init("nn"), cl::cat(category));
cl::opt<std::string> output("o", cl::desc("Output file (default: stdout)"),
                            cl::value_desc("file"), cl::init("-"),
                            cl::sub(cl::SubCommand::getTopLevel()),
                            cl::sub(compileCmd), cl::cat(category));
cl::opt<bool> verifyDiagnostics(
    "verify-diagnostics",
    cl::desc("Check diagnostics against expected-* comments in the input"),
    cl::sub(cl::SubCommand::getTopLevel()), cl::sub(summaryCmd),
    cl::init(false), cl::cat(category));
cl::opt<bool> splitInputFile(
    "split-input-file",
    cl::desc("Process each '// -----' chunk of the input separately"),
    cl::init(false), cl::cat(category));

cl::opt<unsigned> errorLimit(
    "ferror-limit",
    cl::desc("Stop showing errors after N of them (default 20; 0: no limit)"),
    cl::value_desc("N"), cl::init(nnc::kDefaultErrorLimit),
    cl::sub(cl::SubCommand::getTopLevel()), cl::sub(trainCmd), cl::sub(evalCmd),
    cl::sub(summaryCmd), cl::sub(benchCmd), cl::sub(compileCmd),
    cl::cat(category));

cl::opt<std::string>
    dataDir("data", cl::desc("Directory holding the dataset's IDX files"),
            cl::value_desc("dir"), cl::sub(trainCmd), cl::sub(evalCmd),
            cl::cat(category));
cl::opt<std::string> reportFile("report", cl::desc("Write a JSON report"),
                                cl::value_desc("file.json"), cl::sub(trainCmd),
                                cl::sub(evalCmd), cl::cat(category));
cl::opt<int64_t> limitTest("limit-test",
                           cl::desc("Evaluate on the first N test images only"),
                           cl::value_desc("N"), cl::init(0), cl::sub(trainCmd),
                           cl::sub(evalCmd), cl::cat(category));

cl::opt<int64_t> epochs("epochs",
                        cl::desc("Epochs (default: the train block's)"),
                        cl::value_desc("N"), cl::sub(trainCmd),
                        cl::cat(category));
cl::opt<uint64_t> seed("seed",
                       cl::desc("Seed for initialisation and shuffling"),
                       cl::value_desc("S"), cl::sub(trainCmd),
                       cl::cat(category));
cl::opt<std::string> saveFile("save",
                              cl::desc("Save a checkpoint after training"),
                              cl::value_desc("ckpt"), cl::sub(trainCmd),
                              cl::cat(category));
cl::opt<std::string>
    resumeFile("resume",
               cl::desc("Start from a checkpoint's weights and "
                        "optimizer state"),
               cl::value_desc("ckpt"), cl::sub(trainCmd), cl::cat(category));
cl::opt<int64_t> limitTrain(
    "limit-train", cl::desc("Train on the first N training images only"),
    cl::value_desc("N"), cl::init(0), cl::sub(trainCmd), cl::cat(category));
cl::opt<unsigned>
    threads("threads",
            cl::desc("Training threads, pinned to CPUs (default: every "
                     "CPU for networks whose work per parameter pays "
                     "for it, else one; at most as many as divide the "
                     "batch)"),
            cl::value_desc("N"), cl::sub(trainCmd), cl::cat(category));
cl::opt<bool> quiet("quiet", cl::desc("Print no progress"), cl::init(false),
                    cl::sub(trainCmd), cl::cat(category));

cl::opt<bool>
    noCache("no-cache",
            cl::desc("Compile afresh: neither read nor write the compile "
                     "cache"),
            cl::init(false), cl::sub(trainCmd), cl::sub(evalCmd),
            cl::sub(benchCmd), cl::cat(category));
cl::opt<bool>
    verbose("verbose",
            cl::desc("Print each compiled part's pipeline options, each "
                     "compilation stage's time and whether the code came "
                     "from the cache"),
            cl::init(false), cl::sub(trainCmd), cl::sub(evalCmd),
            cl::sub(benchCmd), cl::cat(category));

cl::opt<std::string> saveTemps(
    "save-temps",
    cl::desc("Write each compiled part's LLVM dialect module to this "
             "directory (FUNCTIONS.mlir; the loop nests compiled beside in "
             "FUNCTIONS.nests.mlir); the cache is not read"),
    cl::value_desc("dir"), cl::sub(trainCmd), cl::sub(evalCmd),
    cl::sub(benchCmd), cl::cat(category));

nnc::CompileFlags compileFlags() {
  nnc::CompileFlags flags;
  flags.cache = !noCache;
  flags.verbose = verbose;
  flags.saveTemps = saveTemps;
  return flags;
}

cl::opt<std::string> loadFile("load", cl::desc("Checkpoint to evaluate"),
                              cl::value_desc("ckpt"), cl::Required,
                              cl::sub(evalCmd), cl::cat(category));

cl::opt<int64_t> benchBatch("batch", cl::desc("Images per call (default 1)"),
                            cl::value_desc("N"), cl::init(1), cl::sub(benchCmd),
                            cl::cat(category));
cl::opt<int64_t> benchCalls("calls", cl::desc("Timed calls (default 2000)"),
                            cl::value_desc("N"), cl::init(2000),
                            cl::sub(benchCmd), cl::cat(category));
cl::opt<std::string> predictionsFile(
    "predictions",
    cl::desc(
        "Write each test sample's predicted class and outputs to a text file"),
    cl::value_desc("file"), cl::sub(evalCmd), cl::cat(category));
cl::opt<std::string>
    benchLoad("load", cl::desc("Weights to use (default: seeded initial ones)"),
              cl::value_desc("ckpt"), cl::sub(benchCmd), cl::cat(category));

cl::opt<std::string> headerFile("header", cl::desc("Write the C header here"),
                                cl::value_desc("file.h"), cl::sub(compileCmd),
                                cl::cat(category));
cl::opt<std::string>
    weightsFile("weights",
                cl::desc("Compile in a checkpoint's weights (with "
                         "--train: export them as the initial ones)"),
                cl::value_desc("ckpt"), cl::sub(compileCmd), cl::cat(category));
cl::opt<bool> trainFlag("train", cl::desc("Export train_step too"),
                        cl::init(false), cl::sub(compileCmd),
                        cl::cat(category));
cl::opt<std::string>
    targetTriple("target",
                 cl::desc("Target triple (default: the host's), "
                          "e.g. aarch64-linux-gnu"),
                 cl::value_desc("triple"), cl::sub(compileCmd),
                 cl::cat(category));
cl::opt<std::string>
    targetCpu("cpu",
              cl::desc("Target CPU (default: the host's; 'generic' "
                       "for any CPU of the target)"),
              cl::value_desc("name"), cl::sub(compileCmd), cl::cat(category));
cl::opt<int64_t>
    compileBatch("batch",
                 cl::desc("Samples per predict call (default: the train "
                          "block's batch, else 1)"),
                 cl::value_desc("N"), cl::init(0), cl::sub(compileCmd),
                 cl::cat(category));

} // namespace

static int emitMain(mlir::MLIRContext &ctx) {
  std::optional<nnc::Stage> stage = nnc::parseStage(emit);
  if (!stage) {
    errs() << "nnc: error: unknown stage '" << emit << "'; stages are "
           << nnc::stageNames() << "\n";
    return 1;
  }
  std::string err;
  auto file = mlir::openInputFile(input, &err);
  if (!file) {
    errs() << "nnc: error: " << err << "\n";
    return 1;
  }
  auto out = mlir::openOutputFile(output, &err);
  if (!out) {
    errs() << "nnc: error: " << err << "\n";
    return 1;
  }
  auto process = [&](std::unique_ptr<MemoryBuffer> chunk,
                     const MemoryBufferRef &, raw_ostream &os) {
    SourceMgr sm;
    sm.AddNewSourceBuffer(std::move(chunk), SMLoc());
    return nnc::runWithDiagnostics(
               sm, ctx, verifyDiagnostics,
               [&] { return nnc::emitStage(sm, ctx, *stage, os); },
               errorLimit) == 0
               ? mlir::success()
               : mlir::failure();
  };
  mlir::LogicalResult r =
      splitInputFile
          ? mlir::splitAndProcessBuffer(std::move(file), process, out->os())
          : process(std::move(file), MemoryBufferRef(), out->os());
  if (mlir::failed(r))
    return 1;
  out->keep();
  return 0;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  nnc::installFatalErrorHandlers();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::HideUnrelatedOptions(category);
  if (!nnc::parseCommandLine(
          argc, argv,
          "nnc: a neural-network compiler\n\n"
          "  nnc MODEL.nn --emit=STAGE [-o FILE]\n"
          "  nnc train MODEL.nn [--epochs N] [--save CKPT] ...\n"
          "  nnc eval MODEL.nn --load CKPT\n"
          "  nnc summary MODEL.nn\n"
          "  nnc bench MODEL.nn [--batch N] [--calls N]\n"
          "  nnc compile MODEL.nn -o MODEL.o [--header MODEL.h] "
          "[--weights CKPT] [--train] [--target TRIPLE] [--cpu NAME]\n\n"
          "MODEL.mlir (nn-dialect IR, as --emit=nn prints it) may stand for "
          "MODEL.nn everywhere but in summary.\n",
          errs()))
    return 1;
  mlir::DialectRegistry registry;
  nnc::registerDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.printOpOnDiagnostic(false);

  if (!trainCmd && !evalCmd && !summaryCmd && !benchCmd && !compileCmd)
    return emitMain(ctx);

  SourceMgr sm;
  if (mlir::failed(nnc::loadInput(input, sm)))
    return 1;
  auto run = [&](function_ref<mlir::LogicalResult()> body) {
    return nnc::runWithDiagnostics(sm, ctx, false, body, errorLimit);
  };
  if (summaryCmd)
    return nnc::runWithDiagnostics(
        sm, ctx, verifyDiagnostics,
        [&] { return nnc::runSummary(sm, ctx, outs()); }, errorLimit);
  if (compileCmd) {
    nnc::CompileCommand cmd;
    cmd.output = output == "-" ? std::string() : std::string(output);
    cmd.header = headerFile;
    cmd.weights = weightsFile;
    cmd.train = trainFlag;
    cmd.triple = targetTriple;
    cmd.cpu = targetCpu;
    cmd.batch = compileBatch;
    return run([&] { return nnc::runCompile(cmd, sm, ctx); });
  }
  if (benchCmd) {
    nnc::BenchCommand cmd;
    cmd.compile = compileFlags();
    cmd.batch = benchBatch;
    cmd.calls = benchCalls;
    cmd.load = benchLoad;
    return run([&] { return nnc::runBench(cmd, sm, ctx); });
  }
  // A reader that goes away (`nnc train ... | head`) must not kill training
  // or evaluation before they write their files: writes to it just fail.
  if (trainCmd || evalCmd)
    std::signal(SIGPIPE, SIG_IGN);
  if (evalCmd) {
    nnc::EvalCommand cmd;
    cmd.compile = compileFlags();
    cmd.dataDir = dataDir;
    cmd.load = loadFile;
    cmd.report = reportFile;
    cmd.predictions = predictionsFile;
    if (limitTest.getNumOccurrences())
      cmd.limitTest = limitTest;
    return run([&] { return nnc::runEval(cmd, sm, ctx); });
  }
  nnc::TrainCommand cmd;
  cmd.compile = compileFlags();
  cmd.dataDir = dataDir;
  cmd.save = saveFile;
  cmd.resume = resumeFile;
  cmd.report = reportFile;
  if (limitTrain.getNumOccurrences())
    cmd.limitTrain = limitTrain;
  if (limitTest.getNumOccurrences())
    cmd.limitTest = limitTest;
  cmd.quiet = quiet;
  if (epochs.getNumOccurrences())
    cmd.epochs = epochs;
  if (seed.getNumOccurrences())
    cmd.seed = seed;
  if (threads.getNumOccurrences())
    cmd.threads = threads;
  return run([&] { return nnc::runTrain(cmd, sm, ctx); });
}
