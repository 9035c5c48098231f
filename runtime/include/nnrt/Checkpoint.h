//===- Checkpoint.h - weights and optimizer state on disk -------*- C++ -*-===//
//
// Format (little-endian), version 1:
//   "NNCKPT\0\0"                     8-byte magic
//   u32 version                      1
//   u32 name length, bytes           the model's name
//   u64 epochs                       epochs trained so far
//   u32 tensor count
//   per tensor: u32 name length, name bytes, u32 rank, i64 dims[rank],
//               f32 data[product of dims]
//   u32 CRC-32 (zlib) of every byte before it
// Saving writes NAME.tmp and renames it over NAME, so a crash or a full disk
// never destroys the previous checkpoint.
//
//===----------------------------------------------------------------------===//

#ifndef NNRT_CHECKPOINT_H
#define NNRT_CHECKPOINT_H

#include "nnrt/Status.h"
#include "nnrt/Tensor.h"

#include <utility>

namespace nnrt {

constexpr uint32_t kCheckpointVersion = 1;

struct CheckpointEntry {
  std::string name;
  Tensor *tensor;
};

Status saveCheckpoint(const std::string &path, const std::string &model,
                      uint64_t epochs,
                      const std::vector<CheckpointEntry> &tensors);

/// Reads a checkpoint into `tensors`, which must match it by name and shape;
/// nothing is modified unless the whole file is valid.
Status loadCheckpoint(const std::string &path, const std::string &model,
                      uint64_t &epochs,
                      const std::vector<CheckpointEntry> &tensors);
/// loadCheckpoint on a file's bytes already in memory; `path` names it.
Status readCheckpoint(const std::vector<char> &bytes, const std::string &path,
                      const std::string &model, uint64_t &epochs,
                      const std::vector<CheckpointEntry> &tensors);

} // namespace nnrt

#endif
