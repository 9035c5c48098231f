//===- VectorRegistersTest.cpp - the target descriptions ------------------===//

#include "compiler/Target/TargetDescription.h"

#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace nnc;

namespace {

TargetDescription of(const std::string &triple, const std::string &cpu) {
  mlir::MLIRContext ctx;
  auto t = describeTarget({triple, cpu}, mlir::UnknownLoc::get(&ctx));
  EXPECT_TRUE(mlir::succeeded(t)) << triple << " " << cpu;
  return mlir::succeeded(t) ? *t : TargetDescription();
}

void expectRegisters(const std::string &triple, const std::string &cpu,
                     int64_t lanes, int64_t count, bool fma = true) {
  TargetDescription t = of(triple, cpu);
  EXPECT_EQ(t.vectorLanes, lanes) << triple << " " << cpu;
  EXPECT_EQ(t.vectorRegisters, count) << triple << " " << cpu;
  EXPECT_EQ(t.fma, fma) << triple << " " << cpu;
  EXPECT_EQ(t.cpu, cpu);
}

TEST(TargetDescriptionTest, X86ByItsWidestVectors) {
  expectRegisters("x86_64-linux-gnu", "sapphirerapids", 16, 32);
  expectRegisters("x86_64-linux-gnu", "znver4", 16, 32);
  expectRegisters("x86_64-linux-gnu", "haswell", 8, 16);
  expectRegisters("x86_64-linux-gnu", "znver3", 8, 16);
  expectRegisters("x86_64-linux-gnu", "sandybridge", 8, 16, /*fma=*/false);
  expectRegisters("x86_64-linux-gnu", "x86-64", 4, 16, /*fma=*/false);
  expectRegisters("i686-linux-gnu", "pentium4", 4, 8, /*fma=*/false);
  EXPECT_EQ(of("x86_64-linux-gnu", "haswell").denormals,
            mlir::nn::DenormalFlush::X86Mxcsr);
}

TEST(TargetDescriptionTest, AArch64HasThirtyTwoOfFourFloats) {
  expectRegisters("aarch64-linux-gnu", "generic", 4, 32);
  expectRegisters("aarch64-linux-gnu", "neoverse-v1", 4, 32);
  EXPECT_EQ(of("aarch64-linux-gnu", "generic").denormals,
            mlir::nn::DenormalFlush::None);
}

TEST(TargetDescriptionTest, HostMatchesItsTargetMachine) {
  const TargetDescription &host = TargetDescription::host();
  mlir::MLIRContext ctx;
  auto tm = createTargetMachine({}, mlir::UnknownLoc::get(&ctx));
  ASSERT_TRUE(mlir::succeeded(tm));
  TargetDescription viaMachine = TargetDescription::of(**tm);
  EXPECT_EQ(host.vectorLanes, viaMachine.vectorLanes);
  EXPECT_EQ(host.vectorRegisters, viaMachine.vectorRegisters);
  EXPECT_EQ(host.fma, viaMachine.fma);
  EXPECT_EQ(host.cpu, viaMachine.cpu);
}

TEST(TargetDescriptionTest, RoundTripsThroughItsAttribute) {
  mlir::MLIRContext ctx;
  ctx.loadDialect<mlir::nn::NNDialect>();
  TargetDescription t = of("x86_64-linux-gnu", "haswell");
  TargetDescription back = TargetDescription::fromAttr(t.toAttr(&ctx));
  EXPECT_EQ(back.triple, t.triple);
  EXPECT_EQ(back.cpu, t.cpu);
  EXPECT_EQ(back.vectorLanes, t.vectorLanes);
  EXPECT_EQ(back.vectorRegisters, t.vectorRegisters);
  EXPECT_EQ(back.kernelLanes, t.kernelLanes);
  EXPECT_EQ(back.l2Bytes, t.l2Bytes);
  EXPECT_EQ(back.denormals, t.denormals);
}

TEST(TargetDescriptionTest, UnknownTargetsAreErrors) {
  mlir::MLIRContext ctx;
  std::string errors;
  mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &d) {
    errors += d.str() + "\n";
    return mlir::success();
  });
  EXPECT_TRUE(mlir::failed(describeTarget({"x86_64-linux-gnu", "notacpu"},
                                          mlir::UnknownLoc::get(&ctx))));
  EXPECT_NE(errors.find("unknown CPU 'notacpu'"), std::string::npos) << errors;
}

} // namespace

TEST(TargetDescriptionTest, KernelRegistersCountKernelWideVectors) {
  // 16-float kernel vectors: AVX-512's 32 registers hold 32, AVX2's 16
  // registers of 8 floats hold 8.
  EXPECT_EQ(of("x86_64-linux-gnu", "skylake-avx512").kernelRegisters(), 32);
  EXPECT_EQ(of("x86_64-linux-gnu", "haswell").kernelRegisters(), 8);
}
