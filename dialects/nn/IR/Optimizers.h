//===- Optimizers.h - what nnc knows of each optimizer ----------*- C++ -*-===//
//
// One table, read by the front end (which options an optimizer takes and
// their ranges), nn-autodiff (which update op, which state), the driver and
// the runtime's manifest (the state slots' names). Adding an optimizer: a
// row here, a case in NNAttrs.td, its update op (NNOps.td and its
// lowering) and its case in nn-autodiff.
//
//===----------------------------------------------------------------------===//

#ifndef NN_IR_OPTIMIZERS_H
#define NN_IR_OPTIMIZERS_H

#include "dialects/nn/IR/NNDialect.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::nn {

/// A hyper-parameter of an optimizer. The learning rate is not one: it is
/// an argument of every step (schedules change it without recompiling).
struct HyperParameter {
  enum class Range {
    Unit,        // [0, 1)
    Positive,    // (0, inf)
    NonNegative, // [0, inf)
    Flag,        // true or false: a unit attribute when true
  };
  llvm::StringLiteral name;
  double fallback; // PyTorch's default
  Range range;
};

struct OptimizerInfo {
  OptimizerKind kind; // its name: stringifyOptimizerKind
  /// In the order the front end lists them.
  llvm::ArrayRef<HyperParameter> hyper;
  /// The state kept per parameter, in the training step's argument order.
  llvm::ArrayRef<llvm::StringLiteral> slots;
  /// The slots exist only when this hyper-parameter is non-zero (SGD keeps
  /// a velocity only with momentum); empty: always.
  llvm::StringLiteral slotsNeed;

  const HyperParameter *lookup(llvm::StringRef name) const;
};

/// Every optimizer, in OptimizerKind order.
llvm::ArrayRef<OptimizerInfo> optimizers();
const OptimizerInfo &optimizerInfo(OptimizerKind kind);
/// The optimizer called `name` (its OptimizerKind's string), or null.
const OptimizerInfo *lookupOptimizer(llvm::StringRef name);

/// Hyper-parameter `name` of `opt`: its value there, else its default (a
/// flag: 1 when set).
double hyperParameter(OptimizerAttr opt, llvm::StringRef name);
/// The names of the state slots a step with `opt` keeps per parameter.
llvm::SmallVector<llvm::StringRef> stateSlots(OptimizerAttr opt);
/// The same, before there is an attribute: `value` gives each
/// hyper-parameter's value.
llvm::SmallVector<llvm::StringRef>
stateSlots(const OptimizerInfo &info,
           llvm::function_ref<double(llvm::StringRef)> value);

} // namespace mlir::nn

#endif // NN_IR_OPTIMIZERS_H
