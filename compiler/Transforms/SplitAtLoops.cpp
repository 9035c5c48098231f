//===- SplitAtLoops.cpp - a block for each top-level loop -----------------===//
//
// SCF's lowering to branches splits the block at each loop it lowers, and
// the dialect conversion moves (and records, to undo) every op after the
// loop: a function of N top-level loops cost O(N^2) time and memory (a
// 1,000-layer chain: 4 s and 1.2 GB in convert-scf-to-cf). Split here
// first, from the last loop back, so that each op moves once.
//
//===----------------------------------------------------------------------===//

#include "compiler/Transforms/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNSPLITATLOOPSPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {
struct NNSplitAtLoopsPass
    : nn::impl::NNSplitAtLoopsPassBase<NNSplitAtLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<Block *> blocks = llvm::map_to_vector(
        getOperation().getBody(), [](Block &block) { return &block; });
    for (Block *block : blocks) {
      SmallVector<Operation *> nests;
      for (Operation &op : *block)
        if (op.getNumRegions() != 0)
          nests.push_back(&op);
      if (int64_t(nests.size()) < minNests)
        continue;
      // The first nest stays where it is; every later one starts a block.
      for (Operation *nest : llvm::reverse(llvm::drop_begin(nests))) {
        Block *rest = block->splitBlock(nest);
        OpBuilder b = OpBuilder::atBlockEnd(block);
        cf::BranchOp::create(b, nest->getLoc(), rest);
      }
    }
  }
};
} // namespace
