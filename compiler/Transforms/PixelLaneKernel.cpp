//===- PixelLaneKernel.cpp - 16 output pixels in the lanes ----------------===//
//
// The code of nnc::conv::PixelLaneKernel (ConvKernels.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/Transforms/ConvKernels.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace nnc::conv {

SmallVector<Value> PixelLaneKernel::inputAt(Value n, Value c, Value row,
                                            Value col) {
  if (cast<MemRefType>(in.getType()).getRank() == 3)
    return {n, row, col};
  return {n, c, row, col};
}

void PixelLaneKernel::tile(Value n, Value oh, Value ow, int64_t rows,
                           std::optional<int64_t> valid) {
  Type f32 = b.getF32Type();
  auto wide = VectorType::get({lanes * f}, f32);
  auto lane = VectorType::get({lanes}, f32);
  std::optional<int64_t> validFloats;
  if (valid)
    validFloats = *valid * f;
  Value outAt = arith::MulIOp::create(b, loc, ow, index(f));
  SmallVector<Value> outRows, acc;
  for (int64_t r = 0; r < rows; ++r) {
    outRows.push_back(arith::AddIOp::create(b, loc, oh, index(r)));
    if (!initial.empty()) {
      for (Value v : initial)
        acc.push_back(vector::BroadcastOp::create(b, loc, lane, v));
      continue;
    }
    SmallVector<Value> loaded =
        split(load(wide, out, {n, outRows.back(), outAt}, validFloats), f);
    acc.append(loaded.begin(), loaded.end());
  }
  // Kernel rows i with oh + r + i in inputRows for some row r of the tile.
  Value firstRow = index(0), endRow = index(kh);
  if (!inputRows.empty()) {
    firstRow = arith::MaxSIOp::create(
        b, loc, firstRow,
        arith::SubIOp::create(b, loc, index(inputRows[0] - rows + 1), oh));
    endRow = arith::MinSIOp::create(
        b, loc, endRow,
        arith::SubIOp::create(b, loc, index(inputRows[0] + inputRows[1]), oh));
  }
  acc = loop(ci, acc, [&](Value c, ValueRange carried) {
    return loop(firstRow, endRow, carried, [&](Value i, ValueRange carried) {
      SmallVector<Value> next(carried);
      Value top = arith::AddIOp::create(b, loc, oh, i);
      for (int64_t j = 0; j < kw; ++j) {
        SmallVector<Value> w;
        for (int64_t o = 0; o < f; ++o)
          w.push_back(vector::BroadcastOp::create(
              b, loc, lane,
              memref::LoadOp::create(b, loc, filter,
                                     ValueRange{i, index(j), c, index(o)})));
        Value col = arith::AddIOp::create(b, loc, ow, index(j));
        for (int64_t r = 0; r < rows; ++r) {
          Value row = arith::AddIOp::create(b, loc, top, index(r));
          Value pixels = load(lane, in, inputAt(n, c, row, col), valid);
          for (int64_t o = 0; o < f; ++o)
            next[r * f + o] =
                vector::FMAOp::create(b, loc, w[o], pixels, next[r * f + o]);
        }
      }
      return next;
    });
  });
  if (pooling) {
    storePooled(n, oh, ow, acc, valid);
    return;
  }
  for (int64_t r = 0; r < rows; ++r)
    store(interleave(ArrayRef<Value>(acc).slice(r * f, f)), out,
          {n, outRows[r], outAt}, validFloats);
}

void PixelLaneKernel::storePooled(Value n, Value oh, Value ow,
                                  ArrayRef<Value> acc,
                                  std::optional<int64_t> valid) {
  int64_t half = lanes / 2;
  auto lane = VectorType::get({lanes}, b.getF32Type());
  SmallVector<Value> act(acc);
  if (pooling->activation)
    for (Value &v : act)
      v = applyBody(pooling->activation.getBlock(), {v, v}, lanes,
                    pooling->activationOutside);
  SmallVector<Value> pairs;
  for (int64_t o = 0; o < f; o += 2) {
    int64_t other = std::min(o + 1, f - 1); // an odd count: the last alone
    Value sum = vector::BroadcastOp::create(b, loc, lane, pooling->init);
    for (int64_t y = 0; y < 2; ++y)
      for (int64_t x = 0; x < 2; ++x) {
        SmallVector<int64_t> picks;
        for (int64_t g = 0; g < 2; ++g)
          for (int64_t p = 0; p < half; ++p)
            picks.push_back(g * lanes + 2 * p + x);
        Value window = vector::ShuffleOp::create(b, loc, act[y * f + o],
                                                 act[y * f + other], picks);
        sum = applyBody(pooling->window.getBlock(), {window, sum}, lanes,
                        pooling->windowOutside);
      }
    pairs.push_back(sum);
  }
  // Pooled pixel p of filter o is lane (o / 2) * 16 + (o % 2) * 8 + p.
  Value all = concat(pairs);
  SmallVector<int64_t> mask;
  for (int64_t p = 0; p < half; ++p)
    for (int64_t o = 0; o < f; ++o)
      mask.push_back(o / 2 * lanes + o % 2 * half + p);
  Value two = index(2);
  store(vector::ShuffleOp::create(b, loc, all, all, mask), pooling->out,
        {n, arith::DivUIOp::create(b, loc, oh, two),
         arith::MulIOp::create(b, loc, arith::DivUIOp::create(b, loc, ow, two),
                               index(f))},
        valid ? std::optional<int64_t>(*valid / 2 * f) : std::nullopt);
}

void PixelLaneKernel::emit(ArrayRef<int64_t> shape) {
  int64_t full = shape[2] / lanes, rest = shape[2] % lanes;
  int64_t rows = rowsPerStep(f, registers);
  if (pooling) {
    pooling->activationOutside =
        pooling->activation
            ? broadcastOutside(pooling->activation.getBlock(), lanes)
            : IRMapping();
    pooling->windowOutside =
        broadcastOutside(pooling->window.getBlock(), lanes);
  }
  int64_t groups = shape[1] / rows, last = shape[1] % rows;
  auto rowTiles = [&](Value n, Value oh, int64_t count) {
    loop(full, {}, [&](Value t, ValueRange) {
      tile(n, oh, arith::MulIOp::create(b, loc, t, index(lanes)), count,
           std::nullopt);
      return SmallVector<Value>{};
    });
    if (rest)
      tile(n, oh, index(full * lanes), count, rest);
  };
  loop(shape[0], {}, [&](Value n, ValueRange) {
    loop(groups, {}, [&](Value g, ValueRange) {
      rowTiles(n, arith::MulIOp::create(b, loc, g, index(rows)), rows);
      return SmallVector<Value>{};
    });
    if (last)
      rowTiles(n, index(groups * rows), last);
    return SmallVector<Value>{};
  });
}

} // namespace nnc::conv
