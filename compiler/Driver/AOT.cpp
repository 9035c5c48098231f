//===- AOT.cpp - nnc compile: a model becomes an object file and a header -===//

#include "compiler/Driver/Commands.h"

#include "compiler/Backend/CInterface.h"
#include "compiler/Backend/Codegen.h"
#include "compiler/Backend/Version.h"

#include "dialects/nn/IR/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace nnc;

/// Files written whole or not at all: each goes to a temporary file in its
/// directory first, and only when every one is written are they renamed
/// into place, so a failure changes none of the files that were there.
class OutputFiles {
public:
  explicit OutputFiles(MLIRContext &ctx) : ctx(ctx) {}
  ~OutputFiles() {
    for (const auto &f : staged)
      llvm::sys::fs::remove(f.first);
  }

  LogicalResult add(const std::string &path, llvm::StringRef data) {
    llvm::SmallString<256> temp;
    int fd;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueFile(path + ".tmp-%%%%%%", fd, temp))
      return emitError(UnknownLoc::get(&ctx), "cannot write '")
             << path << "': " << ec.message();
    staged.push_back({std::string(temp), path});
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << data;
    os.close();
    if (std::error_code ec = os.error()) {
      os.clear_error();
      return emitError(UnknownLoc::get(&ctx), "cannot write '")
             << path << "': " << ec.message();
    }
    return success();
  }

  LogicalResult commit() {
    for (const auto &[temp, path] : staged)
      if (std::error_code ec = llvm::sys::fs::rename(temp, path))
        return emitError(UnknownLoc::get(&ctx), "cannot write '")
               << path << "': " << ec.message();
    staged.clear();
    return success();
  }

private:
  MLIRContext &ctx;
  std::vector<std::pair<std::string, std::string>> staged; // temp, path
};

LogicalResult nnc::runCompile(const CompileCommand &cmd, llvm::SourceMgr &sm,
                              MLIRContext &ctx) {
  FailureOr<ModelIR> loaded = loadModel(sm, ctx);
  if (failed(loaded))
    return failure();
  const ModelIR &model = *loaded;
  const TrainSettings &train = model.train;
  if (cmd.train && !train.present)
    return emitError(model.loc, "model '")
           << model.name
           << "' has no train block; --train needs its loss and optimizer";
  if (cmd.output.empty())
    return emitError(UnknownLoc::get(&ctx), "nnc compile needs -o FILE.o");
  if (cmd.batch < 0)
    return emitError(UnknownLoc::get(&ctx), "--batch must be positive");
  // Fail on a bad target before the compilation, not after it.
  FailureOr<std::unique_ptr<llvm::TargetMachine>> tm =
      createTargetMachine({cmd.triple, cmd.cpu}, UnknownLoc::get(&ctx));
  if (failed(tm))
    return failure();

  CInterface iface;
  iface.prefix = model.name;
  iface.trainable = cmd.train;
  iface.denormals = TargetDescription::of(**tm).denormals;
  if (cmd.train && cmd.batch > 0 && cmd.batch != train.batch)
    return emitError(UnknownLoc::get(&ctx), "--batch ")
           << cmd.batch << " differs from the train block's batch of "
           << train.batch << "; train_step works on that batch";
  if (cmd.train && model.differentiated && model.batch != train.batch)
    return emitError(model.loc, "module '")
           << model.name << "' holds @train_step for a batch of " << model.batch
           << ", its nn.train a batch of " << train.batch;
  PipelineConfig config = pipelineConfig(model);
  // predict's batch: --batch, else the train block's, else 1.
  config.batch = cmd.batch > 0 ? cmd.batch : train.present ? train.batch : 1;
  config.training = cmd.train && !model.differentiated;
  // Without --train, @predict alone; with it, every function the train
  // block gives (the C interface exports @predict and @train_step).
  if (!cmd.train)
    config.keep = {"predict"};
  // Every function takes its workspace from the caller: the object keeps
  // no mutable state, so calls on two workspaces may run at once.
  config.workspaceArgs = true;
  config.targetTriple = cmd.triple;
  config.targetCpu = cmd.cpu;
  ModuleOp module = *loaded->module;
  if (failed(lowerModule(module, Stage::Linalg, config)))
    return failure();
  FailureOr<nnrt::ModelInfo> described = describeModule(module);
  if (failed(described))
    return failure();
  const nnrt::ModelInfo &info = *described;
  llvm::SmallVector<StringRef> exported{"predict"};
  if (cmd.train)
    exported.push_back("train_step");
  for (StringRef name : exported) {
    const nnrt::FunctionManifest *fn = info.function(name.str());
    if (!fn)
      return emitError(module.getLoc(), "the compiled module has no @") << name;
    iface.functions.push_back({fn->name, fn->args, 0});
  }
  if (!cmd.weights.empty()) {
    // A checkpoint of `nnc train` holds the train block's optimizer state
    // too, though predict alone does not take it.
    nnrt::ModelInfo holderInfo = info;
    if (train.present)
      holderInfo.stateSlots = model.stateSlots;
    nnrt::Trainer holder(holderInfo, nnrt::CompiledFunctions{});
    if (nnrt::Status s = holder.load(cmd.weights); !s)
      return emitError(UnknownLoc::get(&ctx)) << s.message();
    std::vector<float> flat;
    for (const nnrt::Tensor &t : holder.params())
      flat.insert(flat.end(), t.data(), t.data() + t.size());
    iface.weights = std::move(flat);
  }
  if (failed(lowerModule(module, Stage::Loops, config, nullptr, Stage::Linalg)))
    return failure();
  for (FunctionSignature &sig : iface.functions) {
    auto fn = module.lookupSymbol<func::FuncOp>(sig.name);
    if (auto bytes = fn->getAttrOfType<IntegerAttr>("nn.workspace_bytes"))
      sig.workspaceBytes = bytes.getInt();
    if (failed(checkLowered(fn, sig.args.size())))
      return failure();
  }
  if (failed(
          lowerModule(module, Stage::LLVMMLIR, config, nullptr, Stage::Loops)))
    return failure();
  FailureOr<llvm::SmallVector<char, 0>> object =
      compileToObject(module, **tm, [&](llvm::Module &m) {
        addCInterface(m, iface);
        return success();
      });
  if (failed(object))
    return failure();
  OutputFiles files(ctx);
  if (failed(files.add(cmd.output,
                       llvm::StringRef(object->data(), object->size()))))
    return failure();
  if (!cmd.header.empty()) {
    HeaderFacts facts;
    facts.header = llvm::sys::path::filename(cmd.header).str();
    facts.version = NNC_VERSION;
    facts.source =
        llvm::sys::path::filename(
            sm.getMemoryBuffer(sm.getMainFileID())->getBufferIdentifier())
            .str();
    facts.target =
        (*tm)->getTargetTriple().str() + ", CPU " + (*tm)->getTargetCPU().str();
    facts.inputLayout = info.inputShape.size() == 3
                            ? "(batch, height, width, channels)"
                            : "(batch, features)";
    facts.stateSlots = info.stateSlots;
    facts.outputIsDistance = info.outputIsDistance;
    if (train.present && train.lossTarget == "label")
      facts.classes = info.outputShape.back();
    if (failed(files.add(cmd.header, cHeader(iface, facts))))
      return failure();
  }
  return files.commit();
}
