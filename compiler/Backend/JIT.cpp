//===- JIT.cpp - compile an LLVM-dialect module in-process ----------------===//

#include "compiler/Backend/JIT.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;

static void initializeNativeTarget() {
  static bool done = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)done;
}

static FailureOr<std::unique_ptr<llvm::TargetMachine>>
hostTargetMachine(Location loc) {
  initializeNativeTarget();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) {
    emitError(loc, "cannot detect the host CPU: ")
        << llvm::toString(builder.takeError());
    return failure();
  }
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto tm = builder->createTargetMachine();
  if (!tm) {
    emitError(loc, "cannot create a target machine for the host: ")
        << llvm::toString(tm.takeError());
    return failure();
  }
  return std::move(*tm);
}

FailureOr<std::unique_ptr<ExecutionEngine>> nnc::jitCompile(ModuleOp module) {
  FailureOr<std::unique_ptr<llvm::TargetMachine>> tm =
      hostTargetMachine(module.getLoc());
  if (failed(tm))
    return failure();
  auto transformer = makeOptimizingTransformer(3, 0, tm->get());
  ExecutionEngineOptions options;
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  options.enableGDBNotificationListener = false;
  options.enablePerfNotificationListener = false;
  auto engine = ExecutionEngine::create(module, options, std::move(*tm));
  if (!engine) {
    emitError(module.getLoc(), "JIT compilation failed: ")
        << llvm::toString(engine.takeError());
    return failure();
  }
  return std::move(*engine);
}

FailureOr<void (*)(void **)> nnc::lookupEntryPoint(ExecutionEngine &engine,
                                                   llvm::StringRef function,
                                                   Location loc) {
  auto fn = engine.lookupPacked(("_mlir_ciface_" + function).str());
  if (!fn) {
    emitError(loc, "compiled code has no function '")
        << function << "': " << llvm::toString(fn.takeError());
    return failure();
  }
  return *fn;
}

LogicalResult nnc::printLLVMIR(ModuleOp module, llvm::raw_ostream &os) {
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return emitError(module.getLoc(), "cannot translate the module to LLVM IR");
  FailureOr<std::unique_ptr<llvm::TargetMachine>> tm =
      hostTargetMachine(module.getLoc());
  if (failed(tm))
    return failure();
  llvmModule->setDataLayout((*tm)->createDataLayout());
  llvmModule->setTargetTriple((*tm)->getTargetTriple());
  llvmModule->print(os, nullptr);
  return success();
}
