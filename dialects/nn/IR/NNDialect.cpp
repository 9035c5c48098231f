//===- NNDialect.cpp - the nn dialect -------------------------------------===//
//
// Registers the nn operations and attributes, and checks the attributes
// that carry a model's contract (NNAttrs.td) wherever they appear.
//
//===----------------------------------------------------------------------===//

#include "dialects/nn/IR/NNDialect.h"
#include "dialects/nn/IR/NNOps.h"
#include "dialects/nn/IR/Optimizers.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::nn;

#include "dialects/nn/IR/NNDialect.cpp.inc"
#include "dialects/nn/IR/NNEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "dialects/nn/IR/NNAttrs.cpp.inc"

void NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/nn/IR/NNOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/nn/IR/NNAttrs.cpp.inc"
      >();
}

LogicalResult
OptimizerAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      OptimizerKind kind, DictionaryAttr hyper) {
  const OptimizerInfo &info = optimizerInfo(kind);
  for (NamedAttribute h : hyper) {
    const HyperParameter *known = info.lookup(h.getName());
    if (!known)
      return emitError() << "'" << stringifyOptimizerKind(kind)
                         << "' has no hyper-parameter '"
                         << h.getName().getValue() << "'";
    bool flag = known->range == HyperParameter::Range::Flag;
    if (flag ? !isa<UnitAttr>(h.getValue()) : !isa<FloatAttr>(h.getValue()))
      return emitError() << "hyper-parameter '" << h.getName().getValue()
                         << "' must be "
                         << (flag ? "a unit attribute" : "a float");
  }
  return success();
}

/// nn.role, nn.name and nn.init of an argument or result.
static LogicalResult verifyValueAttribute(Operation *op, NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == "nn.role" && !isa<RoleAttr>(attr.getValue()))
    return op->emitError("'nn.role' must be an #nn.role, found ")
           << attr.getValue();
  if ((name == "nn.name" || name == "nn.init") &&
      !isa<StringAttr>(attr.getValue()))
    return op->emitError("'")
           << name << "' must be a string, found " << attr.getValue();
  return success();
}

LogicalResult NNDialect::verifyRegionArgAttribute(Operation *op, unsigned,
                                                  unsigned,
                                                  NamedAttribute attr) {
  return verifyValueAttribute(op, attr);
}

LogicalResult NNDialect::verifyRegionResultAttribute(Operation *op, unsigned,
                                                     unsigned,
                                                     NamedAttribute attr) {
  return verifyValueAttribute(op, attr);
}

LogicalResult NNDialect::verifyOperationAttribute(Operation *op,
                                                  NamedAttribute attr) {
  if (attr.getName() == "nn.optimizer" && !isa<OptimizerAttr>(attr.getValue()))
    return op->emitError("'nn.optimizer' must be an #nn.optimizer, found ")
           << attr.getValue();
  return success();
}
