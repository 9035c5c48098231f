//===- StripAttributes.cpp - drop nn.* attributes before LLVM -------------===//

#include "dialects/nn/Transforms/Passes.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNSTRIPATTRIBUTESPASS
#include "dialects/nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {

/// Removes every attribute named nn.* from `attrs`.
DictionaryAttr strip(DictionaryAttr attrs, MLIRContext *ctx) {
  if (!attrs)
    return attrs;
  NamedAttrList kept;
  for (NamedAttribute a : attrs)
    if (!a.getName().getValue().starts_with("nn."))
      kept.push_back(a);
  return kept.getDictionary(ctx);
}

struct NNStripAttributesPass
    : nn::impl::NNStripAttributesPassBase<NNStripAttributesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    auto dropOwn = [](Operation *op) {
      SmallVector<StringAttr> names;
      for (NamedAttribute a : op->getDiscardableAttrs())
        if (a.getName().getValue().starts_with("nn."))
          names.push_back(a.getName());
      for (StringAttr n : names)
        op->removeDiscardableAttr(n);
    };
    dropOwn(module);
    module.walk([&](func::FuncOp f) {
      dropOwn(f);
      for (unsigned i = 0; i < f.getNumArguments(); ++i)
        f.setArgAttrs(i, strip(f.getArgAttrDict(i), ctx));
      for (unsigned i = 0; i < f.getNumResults(); ++i)
        f.setResultAttrs(i, strip(f.getResultAttrDict(i), ctx));
    });
  }
};

} // namespace
