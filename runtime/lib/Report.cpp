//===- Report.cpp - progress lines, result tables, JSON reports -----------===//

#include "nnrt/Report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>

using namespace nnrt;

/// Prints to `out`, ignoring a failed write: progress is not worth stopping
/// a run for when its reader went away.
template <typename... T>
static void write(std::FILE *out, fmt::format_string<T...> format,
                  T &&...args) {
  std::string text = fmt::format(format, std::forward<T>(args)...);
  (void)std::fwrite(text.data(), 1, text.size(), out);
}

void ProgressPrinter::onBatch(const EpochStats &s) {
  if (!live)
    return;
  // Redraw at most ten times a second, and always on the last batch.
  if (s.batch != s.batches && s.seconds - lastDraw < 0.1 && lastDraw >= 0)
    return;
  lastDraw = s.seconds;
  constexpr int width = 24;
  int filled = int(width * s.batch / s.batches);
  std::string acc =
      s.regression ? "" : fmt::format("  acc {:.2f}%", 100 * s.accuracy);
  write(out,
        "\r\033[Kepoch {}/{} [{}{}] {}/{}  loss {:.4g}{}  {:.0f} samples/s",
        s.epoch, s.epochs, std::string(filled, '='),
        std::string(width - filled, ' '), s.batch, s.batches, s.loss, acc,
        s.imagesPerSecond());
  std::fflush(out);
}

void ProgressPrinter::onEpoch(const EpochStats &s) {
  lastDraw = -1;
  if (live)
    write(out, "\r\033[K");
  // Long runs get about 20 epoch lines: every k-th epoch and the last.
  int64_t every = (s.epochs + 19) / 20;
  if (s.epoch % every != 0 && s.epoch != s.epochs && s.epoch != 1) {
    std::fflush(out);
    return;
  }
  std::string acc =
      s.regression ? "" : fmt::format(", accuracy {:.2f}%", 100 * s.accuracy);
  // A regression's loss can get small: keep its significant digits.
  std::string loss = fmt::format(s.regression ? "{:.4g}" : "{:.4f}", s.loss);
  write(out, "epoch {}/{}: loss {}{}, {:.2f} s, {:.0f} {}/s\n", s.epoch,
        s.epochs, loss, acc, s.seconds, s.imagesPerSecond(),
        s.regression ? "samples" : "img");
  std::fflush(out);
}

std::string nnrt::formatConfusion(const Evaluation &ev) {
  std::string s = "true\\pred";
  for (int c = 0; c < ev.classes; ++c)
    s += fmt::format("{:>6}", c);
  s += "\n";
  for (int t = 0; t < ev.classes; ++t) {
    s += fmt::format("{:>9}", t);
    for (int p = 0; p < ev.classes; ++p)
      s += fmt::format("{:>6}", ev.confusion[t * ev.classes + p]);
    s += "\n";
  }
  return s;
}

std::string nnrt::plotFit(const std::vector<float> &x,
                          const std::vector<float> &target,
                          const std::vector<float> &prediction, int width,
                          int height) {
  size_t n = std::min({x.size(), target.size(), prediction.size()});
  if (n == 0)
    return "";
  auto range = std::minmax_element(x.begin(), x.begin() + n);
  auto xmin = range.first, xmax = range.second; // lambdas capture these
  float lo =
      std::min(*std::min_element(target.begin(), target.begin() + n),
               *std::min_element(prediction.begin(), prediction.begin() + n));
  float hi =
      std::max(*std::max_element(target.begin(), target.begin() + n),
               *std::max_element(prediction.begin(), prediction.begin() + n));
  float xr = std::max(*xmax - *xmin, 1e-12f), yr = std::max(hi - lo, 1e-12f);
  std::vector<std::string> grid(height, std::string(width, ' '));
  auto put = [&](float xv, float yv, char c) {
    int col = int(std::lround((xv - *xmin) / xr * (width - 1)));
    int row = height - 1 - int(std::lround((yv - lo) / yr * (height - 1)));
    char &cell = grid[row][col];
    // Where the fit covers the target, the prediction's star shows.
    if (cell == ' ' || c == '*')
      cell = c;
  };
  for (size_t i = 0; i < n; ++i)
    put(x[i], target[i], '.');
  for (size_t i = 0; i < n; ++i)
    put(x[i], prediction[i], '*');
  std::string out = "fit on the test set ('.' target, '*' prediction):\n";
  for (int r = 0; r < height; ++r) {
    std::string label = r == 0            ? fmt::format("{:.3g}", hi)
                        : r == height - 1 ? fmt::format("{:.3g}", lo)
                                          : "";
    out += fmt::format("{:>9} |{}\n", label, grid[r]);
  }
  out += fmt::format("{:>9} +{}\n", "", std::string(width, '-'));
  std::string left = fmt::format("{:.3g}", *xmin),
              right = fmt::format("{:.3g}", *xmax);
  out += fmt::format("{:>9}  {}{:>{}}\n", "", left, right,
                     std::max<int>(1, width - int(left.size())));
  return out;
}

namespace {
std::string quote(const std::string &v) {
  std::string s = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\')
      s += '\\';
    if (static_cast<unsigned char>(c) < 0x20)
      s += fmt::format("\\u{:04x}", int(c));
    else
      s += c;
  }
  return s + "\"";
}

template <typename T, typename F>
std::string array(const std::vector<T> &v, F f) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + f(v[i]);
  return s + "]";
}
} // namespace

Status nnrt::writeReport(const std::string &path, const RunReport &r) {
  std::string j = "{\n";
  auto field = [&](const std::string &k, const std::string &v,
                   bool last = false) {
    j += "  " + quote(k) + ": " + v + (last ? "\n" : ",\n");
  };
  auto num = [](double d) { return fmt::format("{:.6g}", d); };
  field("model", quote(r.model));
  field("dataset", quote(r.dataset));
  field("epochs", std::to_string(r.epochs));
  field("batch", std::to_string(r.batch));
  field("seed", std::to_string(r.seed));
  field("loss",
        array(r.perEpoch, [&](const EpochStats &e) { return num(e.loss); }));
  field("accuracy", array(r.perEpoch, [&](const EpochStats &e) {
          return num(e.accuracy);
        }));
  field("epoch_seconds",
        array(r.perEpoch, [&](const EpochStats &e) { return num(e.seconds); }));
  if (r.test && r.test->regression) {
    field("test_loss", num(r.test->loss));
    field("test_max_abs_error", num(r.test->maxAbsError));
  } else if (r.test) {
    field("test_loss", num(r.test->loss));
    field("test_accuracy", num(r.test->accuracy));
    field(
        "test_confusion", "[" + [&] {
          std::string rows;
          for (int t = 0; t < r.test->classes; ++t) {
            std::vector<int64_t> row(
                r.test->confusion.begin() + t * r.test->classes,
                r.test->confusion.begin() + (t + 1) * r.test->classes);
            rows += (t ? ", " : "") +
                    array(row, [](int64_t v) { return std::to_string(v); });
          }
          return rows;
        }() + "]");
  }
  int64_t images = 0;
  for (const EpochStats &e : r.perEpoch)
    images += e.images;
  field("compile_seconds", num(r.compileSeconds));
  std::string stages = "{";
  for (size_t i = 0; i < r.compileStages.size(); ++i)
    stages += (i ? ", " : "") + quote(r.compileStages[i].first) + ": " +
              num(r.compileStages[i].second);
  field("compile_stage_seconds", stages + "}");
  field("compile_cached", r.compileCached ? "true" : "false");
  field("compile_seconds_uncached", num(r.compileSecondsUncached));
  field("train_seconds", num(r.trainSeconds));
  field("images_per_second",
        num(r.trainSeconds > 0 ? images / r.trainSeconds : 0), true);
  j += "}\n";

  return writeTextFile(path, j, "report");
}

Status nnrt::writeTextFile(const std::string &path, const std::string &text,
                           const std::string &what) {
  std::string tmp = path + ".tmp";
  std::FILE *f = std::fopen(tmp.c_str(), "w");
  if (!f)
    return Status::error(
        fmt::format("cannot write {} '{}': {}", what, path, lastSystemError()));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = lastSystemError();
    std::remove(tmp.c_str());
    return Status::error(
        fmt::format("cannot write {} '{}': {}", what, path, err));
  }
  return Status::ok();
}
