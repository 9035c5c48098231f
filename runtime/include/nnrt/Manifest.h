//===- Manifest.h - what a compiled function takes --------------*- C++ -*-===//
//
// The contract between the compiler and the runtime, read from the IR: the
// `#nn.role`, `nn.name`, `nn.slot` and `nn.init` attributes of each
// function's arguments and results (after nn-autodiff), in the calling
// convention of the lowered code: every argument, then one out-parameter
// per result, then the workspace when the function takes one.
//
//===----------------------------------------------------------------------===//

#ifndef NNRT_MANIFEST_H
#define NNRT_MANIFEST_H

#include "nnrt/Status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nnrt {

/// What an argument or result holds; the names are the nn dialect's
/// (#nn.role<param>, ...), in its order.
enum class Role {
  Param,
  State,
  Input,
  Target,
  Noise,
  LearningRate,
  Step,
  Grad,
  Loss,
  Losses,
  Output,
  Workspace,
};
const char *roleName(Role role);
std::optional<Role> parseRole(std::string_view name);

struct ArgSpec {
  Role role = Role::Input;
  bool result = false;   // an out-parameter, written by the function
  std::string name;      // the tensor's: c1.weight, c1.weight.m, x, ...
  std::string slot;      // state: the optimizer's slot (m, v, velocity, ...)
  std::string init;      // a parameter's initializer
  bool distance = false; // an output of distances (RBF units)
  /// As compiled: the batch first where there is one; a workspace: bytes.
  std::vector<int64_t> shape;
  int64_t floats() const;
};

struct FunctionManifest {
  std::string name; // train_step, loss, predict, grad_step, apply_step
  std::vector<ArgSpec> args;

  /// The `index`-th argument (or result) of `role`, or null.
  const ArgSpec *find(Role role, bool result, size_t index = 0) const;
  size_t count(Role role, bool result) const;
};

} // namespace nnrt

#endif
