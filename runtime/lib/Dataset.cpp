//===- Dataset.cpp - IDX datasets (MNIST, Fashion-MNIST) ------------------===//

#include "nnrt/Dataset.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
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

/// Reads a whole IDX file of unsigned bytes (gzread reads plain files
/// unchanged, so one path serves both).
Status readIdxFile(const std::string &path, int rank,
                   std::vector<int64_t> &dims, std::vector<uint8_t> &data) {
  GzFile file{gzopen(path.c_str(), "rb")};
  if (!file.f)
    return Status::error(
        fmt::format("cannot open '{}': {}", path, lastSystemError()));
  return readIdxBytes(
      [&](void *to, int64_t n) -> int64_t {
        int got = gzread(file.f, to, unsigned(std::min<int64_t>(n, 1 << 30)));
        return got < 0 ? 0 : got;
      },
      path, rank, dims, data);
}

} // namespace

void Dataset::truncate(int64_t n) {
  if (n >= count)
    return;
  count = n;
  if (storedAsBytes())
    bytes.resize(n * (rows - 2 * border) * (cols - 2 * border));
  else
    images.resize(n * imageSize());
  if (isRegression())
    targets.resize(n * targetSize);
  else
    labels.resize(n);
}

void Dataset::sample(int64_t s, float *dst) const {
  if (!storedAsBytes()) {
    std::copy_n(images.data() + s * imageSize(), imageSize(), dst);
    return;
  }
  int64_t r = rows - 2 * border, c = cols - 2 * border;
  const uint8_t *src = bytes.data() + s * r * c;
  std::fill(dst, dst + border * cols, background);
  for (int64_t i = 0; i < r; ++i) {
    float *row = dst + (border + i) * cols;
    std::fill(row, row + border, background);
    for (int64_t j = 0; j < c; ++j)
      row[border + j] = lut[src[i * c + j]];
    std::fill(row + border + c, row + cols, background);
  }
  std::fill(dst + (border + r) * cols, dst + rows * cols, background);
}

void Dataset::pad(int64_t p) {
  if (p <= 0)
    return;
  int64_t r = rows + 2 * p, c = cols + 2 * p;
  if (!storedAsBytes()) {
    std::vector<float> out(count * r * c, background);
    for (int64_t n = 0; n < count; ++n)
      for (int64_t i = 0; i < rows; ++i)
        std::copy_n(images.data() + (n * rows + i) * cols, cols,
                    out.data() + (n * r + i + p) * c + p);
    images = std::move(out);
  }
  border += storedAsBytes() ? p : 0;
  rows = r;
  cols = c;
}

/// Applies `f` to every value of `d` (a table's, or each byte's and the
/// background's).
template <typename F> static void mapValues(Dataset &d, F f) {
  if (d.storedAsBytes())
    for (float &v : d.lut)
      v = f(v);
  else
    for (float &v : d.images)
      v = f(v);
  d.background = f(d.background);
}

void Dataset::rescale(float lo, float hi) {
  mapValues(*this, [&](float v) { return lo + v * (hi - lo); });
}

std::pair<double, double> Dataset::moments() const {
  double sum = 0, sq = 0;
  int64_t values = 0;
  // In the samples' order, border pixels included.
  std::vector<float> one(imageSize());
  for (int64_t s = 0; s < count; ++s) {
    sample(s, one.data());
    for (float v : one) {
      sum += v;
      sq += double(v) * v;
    }
    values += imageSize();
  }
  double n = std::max<double>(1, double(values));
  double mean = sum / n;
  return {mean, std::sqrt(std::max(0.0, sq / n - mean * mean))};
}

void Dataset::standardize(double mean, double stddev) {
  float inv = stddev > 0 ? float(1 / stddev) : 1.0f;
  mapValues(*this, [&](float v) { return (v - float(mean)) * inv; });
}

std::pair<std::vector<double>, std::vector<double>>
Dataset::columnMoments() const {
  int64_t f = imageSize();
  std::vector<double> sum(f, 0.0), sq(f, 0.0);
  for (int64_t n = 0; n < count; ++n)
    for (int64_t j = 0; j < f; ++j) {
      double v = images[n * f + j];
      sum[j] += v;
      sq[j] += v * v;
    }
  double c = std::max<double>(1, double(count));
  for (int64_t j = 0; j < f; ++j) {
    sum[j] /= c;
    sq[j] = std::sqrt(std::max(0.0, sq[j] / c - sum[j] * sum[j]));
  }
  return {sum, sq};
}

void Dataset::standardizeColumns(const std::vector<double> &mean,
                                 const std::vector<double> &stddev) {
  int64_t f = imageSize();
  for (int64_t n = 0; n < count; ++n)
    for (int64_t j = 0; j < f; ++j) {
      float &v = images[n * f + j];
      v = float((v - mean[j]) / (stddev[j] > 0 ? stddev[j] : 1.0));
    }
}

namespace {

/// A field of a CSV line: its text and its 1-based column in the line.
struct Field {
  std::string text;
  int64_t col;
};

std::vector<Field> splitCsvLine(const std::string &line) {
  std::vector<Field> fields;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    size_t end = comma == std::string::npos ? line.size() : comma;
    // Trim blanks, keeping the column of the first significant character.
    size_t a = start, b = end;
    while (a < b && (line[a] == ' ' || line[a] == '\t'))
      ++a;
    while (b > a &&
           (line[b - 1] == ' ' || line[b - 1] == '\t' || line[b - 1] == '\r'))
      --b;
    fields.push_back({line.substr(a, b - a), int64_t(a) + 1});
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return fields;
}

bool parseNumber(const std::string &text, double &out) {
  if (text.empty())
    return false;
  char *end = nullptr;
  errno = 0;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno != ERANGE &&
         std::isfinite(out);
}

} // namespace

Status nnrt::readIdxBytes(const std::function<int64_t(void *, int64_t)> &read,
                          const std::string &name, int rank,
                          std::vector<int64_t> &dims,
                          std::vector<uint8_t> &data) {
  auto readWord = [&](uint32_t &w) {
    unsigned char b[4];
    int64_t got = 0, n;
    while (got < 4 && (n = read(b + got, 4 - got)) > 0)
      got += n;
    w = (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) |
        (uint32_t(b[2]) << 8) | b[3];
    return got == 4;
  };
  uint32_t magic;
  if (!readWord(magic))
    return Status::error(fmt::format(
        "'{}' is truncated: it ends before the 4-byte IDX magic number", name));
  uint32_t expected = 0x0800u | uint32_t(rank);
  if (magic != expected)
    return Status::error(fmt::format(
        "'{}' is not an IDX file of {}: expected magic number 0x{:08x} "
        "(unsigned bytes, {} dimension{}), found 0x{:08x}",
        name, rank == 3 ? "images" : "labels", expected, rank,
        rank == 1 ? "" : "s", magic));
  dims.assign(rank, 0);
  int64_t total = 1;
  for (int i = 0; i < rank; ++i) {
    uint32_t d;
    if (!readWord(d))
      return Status::error(
          fmt::format("'{}' is truncated: it ends inside the header", name));
    dims[i] = d;
    if (d == 0)
      return Status::error(
          fmt::format("'{}' has an empty dimension (size 0)", name));
    // Checked before it can overflow: each factor is below 2^32.
    if (total > kMaxIdxBytes / int64_t(d))
      return Status::error(fmt::format("'{}' claims more than {} GB of data in "
                                       "its header; nnc reads at most that",
                                       name, kMaxIdxBytes >> 30));
    total *= d;
  }
  // The data is read as it comes, never allocated from the header's claim:
  // a short file is an error after reading what it has.
  data.clear();
  std::vector<uint8_t> piece(
      size_t(std::min<int64_t>(total, int64_t(1) << 16)));
  while (int64_t(data.size()) < total) {
    int64_t want =
        std::min<int64_t>(int64_t(piece.size()), total - int64_t(data.size()));
    int64_t n = read(piece.data(), want);
    if (n <= 0)
      break;
    data.insert(data.end(), piece.begin(), piece.begin() + n);
  }
  if (int64_t(data.size()) != total)
    return Status::error(fmt::format(
        "'{}' is truncated: the header promises {} bytes of data, found {}",
        name, total, data.size()));
  return Status::ok();
}

Expected<Dataset> nnrt::readCsv(const std::string &path,
                                const CsvOptions &opts) {
  std::FILE *f = std::fopen(path.c_str(), "r");
  if (!f)
    return Status::error(
        fmt::format("cannot open '{}': {}", path, lastSystemError()));
  std::string text;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0)
    text.append(buf, n);
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) // a directory, say
    return Status::error(
        fmt::format("cannot read '{}': {}", path, lastSystemError()));
  return parseCsv(text, path, opts);
}

Expected<Dataset> nnrt::parseCsv(const std::string &text,
                                 const std::string &path,
                                 const CsvOptions &opts) {
  auto at = [&](int64_t line, int64_t col, std::string msg) {
    return Status::errorAt({path, line, col}, std::move(msg));
  };
  Dataset d;
  d.name = path;
  d.tabular = true;
  d.rows = 1;
  d.classes = opts.classes;
  int64_t width = -1, labelCol = -1;
  int64_t lineNo = 0;
  bool first = true;
  std::vector<std::string> names;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(
        pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() + 1 : nl + 1;
    ++lineNo;
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    std::vector<Field> fields = splitCsvLine(line);
    if (first) {
      first = false;
      width = int64_t(fields.size());
      if (width < 2)
        return at(lineNo, 1,
                  "a CSV dataset needs at least two columns: features "
                  "and a label or target");
      bool header = opts.header.value_or(false);
      if (!opts.header) {
        double v;
        for (const Field &fd : fields)
          header = header || !parseNumber(fd.text, v);
      }
      for (const Field &fd : fields)
        names.push_back(fd.text);
      // Resolve the label or target column.
      const std::string &c = opts.column;
      if (c == "last") {
        labelCol = width - 1;
      } else if (c == "first") {
        labelCol = 0;
      } else if (!c.empty() && c.size() < 19 &&
                 std::all_of(c.begin(), c.end(), ::isdigit)) {
        labelCol = std::strtoll(c.c_str(), nullptr, 10);
        if (labelCol >= width)
          return at(lineNo, 1,
                    fmt::format("column {} does not exist: the table "
                                "has {} columns, numbered from 0",
                                labelCol, width));
      } else {
        auto it = std::find(names.begin(), names.end(), c);
        if (!header || it == names.end())
          return at(lineNo, 1,
                    fmt::format("no column is named '{}'{}", c,
                                header ? "" : " (the file has no header)"));
        labelCol = it - names.begin();
      }
      if (header)
        continue;
    }
    if (int64_t(fields.size()) != width)
      return at(lineNo,
                fields.size() > size_t(width) ? fields[width].col
                                              : int64_t(line.size()) + 1,
                fmt::format("expected {} fields as in the first row, found {}",
                            width, fields.size()));
    for (int64_t j = 0; j < width; ++j) {
      double v;
      if (!parseNumber(fields[j].text, v))
        return at(lineNo, fields[j].col,
                  fields[j].text.empty()
                      ? std::string("empty field; every field must be a number")
                      : fmt::format("'{}' is not a number", fields[j].text));
      if (j != labelCol) {
        d.images.push_back(float(v));
      } else if (opts.regression) {
        d.targets.push_back(float(v));
      } else {
        if (v != std::floor(v) || v < 0 || v >= opts.classes)
          return at(lineNo, fields[j].col,
                    fmt::format("label {} is outside the model's {} classes "
                                "(integers 0 to {})",
                                fields[j].text, opts.classes,
                                opts.classes - 1));
        d.labels.push_back(int32_t(v));
      }
    }
    ++d.count;
  }
  if (d.count == 0)
    return Status::error(fmt::format("'{}' has no samples", path));
  d.cols = width - 1;
  d.targetSize = opts.regression ? 1 : 0;
  return d;
}

Dataset nnrt::imagesOfBytes(const std::vector<int64_t> &dims,
                            std::vector<uint8_t> pixels) {
  Dataset d;
  d.count = dims[0];
  d.rows = dims[1];
  d.cols = dims[2];
  for (int b = 0; b < 256; ++b)
    d.lut[b] = b / 255.0f;
  d.bytes = std::move(pixels);
  d.fromBytes = true;
  return d;
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
    return Status::error(
        fmt::format("'{}' has {} images but '{}' has {} labels", imgPath,
                    idims[0], lblPath, ldims[0]));
  Dataset d = imagesOfBytes(idims, std::move(pixels));
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] >= d.classes)
      return Status::error(
          fmt::format("'{}': label {} of sample {} is outside the {} classes",
                      lblPath, int(labels[i]), i, d.classes));
  d.labels.assign(labels.begin(), labels.end());
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

Expected<DataSplit> nnrt::loadDataset(const std::string &name,
                                      std::string dir) {
  if (name != "mnist" && name != "fashion_mnist")
    return Status::error(fmt::format(
        "unknown dataset '{}'; known datasets are mnist, fashion_mnist", name));
  if (dir.empty())
    dir = defaultDataDir(name);
  Expected<Dataset> train = readIdx(dir + "/train-images-idx3-ubyte",
                                    dir + "/train-labels-idx1-ubyte");
  if (!train)
    return train.status();
  Expected<Dataset> test =
      readIdx(dir + "/t10k-images-idx3-ubyte", dir + "/t10k-labels-idx1-ubyte");
  if (!test)
    return test.status();
  train->name = test->name = name;
  return DataSplit{std::move(*train), std::move(*test)};
}
