//===- Builders.cpp - small linalg builders for the nn lowering -----------===//

#include "compiler/Conversion/NNToLinalg/Builders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::nn;

AffineMap mlir::nn::idMap(MLIRContext *ctx, unsigned rank) {
  return AffineMap::getMultiDimIdentityMap(rank, ctx);
}

AffineMap mlir::nn::rowMap(MLIRContext *ctx, unsigned rank) {
  return AffineMap::getMultiDimIdentityMap(rank, ctx).getMajorSubMap(rank - 1);
}

AffineMap mlir::nn::colMap(MLIRContext *ctx, unsigned rank) {
  return AffineMap::getMinorIdentityMap(rank, rank - 1, ctx);
}

AffineMap mlir::nn::scalarMap(MLIRContext *ctx, unsigned rank) {
  return AffineMap::get(rank, 0, ctx);
}

void mlir::nn::carryKernel(Operation *from, Operation *to) {
  if (Attribute kernel = from->getAttr("nn.kernel"))
    to->setAttr("nn.kernel", kernel);
}

Value mlir::nn::f32Const(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

Value mlir::nn::filled(OpBuilder &b, Location loc, RankedTensorType type,
                       double value) {
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::FillOp::create(b, loc, f32Const(b, loc, value), empty)
      .getResult(0);
}

RankedTensorType mlir::nn::withoutLastDim(RankedTensorType type) {
  return RankedTensorType::get(type.getShape().drop_back(),
                               type.getElementType());
}

SmallVector<Value> mlir::nn::mapElementsN(
    OpBuilder &b, Location loc, TypeRange types, ArrayRef<Indexed> inputs,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)> fn) {
  auto first = cast<RankedTensorType>(types.front());
  unsigned rank = first.getRank();
  SmallVector<Value> ins, outs;
  SmallVector<AffineMap> maps;
  for (const Indexed &in : inputs) {
    ins.push_back(in.value);
    maps.push_back(in.map);
  }
  for (Type t : types) {
    auto rt = cast<RankedTensorType>(t);
    outs.push_back(
        tensor::EmptyOp::create(b, loc, rt.getShape(), rt.getElementType()));
    maps.push_back(idMap(b.getContext(), rank));
  }
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  size_t numIns = ins.size();
  auto generic = linalg::GenericOp::create(
      b, loc, types, ins, outs, maps, iters,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, fn(nb, nl, args.take_front(numIns)));
      });
  return SmallVector<Value>(generic.getResults());
}

Value mlir::nn::mapElements(OpBuilder &b, Location loc, RankedTensorType type,
                            ArrayRef<Indexed> inputs, BodyFn fn) {
  return mapElementsN(b, loc, TypeRange{type}, inputs,
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        return SmallVector<Value>{fn(nb, nl, args)};
                      })[0];
}

Value mlir::nn::reduceLastDim(OpBuilder &b, Location loc,
                              RankedTensorType loopType,
                              ArrayRef<Indexed> inputs, double init,
                              ReduceFn fn) {
  MLIRContext *ctx = b.getContext();
  unsigned rank = loopType.getRank();
  Value acc = filled(b, loc, withoutLastDim(loopType), init);
  SmallVector<Value> ins;
  SmallVector<AffineMap> maps;
  for (const Indexed &in : inputs) {
    ins.push_back(in.value);
    maps.push_back(in.map);
  }
  maps.push_back(rowMap(ctx, rank));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  iters.back() = utils::IteratorType::reduction;
  size_t numIns = ins.size();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{acc.getType()}, ins, ValueRange{acc}, maps, iters,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(
            nb, nl, fn(nb, nl, args.take_front(numIns), args[numIns]));
      });
  return generic.getResult(0);
}
