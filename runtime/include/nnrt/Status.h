//===- Status.h - errors without exceptions ---------------------*- C++ -*-===//
//
// Runtime functions return a Status (or an Expected<T>) carrying a message
// that names the file or tensor at fault; only tools decide how to print it.
//
//===----------------------------------------------------------------------===//

#ifndef NNRT_STATUS_H
#define NNRT_STATUS_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace nnrt {

/// A position in a text file (a CSV table): 1-based line and column.
struct TextLocation {
  std::string file;
  int64_t line = 0, col = 0;
};

class [[nodiscard]] Status {
public:
  static Status ok() { return Status(); }
  static Status error(std::string message) {
    return Status(std::move(message));
  }
  /// An error at a place in a text file; message() reads
  /// "file:line:col: detail", as compilers write it.
  static Status errorAt(TextLocation where, std::string detail) {
    Status s(where.file + ":" + std::to_string(where.line) + ":" +
             std::to_string(where.col) + ": " + detail);
    s.detail_ = std::move(detail);
    s.where_ = std::move(where);
    return s;
  }

  bool isOk() const { return !message_; }
  explicit operator bool() const { return isOk(); }
  const std::string &message() const { return *message_; }
  /// Where the error is, for errorAt(); tools can show the line.
  const std::optional<TextLocation> &location() const { return where_; }
  /// The message without its location.
  const std::string &detail() const { return where_ ? detail_ : *message_; }

private:
  Status() = default;
  explicit Status(std::string m) : message_(std::move(m)) {}
  std::optional<std::string> message_;
  std::string detail_;
  std::optional<TextLocation> where_;
};

template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : value_(std::move(value)), status_(Status::ok()) {}
  Expected(Status status) : status_(std::move(status)) {}

  explicit operator bool() const { return status_.isOk(); }
  const Status &status() const { return status_; }
  T &operator*() { return *value_; }
  T *operator->() { return &*value_; }

private:
  std::optional<T> value_;
  Status status_;
};

/// `strerror(errno)` for the last failed system call.
std::string lastSystemError();

} // namespace nnrt

#endif
