//===- Diagnostics.h - how nnc shows its diagnostics ------------*- C++ -*-===//
//
// The one place that decides how a diagnostic reaches the user: rendered
// like clang's, or checked against `expected-*` comments.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_DRIVER_DIAGNOSTICS_H
#define NNC_DRIVER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/SourceMgr.h"

#include <optional>

namespace nnc {

/// Errors shown before the rest are dropped (clang's -ferror-limit).
constexpr unsigned kDefaultErrorLimit = 20;

/// Runs `body` with diagnostics rendered clang-style (file:line:col, the
/// line, a caret; at most `errorLimit` errors, 0 for all), or checked
/// against `expected-*` comments when `verify`. Returns the exit code.
int runWithDiagnostics(llvm::SourceMgr &sm, mlir::MLIRContext &ctx, bool verify,
                       llvm::function_ref<mlir::LogicalResult()> body,
                       unsigned errorLimit = kDefaultErrorLimit);

/// llvm::cl's parse of the command line, with its complaints written to
/// `os` as nnc's errors and notes ("nnc: error: ..."). False on a bad flag.
bool parseCommandLine(int argc, const char *const *argv,
                      llvm::StringRef overview, llvm::raw_ostream &os);

/// Holds back the errors emitted while it lives, those of a step after Sema:
/// they are about nnc's IR, not about the model, so a user sees one error
/// that says so (report()), at the line of the model the first of them came
/// from, never MLIR's own message.
class InternalErrors {
public:
  explicit InternalErrors(mlir::MLIRContext *ctx);
  /// Reports the failure of `stage` (once, after the held errors).
  mlir::LogicalResult report(llvm::StringRef stage);

private:
  mlir::MLIRContext *ctx;
  std::optional<mlir::ScopedDiagnosticHandler> handler;
  std::optional<mlir::Location> first;
};

/// LLVM's fatal errors and failed allocations print one nnc error and exit
/// with status 1, not LLVM's report, a stack dump and a signal.
void installFatalErrorHandlers();

} // namespace nnc

#endif
