#!/usr/bin/env bash
#===- scripts/test.sh - set up, build and run the whole test suite --------===#
#
# The lit suite (compiler, examples, end to end on MNIST) and every
# GoogleTest binary, through the check-nnc target.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
BUILD="${NNC_BUILD_DIR:-$ROOT/build}"
CCACHE_BASEDIR="$ROOT" ninja -C "$BUILD" check-nnc
