//===- OutlineLoopNests.cpp - loop nests into functions of their own ------===//

#include "compiler/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNOUTLINELOOPNESTSPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {
/// Ops inside `op`, itself included.
int64_t size(Operation *op) {
  int64_t n = 0;
  op->walk([&](Operation *) { ++n; });
  return n;
}

/// Whether `op` names a symbol (a global, a callee): the outlined function
/// may be compiled in another module, without it.
bool namesSymbol(Operation *op) {
  return llvm::any_of(op->getAttrs(), [](NamedAttribute attr) {
    return isa<SymbolRefAttr>(attr.getValue());
  });
}

/// A nest that can move: a top-level loop with no results and no op that
/// names a symbol.
bool movable(scf::ForOp loop) {
  if (loop->getNumResults() != 0)
    return false;
  return !loop->walk([](Operation *op) {
                return namesSymbol(op) ? WalkResult::interrupt()
                                       : WalkResult::advance();
              })
              .wasInterrupted();
}

/// Whether `v` is computed from constants alone by pure ops that name no
/// symbol (a constant, a vector.constant_mask, a mask of constant sizes; not
/// a view of a global workspace): then the outlined
/// function recomputes it, and masks and bounds stay constant there. Adds
/// its ops to `ops`, operands first.
bool collectConstant(Value v, SetVector<Operation *> &ops) {
  Operation *def = v.getDefiningOp();
  if (!def || def->getNumRegions() != 0 || !isMemoryEffectFree(def) ||
      namesSymbol(def))
    return false;
  if (ops.contains(def))
    return true;
  SetVector<Operation *> mine;
  for (Value operand : def->getOperands())
    if (!collectConstant(operand, mine))
      return false;
  ops.insert(mine.begin(), mine.end());
  ops.insert(def);
  return true;
}

/// Moves `loop` into a new private function `name`, placed after `parent`,
/// and calls it where the loop was.
void outline(scf::ForOp loop, func::FuncOp parent, StringRef name,
             SymbolTable &symbols) {
  SetVector<Value> captured(loop->getOperands().begin(),
                            loop->getOperands().end());
  getUsedValuesDefinedAbove(loop->getRegions(), captured);
  SmallVector<Value> args;
  SetVector<Operation *> constants; // in the order they are cloned
  for (Value v : captured)
    if (!collectConstant(v, constants))
      args.push_back(v);
  Location loc = loop.getLoc();
  OpBuilder b(parent->getContext());
  b.setInsertionPointAfter(parent);
  auto callee = func::FuncOp::create(
      b, loc, name, b.getFunctionType(ValueRange(args).getTypes(), {}));
  callee.setPrivate();
  callee->setAttr("nn.outlined", b.getUnitAttr());
  symbols.insert(callee);
  Block *entry = callee.addEntryBlock();
  IRMapping map;
  map.map(args, entry->getArguments());
  b.setInsertionPointToStart(entry);
  for (Operation *c : constants)
    b.clone(*c, map);
  b.clone(*loop, map);
  func::ReturnOp::create(b, loc);
  b.setInsertionPoint(loop);
  func::CallOp::create(b, loc, callee, args);
  loop.erase();
}

struct NNOutlineLoopNestsPass
    : nn::impl::NNOutlineLoopNestsPassBase<NNOutlineLoopNestsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (share < 0 || share > 1) {
      getOperation().emitError(
          "nn-outline-loop-nests: share must lie in [0, 1], not ")
          << share;
      return signalPassFailure();
    }
    SymbolTable symbols(getOperation());
    SmallVector<func::FuncOp> functions;
    for (auto fn : getOperation().getOps<func::FuncOp>())
      if (fn.isPublic() && !fn.isExternal())
        functions.push_back(fn);
    for (func::FuncOp fn : functions) {
      // (size, position, loop)
      SmallVector<std::tuple<int64_t, int64_t, scf::ForOp>> nests;
      for (auto loop : fn.getBody().front().getOps<scf::ForOp>())
        if (movable(loop))
          nests.push_back({size(loop), int64_t(nests.size()), loop});
      // Largest first, each while the share holds: close to it from below.
      llvm::sort(nests, [](auto &a, auto &b) {
        return std::get<0>(a) != std::get<0>(b)
                   ? std::get<0>(a) > std::get<0>(b)
                   : std::get<1>(a) < std::get<1>(b);
      });
      double limit = share * double(size(fn));
      int64_t moved = 0, count = 0;
      for (auto [n, position, loop] : nests) {
        if (double(moved + n) > limit)
          continue;
        moved += n;
        outline(loop, fn, (fn.getSymName() + "_nest" + Twine(count++)).str(),
                symbols);
      }
    }
  }
};
} // namespace
