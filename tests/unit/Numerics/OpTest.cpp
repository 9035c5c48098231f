//===- OpTest.cpp - every op's compiled forward and gradient --------------===//
//
// For each differentiable op, f(inputs) = mean(op(inputs) * w) is compiled
// with its nn-grad gradient through the same pipelines nnc uses. The compiled
// value is checked against a plain C++ reference in double precision, and
// the compiled gradient against central finite differences of that
// reference (h = 1e-4 in double, so the differences are exact to ~1e-8).
// Tolerances: value |err| <= 1e-5 * (1 + |ref|); gradient
// |err| <= 2e-5 + 1e-3 * |fd| (f32 arithmetic in the compiled code).
//
//===----------------------------------------------------------------------===//

#include "Harness.h"
#include "OpCases.h"

#include <cmath>

using nnc::test::Compiled;
using nnc::test::Input;
using nnc::test::OpCase;
using nnc::test::randomTensor;
using nnc::test::Values;
using nnrt::Tensor;

namespace {

std::string tensorType(const std::vector<int64_t> &shape) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f32>";
}

std::string moduleFor(const OpCase &c) {
  std::string sig;
  for (size_t i = 0; i < c.inputs.size(); ++i)
    sig += (i ? ", " : "") + ("%a" + std::to_string(i)) + ": " +
           tensorType(c.inputs[i].shape);
  return "func.func @f(" + sig +
         ") -> tensor<f32> attributes {nn.grad, llvm.emit_c_interface} {\n" +
         c.body + "\n  return %s : tensor<f32>\n}\n";
}

Tensor makeInput(const Input &in, unsigned seed) {
  Tensor t = randomTensor(in.shape, seed);
  if (in.kind == Input::Positive)
    for (int64_t i = 0; i < t.size(); ++i)
      t[i] = 0.1f + std::abs(t[i]);
  if (in.kind == Input::Target) // rows that sum to 1, like one-hot labels
    for (int64_t r = 0; r < in.shape[0]; ++r) {
      int64_t c = in.shape[1];
      double sum = 0;
      for (int64_t j = 0; j < c; ++j)
        sum += (t[r * c + j] = std::abs(t[r * c + j]));
      for (int64_t j = 0; j < c; ++j)
        t[r * c + j] = float(t[r * c + j] / sum);
    }
  return t;
}

/// The pipelines each case runs through.
enum class Pipeline {
  Plain,      // loops
  Vectorized, // kernels sized for AVX-512's 32 registers of 16 floats
  Avx2,       // sized for AVX2's 16 registers of 8 floats (6x16 matmul tiles)
};

static std::string suffixOf(Pipeline p) {
  switch (p) {
  case Pipeline::Plain:
    return "_plain";
  case Pipeline::Vectorized:
    return "_vectorized";
  case Pipeline::Avx2:
    return "_avx2";
  }
  return "";
}

/// Each case runs through the plain pipeline and the optimized one, the
/// latter with kernels sized for both vector register files: all must
/// match the reference.
class OpGradientTest
    : public ::testing::TestWithParam<std::tuple<OpCase, Pipeline>> {};

TEST_P(OpGradientTest, ForwardAndGradientMatchReference) {
  const OpCase &c = std::get<0>(GetParam());
  Pipeline pipeline = std::get<1>(GetParam());
  Compiled compiled =
      pipeline == Pipeline::Avx2
          ? Compiled(moduleFor(c), /*vectorize=*/true, "haswell")
          : Compiled(moduleFor(c), pipeline == Pipeline::Vectorized);
  ASSERT_TRUE(compiled.ok());

  std::vector<Tensor> inputs;
  Values values;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    inputs.push_back(makeInput(c.inputs[i], 17 + unsigned(i)));
    values.emplace_back(inputs.back().data(),
                        inputs.back().data() + inputs.back().size());
  }
  double expected = c.ref(values);

  // Forward: f(inputs) -> out.
  Tensor out(std::vector<int64_t>{});
  std::vector<Tensor *> args;
  for (Tensor &t : inputs)
    args.push_back(&t);
  args.push_back(&out);
  compiled.call("f", args);
  EXPECT_NEAR(out[0], expected, 1e-5 * (1 + std::abs(expected))) << c.name;

  // Gradient: f_grad(inputs) -> (value, d/d input...).
  Tensor value(std::vector<int64_t>{});
  std::vector<Tensor> grads;
  for (const Input &in : c.inputs)
    grads.emplace_back(in.shape);
  args.pop_back();
  args.push_back(&value);
  for (Tensor &g : grads)
    args.push_back(&g);
  compiled.call("f_grad", args);
  EXPECT_NEAR(value[0], expected, 1e-5 * (1 + std::abs(expected)));

  const double h = 1e-4;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    if (!c.inputs[i].differentiable)
      continue;
    for (size_t j = 0; j < values[i].size(); ++j) {
      Values plus = values, minus = values;
      plus[i][j] += h;
      minus[i][j] -= h;
      double fd = (c.ref(plus) - c.ref(minus)) / (2 * h);
      EXPECT_NEAR(grads[i][j], fd, 2e-5 + 1e-3 * std::abs(fd))
          << c.name << ": d/d input " << i << " element " << j;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllOps, OpGradientTest,
    ::testing::Combine(::testing::ValuesIn(nnc::test::opCases()),
                       ::testing::Values(Pipeline::Plain, Pipeline::Vectorized,
                                         Pipeline::Avx2)),
    [](const auto &info) {
      return std::get<0>(info.param).name + suffixOf(std::get<1>(info.param));
    });

} // namespace
