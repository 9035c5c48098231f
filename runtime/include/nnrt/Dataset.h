//===- Dataset.h - IDX images (MNIST, Fashion-MNIST) and CSV tables -*- C++
//-*-===//
//
// Reads the IDX format of LeCun's MNIST files, plain or gzipped, checking
// the magic number, the dimensions and that the file is complete; images are
// scaled to [0, 1]. Reads CSV tables of numbers, one sample per row, with a
// class label or a regression target in one column.
//
//===----------------------------------------------------------------------===//

#ifndef NNRT_DATASET_H
#define NNRT_DATASET_H

#include "nnrt/Status.h"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nnrt {

struct Dataset {
  std::string name;
  int64_t count = 0;
  /// Each sample's values form a rows x cols image; a CSV table's features
  /// are one row (rows = 1, tabular).
  int64_t rows = 0, cols = 0;
  bool tabular = false;
  int classes = 10;
  /// A CSV table's values, count x rows x cols (empty for IDX images).
  std::vector<float> images;
  /// IDX images as stored, count x (rows - 2 border) x (cols - 2 border)
  /// bytes: each sample's values are made when a batch is (sample()), each
  /// byte through `lut`, inside `border` pixels of background. A dataset
  /// keeps the bytes it was read as (MNIST's training split: 47 MB, not
  /// 246 MB of padded floats).
  std::vector<uint8_t> bytes;
  int64_t border = 0;
  std::array<float, 256> lut{};
  bool fromBytes = false;
  std::vector<int32_t> labels; // classification: one class per sample
  /// Regression: `targetSize` values per sample instead of labels.
  std::vector<float> targets;
  int64_t targetSize = 0;
  /// The value of a blank pixel: what padding and shifts fill in.
  float background = 0.0f;

  int64_t imageSize() const { return rows * cols; }
  /// Whether the samples are stored bytes (IDX), not floats (CSV).
  bool storedAsBytes() const { return fromBytes; }
  /// Writes sample `s`'s imageSize() values to `dst`.
  void sample(int64_t s, float *dst) const;
  /// Keeps the first n samples (n <= count).
  void truncate(int64_t n);
  /// Adds a border of `p` background (0) pixels around every image, as
  /// LeNet-5 centres MNIST's 28x28 digits in a 32x32 field (for stored
  /// bytes, in sample(): no memory).
  void pad(int64_t p);
  /// Maps pixel values v in [0, 1] to lo + v (hi - lo): LeNet-5 uses
  /// -0.1 for the background and 1.175 for ink.
  void rescale(float lo, float hi);
  /// The mean and standard deviation of all pixel values.
  std::pair<double, double> moments() const;
  /// v -> (v - mean) / stddev.
  void standardize(double mean, double stddev);
  bool isRegression() const { return targetSize > 0; }
  /// Per feature (column of a table): means and standard deviations.
  std::pair<std::vector<double>, std::vector<double>> columnMoments() const;
  void standardizeColumns(const std::vector<double> &mean,
                          const std::vector<double> &stddev);
};

/// How a CSV table is read: which column holds the label or target (an
/// index from 0, "first", "last" or a header name), whether that column is
/// a regression target or a class in [0, classes), and whether the first
/// line is a header (unset: it is when any of its fields is not a number).
struct CsvOptions {
  std::string column = "last";
  bool regression = false;
  int classes = 10;
  std::optional<bool> header;
};

/// Reads a CSV table: comma-separated numbers, every row as wide as the
/// first; blank lines are skipped. Errors name the file, line and column.
Expected<Dataset> readCsv(const std::string &path, const CsvOptions &opts);
/// readCsv on a table already in memory; `path` names it in messages.
Expected<Dataset> parseCsv(const std::string &text, const std::string &path,
                           const CsvOptions &opts);

/// The most data an IDX file may claim (64 GB): more is refused from the
/// header, before anything is allocated.
constexpr int64_t kMaxIdxBytes = int64_t(1) << 36;

/// Reads an IDX file of unsigned bytes with `rank` dimensions from `read`
/// (which fills at most n bytes and returns how many, 0 at the end): the
/// magic number, the dimensions (none 0, at most kMaxIdxBytes in all) and
/// all of the data. Memory grows with the data read, not with the header's
/// claim. `name` names the source in messages.
Status readIdxBytes(const std::function<int64_t(void *, int64_t)> &read,
                    const std::string &name, int rank,
                    std::vector<int64_t> &dims, std::vector<uint8_t> &data);

struct DataSplit {
  Dataset train, test;
};

/// The images of an IDX image file's `dims` (count, rows, cols, as
/// readIdxBytes checked them) and `pixels`, kept as bytes with values in
/// [0, 1]; no labels.
Dataset imagesOfBytes(const std::vector<int64_t> &dims,
                      std::vector<uint8_t> pixels);

/// Reads an IDX image file (magic 0x00000803) and its label file (magic
/// 0x00000801); `path` may name the file with or without ".gz".
Expected<Dataset> readIdx(const std::string &imagesPath,
                          const std::string &labelsPath);

/// The directory a dataset is looked up in when --data is not given:
/// ~/.cache/nnc/mnist for "mnist" (scripts/setup.sh puts it there) and
/// /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist) for
/// "fashion_mnist". NNC_DATA_DIR overrides the cache root.
std::string defaultDataDir(const std::string &name);

/// Loads "mnist" or "fashion_mnist" from `dir` (defaultDataDir if empty).
Expected<DataSplit> loadDataset(const std::string &name, std::string dir = "");

} // namespace nnrt

#endif
