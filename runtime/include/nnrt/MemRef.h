//===- MemRef.h - the memref descriptors of generated code ------*- C++ -*-===//
//
// Compiled functions take every tensor as a pointer to an MLIR memref
// descriptor (llvm.emit_c_interface): allocated and aligned pointers, an
// offset, then `rank` sizes and `rank` strides, all 64-bit. Ranks differ
// between arguments, so the runtime keeps each descriptor as words and the
// layout is checked against the fixed-rank struct by a unit test.
//
//===----------------------------------------------------------------------===//

#ifndef NNRT_MEMREF_H
#define NNRT_MEMREF_H

#include <cstdint>
#include <vector>

namespace nnrt {

/// The fixed-rank layout MLIR generates (StridedMemRefType in MLIR).
template <int Rank> struct MemRefDescriptor {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[Rank];
  int64_t strides[Rank];
};
template <> struct MemRefDescriptor<0> {
  float *allocated;
  float *aligned;
  int64_t offset;
};

/// A descriptor of any rank for a dense row-major float buffer.
class MemRefArg {
public:
  MemRefArg() = default;
  MemRefArg(float *data, const std::vector<int64_t> &shape) {
    bind(data, shape);
  }

  void bind(float *data, const std::vector<int64_t> &shape);
  /// Points the descriptor at other storage of the same shape.
  void rebind(float *data);
  /// What a packed call expects for this argument: a pointer to the
  /// descriptor pointer.
  void *packed() { return &descriptor; }
  const int64_t *words() const { return words_.data(); }

private:
  std::vector<int64_t> words_;
  void *descriptor = nullptr;
};

/// Signature of the packed wrappers of compiled functions
/// (`_mlir__mlir_ciface_NAME`): one pointer per argument.
using PackedFunction = void (*)(void **);

} // namespace nnrt

#endif
