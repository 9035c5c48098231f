//===- NNInterfaces.td - op interfaces of the nn dialect ---*- tablegen -*-===//
//
// DifferentiableOpInterface lets each op own its gradient rule, so that the
// autodiff pass stays generic: it walks the forward ops backwards and asks
// each one for the adjoints of its operands.
//
//===----------------------------------------------------------------------===//

#ifndef NN_INTERFACES_TD
#define NN_INTERFACES_TD

include "mlir/IR/OpBase.td"

def NN_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::mlir::nn";
  let description = [{
    An op that knows its vector-Jacobian product. Given the adjoint of each
    result, `buildVjp` builds, at the builder's insertion point, the adjoint of
    each operand; it returns a null Value for an operand that has no gradient
    (a target, say).
  }];
  let methods = [InterfaceMethod<
    "Given adjoints of the results, build the adjoint of each operand.",
    "::mlir::FailureOr<::llvm::SmallVector<::mlir::Value>>", "buildVjp",
    (ins "::mlir::OpBuilder &":$b, "::mlir::ValueRange":$resultGrads)>];
}

#endif // NN_INTERFACES_TD
