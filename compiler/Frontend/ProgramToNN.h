//===- ProgramToNN.h - the nn dialect from a checked model ------*- C++ -*-===//
//
// Builds a module with @predict (parameters, input -> output) and, when the
// file has a train block, @loss (parameters, input, target -> per-sample
// losses, output), every op located at the source that asked for it.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_FRONTEND_PROGRAMTONN_H
#define NNC_FRONTEND_PROGRAMTONN_H

#include "compiler/Frontend/Model.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace nnc {

/// `batch` is the leading dimension of every tensor; the train block's batch
/// size when the model trains.
mlir::OwningOpRef<mlir::ModuleOp>
generateNN(const Program &prog, const Locator &locate, int64_t batch);

} // namespace nnc

#endif
