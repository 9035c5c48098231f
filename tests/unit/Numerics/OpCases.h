//===- OpCases.h - every differentiable op, with its reference --*- C++ -*-===//
//
// The cases of OpTest.cpp: each op in a small function of MLIR, the shapes
// of its inputs and a double-precision reference of that function.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_TESTS_NUMERICS_OPCASES_H
#define NNC_TESTS_NUMERICS_OPCASES_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nnc::test {

using Values = std::vector<std::vector<double>>;
using RefFn = std::function<double(const Values &)>;

struct Input {
  std::vector<int64_t> shape;
  bool differentiable = true;
  enum { Signed, Positive, Target } kind = Signed;
};

struct OpCase {
  std::string name;
  std::vector<Input> inputs;
  std::string body; // MLIR ops computing %s : tensor<f32> from %a0, %a1, ...
  RefFn ref;
};

/// Every case, in the order the tests are named.
std::vector<OpCase> opCases();

} // namespace nnc::test

#endif
