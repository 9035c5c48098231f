//===- NNDialect.cpp - the nn dialect -------------------------------------===//
//
// Registers the nn operations.
//
//===----------------------------------------------------------------------===//

#include "dialects/nn/IR/NNDialect.h"
#include "dialects/nn/IR/NNOps.h"

using namespace mlir;
using namespace mlir::nn;

#include "dialects/nn/IR/NNDialect.cpp.inc"

void NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/nn/IR/NNOps.cpp.inc"
      >();
}
