//===- Status.h - errors without exceptions ---------------------*- C++ -*-===//
//
// Runtime functions return a Status (or an Expected<T>) carrying a message
// that names the file or tensor at fault; only tools decide how to print it.
//
//===----------------------------------------------------------------------===//

#ifndef NNRT_STATUS_H
#define NNRT_STATUS_H

#include <optional>
#include <string>
#include <utility>

namespace nnrt {

class [[nodiscard]] Status {
public:
  static Status ok() { return Status(); }
  static Status error(std::string message) { return Status(std::move(message)); }

  bool isOk() const { return !message_; }
  explicit operator bool() const { return isOk(); }
  const std::string &message() const { return *message_; }

private:
  Status() = default;
  explicit Status(std::string m) : message_(std::move(m)) {}
  std::optional<std::string> message_;
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
