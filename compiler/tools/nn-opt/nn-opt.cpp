//===- nn-opt.cpp - run nn passes and pipelines on MLIR files -------------===//
//
// mlir-opt with the nn dialect, nnc's passes and its pipelines registered.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Compiler.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  nnc::registerDialects(registry);
  nnc::registerPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "nn optimizer driver\n", registry));
}
