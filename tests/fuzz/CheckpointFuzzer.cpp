//===- CheckpointFuzzer.cpp - fuzz the checkpoint reader ------------------===//
//
// The input is read as a checkpoint of a small model (a 3x2 weight, a bias
// of 2, an Adam state of each) twice: as it is, and with its last four
// bytes replaced by the checksum of the rest, so that the fuzzer gets past
// the checksum into the header and tensors.
//
//===----------------------------------------------------------------------===//

#include "nnrt/Checkpoint.h"

#include <zlib.h>

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  nnrt::Tensor weight({3, 2}), bias({2}), weightM({3, 2}), biasM({2});
  std::vector<nnrt::CheckpointEntry> tensors = {{"fc.weight", &weight},
                                                {"fc.bias", &bias},
                                                {"fc.weight.m", &weightM},
                                                {"fc.bias.m", &biasM}};
  std::vector<char> bytes(data, data + size);
  uint64_t epochs = 0;
  (void)nnrt::readCheckpoint(bytes, "fuzz.ckpt", "m", epochs, tensors);
  if (size >= 4) {
    uint32_t crc = uint32_t(crc32(0L, data, uInt(size - 4)));
    std::memcpy(bytes.data() + size - 4, &crc, 4);
    (void)nnrt::readCheckpoint(bytes, "fuzz.ckpt", "m", epochs, tensors);
  }
  return 0;
}
