// RUN: nn-opt %s -split-input-file --nn-approximate-math | FileCheck %s

// tanh of f32 becomes Eigen's 13/6 rational function of the argument
// clamped to +-7.9988: a degree-6 numerator and a degree-3 denominator in
// x², then one division; no special case for tiny arguments. Its
// multiply-adds are vector.fma (LLVM's fmuladd: fused only where the
// target has FMA), not math.fma (a call to fmaf per element there).
// CHECK-LABEL: func.func @tanh_vector(
//  CHECK-SAME:     %[[X:.*]]: vector<16xf32>
//   CHECK-DAG:   %[[HI:.*]] = arith.constant dense<7.99881172> : vector<16xf32>
//   CHECK-DAG:   %[[LO:.*]] = arith.constant dense<-7.99881172> : vector<16xf32>
//       CHECK:   %[[MIN:.*]] = arith.minimumf %[[X]], %[[HI]]
//       CHECK:   %[[C:.*]] = arith.maximumf %[[MIN]], %[[LO]]
//       CHECK:   %[[X2:.*]] = arith.mulf %[[C]], %[[C]]
// CHECK-COUNT-6:   vector.fma %[[X2]]
//       CHECK:   %[[P:.*]] = arith.mulf %[[C]], %{{.*}}
// CHECK-COUNT-2:   vector.fma %[[X2]]
//       CHECK:   %[[Q:.*]] = vector.fma %[[X2]]
//       CHECK:   %[[R:.*]] = arith.divf %[[P]], %[[Q]]
//   CHECK-NOT:   arith.select
//   CHECK-NOT:   math.tanh
//   CHECK-NOT:   math.fma
//       CHECK:   return %[[R]]
func.func @tanh_vector(%x: vector<16xf32>) -> vector<16xf32> {
  %y = math.tanh %x : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// A scalar takes the same function, with scalar constants and LLVM's
// fmuladd.
// CHECK-LABEL: func.func @tanh_scalar(
//       CHECK:   arith.constant 7.99881172 : f32
//       CHECK:   arith.minimumf
// CHECK-COUNT-9:   llvm.intr.fmuladd({{.*}}) : (f32, f32, f32) -> f32
//       CHECK:   arith.divf
//   CHECK-NOT:   math.tanh
//   CHECK-NOT:   math.fma
func.func @tanh_scalar(%x: f32) -> f32 {
  %y = math.tanh %x : f32
  return %y : f32
}

// -----

// exp and log take MLIR's polynomial approximations (their multiply-adds
// vector.fma too); f64 tanh, which has none, stays a libm call.
// CHECK-LABEL: func.func @others(
//   CHECK-NOT:   math.exp
//   CHECK-NOT:   math.log
//   CHECK-NOT:   math.fma
//       CHECK:   vector.fma
//   CHECK-NOT:   math.fma
//       CHECK:   math.tanh %{{.*}} : f64
func.func @others(%x: vector<16xf32>, %d: f64) -> (vector<16xf32>, vector<16xf32>, f64) {
  %e = math.exp %x : vector<16xf32>
  %l = math.log %x : vector<16xf32>
  %t = math.tanh %d : f64
  return %e, %l, %t : vector<16xf32>, vector<16xf32>, f64
}
