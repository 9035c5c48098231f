//===- Codegen.cpp - from the LLVM dialect to an object file --------------===//

#include "compiler/Backend/Codegen.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Utils/LoopUtils.h"

using namespace mlir;

/// unrolled body would pass the size threshold, to see what would fold
/// away: on LeNet-5's training module half a second, for nothing (the code
/// of LeNet-5, its batch-1 inference and MLP-A ran as fast without it).
static void skipUnrollSimulation() {
  static bool done = [] {
    llvm::StringRef name = "unroll-max-iteration-count-to-analyze";
    auto &options = llvm::cl::getRegisteredOptions();
    if (auto it = options.find(name); it != options.end())
      (void)it->second->addOccurrence(0, name, "0");
    return true;
  }();
  (void)done;
}

/// Instructions in a loop (its nested loops' included) beyond which LLVM's
/// unroller never unrolls nnc's loops: with a bound of 300 it unrolled some
/// (LeNet-5's object changed), with 1,000 none of the examples' or
/// benchmarks' objects changed.
static constexpr size_t kLargeLoop = 1000;

/// Marks the loops LLVM's unroller would only size, never unroll (nnc's
/// unrolled kernels and the loop nests around them): it skips a loop
/// marked llvm.loop.unroll.disable before sizing it (3.5% of the
/// instructions of compiling LeNet-5).
static void markLargeLoops(llvm::Module &module) {
  for (llvm::Function &f : module) {
    if (f.isDeclaration())
      continue;
    llvm::DominatorTree dominators(f);
    llvm::LoopInfo loops(dominators);
    for (llvm::Loop *loop : loops.getLoopsInPreorder()) {
      size_t size = 0;
      for (llvm::BasicBlock *block : loop->blocks())
        size += block->size();
      if (size > kLargeLoop)
        llvm::addStringMetadataToLoop(loop, "llvm.loop.unroll.disable", 1);
    }
  }
}

/// Removes pass `name` (with its <options>) from a printed pass pipeline,
/// with the comma that separates it from a neighbour.
static void dropPass(std::string &text, llvm::StringRef name) {
  for (size_t at = text.find(name.str()); at != std::string::npos;
       at = text.find(name.str(), at + 1)) {
    size_t end = at + name.size();
    bool starts = at == 0 || text[at - 1] == ',' || text[at - 1] == '(';
    bool ends = end == text.size() || text[end] == ',' || text[end] == ')' ||
                text[end] == '<';
    if (!starts || !ends)
      continue; // a longer name that starts with this one
    if (end < text.size() && text[end] == '<')
      end = text.find('>', end) + 1;
    if (end < text.size() && text[end] == ',')
      ++end;
    else if (at > 0 && text[at - 1] == ',')
      --at;
    text.erase(at, end - at);
    return;
  }
}

/// LLVM's O1 without the loop vectorizer, loop-load elimination and the
/// full unroller. nnc's pipeline already vectorizes every loop that
/// matters (matmuls, convolutions, elementwise ops and reductions) and
/// unrolls the kernels; LLVM cleans up the address arithmetic, hoists
/// invariants and unrolls a few short loops (the late unroller: LeNet-5's
/// step 1% slower without it). O2 and O3 took longer for no speed (O3's
/// loop-load elimination alone 2.1 s on LeNet-5; O2 0.3-0.8 s more than O1
/// with the training step, batch-1 inference and MLP-A as fast as with
/// O1). The full unroller changed no speed (LeNet-5's step, its batch-1
/// inference, MLP-A's step, called alternately) but sized every loop nest
/// again after each change: 8% of the instructions of compiling LeNet-5
/// (callgrind).
static LogicalResult optimize(llvm::Module &module, llvm::TargetMachine &tm,
                              Location loc) {
  skipUnrollSimulation();
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = false;
  tuning.LoopInterleaving = false;
  llvm::PassInstrumentationCallbacks callbacks;
  llvm::PassBuilder builder(&tm, tuning, std::nullopt, &callbacks);
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  // The default pipeline has no switch for these: print it, drop them,
  // parse it again.
  std::string text;
  llvm::raw_string_ostream os(text);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O1)
      .printPipeline(os, [&](llvm::StringRef name) {
        return callbacks.getPassNameForClassName(name);
      });
  for (llvm::StringRef pass :
       {"loop-load-elim", "loop-vectorize", "loop-unroll-full"})
    dropPass(text, pass);
  // Printed and parsed again, O1's interprocedural constant propagation
  // would specialize functions (2% of LeNet-5's compile, for nothing: the
  // same object without).
  llvm::StringRef ipsccp = "ipsccp,";
  if (size_t at = text.find(ipsccp.str()); at != std::string::npos)
    text.replace(at, ipsccp.size(), "ipsccp<no-func-spec>,");
  // The functions nnc generates are called from their C-interface wrappers
  // (or, outlined loop nests, once per call from another part): inlining
  // gains nothing, and the inliner sized the whole training step at every
  // call (5% of LeNet-5's compile).
  for (llvm::Function &f : module)
    if (!f.isDeclaration())
      f.addFnAttr(llvm::Attribute::NoInline);
  llvm::ModulePassManager passes;
  if (llvm::Error e = builder.parsePassPipeline(passes, text))
    return emitError(loc, "cannot build LLVM's pass pipeline: ")
           << llvm::toString(std::move(e));
  markLargeLoops(module);
  passes.run(module, mam);
  return success();
}

void nnc::StageClock::lap(llvm::StringRef stage) {
  auto now = std::chrono::steady_clock::now();
  if (times)
    times->emplace_back(stage.str(),
                        std::chrono::duration<double>(now - last).count());
  last = now;
}

FailureOr<llvm::SmallVector<char, 0>>
nnc::compileToObject(ModuleOp module, llvm::TargetMachine &tm,
                     const ModuleEditor &edit, StageTimes *times) {
  StageClock clock(times);
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return emitError(module.getLoc(), "cannot translate the module to LLVM IR");
  llvmModule->setDataLayout(tm.createDataLayout());
  llvmModule->setTargetTriple(tm.getTargetTriple());
  if (edit && failed(edit(*llvmModule)))
    return failure();
  clock.lap("llvm-ir");
  if (failed(optimize(*llvmModule, tm, module.getLoc())))
    return failure();
  clock.lap("llvm-opt");
  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream os(object);
  llvm::legacy::PassManager codegen;
  if (tm.addPassesToEmitFile(codegen, os, nullptr,
                             llvm::CodeGenFileType::ObjectFile))
    return emitError(module.getLoc(), "the target cannot emit object files");
  codegen.run(*llvmModule);
  clock.lap("codegen");
  return object;
}

void nnc::addPackedEntryPoints(llvm::Module &module) {
  llvm::SmallVector<llvm::Function *> interfaces;
  for (llvm::Function &f : module)
    if (!f.isDeclaration() && f.getName().starts_with("_mlir_ciface_"))
      interfaces.push_back(&f);
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  for (llvm::Function *f : interfaces) {
    auto *packed = llvm::Function::Create(
        llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false),
        llvm::GlobalValue::ExternalLinkage, "_mlir_" + f->getName(), module);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", packed));
    llvm::Value *args = packed->getArg(0);
    llvm::SmallVector<llvm::Value *> values;
    for (llvm::Argument &a : f->args()) {
      llvm::Value *slot = b.CreateConstGEP1_64(ptr, args, a.getArgNo());
      values.push_back(b.CreateLoad(a.getType(), b.CreateLoad(ptr, slot)));
    }
    llvm::Value *result = b.CreateCall(f, values);
    if (!f->getReturnType()->isVoidTy()) {
      llvm::Value *slot = b.CreateConstGEP1_64(ptr, args, f->arg_size());
      b.CreateStore(result, b.CreateLoad(ptr, slot));
    }
    b.CreateRetVoid();
  }
}

LogicalResult nnc::printLLVMIR(ModuleOp module, llvm::raw_ostream &os) {
  FailureOr<std::unique_ptr<llvm::TargetMachine>> tm =
      createTargetMachine({}, module.getLoc());
  if (failed(tm))
    return failure();
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return emitError(module.getLoc(), "cannot translate the module to LLVM IR");
  llvmModule->setDataLayout((*tm)->createDataLayout());
  llvmModule->setTargetTriple((*tm)->getTargetTriple());
  llvmModule->print(os, nullptr);
  return success();
}
