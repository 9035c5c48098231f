//===- CsvFuzzer.cpp - fuzz the CSV reader --------------------------------===//
//
// The input is a table; the options vary with its first byte: classes or
// regression, the label column first, last, by index or by name, a header
// or not.
//
//===----------------------------------------------------------------------===//

#include "nnrt/Dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  uint8_t mode = data[0];
  nnrt::CsvOptions opts;
  static const char *const columns[] = {"last", "first", "2", "label"};
  opts.column = columns[mode & 3];
  opts.regression = mode & 4;
  opts.classes = 1 + (mode >> 4);
  if (mode & 8)
    opts.header = (mode & 16) != 0;
  std::string text(reinterpret_cast<const char *>(data + 1), size - 1);
  (void)nnrt::parseCsv(text, "fuzz.csv", opts);
  return 0;
}
