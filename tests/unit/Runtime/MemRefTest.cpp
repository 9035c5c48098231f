//===- MemRefTest.cpp - nnrt descriptors match MLIR's ---------------------===//

#include "nnrt/MemRef.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"

#include <gtest/gtest.h>

#include <cstddef>

using namespace nnrt;

// The generated code reads these structs; their layouts must be MLIR's.
using Ours = MemRefDescriptor<2>;
using Theirs = StridedMemRefType<float, 2>;
static_assert(sizeof(Ours) == sizeof(Theirs));
static_assert(offsetof(Ours, aligned) == offsetof(Theirs, data));
static_assert(offsetof(Ours, offset) == offsetof(Theirs, offset));
static_assert(offsetof(Ours, sizes) == offsetof(Theirs, sizes));
static_assert(offsetof(Ours, strides) == offsetof(Theirs, strides));
static_assert(sizeof(MemRefDescriptor<0>) ==
              sizeof(StridedMemRefType<float, 0>));

TEST(MemRefTest, WordsMatchTheFixedRankLayout) {
  float data[24];
  MemRefArg arg(data, {2, 3, 4});
  auto *d = *static_cast<MemRefDescriptor<3> **>(arg.packed());
  EXPECT_EQ(d->allocated, data);
  EXPECT_EQ(d->aligned, data);
  EXPECT_EQ(d->offset, 0);
  EXPECT_EQ(d->sizes[0], 2);
  EXPECT_EQ(d->sizes[2], 4);
  EXPECT_EQ(d->strides[0], 12);
  EXPECT_EQ(d->strides[1], 4);
  EXPECT_EQ(d->strides[2], 1);
}

TEST(MemRefTest, RebindKeepsTheShape) {
  float a[6], b[6];
  MemRefArg arg(a, {2, 3});
  arg.rebind(b);
  auto *d = *static_cast<MemRefDescriptor<2> **>(arg.packed());
  EXPECT_EQ(d->aligned, b);
  EXPECT_EQ(d->sizes[1], 3);
}

TEST(MemRefTest, ScalarHasNoSizes) {
  float x;
  MemRefArg arg(&x, {});
  auto *d = *static_cast<MemRefDescriptor<0> **>(arg.packed());
  EXPECT_EQ(d->aligned, &x);
}
