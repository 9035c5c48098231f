//===- DatasetTest.cpp - the IDX reader on good and bad files -------------===//

#include "nnrt/Dataset.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
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
  EXPECT_FLOAT_EQ(d->images[1], 20 / 255.0f);
  EXPECT_FLOAT_EQ(d->images[11], 220 / 255.0f);
  EXPECT_EQ(d->labels, (std::vector<uint8_t>{3, 7}));
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
  Expected<Dataset> d = readIdx((dir / "nope").string(), (dir / "lbl").string());
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
  EXPECT_NE(d.status().message().find("label 12 of sample 1"), std::string::npos)
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
