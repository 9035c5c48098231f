//===- CheckpointTest.cpp - round trip, corruption, mismatches ------------===//

#include "nnrt/Checkpoint.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace nnrt;

namespace {

class CheckpointTest : public ::testing::Test {
protected:
  void SetUp() override {
    path = (std::filesystem::temp_directory_path() /
            ("nnc-ckpt-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    for (int64_t i = 0; i < w.size(); ++i)
      w[i] = float(i) * 0.5f - 3;
    b[0] = 1.5f;
    b[1] = -2.0f;
  }
  void TearDown() override {
    std::filesystem::remove(path);
    std::filesystem::remove(path + ".tmp");
  }
  std::vector<char> bytes() {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in),
            std::istreambuf_iterator<char>()};
  }
  void writeBytes(const std::vector<char> &v) {
    std::ofstream(path, std::ios::binary).write(v.data(), v.size());
  }

  std::string path;
  Tensor w{{3, 2}}, b{{2}};
};

TEST_F(CheckpointTest, RoundTrip) {
  ASSERT_TRUE(
      saveCheckpoint(path, "mlp", 7, {{"fc.weight", &w}, {"fc.bias", &b}}));
  Tensor w2({3, 2}), b2({2});
  uint64_t epochs = 0;
  Status s = loadCheckpoint(path, "mlp", epochs,
                            {{"fc.weight", &w2}, {"fc.bias", &b2}});
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(epochs, 7u);
  for (int64_t i = 0; i < w.size(); ++i)
    EXPECT_EQ(w[i], w2[i]);
  EXPECT_EQ(b2[1], -2.0f);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_F(CheckpointTest, FlippedByteFailsTheChecksumAndChangesNothing) {
  ASSERT_TRUE(
      saveCheckpoint(path, "mlp", 1, {{"fc.weight", &w}, {"fc.bias", &b}}));
  std::vector<char> v = bytes();
  v[v.size() / 2] ^= 0x10;
  writeBytes(v);
  Tensor w2({3, 2}), b2({2});
  uint64_t epochs = 0;
  Status s = loadCheckpoint(path, "mlp", epochs,
                            {{"fc.weight", &w2}, {"fc.bias", &b2}});
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("is corrupt: checksum"), std::string::npos)
      << s.message();
  EXPECT_EQ(w2[1], 0.0f);
}

TEST_F(CheckpointTest, NotACheckpoint) {
  writeBytes({'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!', '!',
              '!', '!', '!'});
  uint64_t epochs;
  Status s = loadCheckpoint(path, "mlp", epochs, {{"fc.weight", &w}});
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("not an nnc checkpoint"), std::string::npos);
}

TEST_F(CheckpointTest, TruncatedFile) {
  ASSERT_TRUE(
      saveCheckpoint(path, "mlp", 1, {{"fc.weight", &w}, {"fc.bias", &b}}));
  std::vector<char> v = bytes();
  v.resize(v.size() - 9);
  writeBytes(v);
  uint64_t epochs;
  Status s =
      loadCheckpoint(path, "mlp", epochs, {{"fc.weight", &w}, {"fc.bias", &b}});
  ASSERT_FALSE(s); // the checksum no longer matches, or the data ends early
}

TEST_F(CheckpointTest, OtherModel) {
  ASSERT_TRUE(saveCheckpoint(path, "lenet", 1, {{"fc.weight", &w}}));
  uint64_t epochs;
  Status s = loadCheckpoint(path, "mlp", epochs, {{"fc.weight", &w}});
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("belongs to model 'lenet', not 'mlp'"),
            std::string::npos);
}

TEST_F(CheckpointTest, ShapeMismatchNamesTheTensor) {
  ASSERT_TRUE(saveCheckpoint(path, "mlp", 1, {{"fc.weight", &w}}));
  Tensor other({2, 3});
  uint64_t epochs;
  Status s = loadCheckpoint(path, "mlp", epochs, {{"fc.weight", &other}});
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("'fc.weight' of shape 3x2; the model's is 2x3"),
            std::string::npos)
      << s.message();
}

TEST_F(CheckpointTest, SaveNeverDestroysThePreviousFile) {
  ASSERT_TRUE(saveCheckpoint(path, "mlp", 1, {{"fc.weight", &w}}));
  std::vector<char> before = bytes();
  // A directory where the temporary file should go makes the write fail.
  std::filesystem::create_directory(path + ".tmp");
  Status s = saveCheckpoint(path, "mlp", 2, {{"fc.weight", &w}});
  EXPECT_FALSE(s);
  std::filesystem::remove(path + ".tmp");
  EXPECT_EQ(bytes(), before);
}

TEST_F(CheckpointTest, HugeRankUnderAGoodChecksumAllocatesNothing) {
  // A header claiming rank 2^32 - 1 for the first tensor, its checksum
  // right: refused by the model's rank before any vector is sized by it.
  std::vector<char> v = {'N', 'N', 'C', 'K', 'P', 'T', 0, 0};
  auto put32 = [&](uint32_t x) {
    const char *p = reinterpret_cast<const char *>(&x);
    v.insert(v.end(), p, p + 4);
  };
  put32(kCheckpointVersion);
  put32(3);
  v.insert(v.end(), {'m', 'l', 'p'});
  v.insert(v.end(), 8, 0); // epochs
  put32(1);
  put32(9);
  for (char c : std::string("fc.weight"))
    v.push_back(c);
  put32(0xFFFFFFFFu);
  put32(uint32_t(
      crc32(0L, reinterpret_cast<const Bytef *>(v.data()), uInt(v.size()))));
  uint64_t epochs;
  Status s = readCheckpoint(v, path, "mlp", epochs, {{"fc.weight", &w}});
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find(
                "has 'fc.weight' of rank 4294967295; the model's is 3x2"),
            std::string::npos)
      << s.message();
}

TEST_F(CheckpointTest, UnwritableDirectory) {
  Status s =
      saveCheckpoint("/nonexistent-dir/x.ckpt", "mlp", 1, {{"fc.weight", &w}});
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("cannot write checkpoint"), std::string::npos);
}

} // namespace
