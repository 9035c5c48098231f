//===- VectorRegistersTest.cpp - the registers kernels are sized by -------===//

#include "compiler/Backend/Codegen.h"

#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace nnc;

namespace {

VectorRegisters of(const std::string &triple, const std::string &cpu) {
  mlir::MLIRContext ctx;
  auto tm = createTargetMachine({triple, cpu}, mlir::UnknownLoc::get(&ctx));
  EXPECT_TRUE(mlir::succeeded(tm)) << triple << " " << cpu;
  return mlir::succeeded(tm) ? vectorRegisters(**tm) : VectorRegisters{0, 0};
}

void expectRegisters(const std::string &triple, const std::string &cpu,
                     unsigned lanes, unsigned count) {
  VectorRegisters r = of(triple, cpu);
  EXPECT_EQ(r.lanes, lanes) << triple << " " << cpu;
  EXPECT_EQ(r.count, count) << triple << " " << cpu;
}

TEST(VectorRegistersTest, X86ByItsWidestVectors) {
  expectRegisters("x86_64-linux-gnu", "sapphirerapids", 16, 32);
  expectRegisters("x86_64-linux-gnu", "znver4", 16, 32);
  expectRegisters("x86_64-linux-gnu", "haswell", 8, 16);
  expectRegisters("x86_64-linux-gnu", "znver3", 8, 16);
  expectRegisters("x86_64-linux-gnu", "sandybridge", 8, 16); // AVX without FMA
  expectRegisters("x86_64-linux-gnu", "x86-64", 4, 16);      // SSE2
  expectRegisters("i686-linux-gnu", "pentium4", 4, 8);
}

TEST(VectorRegistersTest, AArch64HasThirtyTwoOfFourFloats) {
  expectRegisters("aarch64-linux-gnu", "generic", 4, 32);
  expectRegisters("aarch64-linux-gnu", "neoverse-v1", 4, 32);
}

TEST(VectorRegistersTest, HostMatchesItsTargetMachine) {
  VectorRegisters host = hostVectorRegisters();
  VectorRegisters tm = of("", "");
  EXPECT_EQ(host.lanes, tm.lanes);
  EXPECT_EQ(host.count, tm.count);
}

} // namespace
