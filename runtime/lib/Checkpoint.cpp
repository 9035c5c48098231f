//===- Checkpoint.cpp - weights and optimizer state on disk ---------------===//

#include "nnrt/Checkpoint.h"

#include <fmt/format.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

using namespace nnrt;

namespace {

const char kMagic[8] = {'N', 'N', 'C', 'K', 'P', 'T', 0, 0};

class Writer {
public:
  template <typename T> void put(const T &v) {
    const char *p = reinterpret_cast<const char *>(&v);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
  void putString(const std::string &s) {
    put(uint32_t(s.size()));
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  void putRaw(const void *p, size_t n) {
    const char *c = static_cast<const char *>(p);
    bytes.insert(bytes.end(), c, c + n);
  }
  std::vector<char> bytes;
};

class Reader {
public:
  Reader(const std::vector<char> &bytes, size_t end) : bytes(bytes), end(end) {}
  template <typename T> bool get(T &v) {
    if (pos + sizeof(T) > end)
      return false;
    std::memcpy(&v, bytes.data() + pos, sizeof(T));
    pos += sizeof(T);
    return true;
  }
  bool getString(std::string &s) {
    uint32_t n;
    if (!get(n) || pos + n > end)
      return false;
    s.assign(bytes.data() + pos, n);
    pos += n;
    return true;
  }
  const char *take(size_t n) {
    if (pos + n > end)
      return nullptr;
    const char *p = bytes.data() + pos;
    pos += n;
    return p;
  }
  bool done() const { return pos == end; }

private:
  const std::vector<char> &bytes;
  size_t end;
  size_t pos = 0;
};

/// zlib's CRC-32 of `n` bytes, in pieces that fit its uInt.
uint32_t checksum(const char *data, size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (size_t at = 0; at < n;) {
    uInt piece = uInt(std::min<size_t>(n - at, size_t(1) << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef *>(data + at), piece);
    at += piece;
  }
  return uint32_t(crc);
}

} // namespace

Status nnrt::saveCheckpoint(const std::string &path, const std::string &model,
                            uint64_t epochs,
                            const std::vector<CheckpointEntry> &tensors) {
  Writer w;
  w.putRaw(kMagic, sizeof(kMagic));
  w.put(kCheckpointVersion);
  w.putString(model);
  w.put(epochs);
  w.put(uint32_t(tensors.size()));
  for (const CheckpointEntry &e : tensors) {
    w.putString(e.name);
    w.put(uint32_t(e.tensor->shape().size()));
    for (int64_t d : e.tensor->shape())
      w.put(d);
    w.putRaw(e.tensor->data(), e.tensor->size() * sizeof(float));
  }
  uint32_t crc = checksum(w.bytes.data(), w.bytes.size());
  w.put(crc);

  std::string tmp = path + ".tmp";
  std::FILE *f = std::fopen(tmp.c_str(), "wb");
  if (!f)
    return Status::error(fmt::format("cannot write checkpoint '{}': {}", tmp,
                                     lastSystemError()));
  bool ok = std::fwrite(w.bytes.data(), 1, w.bytes.size(), f) == w.bytes.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::string err = lastSystemError();
    std::remove(tmp.c_str());
    return Status::error(
        fmt::format("cannot write checkpoint '{}': {}", tmp, err));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = lastSystemError();
    std::remove(tmp.c_str());
    return Status::error(
        fmt::format("cannot rename '{}' to '{}': {}", tmp, path, err));
  }
  return Status::ok();
}

Status nnrt::loadCheckpoint(const std::string &path, const std::string &model,
                            uint64_t &epochs,
                            const std::vector<CheckpointEntry> &tensors) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::error(fmt::format("cannot open checkpoint '{}': {}", path,
                                     lastSystemError()));
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  return readCheckpoint(bytes, path, model, epochs, tensors);
}

Status nnrt::readCheckpoint(const std::vector<char> &bytes,
                            const std::string &path, const std::string &model,
                            uint64_t &epochs,
                            const std::vector<CheckpointEntry> &tensors) {
  auto bad = [&](const std::string &why) {
    return Status::error(fmt::format("checkpoint '{}' {}", path, why));
  };
  if (bytes.size() < sizeof(kMagic) + 8 ||
      std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0)
    return bad("is not an nnc checkpoint (bad magic number)");
  uint32_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - 4, 4);
  uint32_t crc = checksum(bytes.data(), bytes.size() - 4);
  Reader r(bytes, bytes.size() - 4);
  r.take(sizeof(kMagic));
  uint32_t version;
  r.get(version);
  if (version != kCheckpointVersion)
    return bad(fmt::format("has format version {}; this nnc reads version {}",
                           version, kCheckpointVersion));
  if (crc != stored)
    return bad(fmt::format("is corrupt: checksum 0x{:08x} does not match the "
                           "stored 0x{:08x}",
                           crc, stored));
  std::string name;
  uint64_t ep;
  uint32_t count;
  if (!r.getString(name) || !r.get(ep) || !r.get(count))
    return bad("is truncated in its header");
  if (name != model)
    return bad(fmt::format("belongs to model '{}', not '{}'", name, model));
  if (count != tensors.size())
    return bad(fmt::format("holds {} tensors; model '{}' has {}", count, model,
                           tensors.size()));
  std::vector<const char *> data(count);
  for (uint32_t i = 0; i < count; ++i) {
    std::string tname;
    uint32_t rank;
    if (!r.getString(tname) || !r.get(rank))
      return bad("is truncated");
    const CheckpointEntry &e = tensors[i];
    if (tname != e.name)
      return bad(fmt::format("has tensor '{}' where the model has '{}'", tname,
                             e.name));
    // The rank is checked against the model before it sizes anything.
    if (rank != e.tensor->shape().size())
      return bad(fmt::format("has '{}' of rank {}; the model's is {}", tname,
                             rank, shapeString(e.tensor->shape())));
    std::vector<int64_t> shape(rank);
    for (int64_t &d : shape)
      if (!r.get(d))
        return bad("is truncated");
    if (shape != e.tensor->shape())
      return bad(fmt::format("has '{}' of shape {}; the model's is {}", tname,
                             shapeString(shape),
                             shapeString(e.tensor->shape())));
    data[i] = r.take(numElements(shape) * sizeof(float));
    if (!data[i])
      return bad("is truncated");
  }
  if (!r.done())
    return bad("has trailing bytes");
  for (uint32_t i = 0; i < count; ++i)
    std::memcpy(tensors[i].tensor->data(), data[i],
                tensors[i].tensor->size() * sizeof(float));
  epochs = ep;
  return Status::ok();
}
