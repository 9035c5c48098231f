#!/usr/bin/env bash
#===- scripts/demo.sh - set up, build, train and evaluate the main example -===#
#
# Installs what is missing, builds nnc, then trains examples/lenet5.nn (the
# classic LeNet-5) on MNIST for its 20 epochs and evaluates it on the test
# set. Extra arguments go to `nnc train` (e.g. scripts/demo.sh --epochs 2).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
BUILD="${NNC_BUILD_DIR:-$ROOT/build}"
echo
"$BUILD/bin/nnc" summary "$ROOT/examples/lenet5.nn"
echo
"$BUILD/bin/nnc" train "$ROOT/examples/lenet5.nn" --save "$BUILD/lenet5.ckpt" \
  --report "$BUILD/lenet5-report.json" "$@"
echo
echo "checkpoint: $BUILD/lenet5.ckpt   report: $BUILD/lenet5-report.json"
