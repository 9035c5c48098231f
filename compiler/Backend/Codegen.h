//===- Codegen.h - from the LLVM dialect to an object file ------*- C++ -*-===//
//
// The one path from a lowered module to machine code, for the JIT and for
// `nnc compile` alike: translate to LLVM IR, add the entry points the
// caller asks for, optimize (LLVM's O1, less its loop vectorizer) and
// emit an object file in memory. The
// JIT loads the object (JIT.h); the compile cache stores it (Cache.h);
// `nnc compile` writes it out.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_BACKEND_CODEGEN_H
#define NNC_BACKEND_CODEGEN_H

#include "compiler/Target/TargetDescription.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nnc {

/// Rewrites an LLVM module before it is optimized: adds entry points, sets
/// linkages.
using ModuleEditor = std::function<mlir::LogicalResult(llvm::Module &)>;

/// Seconds spent in each compilation stage, in order.
using StageTimes = std::vector<std::pair<std::string, double>>;

/// Appends the time since the previous lap (or since it was made) to
/// `times`, when there are times to keep.
class StageClock {
public:
  explicit StageClock(StageTimes *times)
      : times(times), last(std::chrono::steady_clock::now()) {}
  void lap(llvm::StringRef stage);

private:
  StageTimes *times;
  std::chrono::steady_clock::time_point last;
};

/// Translates `module` (LLVM dialect), applies `edit`, optimizes and emits
/// an object file for `tm`; the stages' times ("llvm-ir", "llvm-opt",
/// "codegen") go to `times` when given.
mlir::FailureOr<llvm::SmallVector<char, 0>>
compileToObject(mlir::ModuleOp module, llvm::TargetMachine &tm,
                const ModuleEditor &edit = {}, StageTimes *times = nullptr);

/// Adds `_mlir__mlir_ciface_NAME(void **args)` for each function NAME that
/// has a C interface (`_mlir_ciface_NAME`): args[i] points to argument i.
/// These are what the runtime calls (nnrt::PackedFunction).
void addPackedEntryPoints(llvm::Module &module);

/// Prints `module` as LLVM IR for the host, unoptimized (--emit=llvm).
mlir::LogicalResult printLLVMIR(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace nnc

#endif
