#!/usr/bin/env bash
#===- scripts/fuzz.sh - run one fuzz target with libFuzzer ----------------===#
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]
#
# TARGET is model, idx, csv or checkpoint. Builds the fuzz targets with
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer into the
# sanitizer build (build-sanitize, as `scripts/test.sh --sanitize`), then
# fuzzes for SECONDS from the seed corpus in tests/fuzz/corpus/TARGET,
# writing what it learns to build-sanitize/corpus/TARGET (the seeds stay
# untouched). A crash leaves its input as build-sanitize/crash-*: add it to
# tests/fuzz/corpus/TARGET as a regression test once fixed.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${1:?usage: scripts/fuzz.sh model|idx|csv|checkpoint SECONDS}"
SECONDS_TO_RUN="${2:?usage: scripts/fuzz.sh TARGET SECONDS}"
shift 2
case "$TARGET" in
  model|idx|csv|checkpoint) ;;
  *) echo "scripts/fuzz.sh: unknown target '$TARGET' (model, idx, csv, checkpoint)" >&2
     exit 2 ;;
esac
BUILD="${NNC_SANITIZE_BUILD_DIR:-$ROOT/build-sanitize}"
NNC_BUILD_DIR="$BUILD" NNC_CMAKE_FLAGS="-DNNC_FUZZ=ON" NNC_BUILD_TARGET=NNCFuzzers \
  bash "$ROOT/scripts/setup.sh"
mkdir -p "$BUILD/corpus/$TARGET"
DICT=()
[ "$TARGET" = model ] && DICT=(-dict="$ROOT/tests/fuzz/model.dict")
cd "$BUILD"
# No input may take a second; a model file is small.
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
  "$BUILD/tests/fuzz/nnc-fuzz-$TARGET" "$BUILD/corpus/$TARGET" \
  "$ROOT/tests/fuzz/corpus/$TARGET" "${DICT[@]}" -max_total_time="$SECONDS_TO_RUN" \
  -timeout=1 -max_len=65536 -print_final_stats=1 "$@"
