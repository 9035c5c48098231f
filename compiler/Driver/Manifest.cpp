//===- Manifest.cpp - the runtime's contract, read from the IR ------------===//

#include "compiler/Driver/Compiler.h"

#include "dialects/nn/IR/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace nnc;

FailureOr<nnrt::FunctionManifest> nnc::manifestOf(func::FuncOp fn) {
  nnrt::FunctionManifest manifest;
  manifest.name = fn.getSymName().str();
  auto add = [&](Type type, DictionaryAttr attrs, bool result,
                 unsigned index) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    auto role = attrs ? attrs.getAs<nn::RoleAttr>("nn.role") : nn::RoleAttr();
    if (!tensor || !role)
      return fn.emitError("@")
             << manifest.name << ": every argument and result needs a "
             << "ranked tensor type and an #nn.role; "
             << (result ? "result " : "argument ") << index << " has "
             << (tensor ? "no #nn.role" : "another type");
    nnrt::ArgSpec a;
    a.role = *nnrt::parseRole(nn::stringifyRole(role.getValue()));
    a.result = result;
    a.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    auto text = [&](StringRef key) {
      auto s = attrs.getAs<StringAttr>(key);
      return s ? s.str() : std::string();
    };
    a.name = text("nn.name");
    a.slot = text("nn.slot");
    a.init = text("nn.init");
    a.distance = attrs.get("nn.distance") != nullptr;
    manifest.args.push_back(std::move(a));
    return success();
  };
  for (unsigned i = 0; i < fn.getNumArguments(); ++i)
    if (failed(add(fn.getArgumentTypes()[i], fn.getArgAttrDict(i), false, i)))
      return failure();
  for (unsigned i = 0; i < fn.getNumResults(); ++i)
    if (failed(add(fn.getResultTypes()[i], fn.getResultAttrDict(i), true, i)))
      return failure();
  return manifest;
}

FailureOr<nnrt::ModelInfo> nnc::describeModule(ModuleOp module) {
  nnrt::ModelInfo info;
  info.name = module.getSymName().value_or("model").str();
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (!fn.isPublic())
      continue;
    FailureOr<nnrt::FunctionManifest> manifest = manifestOf(fn);
    if (failed(manifest))
      return failure();
    info.functions.push_back(std::move(*manifest));
  }
  if (nnrt::Status s = nnrt::describeModel(info); !s)
    return emitError(module.getLoc(), "internal error: ") << s.message();
  return info;
}

LogicalResult nnc::checkLowered(func::FuncOp fn, size_t manifestArgs) {
  bool workspace =
      fn.getNumArguments() > 0 &&
      fn.getArgAttrOfType<nn::RoleAttr>(fn.getNumArguments() - 1, "nn.role") ==
          nn::RoleAttr::get(fn.getContext(), nn::Role::Workspace);
  size_t expected = manifestArgs + (workspace ? 1 : 0);
  if (fn.getNumArguments() == expected)
    return success();
  return emitError(fn.getLoc(), "internal error: @")
         << fn.getSymName() << " has " << fn.getNumArguments()
         << " arguments after bufferization, expected " << expected;
}
