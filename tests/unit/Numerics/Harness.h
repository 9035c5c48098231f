//===- Harness.h - compile MLIR snippets and call them ----------*- C++ -*-===//
//
// Shared by the numerical tests: parse a module, add @F_grad with nn-grad,
// lower it with the same pipelines nnc uses, JIT it, and call functions with
// runtime tensors.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_TESTS_NUMERICS_HARNESS_H
#define NNC_TESTS_NUMERICS_HARNESS_H

#include "compiler/Backend/JIT.h"
#include "compiler/Driver/Compiler.h"
#include "dialects/nn/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "nnrt/MemRef.h"
#include "nnrt/Tensor.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

namespace nnc::test {

class Compiled {
public:
  /// Compiles `source` with the plain or the vectorizing pipeline, the
  /// latter scheduled for the x86-64 CPU `cpu` (an AVX-512 one by default;
  /// the JIT still runs it on the host);
  /// ADD_FAILURE with the diagnostics on error.
  explicit Compiled(const std::string &source, bool vectorize = true,
                    const std::string &cpu = "skylake-avx512") {
    mlir::DialectRegistry registry;
    nnc::registerDialects(registry);
    ctx = std::make_unique<mlir::MLIRContext>(registry);
    std::string errors;
    llvm::raw_string_ostream os(errors);
    mlir::ScopedDiagnosticHandler handler(ctx.get(), [&](mlir::Diagnostic &d) {
      os << d << "\n";
      return mlir::success();
    });
    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, ctx.get());
    if (!module) {
      ADD_FAILURE() << "parse failed:\n" << errors;
      return;
    }
    mlir::PassManager pm(ctx.get());
    pm.addPass(mlir::nn::createNNGradPass());
    if (mlir::failed(pm.run(*module)) ||
        mlir::failed(nnc::lowerModule(*module, nnc::Stage::LLVMMLIR,
                                      options(vectorize, cpu)))) {
      ADD_FAILURE() << "lowering failed:\n" << errors;
      return;
    }
    auto engine = nnc::jitCompile(*module);
    if (mlir::failed(engine)) {
      ADD_FAILURE() << "JIT failed:\n" << errors;
      return;
    }
    this->engine = std::move(*engine);
    loc = module->getLoc();
  }

  bool ok() const { return engine != nullptr; }

  /// Calls `name` with inputs then outputs, as buffer-results-to-out-params
  /// orders them.
  void call(const std::string &name, std::vector<nnrt::Tensor *> args) {
    auto fn = engine->lookupPacked(name, *loc);
    ASSERT_TRUE(mlir::succeeded(fn)) << name;
    std::vector<nnrt::MemRefArg> descs;
    for (nnrt::Tensor *t : args)
      descs.emplace_back(t->data(), t->shape());
    std::vector<void *> ptrs;
    for (nnrt::MemRefArg &d : descs)
      ptrs.push_back(d.packed());
    (*fn)(ptrs.data());
  }

private:
  static nnc::PipelineConfig options(bool vectorize, const std::string &cpu) {
    nnc::PipelineConfig opts;
    opts.training = false;
    opts.vectorize = vectorize;
    opts.targetTriple = "x86_64-unknown-linux-gnu";
    opts.targetCpu = cpu;
    return opts;
  }

  std::unique_ptr<mlir::MLIRContext> ctx;
  std::unique_ptr<nnc::JITModule> engine;
  std::optional<mlir::Location> loc;
};

/// Values in [-1, 1] kept at least `gap` away from 0 (kinks of relu, step).
inline nnrt::Tensor randomTensor(std::vector<int64_t> shape, unsigned seed,
                                 double gap = 0.05) {
  nnrt::Tensor t(std::move(shape));
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(gap, 1.0);
  for (int64_t i = 0; i < t.size(); ++i)
    t[i] = float(u(gen) * (gen() % 2 ? 1 : -1));
  return t;
}

} // namespace nnc::test

#endif
