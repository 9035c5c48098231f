//===- JIT.h - run compiled code in-process ---------------------*- C++ -*-===//
//
// Loads object files made by Codegen.h into the process (ORC's LLJIT) and
// finds their entry points. The objects' undefined symbols (libm, libc)
// resolve against the process.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_BACKEND_JIT_H
#define NNC_BACKEND_JIT_H

#include "compiler/Backend/Codegen.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"

#include <memory>

namespace nnc {

/// Compiled code loaded into this process.
class JITModule {
public:
  /// Loads object files (compileForJIT's) into one symbol space.
  static mlir::FailureOr<std::unique_ptr<JITModule>>
  load(llvm::ArrayRef<llvm::SmallVector<char, 0>> objects, mlir::Location loc);

  /// Adds object files compiled later (a deferred @loss).
  mlir::LogicalResult add(llvm::ArrayRef<llvm::SmallVector<char, 0>> objects,
                          mlir::Location loc);

  /// The packed entry point of a function with a C interface
  /// (`_mlir__mlir_ciface_NAME`, see addPackedEntryPoints).
  mlir::FailureOr<void (*)(void **)> lookupPacked(llvm::StringRef function,
                                                  mlir::Location loc);

private:
  std::unique_ptr<llvm::orc::LLJIT> jit;
};

/// An object file of `module` (LLVM dialect) for the host, with packed
/// entry points; the stages' times go to `times` when given.
mlir::FailureOr<llvm::SmallVector<char, 0>>
compileForJIT(mlir::ModuleOp module, StageTimes *times = nullptr);

/// compileForJIT, then load.
mlir::FailureOr<std::unique_ptr<JITModule>> jitCompile(mlir::ModuleOp module);

} // namespace nnc

#endif
