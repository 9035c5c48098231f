//===- nn-kernel-bench.cpp - time the functions of an nn-dialect module ---===//
//
// Lowers an MLIR module of nn ops with the pipeline nnc uses (or the plain
// one with --plain), fills every argument with random values and times each
// public function: the median and the best of repeated calls, and GFLOPS
// (from the best) where the
// function carries `nn.flops = N : i64`. It measures kernels in isolation
// (e.g. each way of computing LeNet-5's convolutions), so that the choices
// in the pipeline are measured, not guessed.
//
//===----------------------------------------------------------------------===//

#include "compiler/Backend/JIT.h"
#include "compiler/Driver/Compiler.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Parser/Parser.h"
#include "nnrt/MemRef.h"
#include "nnrt/Random.h"
#include "nnrt/Tensor.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

using namespace mlir;

static llvm::cl::opt<std::string> input(llvm::cl::Positional,
                                        llvm::cl::Required,
                                        llvm::cl::desc("<module.mlir>"));
static llvm::cl::opt<bool> plain("plain",
                                 llvm::cl::desc("plain loops, no schedule"));
static llvm::cl::opt<double> seconds("seconds", llvm::cl::init(0.3),
                                     llvm::cl::desc("time per function"));
static llvm::cl::opt<std::string>
    only("only", llvm::cl::desc("functions whose name contains this"));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::cl::ParseCommandLineOptions(argc, argv, "time nn kernels\n");
  DialectRegistry registry;
  nnc::registerDialects(registry);
  MLIRContext ctx(registry);
  llvm::SourceMgr sm;
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(input, sm, &ctx);
  if (!module)
    return 1;
  struct Fn {
    std::string name;
    std::vector<std::vector<int64_t>> args, results;
    int64_t flops = 0;
  };
  std::vector<Fn> fns;
  for (auto f : module->getOps<func::FuncOp>()) {
    if (!only.empty() && !f.getName().contains(only))
      continue;
    f->setAttr("llvm.emit_c_interface", UnitAttr::get(&ctx));
    Fn fn{f.getName().str(), {}, {}, 0};
    for (Type t : f.getArgumentTypes())
      fn.args.push_back(cast<RankedTensorType>(t).getShape().vec());
    for (Type t : f.getResultTypes())
      fn.results.push_back(cast<RankedTensorType>(t).getShape().vec());
    if (auto a = f->getAttrOfType<IntegerAttr>("nn.flops"))
      fn.flops = a.getInt();
    fns.push_back(fn);
  }
  nnc::PipelineConfig config;
  config.training = false;
  config.vectorize = !plain;
  nnc::StageTimes times;
  if (failed(nnc::lowerModule(*module, nnc::Stage::LLVMMLIR, config, &times)))
    return 1;
  auto engine = nnc::jitCompile(*module);
  if (failed(engine))
    return 1;
  nnrt::Rng rng(1);
  // The machine may be shared: the best call is the steadiest figure for
  // comparing kernels, the median says what a run sees.
  fmt::print("{:<28} {:>12} {:>10} {:>10}\n", "function", "median µs",
             "best µs", "GFLOPS");
  for (const Fn &fn : fns) {
    auto entry = (*engine)->lookupPacked(fn.name, module->getLoc());
    if (failed(entry))
      return 1;
    std::vector<nnrt::Tensor> tensors;
    for (const auto &s : fn.args) {
      tensors.emplace_back(s);
      for (int64_t i = 0; i < tensors.back().size(); ++i)
        tensors.back()[i] = float(rng.uniform() - 0.5);
    }
    for (const auto &s : fn.results)
      tensors.emplace_back(s);
    std::vector<nnrt::MemRefArg> descs;
    for (nnrt::Tensor &t : tensors)
      descs.emplace_back(t.data(), t.shape());
    std::vector<void *> ptrs;
    for (nnrt::MemRefArg &d : descs)
      ptrs.push_back(d.packed());
    (*entry)(ptrs.data()); // warm-up
    std::vector<double> samples;
    auto start = std::chrono::steady_clock::now();
    while (samples.size() < 5 || std::chrono::duration<double>(
                                     std::chrono::steady_clock::now() - start)
                                         .count() < seconds) {
      auto t0 = std::chrono::steady_clock::now();
      (*entry)(ptrs.data());
      samples.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
              .count());
    }
    std::sort(samples.begin(), samples.end());
    double med = samples[samples.size() / 2], best = samples.front();
    fmt::print("{:<28} {:>12.1f} {:>10.1f} {:>10}\n", fn.name, med * 1e6,
               best * 1e6,
               fn.flops ? fmt::format("{:.1f}", fn.flops / best * 1e-9) : "");
  }
  return 0;
}
