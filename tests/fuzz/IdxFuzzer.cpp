//===- IdxFuzzer.cpp - fuzz the IDX reader --------------------------------===//
//
// The input's first byte picks labels (rank 1) or images (rank 3); the rest
// is the file, read in pieces of the sizes the following bytes suggest, as
// gzread may return short reads.
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
  (void)nnrt::readIdxBytes(
      [&](void *to, int64_t n) -> int64_t {
        // Short reads of 1 to 256 bytes, as a compressed stream may give.
        int64_t take =
            std::min<int64_t>({n, int64_t(size - pos), 1 + (data[0] >> 1) * 2});
        std::memcpy(to, data + pos, size_t(take));
        pos += size_t(take);
        return take;
      },
      "fuzz.idx", rank, dims, bytes);
  return 0;
}
