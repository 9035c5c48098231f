//===- Commands.cpp - what nnc's subcommands do ---------------------------===//

#include "compiler/Driver/Commands.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "nnrt/Random.h"
#include "nnrt/Report.h"
#include "nnrt/Threads.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/resource.h>
#include <unistd.h>

/// Multiply-adds of a training step's forward pass from which `nnc train`
/// uses every CPU by default.
constexpr double kThreadedStepWork = 4e6;

/// `nnc bench --calls` at most: each call's time is kept.
constexpr int64_t kMaxBenchCalls = 10'000'000;

using namespace mlir;
using namespace nnc;

LogicalResult nnc::loadInput(llvm::StringRef path, llvm::SourceMgr &sm) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (std::error_code ec = buffer.getError()) {
    llvm::errs() << "nnc: error: cannot read '" << path << "': " << ec.message()
                 << "\n";
    return failure();
  }
  sm.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  return success();
}

/// A runtime error, reported as an MLIR diagnostic; one at a place in a
/// data file (a CSV table) is shown at that place, with the line and a caret.
static LogicalResult fail(MLIRContext &ctx, const nnrt::Status &s) {
  if (const std::optional<nnrt::TextLocation> &at = s.location())
    return emitError(FileLineColLoc::get(&ctx, at->file, unsigned(at->line),
                                         unsigned(at->col)))
           << s.detail();
  return emitError(UnknownLoc::get(&ctx)) << s.message();
}

/// Prints to stdout, ignoring a failed write: a reader that went away
/// (`nnc train ... | head`) must not stop the run before it saves its files.
template <typename... T>
static void say(fmt::format_string<T...> format, T &&...args) {
  std::string text = fmt::format(format, std::forward<T>(args)...);
  (void)std::fwrite(text.data(), 1, text.size(), stdout);
}

static double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

static std::string stageLine(const CompiledModel &m) {
  if (m.fromCache)
    return fmt::format(
        "loaded from the compile cache in {:.2f} s (compiling took "
        "{:.2f} s; --no-cache compiles afresh)",
        m.seconds, m.cachedSeconds);
  std::string s = fmt::format("compiled in {:.2f} s (", m.seconds);
  for (size_t i = 0; i < m.times.size(); ++i)
    s += fmt::format("{}{} {:.3f}", i ? ", " : "", m.times[i].first,
                     m.times[i].second);
  return s + ")";
}

/// One --verbose line: a compilation stage and its time.
static void printStage(const std::pair<std::string, double> &stage) {
  say("compile: {:<13} {:8.3f} s\n", stage.first, stage.second);
}

/// compileModel with the command's flags: the cache unless --no-cache, and
/// with --verbose one line per stage and where the code came from.
static FailureOr<CompiledModel>
compile(const ModelIR &model, MLIRContext &ctx, const CompileFlags &flags,
        std::optional<PipelineConfig> config = {}, bool deferLoss = false) {
  std::optional<CompileCache> cache;
  if (flags.cache)
    cache.emplace();
  if (!flags.saveTemps.empty())
    if (std::error_code error =
            llvm::sys::fs::create_directories(flags.saveTemps))
      return emitError(UnknownLoc::get(&ctx), "cannot create '")
             << flags.saveTemps << "': " << error.message();
  CompileOptions how;
  how.cache = cache ? &*cache : nullptr;
  how.deferLoss = deferLoss;
  how.saveTemps = flags.saveTemps;
  FailureOr<CompiledModel> compiled = compileModel(model, ctx, config, how);
  if (succeeded(compiled) && flags.verbose) {
    const TargetDescription &host = TargetDescription::host();
    say("compile: target {} {}: vectors of {} floats, {} registers\n",
        host.triple, host.cpu, host.vectorLanes, host.vectorRegisters);
    for (const auto &[functions, options] : compiled->pipelines)
      say("compile: {}: --nn-to-llvm-pipeline=\"{}\"\n", functions, options);
    for (const auto &stage : compiled->times)
      printStage(stage);
    if (cache)
      say("compile: cache {} ({})\n", compiled->fromCache ? "hit" : "miss",
          cache->directory().empty() ? "no directory" : cache->directory());
  }
  return compiled;
}

/// Evaluates on the test split and prints the result.
static nnrt::Evaluation testAndPrint(nnrt::Trainer &trainer,
                                     const nnrt::Dataset &test) {
  nnrt::Evaluation ev = trainer.evaluate(test);
  if (!ev.error.empty())
    return ev;
  if (ev.regression) {
    int64_t in = test.imageSize(), w = ev.worstSample;
    std::string x = fmt::format(
        "{:.4g}", fmt::join(test.images.begin() + w * in,
                            test.images.begin() + (w + 1) * in, ", "));
    say("test: loss {:.4g}, largest absolute error {:.4g} at sample {} "
        "(x = {}) ({} samples)\n",
        ev.loss, ev.maxAbsError, w + 1, x, ev.count);
    if (in == 1 && test.targetSize == 1)
      say("{}", nnrt::plotFit(test.images, test.targets, ev.predictions));
  } else {
    say("test: accuracy {:.2f}%, loss {:.4f} ({} {})\n", 100 * ev.accuracy,
        ev.loss, ev.count, test.tabular ? "samples" : "images");
    say("confusion matrix:\n{}", nnrt::formatConfusion(ev));
  }
  std::fflush(stdout);
  return ev;
}

/// A CSV table's path: relative paths are taken from `dir` when given
/// (--data), else from the model file's directory.
static std::string tablePath(const std::string &path, const std::string &dir,
                             llvm::SourceMgr &sm) {
  if (llvm::sys::path::is_absolute(path))
    return path;
  llvm::SmallString<256> base(dir);
  if (base.empty()) {
    base = sm.getMemoryBuffer(sm.getMainFileID())->getBufferIdentifier();
    llvm::sys::path::remove_filename(base);
  }
  llvm::sys::path::append(base, path);
  return std::string(base);
}

/// The training and test tables of a csv dataset.
static nnrt::Expected<nnrt::DataSplit>
loadCsv(const ModelIR &model, const std::string &dir, llvm::SourceMgr &sm) {
  const TrainSettings &t = model.train;
  nnrt::CsvOptions opts;
  opts.column = t.csvColumn;
  opts.regression = t.csvRegression;
  opts.classes = int(numElements(model.outputShape));
  opts.header = t.csvHeader;
  nnrt::Expected<nnrt::Dataset> train =
      nnrt::readCsv(tablePath(t.csvTrain, dir, sm), opts);
  if (!train)
    return train.status();
  nnrt::Expected<nnrt::Dataset> test =
      nnrt::readCsv(tablePath(t.csvTest, dir, sm), opts);
  if (!test)
    return test.status();
  return nnrt::DataSplit{std::move(*train), std::move(*test)};
}

/// The memory this process may use: the machine's, or less under a limit
/// (ulimit -v).
static double memoryAvailable() {
  double bytes =
      double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGESIZE));
  struct rlimit limit;
  if (getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    bytes = std::min(bytes, double(limit.rlim_cur));
  return bytes;
}

/// 17.4 MB, 880 KB, 512 B.
static std::string bytesString(double n) {
  if (n >= 1e9)
    return fmt::format("{:.1f} GB", n / 1e9);
  if (n >= 1e6)
    return fmt::format("{:.1f} MB", n / 1e6);
  if (n >= 1000)
    return fmt::format("{:.0f} KB", n / 1e3);
  return fmt::format("{} B", int64_t(n));
}

/// Refuses a run whose tensors cannot fit in memory, before allocating any:
/// the parameters (twice, old and new, with their optimizer state when
/// training, and a gradient per thread), and every layer's activations at
/// `batch` (with their gradients when training).
static LogicalResult checkMemory(MLIRContext &ctx, const ModelIR &model,
                                 int64_t batch, bool training,
                                 unsigned threads) {
  double params = 0, activations = model.activations;
  for (const nnrt::ArgSpec &p : model.params)
    params += double(numElements(p.shape));
  double copies =
      training ? 2 * (1 + double(model.stateSlots.size())) + threads : 1;
  double weights = 4 * params * copies;
  double active = 4 * activations * double(batch) * (training ? 2 : 1);
  double have = memoryAvailable();
  if (weights + active <= have)
    return success();
  return emitError(UnknownLoc::get(&ctx))
         << "model '" << model.name << "' needs about "
         << bytesString(weights + active) << " of memory at batch " << batch
         << " (parameters"
         << (training ? ", gradients and optimizer state " : " ")
         << bytesString(weights) << ", activations " << bytesString(active)
         << "), more than the " << bytesString(have) << " this process may use";
}

/// A count given on the command line must be at least `least`.
static LogicalResult checkCount(MLIRContext &ctx, llvm::StringRef flag,
                                std::optional<int64_t> n, int64_t least = 1) {
  if (!n || *n >= least)
    return success();
  return emitError(UnknownLoc::get(&ctx))
         << flag << " must be at least " << least << ", found " << *n;
}

/// The program's dataset, cut to the first `limitTrain` / `limitTest`
/// samples when those are given.
static FailureOr<nnrt::DataSplit>
loadData(MLIRContext &ctx, llvm::SourceMgr &sm, const ModelIR &model,
         const std::string &dir, std::optional<int64_t> limitTrain,
         std::optional<int64_t> limitTest) {
  const TrainSettings &t = model.train;
  nnrt::Expected<nnrt::DataSplit> data =
      t.dataset == "csv" ? loadCsv(model, dir, sm)
                         : nnrt::loadDataset(t.dataset, dir);
  if (!data)
    return fail(ctx, data.status());
  if (t.dataset == "csv" && t.standardize) {
    // Per column, with the training table's figures for both tables.
    auto [mean, stddev] = data->train.columnMoments();
    data->train.standardizeColumns(mean, stddev);
    data->test.standardizeColumns(mean, stddev);
  }
  for (nnrt::Dataset *d : {&data->train, &data->test}) {
    double padded = double(d->count) * double(d->rows + 2 * t.pad) *
                    double(d->cols + 2 * t.pad) * 4;
    if (t.pad > 0 && !d->storedAsBytes() && padded > memoryAvailable() / 2)
      return emitError(UnknownLoc::get(&ctx))
             << "padding the images of '" << d->name << "' by " << t.pad
             << " makes " << bytesString(padded)
             << " of them, more than this process "
             << "may use";
    d->pad(t.pad);
    if (t.range)
      d->rescale(float(t.range->first), float(t.range->second));
  }
  if (t.dataset != "csv" && t.standardize) {
    // The whole training split's figures, for the test split too, so that
    // --limit-train and `nnc eval` see the same scale.
    auto [mean, stddev] = data->train.moments();
    data->train.standardize(mean, stddev);
    data->test.standardize(mean, stddev);
  }
  if (limitTrain)
    data->train.truncate(*limitTrain);
  if (limitTest)
    data->test.truncate(*limitTest);
  return std::move(*data);
}

/// The parts of a report every command fills the same way.
static nnrt::RunReport reportOf(const ModelIR &model,
                                const CompiledModel &compiled,
                                const nnrt::Evaluation &test) {
  nnrt::RunReport report;
  report.model = model.name;
  report.dataset = model.train.dataset;
  report.batch = model.train.batch;
  report.test = test;
  report.compileSeconds = compiled.seconds;
  report.compileStages = compiled.times;
  report.compileCached = compiled.fromCache;
  report.compileSecondsUncached =
      compiled.fromCache ? compiled.cachedSeconds : compiled.seconds;
  return report;
}

/// Fails, at the model, unless it has a train block (nn.train in IR);
/// `what` says what needs one.
static LogicalResult needTrain(const ModelIR &model, llvm::StringRef what) {
  if (model.train.present)
    return success();
  return emitError(model.loc, "model '")
         << model.name << "' has no "
         << (model.program ? "train block" : "nn.train attribute") << "; "
         << what;
}

LogicalResult nnc::runTrain(const TrainCommand &cmd, llvm::SourceMgr &sm,
                            MLIRContext &ctx) {
  FailureOr<ModelIR> loaded = loadModel(sm, ctx);
  if (failed(loaded))
    return failure();
  const ModelIR &model = *loaded;
  const TrainSettings &train = model.train;
  if (failed(needTrain(model, "'nnc train' needs one")))
    return failure();

  // --epochs 0 evaluates (and saves) the initial or resumed parameters.
  if (failed(checkCount(ctx, "--epochs", cmd.epochs, 0)) ||
      failed(checkCount(ctx, "--limit-train", cmd.limitTrain)) ||
      failed(checkCount(ctx, "--limit-test", cmd.limitTest)))
    return failure();
  FailureOr<nnrt::DataSplit> data =
      loadData(ctx, sm, model, cmd.dataDir, cmd.limitTrain, cmd.limitTest);
  if (failed(data))
    return failure();

  // Threads pay when a step's work dwarfs their handing over of the
  // batch and of the gradients: measured (bench/README.md), MLPs of 784-
  // 128-64-10 and 784-300-100-10 at batch 64 gain with two threads too;
  // 784-16-10 at batch 32 and a 1-32-1 regression lose.
  // A differentiated module's step is for one thread.
  bool worthThreads =
      !model.differentiated &&
      model.multiplyAdds * double(train.batch) >= kThreadedStepWork;
  unsigned threads =
      cmd.threads.value_or(worthThreads ? unsigned(nnrt::availableCpus()) : 1u);
  if (threads == 0)
    return emitError(UnknownLoc::get(&ctx), "--threads must be at least 1");
  if (cmd.threads && threads > unsigned(nnrt::availableCpus()))
    emitWarning(UnknownLoc::get(&ctx))
        << "--threads " << threads << " is more than the "
        << nnrt::availableCpus()
        << " CPUs this process may use: threads will share CPUs and run slower";
  unsigned asked = threads;
  while (train.batch % threads != 0) // each thread takes an equal slice
    --threads;
  if (cmd.threads && threads != asked)
    emitWarning(UnknownLoc::get(&ctx))
        << "--threads " << asked << " does not divide the batch of "
        << train.batch << "; training with " << threads << " threads";
  if (failed(checkMemory(ctx, model, train.batch, /*training=*/true, threads)))
    return failure();
  PipelineConfig config = pipelineConfig(model);
  config.threads = threads;
  // Training starts as soon as its functions are ready; @loss, needed only
  // for the test set, compiles beside the first steps on a core the
  // training leaves free, or after the training.
  FailureOr<CompiledModel> compiled =
      compile(model, ctx, cmd.compile, config, /*deferLoss=*/true);
  if (failed(compiled))
    return failure();
  nnrt::Trainer trainer(compiled->info, compiled->functions);
  if (nnrt::Status s = trainer.checkData(data->train); !s)
    return fail(ctx, s);
  uint64_t seed = cmd.seed.value_or(train.seed);
  if (nnrt::Status s = trainer.initialize(seed); !s)
    return fail(ctx, s);
  if (!cmd.resume.empty())
    if (nnrt::Status s = trainer.load(cmd.resume); !s)
      return fail(ctx, s);
  if (!cmd.quiet) {
    say("{}\n", stageLine(*compiled));
    say("training {} on {}: {} {}, batch {}, {} epoch(s), {} lr {} "
        "({}), seed {}, {} thread{}\n",
        model.name, data->train.tabular ? data->train.name : train.dataset,
        data->train.count, data->train.tabular ? "samples" : "images",
        train.batch, cmd.epochs.value_or(train.epochs), train.optimizer,
        train.lr, train.schedule, seed, threads, threads == 1 ? "" : "s");
    std::fflush(stdout);
  }

  nnrt::TrainOptions opts;
  opts.epochs = cmd.epochs.value_or(train.epochs);
  opts.lr = train.lr;
  opts.seed = seed;
  opts.shift = train.shift;
  using Kind = nnrt::LrSchedule::Kind;
  opts.schedule.kind = train.schedule == "cosine" ? Kind::Cosine
                       : train.schedule == "step" ? Kind::Step
                                                  : Kind::Constant;
  opts.schedule.every = train.stepEvery;
  opts.schedule.gamma = train.stepGamma;
  nnrt::ProgressPrinter progress(stdout, isatty(fileno(stdout)) != 0);
  std::vector<nnrt::EpochStats> epochs;
  nnrt::TrainCallbacks callbacks;
  if (!cmd.quiet)
    callbacks.onBatch = [&](const nnrt::EpochStats &s) { progress.onBatch(s); };
  callbacks.onEpoch = [&](const nnrt::EpochStats &s) {
    epochs.push_back(s);
    if (!cmd.quiet)
      progress.onEpoch(s);
  };
  auto start = std::chrono::steady_clock::now();
  if (nnrt::Status s = trainer.train(data->train, opts, callbacks); !s) {
    (void)fail(ctx, s);
    // The weights from before the step that diverged are the last good ones.
    if (trainer.diverged() && !cmd.save.empty()) {
      if (nnrt::Status saved = trainer.save(cmd.save); !saved)
        return fail(ctx, saved);
      emitRemark(UnknownLoc::get(&ctx))
          << "saved the parameters from before that step to '" << cmd.save
          << "'";
    }
    return failure();
  }
  double trainSeconds = since(start);
  if (compiled->deferredLoss) {
    if (failed(finishLoss(*compiled, UnknownLoc::get(&ctx))))
      return failure();
    trainer.setLoss(compiled->functions.loss);
    if (cmd.compile.verbose) {
      const auto &[functions, options] = compiled->pipelines.back();
      say("compile: {}: --nn-to-llvm-pipeline=\"{}\"\n", functions, options);
      printStage(compiled->times.back());
    }
  }

  if (!cmd.save.empty())
    if (nnrt::Status s = trainer.save(cmd.save); !s)
      return fail(ctx, s);
  nnrt::Evaluation ev;
  if (cmd.quiet)
    ev = trainer.evaluate(data->test);
  else
    ev = testAndPrint(trainer, data->test);
  if (!ev.error.empty())
    return fail(ctx, nnrt::Status::error(ev.error));
  if (!cmd.report.empty()) {
    nnrt::RunReport report = reportOf(model, *compiled, ev);
    report.epochs = opts.epochs;
    report.seed = seed;
    report.perEpoch = std::move(epochs);
    report.trainSeconds = trainSeconds;
    if (nnrt::Status s = nnrt::writeReport(cmd.report, report); !s)
      return fail(ctx, s);
  }
  return success();
}

LogicalResult nnc::runEval(const EvalCommand &cmd, llvm::SourceMgr &sm,
                           MLIRContext &ctx) {
  FailureOr<ModelIR> loaded = loadModel(sm, ctx);
  if (failed(loaded))
    return failure();
  const ModelIR &model = *loaded;
  if (failed(needTrain(model, "'nnc eval' needs its dataset and loss")))
    return failure();
  if (failed(checkCount(ctx, "--limit-test", cmd.limitTest)) ||
      failed(checkMemory(ctx, model, model.train.batch, /*training=*/false, 1)))
    return failure();
  FailureOr<nnrt::DataSplit> data = loadData(
      ctx, sm, model, cmd.dataDir, /*limitTrain=*/std::nullopt, cmd.limitTest);
  if (failed(data))
    return failure();
  FailureOr<CompiledModel> compiled = compile(model, ctx, cmd.compile);
  if (failed(compiled))
    return failure();
  nnrt::Trainer trainer(compiled->info, compiled->functions);
  if (nnrt::Status s = trainer.checkData(data->test); !s)
    return fail(ctx, s);
  if (nnrt::Status s = trainer.load(cmd.load); !s)
    return fail(ctx, s);
  nnrt::Evaluation ev = testAndPrint(trainer, data->test);
  if (!ev.error.empty())
    return fail(ctx, nnrt::Status::error(ev.error));
  if (!cmd.predictions.empty()) {
    std::string text;
    int64_t outputs = ev.count ? int64_t(ev.predictions.size()) / ev.count : 0;
    for (int64_t i = 0; i < ev.count; ++i) {
      const float *row = ev.predictions.data() + i * outputs;
      if (!ev.regression)
        text += fmt::format("{}", trainer.predictedClass(row));
      for (int64_t k = 0; k < outputs; ++k)
        text +=
            fmt::format("{}{:.9g}", ev.regression && k == 0 ? "" : " ", row[k]);
      text += "\n";
    }
    if (nnrt::Status s =
            nnrt::writeTextFile(cmd.predictions, text, "predictions");
        !s)
      return fail(ctx, s);
  }
  if (!cmd.report.empty()) {
    nnrt::RunReport report = reportOf(model, *compiled, ev);
    report.epochs = int64_t(trainer.epochsTrained());
    if (nnrt::Status s = nnrt::writeReport(cmd.report, report); !s)
      return fail(ctx, s);
  }
  return success();
}

LogicalResult nnc::runBench(const BenchCommand &cmd, llvm::SourceMgr &sm,
                            MLIRContext &ctx) {
  FailureOr<ModelIR> loaded = loadModel(sm, ctx);
  if (failed(loaded))
    return failure();
  const ModelIR &model = *loaded;
  if (cmd.batch <= 0 || cmd.calls <= 0)
    return emitError(UnknownLoc::get(&ctx),
                     "--batch and --calls must be positive");
  if (cmd.calls > kMaxBenchCalls)
    return emitError(UnknownLoc::get(&ctx))
           << "--calls is at most " << kMaxBenchCalls << ", found "
           << cmd.calls;
  if (model.largestActivation * double(cmd.batch) > double(kMaxElements))
    return emitError(UnknownLoc::get(&ctx))
           << "--batch " << cmd.batch
           << " makes a tensor of more than 2^40 elements";
  if (failed(checkMemory(ctx, model, cmd.batch, /*training=*/false, 1)))
    return failure();
  // Inference only: @predict at the requested batch.
  PipelineConfig config = pipelineConfig(model);
  config.training = false;
  config.batch = cmd.batch;
  FailureOr<CompiledModel> compiled = compile(model, ctx, cmd.compile, config);
  if (failed(compiled))
    return failure();
  nnrt::Trainer trainer(compiled->info, compiled->functions);
  if (nnrt::Status s = trainer.initialize(model.train.seed); !s)
    return fail(ctx, s);
  if (!cmd.load.empty())
    if (nnrt::Status s = trainer.load(cmd.load); !s)
      return fail(ctx, s);
  std::unique_ptr<nnrt::Trainer::Predictor> p = trainer.predictor(cmd.batch);
  if (!p->failure().empty())
    return fail(ctx, nnrt::Status::error(p->failure()));
  nnrt::Rng rng(1);
  for (int64_t i = 0; i < p->input().size(); ++i)
    p->input()[i] = float(rng.uniform());
  for (int i = 0; i < 20; ++i) // warm up caches and the branch predictor
    p->run();
  std::vector<double> samples(cmd.calls);
  for (double &t : samples) {
    auto start = std::chrono::steady_clock::now();
    p->run();
    t = since(start);
  }
  std::sort(samples.begin(), samples.end());
  double median = samples[samples.size() / 2];
  say("{}\n", stageLine(*compiled));
  say("predict {} batch {}: median {:.2f} us per call (p10 {:.2f}, p90 "
      "{:.2f}), "
      "{:.0f} images/s, {} calls\n",
      model.name, cmd.batch, median * 1e6, samples[samples.size() / 10] * 1e6,
      samples[samples.size() * 9 / 10] * 1e6, cmd.batch / median, cmd.calls);
  return success();
}

LogicalResult nnc::runSummary(llvm::SourceMgr &sm, MLIRContext &ctx,
                              llvm::raw_ostream &os) {
  FailureOr<ModelIR> model = loadModel(sm, ctx);
  if (failed(model))
    return failure();
  if (!model->program)
    return emitError(model->loc,
                     "nnc summary reads a model file (.nn): its table is of "
                     "the layers as written");
  os << summaryTable(*model->program);
  // The static memory plan: lowering to loops places every temporary.
  ModuleOp module = *model->module;
  PipelineConfig config = pipelineConfig(*model);
  config.training &= !model->differentiated;
  if (failed(lowerModule(module, Stage::Loops, config)))
    return failure();
  std::string plan;
  for (auto fn : module.getOps<func::FuncOp>())
    if (auto bytes = fn->getAttrOfType<IntegerAttr>("nn.workspace_bytes"))
      plan += fmt::format("{}{} {}", plan.empty() ? "" : ", ",
                          fn.getName().str(), bytesString(bytes.getInt()));
  if (!plan.empty())
    os << fmt::format("workspace (batch {}, allocated once): {}\n",
                      model->batch, plan);
  return success();
}
