//===- TrainStepTest.cpp - a whole compiled train_step against a reference ===//
//
// Compiles a small MLP from model source with nnc's own driver and checks one
// train_step: the gradient it applies (the velocity it returns from a zero
// velocity is exactly the gradient) against central finite differences of a
// double-precision reference of the same network and loss, and the update
// p' = p - lr * g. Tolerance on gradients: 2e-5 + 1e-3 * |fd|. Plain SGD
// (no momentum) keeps no optimizer state; its update is checked against
// the same differences.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include "compiler/Driver/Compiler.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

using nnc::test::randomTensor;
using nnrt::Tensor;

namespace {

/// The model with the optimizer `optimizer`.
std::string model(const char *optimizer) {
  return std::string(R"(
model tiny {
  input x: f32[4]
  h = dense(x, 5) |> tanh
  output y = dense(h, 3)
}
train tiny {
  loss = cross_entropy(softmax(y), label)
  optimizer = )") +
         optimizer + R"(
  batch = 2
}
)";
}

/// Mean softmax cross-entropy of the network, in double.
double referenceLoss(const std::vector<std::vector<double>> &p,
                     const std::vector<double> &x,
                     const std::vector<double> &t) {
  double total = 0;
  for (int n = 0; n < 2; ++n) {
    double h[5], z[3];
    for (int j = 0; j < 5; ++j) {
      double a = p[1][j];
      for (int i = 0; i < 4; ++i)
        a += x[n * 4 + i] * p[0][i * 5 + j];
      h[j] = std::tanh(a);
    }
    double m = -1e300, s = 0;
    for (int k = 0; k < 3; ++k) {
      z[k] = p[3][k];
      for (int j = 0; j < 5; ++j)
        z[k] += h[j] * p[2][j * 3 + k];
      m = std::max(m, z[k]);
    }
    for (int k = 0; k < 3; ++k)
      s += std::exp(z[k] - m);
    for (int k = 0; k < 3; ++k)
      total -= t[n * 3 + k] * (z[k] - m - std::log(s));
  }
  return total / 2;
}

/// (momentum, vectorized): momentum 0 is plain SGD, which keeps no state.
class TrainStepTest : public ::testing::TestWithParam<std::tuple<bool, bool>> {
};

TEST_P(TrainStepTest, GradientAndUpdateMatchReference) {
  auto [momentum, vectorize] = GetParam();
  mlir::DialectRegistry registry;
  nnc::registerDialects(registry);
  mlir::MLIRContext ctx(registry);
  llvm::SourceMgr sm;
  std::string source =
      model(momentum ? "sgd(lr=0.1, momentum=0.5)" : "sgd(lr=0.1)");
  sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(source, "tiny.nn"),
                        llvm::SMLoc());
  std::string errors;
  llvm::raw_string_ostream os(errors);
  mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &d) {
    os << d << "\n";
    return mlir::success();
  });
  auto model = nnc::loadModel(sm, ctx);
  ASSERT_TRUE(mlir::succeeded(model)) << errors;
  nnc::PipelineConfig opts = nnc::pipelineConfig(*model);
  opts.vectorize = vectorize;
  auto compiled = nnc::compileModel(*model, ctx, opts);
  ASSERT_TRUE(mlir::succeeded(compiled)) << errors;
  ASSERT_EQ(compiled->info.stateSlots.size(), momentum ? 1u : 0u);

  std::vector<Tensor> params, vel, newParams, newVel;
  std::vector<std::vector<double>> ref;
  unsigned seed = 3;
  for (const nnrt::ParamSpec &p : compiled->info.params) {
    params.push_back(randomTensor(p.shape, seed++, 0.0));
    newParams.emplace_back(p.shape);
    if (momentum) {
      vel.emplace_back(p.shape);
      newVel.emplace_back(p.shape);
    }
    ref.emplace_back(params.back().data(),
                     params.back().data() + params.back().size());
  }
  Tensor x = randomTensor({2, 4}, 11, 0.0), t({2, 3}),
         lr(std::vector<int64_t>{}), step(std::vector<int64_t>{}),
         loss(std::vector<int64_t>{}), y({2, 3});
  step[0] = 1;
  t[1] = 1;     // sample 0: class 1
  t[3 + 2] = 1; // sample 1: class 2
  lr[0] = 0.1f;
  std::vector<double> xd(x.data(), x.data() + x.size()),
      td(t.data(), t.data() + t.size());

  std::vector<nnrt::MemRefArg> descs;
  auto add = [&](Tensor &tensor) {
    descs.emplace_back(tensor.data(), tensor.shape());
  };
  for (Tensor &p : params)
    add(p);
  for (Tensor &v : vel)
    add(v);
  add(x);
  add(t);
  add(lr);
  add(step);
  for (Tensor &p : newParams)
    add(p);
  for (Tensor &v : newVel)
    add(v);
  add(loss);
  add(y);
  std::vector<void *> ptrs;
  for (nnrt::MemRefArg &d : descs)
    ptrs.push_back(d.packed());
  compiled->functions.trainStep(ptrs.data());

  double expected = referenceLoss(ref, xd, td);
  EXPECT_NEAR(loss[0], expected, 1e-5 * (1 + expected));
  const double h = 1e-5;
  for (size_t k = 0; k < params.size(); ++k)
    for (int64_t i = 0; i < params[k].size(); ++i) {
      auto plus = ref, minus = ref;
      plus[k][i] += h;
      minus[k][i] -= h;
      double fd = (referenceLoss(plus, xd, td) - referenceLoss(minus, xd, td)) /
                  (2 * h);
      double tolerance = 2e-5 + 1e-3 * std::abs(fd);
      if (momentum) {
        EXPECT_NEAR(newVel[k][i], fd, tolerance)
            << compiled->info.params[k].name << "[" << i << "]";
        EXPECT_NEAR(newParams[k][i], params[k][i] - 0.1 * newVel[k][i], 1e-6);
      } else {
        EXPECT_NEAR(newParams[k][i], params[k][i] - 0.1 * fd,
                    1e-6 + 0.1 * tolerance)
            << compiled->info.params[k].name << "[" << i << "]";
      }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Pipelines, TrainStepTest,
    ::testing::Combine(::testing::Bool(), ::testing::Bool()),
    [](const auto &info) {
      return std::string(std::get<0>(info.param) ? "momentum_" : "plain_sgd_") +
             (std::get<1>(info.param) ? "vectorized" : "plain");
    });

} // namespace
