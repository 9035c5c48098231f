//===- ModelFuzzer.cpp - fuzz the model-file front end --------------------===//
//
// One input is one model file: lexed, parsed, checked, turned into nn IR and
// verified, diagnostics dropped. The MLIR context is set up once and made
// afresh every few thousand inputs, so that what it interns (names,
// shapes) does not grow without bound over a long run.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Compiler.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>

namespace {
constexpr int kInputsPerContext = 4000;

mlir::MLIRContext &context() {
  static std::unique_ptr<mlir::MLIRContext> ctx;
  static int used = 0;
  if (!ctx || ++used == kInputsPerContext) {
    used = 0;
    ctx.reset(); // before the new one: one context at a time
    mlir::DialectRegistry registry;
    nnc::registerDialects(registry);
    ctx = std::make_unique<mlir::MLIRContext>(registry);
    ctx->printOpOnDiagnostic(false);
  }
  return *ctx;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext &ctx = context();
  llvm::SourceMgr sm;
  sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.nn"),
      llvm::SMLoc());
  mlir::ScopedDiagnosticHandler quiet(
      &ctx, [](mlir::Diagnostic &) { return mlir::success(); });
  mlir::FailureOr<nnc::Analyzed> analyzed = nnc::analyzeSource(sm, ctx);
  if (mlir::failed(analyzed))
    return 0;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      nnc::buildModule(analyzed->program, sm, ctx);
  if (module)
    (void)mlir::verify(*module);
  return 0;
}
