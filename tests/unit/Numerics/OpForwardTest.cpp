//===- OpForwardTest.cpp - compiled ops against references, one by one ---===//
//
// Ops whose forward pass is checked alone (the optimizer updates, tanh's
// approximation, col2im in chunks, the input gradient of a convolution),
// each against a double-precision reference with a stated tolerance.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include <cmath>

using nnc::test::Compiled;
using nnc::test::randomTensor;
using nnrt::Tensor;

namespace {

/// tanh, which nn-approximate-math computes as a rational function, is
/// within 4 ulp of the correctly rounded value everywhere: tiny arguments
/// (where it no longer special-cases |x| < 0.0004: at most 2 ulp), the
/// range where the function bends, the saturated range and NaN. The 4 ulp
/// are just past the clamp at +-7.9988 (-1 for tanh(-8.03) = -0.99999976),
/// as with MLIR's own approximation.
TEST(OpForwardTest, TanhWithinFourUlp) {
  constexpr int n = 4096;
  std::vector<float> xs;
  for (int i = 0; i < 1000; ++i) {
    float tiny =
        std::pow(10.0f, -30.0f + 27.0f * float(i) / 999.0f); // 1e-30 .. 1e-3
    xs.push_back(tiny);
    xs.push_back(-tiny);
  }
  for (int i = 0; (int)xs.size() < n - 8; ++i)
    xs.push_back(-12.0f + 24.0f * float(i) / float(n - 2009)); // -12 .. 12
  for (float v : {0.0f, -0.0f, 20.0f, -20.0f, 1e4f, -1e4f, 7.99f, -7.99f})
    xs.push_back(v);
  ASSERT_EQ(xs.size(), size_t(n));
  for (bool vectorize : {true, false}) {
    Compiled compiled(R"(
      func.func @f(%x: tensor<4096xf32>) -> tensor<4096xf32> attributes {llvm.emit_c_interface} {
        %y = nn.tanh %x : tensor<4096xf32>
        return %y : tensor<4096xf32>
      })",
                      vectorize);
    ASSERT_TRUE(compiled.ok());
    Tensor x({n}), y({n});
    std::copy(xs.begin(), xs.end(), x.data());
    compiled.call("f", {&x, &y});
    for (int i = 0; i < n; ++i) {
      float ref = float(std::tanh(double(xs[i])));
      float ulp = std::nextafter(std::abs(ref), INFINITY) - std::abs(ref);
      ASSERT_LE(std::abs(double(y[i]) - double(ref)), 4.0 * ulp)
          << "tanh(" << xs[i] << ") = " << y[i] << ", not " << ref
          << (vectorize ? " (vectorized)" : " (plain)");
    }
    x[0] = NAN;
    compiled.call("f", {&x, &y});
    EXPECT_TRUE(std::isnan(y[0])) << "tanh(NaN) = " << y[0];
  }
}

// Ops outside the differentiable set: compare forward results elementwise.

TEST(OpForwardTest, BatchSum) {
  Compiled compiled(R"(
    func.func @f(%x: tensor<4x3xf32>) -> tensor<3xf32> attributes {llvm.emit_c_interface} {
      %y = nn.batch_sum %x : tensor<4x3xf32> -> tensor<3xf32>
      return %y : tensor<3xf32>
    })");
  ASSERT_TRUE(compiled.ok());
  Tensor x = randomTensor({4, 3}, 5), y({3});
  compiled.call("f", {&x, &y});
  for (int j = 0; j < 3; ++j) {
    double s = 0;
    for (int n = 0; n < 4; ++n)
      s += x[n * 3 + j];
    EXPECT_NEAR(y[j], s, 1e-6);
  }
}

TEST(OpForwardTest, SGDWithMomentumWeightDecayAndNesterov) {
  for (bool nesterov : {false, true}) {
    std::string attrs = "{momentum = 0.9 : f32, weight_decay = 0.01 : f32" +
                        std::string(nesterov ? ", nesterov" : "") + "}";
    Compiled compiled(
        "func.func @f(%p: tensor<7xf32>, %g: tensor<7xf32>, %v: tensor<7xf32>, "
        "%lr: tensor<f32>) -> (tensor<7xf32>, tensor<7xf32>) attributes "
        "{llvm.emit_c_interface} {\n"
        "  %p2, %v2 = nn.sgd %p, %g, %v, %lr " +
        attrs +
        " : tensor<7xf32>, tensor<f32>\n"
        "  return %p2, %v2 : tensor<7xf32>, tensor<7xf32>\n}");
    ASSERT_TRUE(compiled.ok());
    Tensor p = randomTensor({7}, 1), g = randomTensor({7}, 2),
           v = randomTensor({7}, 3), lr(std::vector<int64_t>{}), p2({7}),
           v2({7});
    lr[0] = 0.1f;
    compiled.call("f", {&p, &g, &v, &lr, &p2, &v2});
    for (int i = 0; i < 7; ++i) {
      double gi = g[i] + 0.01 * p[i];
      double vi = 0.9 * v[i] + gi;
      double pi = p[i] - 0.1 * (nesterov ? gi + 0.9 * vi : vi);
      EXPECT_NEAR(v2[i], vi, 1e-6);
      EXPECT_NEAR(p2[i], pi, 1e-6);
    }
  }
}

} // namespace

namespace {

/// Runs one optimizer op on random tensors; returns (p', state'...).
std::vector<Tensor> runOptimizer(const std::string &op,
                                 const std::string &attrs, int slots,
                                 const std::vector<Tensor *> &inputs) {
  std::string stateArgs, stateTypes, results, resultTypes;
  for (int i = 0; i < slots; ++i) {
    stateArgs += ", %s" + std::to_string(i) + ": tensor<7xf32>";
    stateTypes += ", %s" + std::to_string(i);
  }
  for (int i = 0; i <= slots; ++i) {
    results += (i ? ", %r#" : "%r#") + std::to_string(i);
    resultTypes += std::string(i ? ", " : "") + "tensor<7xf32>";
  }
  bool adam = op == "adam";
  std::string src = "func.func @f(%p: tensor<7xf32>, %g: tensor<7xf32>" +
                    stateArgs + ", %lr: tensor<f32>" +
                    (adam ? ", %t: tensor<f32>" : "") + ") -> (" + resultTypes +
                    ") attributes {llvm.emit_c_interface} {\n  %r:" +
                    std::to_string(slots + 1) + " = nn." + op + " %p, %g" +
                    stateTypes + ", %lr" + (adam ? ", %t" : "") + " " + attrs +
                    " : tensor<7xf32>, tensor<f32>\n  return " + results +
                    " : " + resultTypes + "\n}";
  Compiled compiled(src);
  std::vector<Tensor> out;
  if (!compiled.ok())
    return out;
  for (int i = 0; i <= slots; ++i)
    out.emplace_back(std::vector<int64_t>{7});
  std::vector<Tensor *> args = inputs;
  for (Tensor &t : out)
    args.push_back(&t);
  compiled.call("f", args);
  return out;
}

TEST(OpForwardTest, AdamWithBiasCorrection) {
  Tensor p = randomTensor({7}, 1), g = randomTensor({7}, 2),
         m = randomTensor({7}, 3), v = randomTensor({7}, 4),
         lr(std::vector<int64_t>{}), t(std::vector<int64_t>{});
  for (int64_t i = 0; i < 7; ++i)
    v[i] = std::abs(v[i]);
  lr[0] = 0.01f;
  t[0] = 3;
  auto out = runOptimizer("adam",
                          "{beta1 = 0.9 : f32, beta2 = 0.99 : f32, eps = "
                          "1.0e-6 : f32, weight_decay = 0.01 : f32}",
                          2, {&p, &g, &m, &v, &lr, &t});
  ASSERT_EQ(out.size(), 3u);
  for (int i = 0; i < 7; ++i) {
    double gi = g[i] + 0.01 * p[i];
    double mi = 0.9 * m[i] + 0.1 * gi, vi = 0.99 * v[i] + 0.01 * gi * gi;
    double mhat = mi / (1 - std::pow(0.9, 3)),
           vhat = vi / (1 - std::pow(0.99, 3));
    EXPECT_NEAR(out[1][i], mi, 1e-6);
    EXPECT_NEAR(out[2][i], vi, 1e-6);
    EXPECT_NEAR(out[0][i], p[i] - 0.01 * mhat / (std::sqrt(vhat) + 1e-6), 1e-5);
  }
}

TEST(OpForwardTest, RMSPropAndAdagrad) {
  for (bool rms : {true, false}) {
    Tensor p = randomTensor({7}, 5), g = randomTensor({7}, 6),
           a = randomTensor({7}, 7), lr(std::vector<int64_t>{});
    for (int64_t i = 0; i < 7; ++i)
      a[i] = std::abs(a[i]);
    lr[0] = 0.01f;
    auto out =
        rms ? runOptimizer("rmsprop", "{alpha = 0.9 : f32, eps = 1.0e-6 : f32}",
                           1, {&p, &g, &a, &lr})
            : runOptimizer("adagrad", "{eps = 1.0e-6 : f32}", 1,
                           {&p, &g, &a, &lr});
    ASSERT_EQ(out.size(), 2u);
    for (int i = 0; i < 7; ++i) {
      double ai = rms ? 0.9 * a[i] + 0.1 * g[i] * g[i] : a[i] + g[i] * g[i];
      EXPECT_NEAR(out[1][i], ai, 1e-6);
      EXPECT_NEAR(out[0][i], p[i] - 0.01 * g[i] / (std::sqrt(ai) + 1e-6), 1e-5);
    }
  }
}

} // namespace

/// An input gradient's col2im(dy · Wᵀ), large enough (200 KB of patch rows
/// per image) that the optimized pipeline makes the rows two images at a
/// time, in a loop (nn-select-kernels): every element of the image
/// against a double reference, under both pipelines.
class Col2ImInChunksTest : public ::testing::TestWithParam<bool> {};

TEST_P(Col2ImInChunksTest, MatchesReference) {
  Compiled compiled(
      "func.func @f(%a: tensor<1024x16xf32>, %b: tensor<16x200xf32>) -> "
      "tensor<4x20x20x8xf32> attributes {llvm.emit_c_interface} {\n"
      "  %r = nn.matmul %a, %b : tensor<1024x16xf32>, tensor<16x200xf32> -> "
      "tensor<1024x200xf32>\n"
      "  %y = nn.col2im %r {kernel = array<i64: 5, 5>, stride = array<i64: 1, "
      "1>, "
      "padding = array<i64: 0, 0>} : tensor<1024x200xf32> -> "
      "tensor<4x20x20x8xf32>\n"
      "  return %y : tensor<4x20x20x8xf32>\n"
      "}\n",
      /*vectorize=*/GetParam());
  ASSERT_TRUE(compiled.ok());
  Tensor a = randomTensor({1024, 16}, 5), b = randomTensor({16, 200}, 6),
         y({4, 20, 20, 8});
  compiled.call("f", {&a, &b, &y});
  // rows[(n·16 + oh)·16 + ow][(kh·5 + kw)·8 + c] lands on pixel (oh + kh, ow +
  // kw).
  std::vector<double> ref(y.size());
  for (int n = 0; n < 4; ++n)
    for (int oh = 0; oh < 16; ++oh)
      for (int ow = 0; ow < 16; ++ow)
        for (int col = 0; col < 200; ++col) {
          int row = (n * 16 + oh) * 16 + ow;
          double r = 0;
          for (int k = 0; k < 16; ++k)
            r += double(a[row * 16 + k]) * b[k * 200 + col];
          int kh = col / 40, kw = col / 8 % 5, c = col % 8;
          ref[((n * 20 + oh + kh) * 20 + ow + kw) * 8 + c] += r;
        }
  for (int64_t i = 0; i < y.size(); ++i)
    ASSERT_NEAR(y[i], ref[i], 1e-5 * (1 + std::abs(ref[i]))) << "element " << i;
}

INSTANTIATE_TEST_SUITE_P(Pipelines, Col2ImInChunksTest, ::testing::Bool(),
                         [](const auto &info) {
                           return info.param ? "vectorized" : "plain";
                         });

/// An input gradient col2im(dy · Wᵀ) of a stride-1 convolution into few
/// channels, which the optimized pipeline computes as nn.conv2d_input_grad
/// (16 pixels in the lanes, the gradient channel-planar in a zero border):
/// 2 images of 7 rows (one row per step) of 20 pixels (a tile of 16 and a
/// masked 4), 5 channels, 7 filters, kernel 3x3, padding 1. Every element
/// of the image against a double reference, under both pipelines.
class Conv2DInputGradTest : public ::testing::TestWithParam<bool> {};

TEST_P(Conv2DInputGradTest, MatchesReference) {
  Compiled compiled(
      "func.func @f(%dy: tensor<280x7xf32>, %w: tensor<45x7xf32>) -> "
      "tensor<2x7x20x5xf32> attributes {llvm.emit_c_interface} {\n"
      "  %wt = nn.transpose %w : tensor<45x7xf32> -> tensor<7x45xf32>\n"
      "  %r = nn.matmul %dy, %wt : tensor<280x7xf32>, tensor<7x45xf32> -> "
      "tensor<280x45xf32>\n"
      "  %x = nn.col2im %r {kernel = array<i64: 3, 3>, stride = array<i64: 1, "
      "1>, "
      "padding = array<i64: 1, 1>} : tensor<280x45xf32> -> "
      "tensor<2x7x20x5xf32>\n"
      "  return %x : tensor<2x7x20x5xf32>\n"
      "}\n",
      /*vectorize=*/GetParam());
  ASSERT_TRUE(compiled.ok());
  Tensor dy = randomTensor({280, 7}, 7), w = randomTensor({45, 7}, 8),
         x({2, 7, 20, 5});
  compiled.call("f", {&dy, &w, &x});
  // Output pixel (oh, ow) reads image pixel (oh + kh - 1, ow + kw - 1).
  std::vector<double> ref(x.size());
  for (int n = 0; n < 2; ++n)
    for (int oh = 0; oh < 7; ++oh)
      for (int ow = 0; ow < 20; ++ow)
        for (int kh = 0; kh < 3; ++kh)
          for (int kw = 0; kw < 3; ++kw)
            for (int c = 0; c < 5; ++c) {
              int ih = oh + kh - 1, iw = ow + kw - 1;
              if (ih < 0 || ih >= 7 || iw < 0 || iw >= 20)
                continue;
              double r = 0;
              for (int f = 0; f < 7; ++f)
                r += double(dy[((n * 7 + oh) * 20 + ow) * 7 + f]) *
                     w[((kh * 3 + kw) * 5 + c) * 7 + f];
              ref[((n * 7 + ih) * 20 + iw) * 5 + c] += r;
            }
  for (int64_t i = 0; i < x.size(); ++i)
    ASSERT_NEAR(x[i], ref[i], 1e-5 * (1 + std::abs(ref[i]))) << "element " << i;
}

INSTANTIATE_TEST_SUITE_P(Pipelines, Conv2DInputGradTest, ::testing::Bool(),
                         [](const auto &info) {
                           return info.param ? "vectorized" : "plain";
                         });
