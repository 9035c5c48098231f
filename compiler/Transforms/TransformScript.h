//===- TransformScript.h - schedules written as transform scripts -*- C++
//-*-===//
//
// nn-schedule-matmuls and nn-schedule-convs apply transform-dialect
// scripts whose tile sizes come from the target: the script names each as a
// placeholder (ROWS, PIXELS, ...), replaced here by its value; a
// placeholder the script lacks is nnc's bug and an error.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_TRANSFORMS_TRANSFORMSCRIPT_H
#define NNC_TRANSFORMS_TRANSFORMSCRIPT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>
#include <utility>

namespace nnc {

/// A parsed script and the values it was instantiated with.
struct TransformScript {
  std::vector<int64_t> values;
  std::shared_ptr<mlir::OwningOpRef<mlir::ModuleOp>> module;
};

/// `script` with every occurrence of each placeholder replaced by its
/// value, parsed into `ctx`; reuses `cached` when its values are the same.
/// Then applies its @__transform_main to `root`.
mlir::LogicalResult
applyTransformScript(llvm::StringRef script, llvm::StringRef name,
                     llvm::ArrayRef<std::pair<llvm::StringRef, int64_t>> values,
                     mlir::Operation *root, TransformScript &cached);

} // namespace nnc

#endif // NNC_TRANSFORMS_TRANSFORMSCRIPT_H
