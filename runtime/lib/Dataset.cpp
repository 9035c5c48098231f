//===- Dataset.cpp - IDX datasets (MNIST, Fashion-MNIST) ------------------===//

#include "nnrt/Dataset.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <sys/stat.h>

using namespace nnrt;

namespace {

bool exists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// `path` itself, or `path.gz`, whichever exists.
std::string resolve(const std::string &path) {
  if (exists(path) || !exists(path + ".gz"))
    return path;
  return path + ".gz";
}

struct GzFile {
  gzFile f;
  ~GzFile() {
    if (f)
      gzclose(f);
  }
};

/// Reads a whole IDX file of unsigned bytes: checks the magic number for
/// `rank` dimensions and returns the dimensions and the data.
Status readIdxFile(const std::string &path, int rank,
                   std::vector<int64_t> &dims, std::vector<uint8_t> &data) {
  // gzread reads plain files unchanged, so one path serves both.
  GzFile file{gzopen(path.c_str(), "rb")};
  if (!file.f)
    return Status::error(fmt::format("cannot open '{}': {}", path,
                                     lastSystemError()));
  unsigned char header[4];
  if (gzread(file.f, header, 4) != 4)
    return Status::error(fmt::format(
        "'{}' is truncated: it ends before the 4-byte IDX magic number", path));
  uint32_t magic = (uint32_t(header[0]) << 24) | (uint32_t(header[1]) << 16) |
                   (uint32_t(header[2]) << 8) | header[3];
  uint32_t expected = 0x0800u | uint32_t(rank);
  if (magic != expected)
    return Status::error(fmt::format(
        "'{}' is not an IDX file of {}: expected magic number 0x{:08x} "
        "(unsigned bytes, {} dimension{}), found 0x{:08x}",
        path, rank == 3 ? "images" : "labels", expected, rank,
        rank == 1 ? "" : "s", magic));
  dims.assign(rank, 0);
  int64_t total = 1;
  for (int i = 0; i < rank; ++i) {
    unsigned char b[4];
    if (gzread(file.f, b, 4) != 4)
      return Status::error(fmt::format(
          "'{}' is truncated: it ends inside the header", path));
    dims[i] = (int64_t(b[0]) << 24) | (int64_t(b[1]) << 16) |
              (int64_t(b[2]) << 8) | b[3];
    total *= dims[i];
  }
  data.resize(total);
  int64_t got = 0;
  while (got < total) {
    unsigned chunk = unsigned(std::min<int64_t>(total - got, 1 << 30));
    int n = gzread(file.f, data.data() + got, chunk);
    if (n <= 0)
      break;
    got += n;
  }
  if (got != total)
    return Status::error(fmt::format(
        "'{}' is truncated: the header promises {} bytes of data, found {}",
        path, total, got));
  return Status::ok();
}

} // namespace

void Dataset::truncate(int64_t n) {
  if (n >= count)
    return;
  count = n;
  images.resize(n * imageSize());
  labels.resize(n);
}

void Dataset::pad(int64_t p) {
  if (p <= 0)
    return;
  int64_t r = rows + 2 * p, c = cols + 2 * p;
  std::vector<float> out(count * r * c, background);
  for (int64_t n = 0; n < count; ++n)
    for (int64_t i = 0; i < rows; ++i)
      std::copy_n(images.data() + (n * rows + i) * cols, cols,
                  out.data() + (n * r + i + p) * c + p);
  images = std::move(out);
  rows = r;
  cols = c;
}

void Dataset::rescale(float lo, float hi) {
  for (float &v : images)
    v = lo + v * (hi - lo);
  background = lo + background * (hi - lo);
}

std::pair<double, double> Dataset::moments() const {
  double sum = 0, sq = 0;
  for (float v : images) {
    sum += v;
    sq += double(v) * v;
  }
  double n = std::max<double>(1, double(images.size()));
  double mean = sum / n;
  return {mean, std::sqrt(std::max(0.0, sq / n - mean * mean))};
}

void Dataset::standardize(double mean, double stddev) {
  float inv = stddev > 0 ? float(1 / stddev) : 1.0f;
  for (float &v : images)
    v = (v - float(mean)) * inv;
  background = (background - float(mean)) * inv;
}

Expected<Dataset> nnrt::readIdx(const std::string &imagesPath,
                                const std::string &labelsPath) {
  std::string imgPath = resolve(imagesPath), lblPath = resolve(labelsPath);
  std::vector<int64_t> idims, ldims;
  std::vector<uint8_t> pixels, labels;
  if (Status s = readIdxFile(imgPath, 3, idims, pixels); !s)
    return s;
  if (Status s = readIdxFile(lblPath, 1, ldims, labels); !s)
    return s;
  if (idims[0] != ldims[0])
    return Status::error(fmt::format(
        "'{}' has {} images but '{}' has {} labels", imgPath, idims[0],
        lblPath, ldims[0]));
  Dataset d;
  d.count = idims[0];
  d.rows = idims[1];
  d.cols = idims[2];
  d.images.resize(pixels.size());
  for (size_t i = 0; i < pixels.size(); ++i)
    d.images[i] = pixels[i] / 255.0f;
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] >= d.classes)
      return Status::error(fmt::format(
          "'{}': label {} of sample {} is outside the {} classes", lblPath,
          int(labels[i]), i, d.classes));
  d.labels = std::move(labels);
  return d;
}

std::string nnrt::defaultDataDir(const std::string &name) {
  if (name == "fashion_mnist")
    return "/usr/share/datasets/fashion-mnist";
  std::string root;
  if (const char *env = std::getenv("NNC_DATA_DIR"))
    root = env;
  else if (const char *cache = std::getenv("XDG_CACHE_HOME"))
    root = std::string(cache) + "/nnc";
  else if (const char *home = std::getenv("HOME"))
    root = std::string(home) + "/.cache/nnc";
  else
    root = ".cache/nnc";
  return root + "/" + name;
}

Expected<DataSplit> nnrt::loadDataset(const std::string &name, std::string dir) {
  if (name != "mnist" && name != "fashion_mnist")
    return Status::error(fmt::format(
        "unknown dataset '{}'; known datasets are mnist, fashion_mnist", name));
  if (dir.empty())
    dir = defaultDataDir(name);
  Expected<Dataset> train = readIdx(dir + "/train-images-idx3-ubyte",
                                    dir + "/train-labels-idx1-ubyte");
  if (!train)
    return train.status();
  Expected<Dataset> test = readIdx(dir + "/t10k-images-idx3-ubyte",
                                   dir + "/t10k-labels-idx1-ubyte");
  if (!test)
    return test.status();
  train->name = test->name = name;
  return DataSplit{std::move(*train), std::move(*test)};
}
