#!/usr/bin/env bash
#===- bench/run.sh - nnc against PyTorch on this machine -------------------===#
#
# Installs what the benchmarks need (the project's packages through
# scripts/setup.sh, and Debian's python3-torch), builds nnc, and runs
# bench/run.py, which prints the table bench/README.md keeps. Not part of
# the test suite. Arguments go to run.py (--quick: 1 epoch).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh" >/dev/null
# Debian's PyTorch does its dense layers through the system BLAS; with the
# reference BLAS it would be a straw man, so OpenBLAS takes that place.
for pkg in python3-torch libopenblas0-pthread; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then
    echo "bench: installing $pkg"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null
  fi
done
# ONNX Runtime for the inference rows: the npm package, without its
# post-install step (it wants a download; the CPU library is in the package).
NODE_DIR="${NNC_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nnc}/bench-node"
if [ ! -d "$NODE_DIR/node_modules/onnxruntime-node" ]; then
  echo "bench: installing onnxruntime-node into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && npm install --ignore-scripts --silent onnxruntime-node >/dev/null)
fi
export NODE_PATH="$NODE_DIR/node_modules"
if [ "$(awk '{print int($1)}' /proc/loadavg)" -gt 0 ]; then
  echo "bench: warning: the machine is busy (load $(cut -d' ' -f1 /proc/loadavg)); figures will be noisy" >&2
fi
BUILD="${NNC_BUILD_DIR:-$ROOT/build}"
clang-22 -O2 -march=native "$ROOT/bench/peak.c" -o "$BUILD/bench-peak"
PEAK="$("$BUILD/bench-peak")"
exec /usr/bin/python3 "$ROOT/bench/run.py" --nnc "$BUILD/bin/nnc" --peak-gflops "$PEAK" "$@"
