//===- DatasetTest.cpp - the IDX reader on good and bad files -------------===//

#include "nnrt/Dataset.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace nnrt;

namespace {

class IdxTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("nnc-idx-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  static std::vector<char> header(uint32_t magic, std::vector<uint32_t> dims) {
    std::vector<char> b;
    auto put = [&](uint32_t v) {
      for (int s = 24; s >= 0; s -= 8)
        b.push_back(char((v >> s) & 0xff));
    };
    put(magic);
    for (uint32_t d : dims)
      put(d);
    return b;
  }
  std::string write(const std::string &name, std::vector<char> bytes,
                    bool gzip = false) {
    std::string path = (dir / name).string();
    if (gzip) {
      gzFile f = gzopen(path.c_str(), "wb");
      gzwrite(f, bytes.data(), unsigned(bytes.size()));
      gzclose(f);
    } else {
      std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
    }
    return path;
  }
  /// Two 2x3 images (pixels 0..11) with labels 3 and 7.
  void writeGood(bool gzip) {
    std::vector<char> img = header(0x803, {2, 2, 3});
    for (int i = 0; i < 12; ++i)
      img.push_back(char(i * 20));
    std::vector<char> lbl = header(0x801, {2});
    lbl.push_back(3);
    lbl.push_back(7);
    write(gzip ? "img.gz" : "img", img, gzip);
    write(gzip ? "lbl.gz" : "lbl", lbl, gzip);
  }
  std::filesystem::path dir;
};

TEST_F(IdxTest, ReadsPlainFiles) {
  writeGood(false);
  Expected<Dataset> d = readIdx((dir / "img").string(), (dir / "lbl").string());
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->count, 2);
  EXPECT_EQ(d->rows, 2);
  EXPECT_EQ(d->cols, 3);
  // Kept as the file's bytes; a sample's values are made on demand.
  EXPECT_TRUE(d->storedAsBytes());
  EXPECT_TRUE(d->images.empty());
  EXPECT_EQ(d->bytes.size(), size_t(12));
  std::vector<float> second(6);
  d->sample(1, second.data());
  EXPECT_FLOAT_EQ(d->lut[20], 20 / 255.0f);
  EXPECT_FLOAT_EQ(second[5], 220 / 255.0f);
  EXPECT_EQ(d->labels, (std::vector<int32_t>{3, 7}));
}

TEST_F(IdxTest, BytesGiveTheValuesOfFloats) {
  // Padding, rescaling and standardizing stored bytes gives, bit for bit,
  // what the same steps give on the images as floats.
  writeGood(false);
  Expected<Dataset> bytes =
      readIdx((dir / "img").string(), (dir / "lbl").string());
  ASSERT_TRUE(bytes) << bytes.status().message();
  Dataset floats = *bytes;
  floats.bytes.clear();
  floats.fromBytes = false;
  floats.images.resize(12);
  for (int64_t s = 0; s < 2; ++s)
    bytes->sample(s, floats.images.data() + s * 6);
  for (Dataset *d : {&*bytes, &floats}) {
    d->pad(2);
    d->rescale(-0.1f, 1.175f);
    auto [mean, stddev] = d->moments();
    d->standardize(mean, stddev);
  }
  ASSERT_EQ(bytes->imageSize(), 6 * 7);
  std::vector<float> a(42), b(42);
  for (int64_t s = 0; s < 2; ++s) {
    bytes->sample(s, a.data());
    floats.sample(s, b.data());
    for (int i = 0; i < 42; ++i)
      EXPECT_EQ(a[i], b[i]) << "sample " << s << ", value " << i;
  }
  bytes->truncate(1);
  EXPECT_EQ(bytes->bytes.size(), size_t(6));
}

TEST_F(IdxTest, FallsBackToGzip) {
  writeGood(true);
  // Asked for "img", finds "img.gz".
  Expected<Dataset> d = readIdx((dir / "img").string(), (dir / "lbl").string());
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->count, 2);
  EXPECT_EQ(d->labels[1], 7);
}

TEST_F(IdxTest, MissingFileNamesThePath) {
  Expected<Dataset> d =
      readIdx((dir / "nope").string(), (dir / "lbl").string());
  ASSERT_FALSE(d);
  EXPECT_NE(d.status().message().find("cannot open"), std::string::npos);
  EXPECT_NE(d.status().message().find("nope"), std::string::npos);
}

TEST_F(IdxTest, WrongMagicSaysWhatWasExpected) {
  writeGood(false);
  // Labels given where images are expected.
  Expected<Dataset> d = readIdx((dir / "lbl").string(), (dir / "lbl").string());
  ASSERT_FALSE(d);
  EXPECT_NE(d.status().message().find("expected magic number 0x00000803"),
            std::string::npos)
      << d.status().message();
  EXPECT_NE(d.status().message().find("found 0x00000801"), std::string::npos);
}

TEST_F(IdxTest, TruncatedDataIsReported) {
  std::vector<char> img = header(0x803, {2, 2, 3});
  img.push_back(1); // 1 of 12 bytes
  write("img", img);
  writeGood(false); // overwrites img; write the truncated one again
  write("img", img);
  Expected<Dataset> d = readIdx((dir / "img").string(), (dir / "lbl").string());
  ASSERT_FALSE(d);
  EXPECT_NE(d.status().message().find("truncated"), std::string::npos);
  EXPECT_NE(d.status().message().find("promises 12 bytes"), std::string::npos)
      << d.status().message();
}

TEST_F(IdxTest, TruncatedHeaderIsReported) {
  std::vector<char> img = header(0x803, {});
  img.push_back(0);
  write("img", img);
  writeGood(false);
  write("img", img);
  Expected<Dataset> d = readIdx((dir / "img").string(), (dir / "lbl").string());
  ASSERT_FALSE(d);
  EXPECT_NE(d.status().message().find("inside the header"), std::string::npos);
}

TEST_F(IdxTest, HugeClaimIsRefusedFromTheHeader) {
  // 2^32 - 1 images of 2^32 - 1 x 28: refused before anything is allocated.
  write("img", header(0x803, {0xFFFFFFFFu, 0xFFFFFFFFu, 28}));
  writeGood(false);
  write("img", header(0x803, {0xFFFFFFFFu, 0xFFFFFFFFu, 28}));
  Expected<Dataset> d = readIdx((dir / "img").string(), (dir / "lbl").string());
  ASSERT_FALSE(d);
  EXPECT_NE(d.status().message().find("claims more than 64 GB"),
            std::string::npos)
      << d.status().message();
}

TEST_F(IdxTest, LargeClaimOfAShortFileAllocatesOnlyWhatItReads) {
  // 60,000 images promised, 10 bytes there: the reader stops at the end of
  // the data, with memory for what it read.
  std::vector<char> img = header(0x803, {60000, 28, 28});
  img.insert(img.end(), 10, 0);
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;
  size_t pos = 0;
  Status s = readIdxBytes(
      [&](void *to, int64_t n) {
        int64_t take = std::min<int64_t>(n, int64_t(img.size() - pos));
        std::memcpy(to, img.data() + pos, size_t(take));
        pos += size_t(take);
        return take;
      },
      "img", 3, dims, data);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("promises 47040000 bytes of data, found 10"),
            std::string::npos)
      << s.message();
  EXPECT_LT(data.capacity(), size_t(1) << 22);
}

TEST_F(IdxTest, EmptyDimensionIsRefused) {
  writeGood(false);
  write("img", header(0x803, {2, 0, 3}));
  Expected<Dataset> d = readIdx((dir / "img").string(), (dir / "lbl").string());
  ASSERT_FALSE(d);
  EXPECT_NE(d.status().message().find("has an empty dimension"),
            std::string::npos);
}

TEST(CsvReadTest, DirectoryIsNotATable) {
  Expected<Dataset> d = readCsv("/tmp", CsvOptions{});
  ASSERT_FALSE(d);
  EXPECT_NE(d.status().message().find("cannot read '/tmp'"), std::string::npos)
      << d.status().message();
}

TEST_F(IdxTest, CountMismatchBetweenFiles) {
  writeGood(false);
  std::vector<char> lbl = header(0x801, {1});
  lbl.push_back(3);
  write("lbl", lbl);
  Expected<Dataset> d = readIdx((dir / "img").string(), (dir / "lbl").string());
  ASSERT_FALSE(d);
  EXPECT_NE(d.status().message().find("has 2 images"), std::string::npos);
}

TEST_F(IdxTest, LabelOutsideClasses) {
  writeGood(false);
  std::vector<char> lbl = header(0x801, {2});
  lbl.push_back(3);
  lbl.push_back(12);
  write("lbl", lbl);
  Expected<Dataset> d = readIdx((dir / "img").string(), (dir / "lbl").string());
  ASSERT_FALSE(d);
  EXPECT_NE(d.status().message().find("label 12 of sample 1"),
            std::string::npos)
      << d.status().message();
}

TEST(DatasetTest, UnknownDatasetName) {
  Expected<DataSplit> d = loadDataset("cifar", "/nonexistent");
  ASSERT_FALSE(d);
  EXPECT_NE(d.status().message().find("unknown dataset 'cifar'"),
            std::string::npos);
}

/// One 2x2 image: pixels 0, 0.5, 1, 1.
Dataset tiny() {
  Dataset d;
  d.count = 1;
  d.rows = d.cols = 2;
  d.images = {0.0f, 0.5f, 1.0f, 1.0f};
  d.labels = {0};
  return d;
}

TEST(DatasetTest, RescaleMapsBackgroundAndInk) {
  // LeNet-5's scale: background -0.1, ink 1.175; padding after rescaling
  // is background too.
  Dataset d = tiny();
  d.rescale(-0.1f, 1.175f);
  EXPECT_FLOAT_EQ(d.images[0], -0.1f);
  EXPECT_FLOAT_EQ(d.images[1], 0.5375f);
  EXPECT_FLOAT_EQ(d.images[2], 1.175f);
  EXPECT_FLOAT_EQ(d.background, -0.1f);
  d.pad(1);
  ASSERT_EQ(d.images.size(), size_t(16));
  EXPECT_FLOAT_EQ(d.images[0], -0.1f);
  EXPECT_FLOAT_EQ(d.images[5], -0.1f); // the old top-left pixel
  EXPECT_FLOAT_EQ(d.images[10], 1.175f);
}

TEST(DatasetTest, StandardizeGivesMeanZeroVarianceOne) {
  Dataset d = tiny();
  auto [mean, stddev] = d.moments();
  EXPECT_NEAR(mean, 0.625, 1e-12);
  EXPECT_NEAR(stddev, std::sqrt(0.171875), 1e-9);
  d.standardize(mean, stddev);
  auto [m2, s2] = d.moments();
  EXPECT_NEAR(m2, 0.0, 1e-6);
  EXPECT_NEAR(s2, 1.0, 1e-6);
  EXPECT_NEAR(d.background, -0.625 / std::sqrt(0.171875), 1e-6);
}

} // namespace

namespace {

class CsvTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("nnc-csv-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string write(const std::string &text) {
    std::string path = (dir / "t.csv").string();
    std::ofstream(path) << text;
    return path;
  }
  /// The error message of reading `text`, with the path replaced by "t".
  std::string errorOf(const std::string &text, CsvOptions opts = {}) {
    std::string path = write(text);
    Expected<Dataset> d = readCsv(path, opts);
    if (d)
      return "no error";
    std::string m = d.status().message();
    if (m.rfind(path, 0) == 0)
      m = "t" + m.substr(path.size());
    return m;
  }
  std::filesystem::path dir;
};

TEST_F(CsvTest, ReadsFeaturesAndLabelsWithAHeader) {
  CsvOptions opts;
  opts.classes = 3;
  opts.column = "species";
  Expected<Dataset> d =
      readCsv(write("a,species, b\n1.5,2,-3\n\n 4 ,0,5e-1\r\n"), opts);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->count, 2);
  EXPECT_EQ(d->imageSize(), 2);
  EXPECT_TRUE(d->tabular);
  EXPECT_FALSE(d->isRegression());
  EXPECT_EQ(d->images, (std::vector<float>{1.5f, -3.0f, 4.0f, 0.5f}));
  EXPECT_EQ(d->labels, (std::vector<int32_t>{2, 0}));
}

TEST_F(CsvTest, ReadsRegressionTargetsWithoutAHeader) {
  CsvOptions opts;
  opts.regression = true;
  opts.column = "first";
  Expected<Dataset> d = readCsv(write("0.25,1,2\n-7,3,4\n"), opts);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->count, 2);
  EXPECT_EQ(d->targetSize, 1);
  EXPECT_EQ(d->targets, (std::vector<float>{0.25f, -7.0f}));
  EXPECT_EQ(d->images, (std::vector<float>{1, 2, 3, 4}));
  d->truncate(1);
  EXPECT_EQ(d->targets.size(), size_t(1));
}

TEST_F(CsvTest, ErrorsNameLineAndColumn) {
  EXPECT_EQ(errorOf("x,y\n1,2\n3\n"),
            "t:3:2: expected 2 fields as in the first row, found 1");
  EXPECT_EQ(errorOf("1,2\n3,4,5\n"),
            "t:2:5: expected 2 fields as in the first row, found 3");
  EXPECT_EQ(errorOf("x,y\n1,2\n3, abc\n"), "t:3:4: 'abc' is not a number");
  EXPECT_EQ(errorOf("x,y,z\n1,,2\n"),
            "t:2:3: empty field; every field must be a number");
  EXPECT_EQ(
      errorOf("1,12\n"),
      "t:1:3: label 12 is outside the model's 10 classes (integers 0 to 9)");
  EXPECT_EQ(
      errorOf("1,2.5\n"),
      "t:1:3: label 2.5 is outside the model's 10 classes (integers 0 to 9)");
  CsvOptions named;
  named.column = "z";
  EXPECT_EQ(errorOf("x,y\n1,2\n", named), "t:1:1: no column is named 'z'");
  CsvOptions index;
  index.column = "5";
  EXPECT_EQ(errorOf("1,2\n", index), "t:1:1: column 5 does not exist: the "
                                     "table has 2 columns, numbered from 0");
  EXPECT_EQ(errorOf("5\n"), "t:1:1: a CSV dataset needs at least two columns: "
                            "features and a label or target");
  EXPECT_NE(errorOf("x,y\n").find("has no samples"), std::string::npos);
}

TEST(CsvReadTest, MissingFile) {
  Expected<Dataset> d = readCsv("/nonexistent/t.csv", CsvOptions{});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.status().message(),
            "cannot open '/nonexistent/t.csv': No such file or directory");
}

TEST(DatasetTest, ColumnsStandardizeSeparately) {
  Dataset d;
  d.count = 2;
  d.rows = 1;
  d.cols = 2;
  d.tabular = true;
  d.images = {1, 100, 3, 300};
  auto [mean, stddev] = d.columnMoments();
  EXPECT_EQ(mean, (std::vector<double>{2, 200}));
  EXPECT_EQ(stddev, (std::vector<double>{1, 100}));
  d.standardizeColumns(mean, stddev);
  EXPECT_EQ(d.images, (std::vector<float>{-1, -1, 1, 1}));
}

} // namespace
