//===- Optimizers.cpp - the optimizer table -------------------------------===//

#include "dialects/nn/IR/Optimizers.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::nn;

namespace {
using Range = HyperParameter::Range;

constexpr HyperParameter kSGD[] = {{"momentum", 0.0, Range::Unit},
                                   {"nesterov", 0.0, Range::Flag},
                                   {"weight_decay", 0.0, Range::NonNegative}};
constexpr HyperParameter kAdam[] = {{"beta1", 0.9, Range::Unit},
                                    {"beta2", 0.999, Range::Unit},
                                    {"eps", 1e-8, Range::Positive},
                                    {"weight_decay", 0.0, Range::NonNegative}};
constexpr HyperParameter kRMSProp[] = {
    {"alpha", 0.99, Range::Unit},
    {"eps", 1e-8, Range::Positive},
    {"weight_decay", 0.0, Range::NonNegative}};
constexpr HyperParameter kAdagrad[] = {
    {"eps", 1e-10, Range::Positive}, {"weight_decay", 0.0, Range::NonNegative}};

constexpr llvm::StringLiteral kVelocity[] = {"velocity"};
constexpr llvm::StringLiteral kMoments[] = {"m", "v"};
constexpr llvm::StringLiteral kSquareAvg[] = {"square_avg"};
constexpr llvm::StringLiteral kSum[] = {"sum"};

const OptimizerInfo kOptimizers[] = {
    {OptimizerKind::SGD, kSGD, kVelocity, "momentum"},
    {OptimizerKind::Adam, kAdam, kMoments, ""},
    {OptimizerKind::RMSProp, kRMSProp, kSquareAvg, ""},
    {OptimizerKind::Adagrad, kAdagrad, kSum, ""},
};
} // namespace

const HyperParameter *OptimizerInfo::lookup(llvm::StringRef key) const {
  for (const HyperParameter &h : hyper)
    if (h.name == key)
      return &h;
  return nullptr;
}

llvm::ArrayRef<OptimizerInfo> nn::optimizers() { return kOptimizers; }

const OptimizerInfo &nn::optimizerInfo(OptimizerKind kind) {
  for (const OptimizerInfo &info : kOptimizers)
    if (info.kind == kind)
      return info;
  llvm_unreachable("an OptimizerKind without a row in the table");
}

const OptimizerInfo *nn::lookupOptimizer(llvm::StringRef name) {
  std::optional<OptimizerKind> kind = symbolizeOptimizerKind(name);
  return kind ? &optimizerInfo(*kind) : nullptr;
}

double nn::hyperParameter(OptimizerAttr opt, llvm::StringRef name) {
  const HyperParameter *h = optimizerInfo(opt.getKind()).lookup(name);
  assert(h && "not a hyper-parameter of this optimizer");
  Attribute value = opt.getHyper().get(name);
  if (h->range == HyperParameter::Range::Flag)
    return value ? 1.0 : 0.0;
  if (auto f = dyn_cast_if_present<FloatAttr>(value))
    return f.getValueAsDouble();
  return h->fallback;
}

llvm::SmallVector<llvm::StringRef>
nn::stateSlots(const OptimizerInfo &info,
               llvm::function_ref<double(llvm::StringRef)> value) {
  if (!info.slotsNeed.empty() && value(info.slotsNeed) == 0.0)
    return {};
  return llvm::SmallVector<llvm::StringRef>(info.slots.begin(),
                                            info.slots.end());
}

llvm::SmallVector<llvm::StringRef> nn::stateSlots(OptimizerAttr opt) {
  return stateSlots(optimizerInfo(opt.getKind()), [&](llvm::StringRef name) {
    return hyperParameter(opt, name);
  });
}
