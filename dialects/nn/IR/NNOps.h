//===- NNOps.h - operations of the nn dialect -------------------*- C++ -*-===//
//
// The generated op classes and the DifferentiableOpInterface.
//
//===----------------------------------------------------------------------===//

#ifndef NN_IR_NNOPS_H
#define NN_IR_NNOPS_H

#include "dialects/nn/IR/NNDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/nn/IR/NNInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/nn/IR/NNOps.h.inc"

#endif // NN_IR_NNOPS_H
