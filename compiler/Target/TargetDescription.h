//===- TargetDescription.h - the machine nnc compiles for -------*- C++ -*-===//
//
// Everything nnc's schedules and its code generation know of a target, in
// one place: the triple and CPU, the vector registers (floats in one, how
// many), the vector width of the hand-written convolution kernels, the
// data caches of a core, fused multiply-add, and how the compiled entry
// points flush denormals. Built from the host (the JIT's target) or from
// `--target`/`--cpu`; nn-set-target attaches it to the module as
// #nn.target, where the schedule passes read it; the compile cache keys on
// it. No vector width, register count or cache size appears anywhere else.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_TARGET_TARGETDESCRIPTION_H
#define NNC_TARGET_TARGETDESCRIPTION_H

#include "dialects/nn/IR/NNDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#include <memory>
#include <string>

namespace nnc {

/// What to generate code for. An empty triple or CPU means the host's.
struct TargetSpec {
  std::string triple;
  std::string cpu;
};

struct TargetDescription {
  std::string triple = "x86_64-unknown-linux-gnu";
  std::string cpu = "x86-64-v4";
  /// Floats in the widest vector register, and how many such registers:
  /// x86 with AVX-512 16 x 32, with AVX 8 x 16, else 4 x 16 (8 in 32-bit
  /// mode); AArch64's NEON 4 x 32; other targets AVX-512's sizes (LLVM
  /// splits the vectors), which nothing here has measured against others.
  int64_t vectorLanes = 16;
  int64_t vectorRegisters = 32;
  /// The vector width the convolution kernels are written in: AVX-512's,
  /// on every target (LLVM splits it for narrower registers; the kernels
  /// count those registers in vectors of this width).
  int64_t kernelLanes = 16;
  /// One core's data caches. LLVM reports none for most CPUs: those of the
  /// smaller of the cores nnc is tuned on (Zen 4: 32 KiB, 1 MiB), for
  /// every target.
  int64_t l1Bytes = 32 * 1024;
  int64_t l2Bytes = 1024 * 1024;
  bool fma = true;
  mlir::nn::DenormalFlush denormals = mlir::nn::DenormalFlush::X86Mxcsr;

  /// What the schedules derive from it. The direct convolutions' batch
  /// chunk: half of a core's L2, the other half for what the chunk writes.
  int64_t convolutionChunkBytes() const { return l2Bytes / 2; }
  /// Elements per tile of a vectorized elementwise loop: four kernel-wide
  /// vectors.
  int64_t elementwiseTileElements() const { return 4 * kernelLanes; }
  /// The vector registers counted in vectors of the kernels' width (LLVM
  /// splits a 16-float vector into two of AVX2's 8-float registers, which
  /// then hold half as many).
  int64_t kernelRegisters() const {
    return vectorRegisters * std::min(vectorLanes, kernelLanes) / kernelLanes;
  }

  /// The host's (the JIT's target).
  static const TargetDescription &host();
  /// `tm`'s.
  static TargetDescription of(const llvm::TargetMachine &tm);
  /// The description nn-set-target attached to `module`, or an AVX-512
  /// core's when it has none (a test of a single pass).
  static TargetDescription of(mlir::ModuleOp module);
  /// `op`'s module's.
  static TargetDescription of(mlir::Operation *op);

  mlir::nn::TargetAttr toAttr(mlir::MLIRContext *ctx) const;
  static TargetDescription fromAttr(mlir::nn::TargetAttr attr);
};

/// Registers every target LLVM was built with (once).
void initializeTargets();

/// The host as LLVM sees it: triple, CPU name and its features; part of the
/// compile cache's key.
std::string hostDescription();

/// A target machine for `spec` (PIC code, O3); a clear error at `loc` for
/// an unknown triple or a CPU the target does not know.
mlir::FailureOr<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetSpec &spec, mlir::Location loc);

/// The description of `spec`'s target; errors as createTargetMachine's.
mlir::FailureOr<TargetDescription> describeTarget(const TargetSpec &spec,
                                                  mlir::Location loc);

} // namespace nnc

#endif // NNC_TARGET_TARGETDESCRIPTION_H
