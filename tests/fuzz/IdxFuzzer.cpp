//===- IdxFuzzer.cpp - fuzz the IDX reader --------------------------------===//
//
// The input's first byte picks labels (rank 1) or images (rank 3); the rest
// is the file, read in pieces of the sizes the following bytes suggest, as
// gzread may return short reads. Images that read make a dataset of bytes,
// which is padded (by up to 3 pixels, from the first byte), rescaled,
// standardized, truncated and sampled, as `nnc train` does.
//
//===----------------------------------------------------------------------===//

#include "nnrt/Dataset.h"

#include <algorithm>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  int rank = data[0] & 1 ? 3 : 1;
  size_t pos = 1;
  std::vector<int64_t> dims;
  std::vector<uint8_t> bytes;
  nnrt::Status read = nnrt::readIdxBytes(
      [&](void *to, int64_t n) -> int64_t {
        // Short reads of 1 to 256 bytes, as a compressed stream may give.
        int64_t take =
            std::min<int64_t>({n, int64_t(size - pos), 1 + (data[0] >> 1) * 2});
        std::memcpy(to, data + pos, size_t(take));
        pos += size_t(take);
        return take;
      },
      "fuzz.idx", rank, dims, bytes);
  if (!read || rank != 3)
    return 0;
  nnrt::Dataset d = nnrt::imagesOfBytes(dims, std::move(bytes));
  d.pad((data[0] >> 1) & 3);
  d.rescale(-0.1f, 1.175f);
  auto [mean, stddev] = d.moments();
  d.standardize(mean, stddev);
  d.truncate((d.count + 1) / 2);
  std::vector<float> one(d.imageSize());
  for (int64_t s = 0; s < d.count; ++s)
    d.sample(s, one.data());
  return 0;
}
