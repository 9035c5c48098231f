//===- FilterGradKernel.cpp - one-channel weight gradients ----------------===//
//
// The code of nnc::conv::FilterGradKernel (ConvKernels.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/Transforms/ConvKernels.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace nnc::conv {

SmallVector<Value> FilterGradKernel::tiles(
    ValueRange values, function_ref<SmallVector<Value>(Value, Value, ValueRange,
                                                       std::optional<int64_t>)>
                           body) {
  int64_t full = ow / lanes, rest = ow % lanes;
  return loop(oh, values, [&](Value row, ValueRange a) {
    SmallVector<Value> r = loop(full, a, [&](Value t, ValueRange a) {
      Value col = arith::MulIOp::create(b, loc, t, index(lanes));
      return body(row, col, a, std::nullopt);
    });
    if (rest)
      r = body(row, index(full * lanes), r, rest);
    return r;
  });
}

SmallVector<Value> FilterGradKernel::tile(Value image, Value row, Value col,
                                          Value krow, int64_t firstColumn,
                                          int64_t columns, ValueRange acc,
                                          std::optional<int64_t> valid) {
  auto lane = VectorType::get({lanes}, b.getF32Type());
  SmallVector<Value> dy;
  for (int64_t c = 0; c < f; ++c)
    dy.push_back(load(lane, gradT, {row, index(c), col}, std::nullopt));
  SmallVector<Value> next(acc);
  Value inRow = arith::AddIOp::create(b, loc, row, krow);
  for (int64_t j = 0; j < columns; ++j) {
    Value inCol = arith::AddIOp::create(b, loc, col, index(firstColumn + j));
    Value x = load(lane, in, {image, inRow, inCol}, valid);
    for (int64_t c = 0; c < f; ++c)
      next[j * f + c] =
          vector::FMAOp::create(b, loc, x, dy[c], next[j * f + c]);
  }
  return next;
}

SmallVector<Value> FilterGradKernel::partials(Value krow, int64_t first,
                                              int64_t columns) {
  auto lane = VectorType::get({lanes}, b.getF32Type());
  SmallVector<Value> sums;
  for (int64_t j = 0; j < columns; ++j)
    for (int64_t c = 0; c < f; ++c)
      sums.push_back(load(lane, partial,
                          {krow, index(first + j), index(c), index(0)},
                          std::nullopt));
  return sums;
}

void FilterGradKernel::emit() {
  auto lane = VectorType::get({lanes}, b.getF32Type());
  auto wide = VectorType::get({lanes * f}, b.getF32Type());
  // Registers: columns x F accumulators, F gradient vectors, one input
  // (and one to spare).
  int64_t group =
      std::max<int64_t>(1, std::min<int64_t>(kw, (registers - 2 - f) / f));
  int64_t padded = llvm::divideCeil(ow, lanes) * lanes;
  gradT = memref::AllocOp::create(
      b, loc, MemRefType::get({oh, f, padded}, b.getF32Type()));
  partial = memref::AllocOp::create(
      b, loc, MemRefType::get({kh, kw, f, lanes}, b.getF32Type()));
  loop(kh, {}, [&](Value krow, ValueRange) {
    for (int64_t j = 0; j < kw; ++j)
      for (int64_t c = 0; c < f; ++c)
        store(zeros(lane), partial, {krow, index(j), index(c), index(0)},
              std::nullopt);
    return SmallVector<Value>{};
  });
  loop(n, {}, [&](Value image, ValueRange) {
    tiles({}, [&](Value row, Value col, ValueRange,
                  std::optional<int64_t> valid) {
      std::optional<int64_t> validFloats;
      if (valid)
        validFloats = *valid * f;
      Value g = load(wide, grad,
                     {image, row, arith::MulIOp::create(b, loc, col, index(f))},
                     validFloats);
      for (auto [c, pixels] : llvm::enumerate(split(g, f)))
        store(pixels, gradT, {row, index(c), col}, std::nullopt);
      return SmallVector<Value>{};
    });
    loop(kh, {}, [&](Value krow, ValueRange) {
      for (int64_t first = 0; first < kw; first += group) {
        int64_t columns = std::min(group, kw - first);
        SmallVector<Value> sums = tiles(partials(krow, first, columns),
                                        [&](Value row, Value col, ValueRange a,
                                            std::optional<int64_t> valid) {
                                          return tile(image, row, col, krow,
                                                      first, columns, a, valid);
                                        });
        for (int64_t j = 0; j < columns; ++j)
          for (int64_t c = 0; c < f; ++c)
            store(sums[j * f + c], partial,
                  {krow, index(first + j), index(c), index(0)}, std::nullopt);
      }
      return SmallVector<Value>{};
    });
    return SmallVector<Value>{};
  });
  loop(kh, {}, [&](Value krow, ValueRange) {
    SmallVector<Value> sums = partials(krow, 0, kw);
    for (int64_t j = 0; j < kw; ++j)
      for (int64_t c = 0; c < f; ++c) {
        SmallVector<Value> at{krow, index(j), index(c)};
        Value total = vector::ReductionOp::create(
            b, loc, vector::CombiningKind::ADD, sums[j * f + c]);
        Value before = memref::LoadOp::create(b, loc, out, at);
        memref::StoreOp::create(
            b, loc, arith::AddFOp::create(b, loc, before, total), out, at);
      }
    return SmallVector<Value>{};
  });
  memref::DeallocOp::create(b, loc, partial);
  memref::DeallocOp::create(b, loc, gradT);
}

} // namespace nnc::conv
