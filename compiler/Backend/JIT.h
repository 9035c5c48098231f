//===- JIT.h - compile an LLVM-dialect module in-process --------*- C++ -*-===//
//
// Hosts code; transforms nothing. The module must already be in the LLVM
// dialect (the pipelines did all the lowering).
//
//===----------------------------------------------------------------------===//

#ifndef NNC_BACKEND_JIT_H
#define NNC_BACKEND_JIT_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

#include <memory>

namespace nnc {

/// JIT-compiles `module` for the host CPU (its full feature set, LLVM O3).
mlir::FailureOr<std::unique_ptr<mlir::ExecutionEngine>>
jitCompile(mlir::ModuleOp module);

/// The packed wrapper of a function compiled with llvm.emit_c_interface:
/// one `void*` per argument, each pointing at a memref descriptor pointer.
mlir::FailureOr<void (*)(void **)>
lookupEntryPoint(mlir::ExecutionEngine &engine, llvm::StringRef function,
                 mlir::Location loc);

/// The LLVM IR of `module`, as --emit=llvm prints it (host target, before
/// optimisation).
mlir::LogicalResult printLLVMIR(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace nnc

#endif
