//===- Report.h - progress lines, result tables, JSON reports ---*- C++ -*-===//

#ifndef NNRT_REPORT_H
#define NNRT_REPORT_H

#include "nnrt/Trainer.h"

#include <cstdio>
#include <optional>

namespace nnrt {

/// Prints training progress: on a terminal, one line redrawn in place
/// (epoch, batch, loss, accuracy, images/s); and a line per epoch (for runs
/// of over 20 epochs, the first, every k-th and the last: about 20 lines).
class ProgressPrinter {
public:
  ProgressPrinter(std::FILE *out, bool live) : out(out), live(live) {}
  void onBatch(const EpochStats &s);
  void onEpoch(const EpochStats &s);

private:
  std::FILE *out;
  bool live;
  double lastDraw = -1;
};

/// A confusion matrix as a table, rows the true classes.
std::string formatConfusion(const Evaluation &ev);

/// A text plot of a 1-D fit: the targets ('.') and the predictions ('*')
/// against x, `width` x `height` characters with the axes' ranges.
std::string plotFit(const std::vector<float> &x,
                    const std::vector<float> &target,
                    const std::vector<float> &prediction, int width = 64,
                    int height = 16);

struct RunReport {
  std::string model, dataset;
  int64_t epochs = 0, batch = 0;
  uint64_t seed = 0;
  std::vector<EpochStats> perEpoch;
  std::optional<Evaluation> test;
  double compileSeconds = 0, trainSeconds = 0;
  /// Compile time of each pipeline stage, in order.
  std::vector<std::pair<std::string, double>> compileStages;
  /// The code came from the compile cache: compileSeconds is the time to
  /// load it, compileSecondsUncached what compiling it took.
  bool compileCached = false;
  double compileSecondsUncached = 0;
};

/// Writes `report` as JSON to `path` (through a temporary file).
Status writeReport(const std::string &path, const RunReport &report);

/// Writes `text` to `path` whole, through a temporary file and a rename;
/// errors name the file as "`what` 'path'".
Status writeTextFile(const std::string &path, const std::string &text,
                     const std::string &what = "file");

} // namespace nnrt

#endif
