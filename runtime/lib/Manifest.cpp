//===- Manifest.cpp - what a compiled function takes ----------------------===//

#include "nnrt/Manifest.h"

#include "nnrt/Tensor.h"
#include "nnrt/Trainer.h"

#include <algorithm>

using namespace nnrt;

namespace {
constexpr const char *kRoleNames[] = {"param", "state",  "input",  "target",
                                      "noise", "lr",     "step",   "grad",
                                      "loss",  "losses", "output", "workspace"};
} // namespace

const char *nnrt::roleName(Role role) { return kRoleNames[int(role)]; }

std::optional<Role> nnrt::parseRole(std::string_view name) {
  for (int i = 0; i < int(std::size(kRoleNames)); ++i)
    if (name == kRoleNames[i])
      return Role(i);
  return std::nullopt;
}

int64_t ArgSpec::floats() const { return numElements(shape); }

const ArgSpec *FunctionManifest::find(Role role, bool result,
                                      size_t index) const {
  for (const ArgSpec &a : args)
    if (a.role == role && a.result == result && index-- == 0)
      return &a;
  return nullptr;
}

size_t FunctionManifest::count(Role role, bool result) const {
  size_t n = 0;
  for (const ArgSpec &a : args)
    n += a.role == role && a.result == result;
  return n;
}

const FunctionManifest *ModelInfo::function(std::string_view fn) const {
  for (const FunctionManifest &f : functions)
    if (f.name == fn)
      return &f;
  return nullptr;
}

Status nnrt::describeModel(ModelInfo &info) {
  auto first = [&](std::initializer_list<const char *> names)
      -> const FunctionManifest * {
    for (const char *n : names)
      if (const FunctionManifest *f = info.function(n))
        return f;
    return nullptr;
  };
  const FunctionManifest *forward = first({"loss", "predict"});
  if (!forward)
    return Status::error("model '" + info.name +
                         "' has neither @loss nor @predict");
  info.params.clear();
  for (const ArgSpec &a : forward->args)
    if (a.role == Role::Param && !a.result)
      info.params.push_back({a.name, a.shape, a.init});
  const ArgSpec *x = forward->find(Role::Input, false);
  const ArgSpec *y = forward->find(Role::Output, true);
  if (!x || !y || x->shape.empty() || y->shape.empty())
    return Status::error("@" + forward->name +
                         " has no batched input and output");
  info.batch = x->shape[0];
  info.inputShape.assign(x->shape.begin() + 1, x->shape.end());
  info.outputShape.assign(y->shape.begin() + 1, y->shape.end());
  info.outputIsDistance = y->distance;
  info.noiseShapes.clear();
  info.stateSlots.clear();
  if (const FunctionManifest *step = first({"train_step", "grad_step"}))
    for (const ArgSpec &a : step->args)
      if (a.role == Role::Noise && !a.shape.empty())
        info.noiseShapes.emplace_back(a.shape.begin() + 1, a.shape.end());
  if (const FunctionManifest *update = first({"train_step", "apply_step"}))
    for (const ArgSpec &a : update->args)
      if (a.role == Role::State && !a.result &&
          std::find(info.stateSlots.begin(), info.stateSlots.end(), a.slot) ==
              info.stateSlots.end())
        info.stateSlots.push_back(a.slot);
  // Checkpoints name tensors by these: every function must agree.
  for (const FunctionManifest &f : info.functions) {
    size_t k = 0;
    for (const ArgSpec &a : f.args) {
      if (a.role != Role::Param || a.result)
        continue;
      if (k >= info.params.size() || a.name != info.params[k].name)
        return Status::error("@" + f.name + " and @" + forward->name +
                             " take different parameters");
      ++k;
    }
    if (k != info.params.size())
      return Status::error("@" + f.name + " and @" + forward->name +
                           " take different parameters");
  }
  return Status::ok();
}
