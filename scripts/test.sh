#!/usr/bin/env bash
#===- scripts/test.sh - set up, build and run the whole test suite --------===#
#
# The lit suite (compiler, examples, end to end on MNIST) and every
# GoogleTest binary, through the check-nnc target.
#
#   scripts/test.sh              the default build (build/)
#   scripts/test.sh --sanitize   everything built with AddressSanitizer and
#                                UndefinedBehaviorSanitizer (build-sanitize/,
#                                which scripts/fuzz.sh shares: the fuzz
#                                targets there are libFuzzer's), the whole
#                                suite run there; any report fails
#
#===----------------------------------------------------------------------===#
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = "--sanitize" ]; then
  export NNC_BUILD_DIR="${NNC_SANITIZE_BUILD_DIR:-$ROOT/build-sanitize}"
  export NNC_CMAKE_FLAGS="-DNNC_FUZZ=ON"
  # Leaks are errors too; LLVM's and MLIR's own (option registries, the
  # JIT's memory) are listed in lsan.supp. UBSan stops at its first report.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0"
  export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
elif [ $# -gt 0 ]; then
  echo "usage: scripts/test.sh [--sanitize]" >&2
  exit 2
fi
bash "$ROOT/scripts/setup.sh"
BUILD="${NNC_BUILD_DIR:-$ROOT/build}"
CCACHE_BASEDIR="$ROOT" ninja -C "$BUILD" check-nnc
