//===- Tensor.cpp - dense float tensors and memref descriptors ------------===//

#include "nnrt/Tensor.h"
#include "nnrt/MemRef.h"

#include <algorithm>
#include <cstring>

using namespace nnrt;

int64_t nnrt::numElements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string nnrt::shapeString(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

Tensor::Tensor(std::vector<int64_t> shape)
    : Tensor(shape, numElements(shape)) {}

Tensor::Tensor(std::vector<int64_t> shape, int64_t capacity)
    : shape_(std::move(shape)), size_(numElements(shape_)) {
  capacity = std::max({capacity, size_, int64_t(1)});
  size_t bytes = ((capacity * sizeof(float) + 63) / 64) * 64;
  data_.reset(static_cast<float *>(std::aligned_alloc(64, bytes)));
  std::memset(data_.get(), 0, bytes);
}

void Tensor::fill(float v) { std::fill(data(), data() + size_, v); }

void MemRefArg::bind(float *data, const std::vector<int64_t> &shape) {
  size_t rank = shape.size();
  words_.assign(3 + 2 * rank, 0);
  words_[0] = reinterpret_cast<int64_t>(data);
  words_[1] = reinterpret_cast<int64_t>(data);
  int64_t stride = 1;
  for (size_t i = rank; i-- > 0;) {
    words_[3 + i] = shape[i];
    words_[3 + rank + i] = stride;
    stride *= shape[i];
  }
  descriptor = words_.data();
}

void MemRefArg::rebind(float *data) {
  words_[0] = reinterpret_cast<int64_t>(data);
  words_[1] = reinterpret_cast<int64_t>(data);
}
