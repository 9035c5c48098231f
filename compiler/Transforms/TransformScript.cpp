//===- TransformScript.cpp - schedules written as transform scripts -------===//

#include "compiler/Transforms/TransformScript.h"

#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;

LogicalResult
nnc::applyTransformScript(StringRef script, StringRef name,
                          ArrayRef<std::pair<StringRef, int64_t>> values,
                          Operation *root, TransformScript &cached) {
  std::vector<int64_t> wanted;
  for (const auto &value : values)
    wanted.push_back(value.second);
  if (!cached.module || cached.values != wanted) {
    std::string text = script.str();
    for (auto [what, by] : values) {
      size_t at = text.find(what.str());
      if (at == std::string::npos)
        return emitError(root->getLoc(), "internal error: the schedule '")
               << name << "' has no placeholder " << what;
      for (; at != std::string::npos; at = text.find(what.str(), at))
        text.replace(at, what.size(), std::to_string(by));
    }
    auto module = parseSourceString<ModuleOp>(text, root->getContext(), name);
    if (!module)
      return failure();
    cached.values = std::move(wanted);
    cached.module = std::make_shared<OwningOpRef<ModuleOp>>(std::move(module));
  }
  ModuleOp lib = cached.module->get();
  transform::TransformOpInterface entry =
      transform::detail::findTransformEntryPoint(lib, ModuleOp());
  if (!entry)
    return failure();
  return transform::applyTransformNamedSequence(root, entry, lib,
                                                transform::TransformOptions());
}
