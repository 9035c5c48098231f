//===- Status.cpp - errors without exceptions -----------------------------===//

#include "nnrt/Status.h"

#include <cerrno>
#include <cstring>

std::string nnrt::lastSystemError() { return std::strerror(errno); }
