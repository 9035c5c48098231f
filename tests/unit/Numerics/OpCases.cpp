//===- OpCases.cpp - every differentiable op, with its reference ----------===//

#include "OpCases.h"

#include <algorithm>
#include <cmath>

using namespace nnc::test;

namespace {

double mean(const std::vector<double> &v) {
  double s = 0;
  for (double x : v)
    s += x;
  return s / v.size();
}

/// mean(g(x) * w) for an elementwise g.
RefFn unaryRef(std::function<double(double)> g) {
  return [g](const Values &v) {
    std::vector<double> p(v[0].size());
    for (size_t i = 0; i < p.size(); ++i)
      p[i] = g(v[0][i]) * v[1][i];
    return mean(p);
  };
}

RefFn binaryRef(std::function<double(double, double)> g) {
  return [g](const Values &v) {
    std::vector<double> p(v[0].size());
    for (size_t i = 0; i < p.size(); ++i)
      p[i] = g(v[0][i], v[1][i]) * v[2][i];
    return mean(p);
  };
}

std::string unaryBody(const std::string &op, const std::string &attrs = "") {
  return "  %y = nn." + op + " %a0 " + attrs +
         " : tensor<3x5xf32>\n"
         "  %p = nn.mul %y, %a1 : tensor<3x5xf32>\n"
         "  %s = nn.mean %p : tensor<3x5xf32> -> tensor<f32>";
}

std::string binaryBody(const std::string &op) {
  return "  %y = nn." + op +
         " %a0, %a1 : tensor<3x5xf32>\n"
         "  %p = nn.mul %y, %a2 : tensor<3x5xf32>\n"
         "  %s = nn.mean %p : tensor<3x5xf32> -> tensor<f32>";
}

/// Row-wise softmax of an r x c matrix.
std::vector<double> softmax(const std::vector<double> &z, int r, int c) {
  std::vector<double> y(z.size());
  for (int i = 0; i < r; ++i) {
    double m = -1e300, s = 0;
    for (int j = 0; j < c; ++j)
      m = std::max(m, z[i * c + j]);
    for (int j = 0; j < c; ++j)
      s += std::exp(z[i * c + j] - m);
    for (int j = 0; j < c; ++j)
      y[i * c + j] = std::exp(z[i * c + j] - m) / s;
  }
  return y;
}

/// mean(pool(x) * w) for 2x2 windows, stride 2, on 2x4x6x3 images.
/// mean(conv(x, w) + b) * g) for a stride-1 convolution of N images of
/// H x W x C, a KH x KW kernel, padding P and F filters, as dense of
/// im2col rows: v = {x, w [KH·KW·C][F], b [F], g [rows][F]}.
double convStride1Ref(const Values &v, int N, int H, int W, int C, int KH,
                      int KW, int P, int F) {
  int OH = H + 2 * P - KH + 1, OW = W + 2 * P - KW + 1;
  std::vector<double> p;
  for (int n = 0; n < N; ++n)
    for (int oh = 0; oh < OH; ++oh)
      for (int ow = 0; ow < OW; ++ow)
        for (int f = 0; f < F; ++f) {
          double acc = v[2][f];
          for (int kh = 0; kh < KH; ++kh)
            for (int kw = 0; kw < KW; ++kw)
              for (int c = 0; c < C; ++c) {
                int ih = oh + kh - P, iw = ow + kw - P;
                if (ih < 0 || ih >= H || iw < 0 || iw >= W)
                  continue;
                acc += v[0][((n * H + ih) * W + iw) * C + c] *
                       v[1][((kh * KW + kw) * C + c) * F + f];
              }
          p.push_back(acc * v[3][((n * OH + oh) * OW + ow) * F + f]);
        }
  return mean(p);
}

/// mean(im2col(x) * g) for N images of H x W x C, a KH x KW kernel,
/// stride (SH, SW) and no padding: v = {x, g [rows][KH·KW·C]}.
double im2colRef(const Values &v, int N, int H, int W, int C, int KH, int KW,
                 int SH, int SW) {
  int OH = (H - KH) / SH + 1, OW = (W - KW) / SW + 1;
  double sum = 0;
  for (int n = 0; n < N; ++n)
    for (int oh = 0; oh < OH; ++oh)
      for (int ow = 0; ow < OW; ++ow)
        for (int kh = 0; kh < KH; ++kh)
          for (int kw = 0; kw < KW; ++kw)
            for (int c = 0; c < C; ++c) {
              int row = (n * OH + oh) * OW + ow, col = (kh * KW + kw) * C + c;
              sum += v[0][((n * H + oh * SH + kh) * W + ow * SW + kw) * C + c] *
                     v[1][row * KH * KW * C + col];
            }
  return sum / (N * OH * OW * KH * KW * C);
}

/// mean(pool(act(conv(x, w) + b)) * g) for a stride-1, unpadded
/// convolution of N one-channel H x W images, K x K kernels and F
/// filters, then 2x2 average or max pooling, stride 2: v = {x, w [K·K][F],
/// b [F], g [N][OH / 2][OW / 2][F]}.
double convActPoolRef(const Values &v, int N, int H, int W, int K, int F,
                      double (*act)(double), bool isMax) {
  int OH = H - K + 1, OW = W - K + 1;
  auto conv = [&](int n, int oh, int ow, int f) {
    double acc = v[2][f];
    for (int kh = 0; kh < K; ++kh)
      for (int kw = 0; kw < K; ++kw)
        acc +=
            v[0][(n * H + oh + kh) * W + ow + kw] * v[1][(kh * K + kw) * F + f];
    return act(acc);
  };
  std::vector<double> p;
  for (int n = 0; n < N; ++n)
    for (int i = 0; i < OH / 2; ++i)
      for (int j = 0; j < OW / 2; ++j)
        for (int f = 0; f < F; ++f) {
          double acc = isMax ? -1e300 : 0;
          for (int y = 0; y < 2; ++y)
            for (int x = 0; x < 2; ++x) {
              double c = conv(n, 2 * i + y, 2 * j + x, f);
              acc = isMax ? std::max(acc, c) : acc + c / 4;
            }
          p.push_back(acc * v[3][((n * (OH / 2) + i) * (OW / 2) + j) * F + f]);
        }
  return mean(p);
}

double poolRef(const Values &v, bool isMax) {
  double sum = 0;
  for (int n = 0; n < 2; ++n)
    for (int oh = 0; oh < 2; ++oh)
      for (int ow = 0; ow < 3; ++ow)
        for (int c = 0; c < 3; ++c) {
          double acc = isMax ? -1e300 : 0;
          for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j) {
              double x = v[0][((n * 4 + oh * 2 + i) * 6 + ow * 2 + j) * 3 + c];
              acc = isMax ? std::max(acc, x) : acc + x / 4;
            }
          sum += acc * v[1][((n * 2 + oh) * 3 + ow) * 3 + c];
        }
  return sum / 36;
}

} // namespace

std::vector<OpCase> nnc::test::opCases() {
  Input x{{3, 5}}, w{{3, 5}};
  std::vector<OpCase> c = {
      {"relu", {x, w}, unaryBody("relu"), unaryRef([](double v) {
         return v > 0 ? v : 0;
       })},
      {"sigmoid", {x, w}, unaryBody("sigmoid"), unaryRef([](double v) {
         return 1 / (1 + std::exp(-v));
       })},
      {"tanh", {x, w}, unaryBody("tanh"), unaryRef([](double v) {
         return std::tanh(v);
       })},
      {"step", {x, w}, unaryBody("step"), unaryRef([](double v) {
         return v >= 0 ? 1.0 : 0.0;
       })},
      {"scaled_tanh", {x, w}, unaryBody("scaled_tanh"), unaryRef([](double v) {
         return 1.7159 * std::tanh(2.0 * v / 3.0);
       })},
      {"swish", {x, w}, unaryBody("swish"), unaryRef([](double v) {
         return v / (1 + std::exp(-v));
       })},
      {"softplus", {x, w}, unaryBody("softplus"), unaryRef([](double v) {
         return std::log1p(std::exp(v));
       })},
      {"leaky_relu",
       {x, w},
       unaryBody("leaky_relu", "{alpha = 0.1 : f32}"),
       unaryRef([](double v) { return v > 0 ? v : 0.1 * v; })},
      {"elu",
       {x, w},
       unaryBody("elu", "{alpha = 0.5 : f32}"),
       unaryRef([](double v) { return v > 0 ? v : 0.5 * (std::exp(v) - 1); })},
      // Noise in (0, 1): elements with noise >= 0.3 are kept, scaled 1/0.7.
      {"dropout",
       {x, {{3, 5}, false, Input::Positive}, w},
       "  %y = nn.dropout %a0, %a1 {rate = 0.3 : f32} : tensor<3x5xf32>\n"
       "  %p = nn.mul %y, %a2 : tensor<3x5xf32>\n"
       "  %s = nn.mean %p : tensor<3x5xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> p(15);
         for (int i = 0; i < 15; ++i)
           p[i] = (v[1][i] >= 0.3 ? v[0][i] / 0.7 : 0.0) * v[2][i];
         return mean(p);
       }},
      {"softmax",
       {x, w},
       unaryBody("softmax"),
       [](const Values &v) {
         std::vector<double> y = softmax(v[0], 3, 5);
         for (size_t i = 0; i < y.size(); ++i)
           y[i] *= v[1][i];
         return mean(y);
       }},
      {"add", {x, x, w}, binaryBody("add"), binaryRef([](double a, double b) {
         return a + b;
       })},
      {"sub", {x, x, w}, binaryBody("sub"), binaryRef([](double a, double b) {
         return a - b;
       })},
      {"mul", {x, x, w}, binaryBody("mul"), binaryRef([](double a, double b) {
         return a * b;
       })},
      {"dense",
       {{{4, 3}}, {{3, 5}}, {{5}}, {{4, 5}}},
       "  %y = nn.dense %a0, %a1, %a2 : tensor<4x3xf32>, tensor<3x5xf32>, "
       "tensor<5xf32> -> tensor<4x5xf32>\n"
       "  %p = nn.mul %y, %a3 : tensor<4x5xf32>\n"
       "  %s = nn.mean %p : tensor<4x5xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> p(20);
         for (int n = 0; n < 4; ++n)
           for (int o = 0; o < 5; ++o) {
             double acc = v[2][o];
             for (int i = 0; i < 3; ++i)
               acc += v[0][n * 3 + i] * v[1][i * 5 + o];
             p[n * 5 + o] = acc * v[3][n * 5 + o];
           }
         return mean(p);
       }},
      {"matmul",
       {{{4, 3}}, {{3, 5}}, {{4, 5}}},
       "  %y = nn.matmul %a0, %a1 : tensor<4x3xf32>, tensor<3x5xf32> -> "
       "tensor<4x5xf32>\n"
       "  %p = nn.mul %y, %a2 : tensor<4x5xf32>\n"
       "  %s = nn.mean %p : tensor<4x5xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> p(20);
         for (int n = 0; n < 4; ++n)
           for (int o = 0; o < 5; ++o) {
             double acc = 0;
             for (int i = 0; i < 3; ++i)
               acc += v[0][n * 3 + i] * v[1][i * 5 + o];
             p[n * 5 + o] = acc * v[2][n * 5 + o];
           }
         return mean(p);
       }},
      // Full 8x32 tiles, a row remainder (3) and a column remainder split
      // into 16 + 5 (53 = 32 + 16 + 5); the gradient reads the transposes.
      {"matmul_tiles",
       {{{19, 7}}, {{7, 53}}, {{19, 53}}},
       "  %y = nn.matmul %a0, %a1 : tensor<19x7xf32>, tensor<7x53xf32> -> "
       "tensor<19x53xf32>\n"
       "  %p = nn.mul %y, %a2 : tensor<19x53xf32>\n"
       "  %s = nn.mean %p : tensor<19x53xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> p(19 * 53);
         for (int n = 0; n < 19; ++n)
           for (int o = 0; o < 53; ++o) {
             double acc = 0;
             for (int i = 0; i < 7; ++i)
               acc += v[0][n * 7 + i] * v[1][i * 53 + o];
             p[n * 53 + o] = acc * v[2][n * 53 + o];
           }
         return mean(p);
       }},
      // Two rows (nn-schedule-matmuls' narrow kernel): 150 columns are a
      // block of 8 strips and one of 2 (the last masked to 6 columns); the
      // 37 k steps of the second block unrolled 4 times with one left
      // over. The input gradient (2x150 by 150x37) is narrow too.
      {"matmul_narrow",
       {{{2, 37}}, {{37, 150}}, {{2, 150}}},
       "  %y = nn.matmul %a0, %a1 : tensor<2x37xf32>, tensor<37x150xf32> -> "
       "tensor<2x150xf32>\n"
       "  %p = nn.mul %y, %a2 : tensor<2x150xf32>\n"
       "  %s = nn.mean %p : tensor<2x150xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> p(2 * 150);
         for (int n = 0; n < 2; ++n)
           for (int o = 0; o < 150; ++o) {
             double acc = 0;
             for (int i = 0; i < 37; ++i)
               acc += v[0][n * 37 + i] * v[1][i * 150 + o];
             p[n * 150 + o] = acc * v[2][n * 150 + o];
           }
         return mean(p);
       }},
      // One row into a bias (the output filled before the matmul): 10
      // columns, one masked strip, k unrolled 8 times.
      {"dense_row",
       {{{1, 21}}, {{21, 10}}, {{10}}, {{1, 10}}},
       "  %y = nn.dense %a0, %a1, %a2 : tensor<1x21xf32>, tensor<21x10xf32>, "
       "tensor<10xf32> -> tensor<1x10xf32>\n"
       "  %p = nn.mul %y, %a3 : tensor<1x10xf32>\n"
       "  %s = nn.mean %p : tensor<1x10xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> p(10);
         for (int o = 0; o < 10; ++o) {
           double acc = v[2][o];
           for (int i = 0; i < 21; ++i)
             acc += v[0][i] * v[1][i * 10 + o];
           p[o] = acc * v[3][o];
         }
         return mean(p);
       }},
      // Kernel 3x2, stride (2, 1), padding (1, 0) on 2 images of 5x6x3.
      {"im2col",
       {{{2, 5, 6, 3}}, {{30, 18}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 3, 2>, stride = array<i64: "
       "2, 1>, "
       "padding = array<i64: 1, 0>} : tensor<2x5x6x3xf32> -> "
       "tensor<30x18xf32>\n"
       "  %p = nn.mul %c, %a1 : tensor<30x18xf32>\n"
       "  %s = nn.mean %p : tensor<30x18xf32> -> tensor<f32>",
       [](const Values &v) {
         double sum = 0;
         for (int n = 0; n < 2; ++n)
           for (int oh = 0; oh < 3; ++oh)
             for (int ow = 0; ow < 5; ++ow)
               for (int kh = 0; kh < 3; ++kh)
                 for (int kw = 0; kw < 2; ++kw)
                   for (int c = 0; c < 3; ++c) {
                     int ih = oh * 2 + kh - 1, iw = ow + kw;
                     double x = (ih < 0 || ih >= 5)
                                    ? 0
                                    : v[0][((n * 5 + ih) * 6 + iw) * 3 + c];
                     int row = (n * 3 + oh) * 5 + ow,
                         col = (kh * 2 + kw) * 3 + c;
                     sum += x * v[1][row * 18 + col];
                   }
         return sum / (30 * 18);
       }},
      // Patches that tile the image: the gradient (col2im) is one copy.
      // 2 images of 4x6x3, kernel 2x3, stride (2, 3): 2x2 patches each.
      {"im2col_tiles",
       {{{2, 4, 6, 3}}, {{8, 18}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 2, 3>, stride = array<i64: "
       "2, 3>, "
       "padding = array<i64: 0, 0>} : tensor<2x4x6x3xf32> -> tensor<8x18xf32>\n"
       "  %p = nn.mul %c, %a1 : tensor<8x18xf32>\n"
       "  %s = nn.mean %p : tensor<8x18xf32> -> tensor<f32>",
       [](const Values &v) { return im2colRef(v, 2, 4, 6, 3, 2, 3, 2, 3); }},
      // A kernel as wide as the image (stride 1 is then immaterial
      // across): one patch per row of patches, the patches and their
      // gradient reshapes of the image.
      // 2 images of 4x5x2, kernel 2x5, stride (2, 1).
      {"im2col_full_width",
       {{{2, 4, 5, 2}}, {{4, 20}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 2, 5>, stride = array<i64: "
       "2, 1>, "
       "padding = array<i64: 0, 0>} : tensor<2x4x5x2xf32> -> tensor<4x20xf32>\n"
       "  %p = nn.mul %c, %a1 : tensor<4x20xf32>\n"
       "  %s = nn.mean %p : tensor<4x20xf32> -> tensor<f32>",
       [](const Values &v) { return im2colRef(v, 2, 4, 5, 2, 2, 5, 2, 1); }},
      // A convolution as the front end writes it, dense of im2col rows:
      // the optimized pipeline computes the forward directly from the image
      // (nn-select-kernels, nn-schedule-convs: output rows of 11 pixels
      // are one tile), the plain one with im2col and a
      // matmul; both take the gradient through im2col. 2 images of 7x12x3,
      // kernel 3x2, stride (2, 1), padding (1, 0), 5 filters.
      {"conv",
       {{{2, 7, 12, 3}}, {{18, 5}}, {{5}}, {{88, 5}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 3, 2>, stride = array<i64: "
       "2, 1>, "
       "padding = array<i64: 1, 0>} : tensor<2x7x12x3xf32> -> "
       "tensor<88x18xf32>\n"
       "  %y = nn.dense %c, %a1, %a2 : tensor<88x18xf32>, tensor<18x5xf32>, "
       "tensor<5xf32> "
       "-> tensor<88x5xf32>\n"
       "  %p = nn.mul %y, %a3 : tensor<88x5xf32>\n"
       "  %s = nn.mean %p : tensor<88x5xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> p;
         for (int n = 0; n < 2; ++n)
           for (int oh = 0; oh < 4; ++oh)
             for (int ow = 0; ow < 11; ++ow)
               for (int f = 0; f < 5; ++f) {
                 double acc = v[2][f];
                 for (int kh = 0; kh < 3; ++kh)
                   for (int kw = 0; kw < 2; ++kw)
                     for (int c = 0; c < 3; ++c) {
                       int ih = oh * 2 + kh - 1, iw = ow + kw;
                       if (ih < 0 || ih >= 7)
                         continue;
                       acc += v[0][((n * 7 + ih) * 12 + iw) * 3 + c] *
                              v[1][((kh * 2 + kw) * 3 + c) * 5 + f];
                     }
                 int row = (n * 4 + oh) * 11 + ow;
                 p.push_back(acc * v[3][row * 5 + f]);
               }
         return mean(p);
       }},
      // Stride 1: the optimized pipeline computes the weight gradient from
      // the image too (nn.conv2d_filter_grad), with no im2col left. 2 images
      // of 6x10x3, kernel 3x3, padding 1, 5 filters: rows of 10 pixels.
      {"conv_stride1",
       {{{2, 6, 10, 3}}, {{27, 5}}, {{5}}, {{120, 5}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 3, 3>, stride = array<i64: "
       "1, 1>, "
       "padding = array<i64: 1, 1>} : tensor<2x6x10x3xf32> -> "
       "tensor<120x27xf32>\n"
       "  %y = nn.dense %c, %a1, %a2 : tensor<120x27xf32>, tensor<27x5xf32>, "
       "tensor<5xf32> "
       "-> tensor<120x5xf32>\n"
       "  %p = nn.mul %y, %a3 : tensor<120x5xf32>\n"
       "  %s = nn.mean %p : tensor<120x5xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> p;
         for (int n = 0; n < 2; ++n)
           for (int oh = 0; oh < 6; ++oh)
             for (int ow = 0; ow < 10; ++ow)
               for (int f = 0; f < 5; ++f) {
                 double acc = v[2][f];
                 for (int kh = 0; kh < 3; ++kh)
                   for (int kw = 0; kw < 3; ++kw)
                     for (int c = 0; c < 3; ++c) {
                       int ih = oh + kh - 1, iw = ow + kw - 1;
                       if (ih < 0 || ih >= 6 || iw < 0 || iw >= 10)
                         continue;
                       acc += v[0][((n * 6 + ih) * 10 + iw) * 3 + c] *
                              v[1][((kh * 3 + kw) * 3 + c) * 5 + f];
                     }
                 int row = (n * 6 + oh) * 10 + ow;
                 p.push_back(acc * v[3][row * 5 + f]);
               }
         return mean(p);
       }},
      // One input channel and few filters: the optimized pipeline puts 16
      // output pixels in the vector lanes (nn-conv-kernels). 9 output
      // rows (one row per step) of 22 pixels (a tile of 16 and a masked 6),
      // padding 1, 6 filters.
      {"conv_pixel_lanes",
       {{{2, 11, 24, 1}}, {{25, 6}}, {{6}}, {{396, 6}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 5, 5>, stride = array<i64: "
       "1, 1>, "
       "padding = array<i64: 1, 1>} : tensor<2x11x24x1xf32> -> "
       "tensor<396x25xf32>\n"
       "  %y = nn.dense %c, %a1, %a2 : tensor<396x25xf32>, tensor<25x6xf32>, "
       "tensor<6xf32> "
       "-> tensor<396x6xf32>\n"
       "  %p = nn.mul %y, %a3 : tensor<396x6xf32>\n"
       "  %s = nn.mean %p : tensor<396x6xf32> -> tensor<f32>",
       [](const Values &v) {
         return convStride1Ref(v, 2, 11, 24, 1, 5, 5, 1, 6);
       }},
      // The activation and the pooling of a one-channel convolution in
      // the pixel-lane kernel's epilogue (@f: only they read the
      // convolution; @f_grad keeps its output for the backward pass). 8
      // rows of 20 pixels (a tile of 16 and a masked 4: 8 and 2 pooled),
      // 5 filters (two pairs and one alone), tanh, average pooling.
      {"conv_tanh_avgpool_pixel_lanes",
       {{{2, 10, 22, 1}}, {{9, 5}}, {{5}}, {{2, 4, 10, 5}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 3, 3>, stride = array<i64: "
       "1, 1>, "
       "padding = array<i64: 0, 0>} : tensor<2x10x22x1xf32> -> "
       "tensor<320x9xf32>\n"
       "  %y = nn.dense %c, %a1, %a2 : tensor<320x9xf32>, tensor<9x5xf32>, "
       "tensor<5xf32> "
       "-> tensor<320x5xf32>\n"
       "  %r = nn.reshape %y : tensor<320x5xf32> -> tensor<2x8x20x5xf32>\n"
       "  %t = nn.tanh %r : tensor<2x8x20x5xf32>\n"
       "  %q = nn.pool2d %t {kind = #nn.pool_kind<avg>, size = 2, stride = 2} "
       ": "
       "tensor<2x8x20x5xf32> -> tensor<2x4x10x5xf32>\n"
       "  %p = nn.mul %q, %a3 : tensor<2x4x10x5xf32>\n"
       "  %s = nn.mean %p : tensor<2x4x10x5xf32> -> tensor<f32>",
       [](const Values &v) {
         return convActPoolRef(
             v, 2, 10, 22, 3, 5, [](double x) { return std::tanh(x); }, false);
       }},
      // The same with ReLU and max pooling: 4 rows of 18 pixels (16 and 2:
      // 8 and 1 pooled), 3 filters.
      {"conv_relu_maxpool_pixel_lanes",
       {{{1, 6, 20, 1}}, {{9, 3}}, {{3}}, {{1, 2, 9, 3}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 3, 3>, stride = array<i64: "
       "1, 1>, "
       "padding = array<i64: 0, 0>} : tensor<1x6x20x1xf32> -> "
       "tensor<72x9xf32>\n"
       "  %y = nn.dense %c, %a1, %a2 : tensor<72x9xf32>, tensor<9x3xf32>, "
       "tensor<3xf32> "
       "-> tensor<72x3xf32>\n"
       "  %r = nn.reshape %y : tensor<72x3xf32> -> tensor<1x4x18x3xf32>\n"
       "  %t = nn.relu %r : tensor<1x4x18x3xf32>\n"
       "  %q = nn.pool2d %t {kind = #nn.pool_kind<max>, size = 2, stride = 2} "
       ": "
       "tensor<1x4x18x3xf32> -> tensor<1x2x9x3xf32>\n"
       "  %p = nn.mul %q, %a3 : tensor<1x2x9x3xf32>\n"
       "  %s = nn.mean %p : tensor<1x2x9x3xf32> -> tensor<f32>",
       [](const Values &v) {
         return convActPoolRef(
             v, 1, 6, 20, 3, 3, [](double x) { return x > 0 ? x : 0; }, true);
       }},
      // The same with an even number of rows (two rows per step), 19
      // pixels (16 and a masked 3), no padding, 3 filters.
      {"conv_pixel_lanes_two_rows",
       {{{1, 12, 21, 1}}, {{9, 3}}, {{3}}, {{190, 3}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 3, 3>, stride = array<i64: "
       "1, 1>, "
       "padding = array<i64: 0, 0>} : tensor<1x12x21x1xf32> -> "
       "tensor<190x9xf32>\n"
       "  %y = nn.dense %c, %a1, %a2 : tensor<190x9xf32>, tensor<9x3xf32>, "
       "tensor<3xf32> "
       "-> tensor<190x3xf32>\n"
       "  %p = nn.mul %y, %a3 : tensor<190x3xf32>\n"
       "  %s = nn.mean %p : tensor<190x3xf32> -> tensor<f32>",
       [](const Values &v) {
         return convStride1Ref(v, 1, 12, 21, 1, 3, 3, 0, 3);
       }},
      // Filters a multiple of 16: the optimized pipeline computes the
      // forward with the filters in the lanes, a block of pixels of a row
      // at a time (nn-conv-kernels' filter-lane kernel). 2 images of 5x17x9
      // (9 channels: the channel loop), kernel 3x3, padding 1, 16 filters:
      // rows of 17 pixels, a block of 14 and one of 3.
      {"conv_filter_rows",
       {{{2, 5, 17, 9}}, {{81, 16}}, {{16}}, {{170, 16}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 3, 3>, stride = array<i64: "
       "1, 1>, "
       "padding = array<i64: 1, 1>} : tensor<2x5x17x9xf32> -> "
       "tensor<170x81xf32>\n"
       "  %y = nn.dense %c, %a1, %a2 : tensor<170x81xf32>, tensor<81x16xf32>, "
       "tensor<16xf32> "
       "-> tensor<170x16xf32>\n"
       "  %p = nn.mul %y, %a3 : tensor<170x16xf32>\n"
       "  %s = nn.mean %p : tensor<170x16xf32> -> tensor<f32>",
       [](const Values &v) {
         return convStride1Ref(v, 2, 5, 17, 9, 3, 3, 1, 16);
       }},
      // 24 filters (not a multiple of 16: the schedule's filter-lane tiles)
      // over rows of 18 pixels: a remainder of 8 filters and one of 2
      // pixels, both peeled (the remainder of the pixels holds both filter
      // tiles). 1 image of 5x20x3, kernel 3x3, no padding.
      {"conv_filter_lanes_remainders",
       {{{1, 5, 20, 3}}, {{27, 24}}, {{24}}, {{54, 24}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 3, 3>, stride = array<i64: "
       "1, 1>, "
       "padding = array<i64: 0, 0>} : tensor<1x5x20x3xf32> -> "
       "tensor<54x27xf32>\n"
       "  %y = nn.dense %c, %a1, %a2 : tensor<54x27xf32>, tensor<27x24xf32>, "
       "tensor<24xf32> "
       "-> tensor<54x24xf32>\n"
       "  %p = nn.mul %y, %a3 : tensor<54x24xf32>\n"
       "  %s = nn.mean %p : tensor<54x24xf32> -> tensor<f32>",
       [](const Values &v) {
         return convStride1Ref(v, 1, 5, 20, 3, 3, 3, 0, 24);
       }},
      // 32 filters (two vectors per pixel), 3 channels (unrolled), rows of
      // 8 pixels (one block), no padding.
      {"conv_filter_rows_two_vectors",
       {{{1, 5, 10, 3}}, {{27, 32}}, {{32}}, {{24, 32}}},
       "  %c = nn.im2col %a0 {kernel = array<i64: 3, 3>, stride = array<i64: "
       "1, 1>, "
       "padding = array<i64: 0, 0>} : tensor<1x5x10x3xf32> -> "
       "tensor<24x27xf32>\n"
       "  %y = nn.dense %c, %a1, %a2 : tensor<24x27xf32>, tensor<27x32xf32>, "
       "tensor<32xf32> "
       "-> tensor<24x32xf32>\n"
       "  %p = nn.mul %y, %a3 : tensor<24x32xf32>\n"
       "  %s = nn.mean %p : tensor<24x32xf32> -> tensor<f32>",
       [](const Values &v) {
         return convStride1Ref(v, 1, 5, 10, 3, 3, 3, 0, 32);
       }},
      {"avgpool",
       {{{2, 4, 6, 3}}, {{2, 2, 3, 3}}},
       "  %y = nn.pool2d %a0 {kind = #nn.pool_kind<avg>, size = 2, stride = 2} "
       ": "
       "tensor<2x4x6x3xf32> -> tensor<2x2x3x3xf32>\n"
       "  %p = nn.mul %y, %a1 : tensor<2x2x3x3xf32>\n"
       "  %s = nn.mean %p : tensor<2x2x3x3xf32> -> tensor<f32>",
       [](const Values &v) { return poolRef(v, false); }},
      {"sumpool",
       {{{2, 4, 6, 3}}, {{2, 2, 3, 3}}},
       "  %y = nn.pool2d %a0 {kind = #nn.pool_kind<sum>, size = 2, stride = 2} "
       ": "
       "tensor<2x4x6x3xf32> -> tensor<2x2x3x3xf32>\n"
       "  %p = nn.mul %y, %a1 : tensor<2x2x3x3xf32>\n"
       "  %s = nn.mean %p : tensor<2x2x3x3xf32> -> tensor<f32>",
       [](const Values &v) { return 4 * poolRef(v, false); }},
      {"channel_scale",
       {{{2, 2, 3, 3}}, {{3}}, {{3}}, {{2, 2, 3, 3}}},
       "  %y = nn.channel_scale %a0, %a1, %a2 : tensor<2x2x3x3xf32>, "
       "tensor<3xf32>\n"
       "  %p = nn.mul %y, %a3 : tensor<2x2x3x3xf32>\n"
       "  %s = nn.mean %p : tensor<2x2x3x3xf32> -> tensor<f32>",
       [](const Values &v) {
         double sum = 0;
         for (int i = 0; i < 36; ++i)
           sum += (v[0][i] * v[1][i % 3] + v[2][i % 3]) * v[3][i];
         return sum / 36;
       }},
      {"maxpool",
       {{{2, 4, 6, 3}}, {{2, 2, 3, 3}}},
       "  %y = nn.pool2d %a0 {kind = #nn.pool_kind<max>, size = 2, stride = 2} "
       ": "
       "tensor<2x4x6x3xf32> -> tensor<2x2x3x3xf32>\n"
       "  %p = nn.mul %y, %a1 : tensor<2x2x3x3xf32>\n"
       "  %s = nn.mean %p : tensor<2x2x3x3xf32> -> tensor<f32>",
       [](const Values &v) { return poolRef(v, true); }},
      {"transpose",
       {{{3, 4}}, {{4, 3}}},
       "  %y = nn.transpose %a0 : tensor<3x4xf32> -> tensor<4x3xf32>\n"
       "  %p = nn.mul %y, %a1 : tensor<4x3xf32>\n"
       "  %s = nn.mean %p : tensor<4x3xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> p(12);
         for (int i = 0; i < 4; ++i)
           for (int j = 0; j < 3; ++j)
             p[i * 3 + j] = v[0][j * 4 + i] * v[1][i * 3 + j];
         return mean(p);
       }},
      {"flatten",
       {{{2, 3, 4}}, {{2, 12}}},
       "  %y = nn.flatten %a0 : tensor<2x3x4xf32> -> tensor<2x12xf32>\n"
       "  %t = nn.tanh %y : tensor<2x12xf32>\n"
       "  %p = nn.mul %t, %a1 : tensor<2x12xf32>\n"
       "  %s = nn.mean %p : tensor<2x12xf32> -> tensor<f32>",
       unaryRef([](double v) { return std::tanh(v); })},
      {"reshape",
       {{{2, 12}}, {{2, 3, 4}}},
       "  %y = nn.reshape %a0 : tensor<2x12xf32> -> tensor<2x3x4xf32>\n"
       "  %t = nn.tanh %y : tensor<2x3x4xf32>\n"
       "  %p = nn.mul %t, %a1 : tensor<2x3x4xf32>\n"
       "  %s = nn.mean %p : tensor<2x3x4xf32> -> tensor<f32>",
       unaryRef([](double v) { return std::tanh(v); })},
      {"cross_entropy",
       {{{3, 4}, true, Input::Positive}, {{3, 4}, false, Input::Target}},
       "  %l = nn.cross_entropy %a0, %a1 : tensor<3x4xf32>, tensor<3x4xf32> -> "
       "tensor<3xf32>\n"
       "  %s = nn.mean %l : tensor<3xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> l(3);
         for (int n = 0; n < 3; ++n)
           for (int c = 0; c < 4; ++c)
             l[n] -= v[1][n * 4 + c] * std::log(v[0][n * 4 + c]);
         return mean(l);
       }},
      {"softmax_cross_entropy",
       {{{3, 4}}, {{3, 4}, false, Input::Target}},
       "  %l = nn.softmax_cross_entropy %a0, %a1 : tensor<3x4xf32>, "
       "tensor<3x4xf32> -> tensor<3xf32>\n"
       "  %s = nn.mean %l : tensor<3xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> p = softmax(v[0], 3, 4), l(3);
         for (int n = 0; n < 3; ++n)
           for (int c = 0; c < 4; ++c)
             l[n] -= v[1][n * 4 + c] * std::log(p[n * 4 + c]);
         return mean(l);
       }},
      {"cosine_loss",
       {{{3, 4}}, {{3, 4}, false}},
       "  %l = nn.cosine_loss %a0, %a1 : tensor<3x4xf32>, tensor<3x4xf32> -> "
       "tensor<3xf32>\n"
       "  %s = nn.mean %l : tensor<3xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> l(3);
         for (int n = 0; n < 3; ++n) {
           double yt = 0, yy = 0, tt = 0;
           for (int c = 0; c < 4; ++c) {
             yt += v[0][n * 4 + c] * v[1][n * 4 + c];
             yy += v[0][n * 4 + c] * v[0][n * 4 + c];
             tt += v[1][n * 4 + c] * v[1][n * 4 + c];
           }
           l[n] = 1 - yt / (std::sqrt(yy) * std::sqrt(tt) + 1e-8);
         }
         return mean(l);
       }},
      {"rbf",
       {{{3, 5}}, {{4, 5}}, {{3, 4}, false}},
       "  %y = nn.rbf %a0, %a1 : tensor<3x5xf32>, tensor<4x5xf32> -> "
       "tensor<3x4xf32>\n"
       "  %p = nn.mul %y, %a2 : tensor<3x4xf32>\n"
       "  %s = nn.mean %p : tensor<3x4xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> p(12);
         for (int n = 0; n < 3; ++n)
           for (int c = 0; c < 4; ++c) {
             double d2 = 0;
             for (int i = 0; i < 5; ++i) {
               double d = v[0][n * 5 + i] - v[1][c * 5 + i];
               d2 += d * d;
             }
             p[n * 4 + c] = d2 * v[2][n * 4 + c];
           }
         return mean(p);
       }},
      {"distance_loss",
       {{{3, 4}}, {{3, 4}, false, Input::Target}},
       "  %l = nn.distance_loss %a0, %a1 : tensor<3x4xf32>, tensor<3x4xf32> -> "
       "tensor<3xf32>\n"
       "  %s = nn.mean %l : tensor<3xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> l(3);
         for (int n = 0; n < 3; ++n)
           for (int c = 0; c < 4; ++c)
             l[n] += v[0][n * 4 + c] * v[1][n * 4 + c];
         return mean(l);
       }},
      {"mse",
       {{{3, 4}}, {{3, 4}, false}},
       "  %l = nn.mse %a0, %a1 : tensor<3x4xf32>, tensor<3x4xf32> -> "
       "tensor<3xf32>\n"
       "  %s = nn.mean %l : tensor<3xf32> -> tensor<f32>",
       [](const Values &v) {
         std::vector<double> l(3);
         for (int n = 0; n < 3; ++n)
           for (int c = 0; c < 4; ++c) {
             double d = v[0][n * 4 + c] - v[1][n * 4 + c];
             l[n] += d * d / 4;
           }
         return mean(l);
       }},
  };
  return c;
}
