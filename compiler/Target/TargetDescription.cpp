//===- TargetDescription.cpp - the machine nnc compiles for ---------------===//

#include "compiler/Target/TargetDescription.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

void nnc::initializeTargets() {
  // Every target Debian's LLVM carries, so that --target can cross-compile.
  static bool done = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    return true;
  }();
  (void)done;
}

/// The host CPU's features as a target feature string (+avx512f,...).
static std::string hostFeatures() {
  llvm::SmallVector<std::string> features;
  for (const auto &f : llvm::sys::getHostCPUFeatures())
    features.push_back((f.second ? "+" : "-") + f.first().str());
  llvm::sort(features); // a stable string for the cache key
  return llvm::join(features, ",");
}

/// The description of a target from its triple, CPU and features.
static nnc::TargetDescription
describe(const llvm::Triple &triple, llvm::StringRef cpu,
         llvm::function_ref<bool(llvm::StringRef)> hasFeature) {
  nnc::TargetDescription t;
  t.triple = triple.str();
  t.cpu = cpu.str();
  t.denormals = triple.isX86() ? mlir::nn::DenormalFlush::X86Mxcsr
                               : mlir::nn::DenormalFlush::None;
  if (triple.isAArch64()) {
    t.vectorLanes = 4;
    t.vectorRegisters = 32;
    t.fma = true;
  } else if (triple.isX86()) {
    t.fma = hasFeature("fma");
    if (hasFeature("avx512f")) {
      t.vectorLanes = 16;
      t.vectorRegisters = 32;
    } else if (hasFeature("avx")) {
      t.vectorLanes = 8;
      t.vectorRegisters = 16;
    } else {
      t.vectorLanes = 4;
      t.vectorRegisters = triple.isArch64Bit() ? 16 : 8;
    }
  }
  return t;
}

nnc::TargetDescription
nnc::TargetDescription::of(const llvm::TargetMachine &tm) {
  const llvm::MCSubtargetInfo *sti = tm.getMCSubtargetInfo();
  return describe(tm.getTargetTriple(), tm.getTargetCPU(),
                  [&](llvm::StringRef feature) {
                    return sti->checkFeatures(("+" + feature).str());
                  });
}

const nnc::TargetDescription &nnc::TargetDescription::host() {
  static const TargetDescription host = [] {
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    return describe(llvm::Triple(llvm::sys::getProcessTriple()),
                    llvm::sys::getHostCPUName(), [&](llvm::StringRef feature) {
                      return features.lookup(feature);
                    });
  }();
  return host;
}

nnc::TargetDescription nnc::TargetDescription::of(ModuleOp module) {
  if (auto attr = module->getAttrOfType<nn::TargetAttr>("nn.target"))
    return fromAttr(attr);
  return {};
}

nnc::TargetDescription nnc::TargetDescription::of(Operation *op) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    module = op->getParentOfType<ModuleOp>();
  return module ? of(module) : TargetDescription();
}

nn::TargetAttr nnc::TargetDescription::toAttr(MLIRContext *ctx) const {
  return nn::TargetAttr::get(ctx, triple, cpu, vectorLanes, vectorRegisters,
                             kernelLanes, l1Bytes, l2Bytes, fma, denormals);
}

nnc::TargetDescription nnc::TargetDescription::fromAttr(nn::TargetAttr a) {
  TargetDescription t;
  t.triple = a.getTriple().str();
  t.cpu = a.getCpu().str();
  t.vectorLanes = a.getVectorLanes();
  t.vectorRegisters = a.getVectorRegisters();
  t.kernelLanes = a.getKernelLanes();
  t.l1Bytes = a.getL1Bytes();
  t.l2Bytes = a.getL2Bytes();
  t.fma = a.getFma();
  t.denormals = a.getDenormals();
  return t;
}

std::string nnc::hostDescription() {
  return llvm::sys::getProcessTriple() + " " +
         llvm::sys::getHostCPUName().str() + " " + hostFeatures();
}

FailureOr<std::unique_ptr<llvm::TargetMachine>>
nnc::createTargetMachine(const TargetSpec &spec, Location loc) {
  initializeTargets();
  bool host = spec.triple.empty();
  llvm::Triple triple(host ? llvm::sys::getProcessTriple()
                           : llvm::Triple::normalize(spec.triple));
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target || triple.getArch() == llvm::Triple::UnknownArch)
    return emitError(loc, "unknown target triple '")
           << spec.triple << "'" << (error.empty() ? "" : ": " + error);
  // The host's CPU and features unless a CPU is named; a named CPU brings
  // its own features.
  bool hostCpu = spec.cpu.empty() || spec.cpu == "native";
  if (hostCpu && !host)
    return emitError(loc, "cross-compiling for '")
           << spec.triple << "' needs --cpu (say 'generic')";
  std::string cpu = hostCpu ? llvm::sys::getHostCPUName().str() : spec.cpu;
  std::string features = hostCpu ? hostFeatures() : "";
  // Checked on a generic subtarget first: LLVM prints its own warning for
  // an unknown CPU when it makes one for it.
  std::unique_ptr<llvm::MCSubtargetInfo> generic(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!generic || !generic->isCPUStringValid(cpu))
    return emitError(loc, "unknown CPU '")
           << cpu << "' for target '" << triple.str() << "'";
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!tm)
    return emitError(loc, "cannot create a target machine for '")
           << triple.str() << "'";
  return tm;
}

/// LLVM's loop unroller simulates up to ten iterations of every loop whose

FailureOr<nnc::TargetDescription> nnc::describeTarget(const TargetSpec &spec,
                                                      Location loc) {
  if (spec.triple.empty() && (spec.cpu.empty() || spec.cpu == "native"))
    return TargetDescription::host();
  FailureOr<std::unique_ptr<llvm::TargetMachine>> tm =
      createTargetMachine(spec, loc);
  if (failed(tm))
    return failure();
  return TargetDescription::of(**tm);
}
