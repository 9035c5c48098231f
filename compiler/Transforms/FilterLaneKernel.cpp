//===- FilterLaneKernel.cpp - filters in the lanes ------------------------===//
//
// The code of nnc::conv::FilterLaneKernel (ConvKernels.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/Transforms/ConvKernels.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace nnc::conv {

SmallVector<Value> FilterLaneKernel::weightAt(Value i, int64_t jw, Value ch,
                                              int64_t j) {
  if (cast<MemRefType>(filter.getType()).getRank() == 4)
    return {i, index(jw), ch, index(j * lanes)};
  Value row = arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(
          b, loc,
          arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, i, index(kw)), index(jw)),
          index(c)),
      ch);
  return {row, index(j * lanes)};
}

void FilterLaneKernel::block(Value n, Value oh, Value ow, int64_t pixels) {
  auto lane = VectorType::get({lanes}, b.getF32Type());
  auto filterAt = [&](int64_t j) { return index(j * lanes); };
  SmallVector<Value> acc;
  for (int64_t p = 0; p < pixels; ++p) {
    Value col = arith::AddIOp::create(b, loc, ow, index(p));
    for (int64_t j = 0; j < q; ++j)
      acc.push_back(
          fill   ? Value(vector::BroadcastOp::create(b, loc, lane, fill))
          : bias ? load(lane, bias, {filterAt(j)}, std::nullopt)
                 : load(lane, out, {n, oh, col, filterAt(j)}, std::nullopt));
  }
  acc = loop(kh, acc, [&](Value i, ValueRange carried) {
    Value row = arith::AddIOp::create(b, loc, oh, i);
    auto channel = [&](Value ch, ValueRange carried) {
      SmallVector<Value> next(carried);
      for (int64_t jw = 0; jw < kw; ++jw) {
        SmallVector<Value> w;
        for (int64_t j = 0; j < q; ++j)
          w.push_back(load(lane, filter, weightAt(i, jw, ch, j), std::nullopt));
        for (int64_t p = 0; p < pixels; ++p) {
          Value col = arith::AddIOp::create(b, loc, ow, index(p + jw));
          Value x = vector::BroadcastOp::create(
              b, loc, lane,
              memref::LoadOp::create(b, loc, in, ValueRange{n, row, col, ch}));
          for (int64_t j = 0; j < q; ++j)
            next[p * q + j] =
                vector::FMAOp::create(b, loc, x, w[j], next[p * q + j]);
        }
      }
      return next;
    };
    if (c > kUnrolledChannels)
      return loop(c, carried, channel);
    SmallVector<Value> next(carried);
    for (int64_t ch = 0; ch < c; ++ch)
      next = channel(index(ch), next);
    return next;
  });
  for (int64_t p = 0; p < pixels; ++p) {
    Value col = arith::AddIOp::create(b, loc, ow, index(p));
    for (int64_t j = 0; j < q; ++j)
      store(acc[p * q + j], out, {n, oh, col, filterAt(j)}, std::nullopt);
  }
}

void FilterLaneKernel::emit(ArrayRef<int64_t> shape) {
  int64_t pixels = std::clamp<int64_t>(
      std::min((registers - 4) / q, livePixels), 1, kMaxPixels);
  pixels = std::min(pixels, shape[2]);
  int64_t full = shape[2] / pixels, rest = shape[2] % pixels;
  loop(shape[0], {}, [&](Value n, ValueRange) {
    loop(shape[1], {}, [&](Value oh, ValueRange) {
      loop(full, {}, [&](Value t, ValueRange) {
        block(n, oh, arith::MulIOp::create(b, loc, t, index(pixels)), pixels);
        return SmallVector<Value>{};
      });
      if (rest)
        block(n, oh, index(full * pixels), rest);
      return SmallVector<Value>{};
    });
    return SmallVector<Value>{};
  });
}

} // namespace nnc::conv
