//===- JIT.cpp - run compiled code in-process -----------------------------===//

#include "compiler/Backend/JIT.h"

#include "compiler/Backend/Codegen.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace nnc;

FailureOr<std::unique_ptr<JITModule>>
JITModule::load(llvm::ArrayRef<llvm::SmallVector<char, 0>> objects,
                Location loc) {
  auto fail = [&](llvm::Error e) {
    return emitError(loc, "cannot load the compiled code: ")
           << llvm::toString(std::move(e));
  };
  initializeTargets();
  auto jit = llvm::orc::LLJITBuilder().create();
  if (!jit)
    return fail(jit.takeError());
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!process)
    return fail(process.takeError());
  (*jit)->getMainJITDylib().addGenerator(std::move(*process));
  auto module = std::make_unique<JITModule>();
  module->jit = std::move(*jit);
  if (failed(module->add(objects, loc)))
    return failure();
  return module;
}

LogicalResult JITModule::add(llvm::ArrayRef<llvm::SmallVector<char, 0>> objects,
                             Location loc) {
  for (const llvm::SmallVector<char, 0> &object : objects) {
    auto buffer = llvm::MemoryBuffer::getMemBufferCopy(
        llvm::StringRef(object.data(), object.size()), "nnc-jit.o");
    if (llvm::Error e = jit->addObjectFile(std::move(buffer)))
      return emitError(loc, "cannot load the compiled code: ")
             << llvm::toString(std::move(e));
  }
  return success();
}

FailureOr<void (*)(void **)> JITModule::lookupPacked(llvm::StringRef function,
                                                     Location loc) {
  auto address = jit->lookup(("_mlir__mlir_ciface_" + function).str());
  if (!address)
    return emitError(loc, "compiled code has no function '")
           << function << "': " << llvm::toString(address.takeError());
  return address->toPtr<void (*)(void **)>();
}

FailureOr<llvm::SmallVector<char, 0>> nnc::compileForJIT(ModuleOp module,
                                                         StageTimes *times) {
  FailureOr<std::unique_ptr<llvm::TargetMachine>> tm =
      createTargetMachine({}, module.getLoc());
  if (failed(tm))
    return failure();
  return compileToObject(
      module, **tm,
      [](llvm::Module &m) {
        addPackedEntryPoints(m);
        return success();
      },
      times);
}

FailureOr<std::unique_ptr<JITModule>> nnc::jitCompile(ModuleOp module) {
  FailureOr<llvm::SmallVector<char, 0>> object = compileForJIT(module);
  if (failed(object))
    return failure();
  return JITModule::load({std::move(*object)}, module.getLoc());
}
