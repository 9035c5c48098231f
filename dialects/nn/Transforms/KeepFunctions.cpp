//===- KeepFunctions.cpp - erase the public functions not asked for -------===//

#include "dialects/nn/Transforms/Passes.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNKEEPFUNCTIONSPASS
#include "dialects/nn/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {
struct NNKeepFunctionsPass
    : nn::impl::NNKeepFunctionsPassBase<NNKeepFunctionsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (names.empty())
      return;
    for (auto fn :
         llvm::make_early_inc_range(getOperation().getOps<func::FuncOp>()))
      if (fn.isPublic() && !llvm::is_contained(names, fn.getSymName()))
        fn.erase();
  }
};
} // namespace
