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

#include <cmath>

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
    if (flag)
      continue;
    double v = cast<FloatAttr>(h.getValue()).getValueAsDouble();
    using Range = HyperParameter::Range;
    bool ok = std::isfinite(v) && (known->range == Range::Unit ? v >= 0 && v < 1
                                   : known->range == Range::Positive ? v > 0
                                                                     : v >= 0);
    if (!ok)
      return emitError() << "hyper-parameter '" << h.getName().getValue()
                         << "' must be "
                         << (known->range == Range::Unit       ? "in [0, 1)"
                             : known->range == Range::Positive ? "positive"
                                                               : "at least 0")
                         << ", found " << v;
  }
  return success();
}

LogicalResult
TrainAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                  StringRef dataset, int64_t batch, int64_t epochs,
                  FloatAttr lr, StringRef schedule, int64_t stepEvery,
                  FloatAttr stepGamma, uint64_t, int64_t pad, int64_t shift,
                  FloatAttr rangeMin, FloatAttr rangeMax, BoolAttr standardize,
                  StringRef target, StringRef csvTrain, StringRef csvTest,
                  StringRef, BoolAttr, BoolAttr) {
  auto finite = [](FloatAttr f) {
    return !f || std::isfinite(f.getValueAsDouble());
  };
  if (dataset != "mnist" && dataset != "fashion_mnist" && dataset != "csv")
    return emitError() << "dataset must be \"mnist\", \"fashion_mnist\" or "
                          "\"csv\", found \""
                       << dataset << "\"";
  if (dataset == "csv" && (csvTrain.empty() || csvTest.empty()))
    return emitError() << "a csv dataset needs csv_train and csv_test";
  if (batch < 1 || epochs < 0 || stepEvery < 1 || pad < 0 || shift < 0)
    return emitError() << "batch and step_every must be at least 1; epochs, "
                          "pad and shift at least 0";
  if (!finite(lr) || lr.getValueAsDouble() <= 0)
    return emitError() << "lr must be a positive number";
  if (schedule != "constant" && schedule != "cosine" && schedule != "step")
    return emitError() << "schedule must be \"constant\", \"cosine\" or "
                          "\"step\", found \""
                       << schedule << "\"";
  if (!finite(stepGamma) || !finite(rangeMin) || !finite(rangeMax))
    return emitError() << "step_gamma and the range must be finite";
  if (bool(rangeMin) != bool(rangeMax) ||
      (rangeMin && standardize && standardize.getValue()))
    return emitError() << "range_min and range_max come together, and not "
                          "with standardize";
  if (target != "label" && target != "target")
    return emitError() << "target must be \"label\" or \"target\", found \""
                       << target << "\"";
  return success();
}

LogicalResult TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 StringRef triple, StringRef cpu,
                                 int64_t vectorLanes, int64_t vectorRegisters,
                                 int64_t kernelLanes, int64_t l1Bytes,
                                 int64_t l2Bytes, bool, DenormalFlush) {
  if (triple.empty() || cpu.empty())
    return emitError() << "a target needs its triple and CPU";
  if (vectorLanes < 1 || kernelLanes < 1 || vectorRegisters < 4)
    return emitError() << "vector_lanes and kernel_lanes must be positive, "
                          "vector_registers at least 4";
  if (l1Bytes < 1 || l2Bytes < l1Bytes)
    return emitError() << "l1_bytes must be positive and l2_bytes at least "
                          "l1_bytes";
  return success();
}

LogicalResult KernelAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 KernelKind kind, ArrayRef<int64_t> rows) {
  if (rows.empty())
    return success();
  if (kind != KernelKind::InputGradPixelLanes)
    return emitError() << "only input_grad_pixel_lanes takes rows";
  if (rows.size() != 2 || rows[0] < 0 || rows[1] < 1)
    return emitError() << "rows must be [first, count] with first >= 0 and "
                          "count >= 1";
  return success();
}

std::optional<KernelKind> mlir::nn::kernelOf(Operation *op) {
  if (auto kernel = op->getAttrOfType<KernelAttr>("nn.kernel"))
    return kernel.getKind();
  return std::nullopt;
}

/// Whether `kernel` is an algorithm of `op` (nn ops only: the schedule
/// passes check what they are given on other dialects' ops).
static LogicalResult verifyKernel(Operation *op, KernelAttr kernel) {
  KernelKind kind = kernel.getKind();
  auto strideOne = [](ArrayRef<int64_t> s) {
    return llvm::all_of(s, [](int64_t v) { return v == 1; });
  };
  auto wrong = [&]() {
    return op->emitOpError("cannot use the kernel ")
           << stringifyKernelKind(kind);
  };
  auto one = [&](std::initializer_list<KernelKind> kinds) {
    return llvm::is_contained(kinds, kind) ? success() : wrong();
  };
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    if (kind != KernelKind::FilterLanes && !strideOne(conv.getStride()))
      return op->emitOpError("needs stride 1 for the kernel ")
             << stringifyKernelKind(kind);
    return one({KernelKind::FilterLanes, KernelKind::FilterRows,
                KernelKind::PixelLanes});
  }
  if (isa<Conv2DFilterGradOp>(op))
    return one(
        {KernelKind::FilterGradColumns, KernelKind::FilterGradPixelLanes});
  if (isa<Conv2DInputGradOp>(op))
    return one({KernelKind::InputGradPixelLanes});
  if (isa<DenseOp, MatMulOp>(op))
    return one({KernelKind::Tiled, KernelKind::Narrow});
  if (auto pool = dyn_cast<Pool2DOp>(op)) {
    if (kind == KernelKind::Windows && !pool.windowsTile())
      return op->emitOpError("needs windows that tile the image for the "
                             "kernel windows");
    return one({KernelKind::Windows, KernelKind::Gather});
  }
  if (isa<NNDialect>(op->getDialect()))
    return op->emitOpError("has no kernels to choose from");
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
  if (attr.getName() == "nn.train" && !isa<TrainAttr>(attr.getValue()))
    return op->emitError("'nn.train' must be an #nn.train, found ")
           << attr.getValue();
  if (attr.getName() == "nn.target" && !isa<TargetAttr>(attr.getValue()))
    return op->emitError("'nn.target' must be an #nn.target, found ")
           << attr.getValue();
  if (attr.getName() == "nn.kernel") {
    auto kernel = dyn_cast<KernelAttr>(attr.getValue());
    if (!kernel)
      return op->emitError("'nn.kernel' must be an #nn.kernel, found ")
             << attr.getValue();
    return verifyKernel(op, kernel);
  }
  return success();
}
