//===- StaticMemoryPlan.cpp - every temporary buffer in one workspace -----===//

#include "compiler/Transforms/Passes.h"

#include "dialects/nn/IR/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::nn {
#define GEN_PASS_DEF_NNSTATICMEMORYPLANPASS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlir::nn

using namespace mlir;

namespace {

constexpr int64_t kAlignment = 64;

/// A temporary buffer of the function's entry block: its bytes and the
/// positions (in that block) of its allocation and deallocation.
struct Buffer {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
  int64_t bytes = 0;
  int64_t first = 0, last = 0;
  int64_t offset = -1;
};

/// Offsets for `buffers` so that two buffers live at the same time never
/// overlap: the largest first, each at the lowest offset that fits (the
/// "greedy by size" heuristic of TFLite's arena planner). Returns the peak.
int64_t place(std::vector<Buffer> &buffers) {
  std::vector<Buffer *> order;
  for (Buffer &b : buffers)
    order.push_back(&b);
  // Ties go by position, so the plan is deterministic.
  llvm::sort(order, [](const Buffer *a, const Buffer *b) {
    return a->bytes != b->bytes ? a->bytes > b->bytes : a->first < b->first;
  });
  int64_t peak = 0;
  std::vector<Buffer *> placed;
  for (Buffer *b : order) {
    // The placed buffers whose lifetimes meet b's, by offset.
    std::vector<Buffer *> live;
    for (Buffer *p : placed)
      if (p->first <= b->last && b->first <= p->last)
        live.push_back(p);
    llvm::sort(live, [](const Buffer *x, const Buffer *y) {
      return x->offset < y->offset;
    });
    int64_t offset = 0;
    for (Buffer *p : live) {
      if (offset + b->bytes <= p->offset)
        break;
      offset = std::max<int64_t>(
          offset, llvm::alignTo(p->offset + p->bytes, kAlignment));
    }
    b->offset = offset;
    peak = std::max(peak, offset + b->bytes);
    placed.push_back(b);
  }
  return peak;
}

struct NNStaticMemoryPlanPass
    : nn::impl::NNStaticMemoryPlanPassBase<NNStaticMemoryPlanPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto fn : llvm::to_vector(module.getOps<func::FuncOp>()))
      if (!fn.isExternal())
        plan(fn, symbols);
  }

  void plan(func::FuncOp fn, SymbolTable &symbols) {
    Block &entry = fn.getBody().front();
    llvm::DenseMap<Operation *, int64_t> position;
    int64_t i = 0;
    for (Operation &op : entry)
      position[&op] = i++;
    std::vector<Buffer> buffers;
    for (auto alloc : entry.getOps<memref::AllocOp>()) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !type.getElementType().isIntOrFloat())
        continue;
      memref::DeallocOp dealloc;
      int deallocs = 0;
      for (Operation *user : alloc->getUsers())
        if (auto d = dyn_cast<memref::DeallocOp>(user)) {
          dealloc = d;
          ++deallocs;
        }
      if (deallocs != 1 || dealloc->getBlock() != &entry)
        continue;
      Buffer b;
      b.alloc = alloc;
      b.dealloc = dealloc;
      b.bytes =
          llvm::alignTo(type.getNumElements() *
                            llvm::divideCeil(type.getElementTypeBitWidth(), 8),
                        kAlignment);
      b.first = position[alloc];
      b.last = position[dealloc];
      buffers.push_back(b);
    }
    if (buffers.empty())
      return;
    int64_t peak = place(buffers);

    OpBuilder b(fn.getContext());
    auto wsType = MemRefType::get({peak}, b.getI8Type());
    Value ws;
    if (fn->hasAttr("nn.workspace_arg") || (workspaceArgs && fn.isPublic())) {
      // A function that runs on several threads at once gets its workspace
      // from the caller, as a last argument.
      if (failed(fn.insertArgument(
              fn.getNumArguments(), wsType,
              b.getDictionaryAttr(b.getNamedAttr(
                  "nn.role",
                  nn::RoleAttr::get(b.getContext(), nn::Role::Workspace))),
              fn.getLoc())))
        return signalPassFailure();
      ws = entry.getArgument(entry.getNumArguments() - 1);
    } else {
      b.setInsertionPoint(fn);
      auto global = memref::GlobalOp::create(
          b, fn.getLoc(), (fn.getName() + "_workspace").str(),
          b.getStringAttr("private"), wsType, /*initial_value=*/Attribute(),
          /*constant=*/false, b.getI64IntegerAttr(kAlignment));
      symbols.insert(global);
      b.setInsertionPointToStart(&entry);
      ws = memref::GetGlobalOp::create(b, fn.getLoc(), wsType,
                                       global.getSymName());
    }
    for (Buffer &buf : buffers) {
      b.setInsertionPoint(buf.alloc);
      Value shift =
          arith::ConstantIndexOp::create(b, buf.alloc.getLoc(), buf.offset);
      Value view = memref::ViewOp::create(
          b, buf.alloc.getLoc(), buf.alloc.getType(), ws, shift, ValueRange{});
      buf.alloc.getResult().replaceAllUsesExcept(view, buf.dealloc);
      buf.dealloc.erase();
      buf.alloc.erase();
    }
    fn->setAttr("nn.workspace_bytes", b.getI64IntegerAttr(peak));
  }
};

} // namespace
