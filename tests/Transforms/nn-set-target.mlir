// RUN: nn-opt %s --nn-set-target="triple=x86_64-linux-gnu cpu=haswell" | FileCheck %s --check-prefix=AVX2
// RUN: nn-opt %s --nn-set-target="triple=x86_64-linux-gnu cpu=sapphirerapids" | FileCheck %s --check-prefix=AVX512
// RUN: nn-opt %s --nn-set-target="triple=aarch64-linux-gnu cpu=generic" | FileCheck %s --check-prefix=NEON
// RUN: nn-opt %s --nn-set-target | FileCheck %s --check-prefix=HOST
// RUN: not nn-opt %s --nn-set-target="triple=x86_64-linux-gnu cpu=notacpu" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not nn-opt %s --nn-set-target="triple=notatarget cpu=generic" 2>&1 | FileCheck %s --check-prefix=BADTRIPLE

// The description of the target, from its triple and CPU (the host's
// without them), on the module for the schedule passes.
// AVX2: module attributes {nn.target = #nn.target<triple = "x86_64-unknown-linux-gnu", cpu = "haswell", vector_lanes = 8, vector_registers = 16, kernel_lanes = 16, l1_bytes = 32768, l2_bytes = 1048576, fma = true, denormals = x86_mxcsr>}
// AVX512: #nn.target<triple = "x86_64-unknown-linux-gnu", cpu = "sapphirerapids", vector_lanes = 16, vector_registers = 32,
// NEON: #nn.target<triple = "aarch64-unknown-linux-gnu", cpu = "generic", vector_lanes = 4, vector_registers = 32, {{.*}}, fma = true, denormals = none>
// HOST: #nn.target<triple = "{{[^"]+}}", cpu = "{{[^"]+}}",
// BAD: error: unknown CPU 'notacpu' for target 'x86_64-unknown-linux-gnu'
// BADTRIPLE: error: unknown target triple 'notatarget'
module {
}
