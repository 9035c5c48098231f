//===- Tensor.h - dense float tensors ---------------------------*- C++ -*-===//

#ifndef NNRT_TENSOR_H
#define NNRT_TENSOR_H

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace nnrt {

/// A row-major f32 tensor on 64-byte aligned storage (one cache line, one
/// AVX-512 register), zero-initialised.
class Tensor {
public:
  Tensor() = default;
  explicit Tensor(std::vector<int64_t> shape);
  /// Storage for `capacity` floats (at least the shape's), zeroed: room for
  /// the padding of a tensor that threads update in equal slices.
  Tensor(std::vector<int64_t> shape, int64_t capacity);

  const std::vector<int64_t> &shape() const { return shape_; }
  int64_t size() const { return size_; }
  float *data() { return data_.get(); }
  const float *data() const { return data_.get(); }
  float &operator[](int64_t i) { return data_.get()[i]; }
  float operator[](int64_t i) const { return data_.get()[i]; }
  void fill(float v);

private:
  struct Free {
    void operator()(float *p) const { std::free(p); }
  };
  std::vector<int64_t> shape_;
  int64_t size_ = 0;
  std::unique_ptr<float, Free> data_;
};

int64_t numElements(const std::vector<int64_t> &shape);
/// "784x300", as MLIR prints shapes; "scalar" for rank 0.
std::string shapeString(const std::vector<int64_t> &shape);

} // namespace nnrt

#endif
