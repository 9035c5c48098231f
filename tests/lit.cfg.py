# -*- Python -*-
# lit configuration of nnc's compiler, example and end-to-end tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "nnc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".nn", ".test"]
config.excludes = ["unit", "Inputs", "corpus", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.nnc_obj_root, "tests")

# No test may hang the suite.
lit_config.maxIndividualTestTime = 300

llvm_config.use_default_substitutions()
config.substitutions.append(("%nnc_obj_root", config.nnc_obj_root))
config.substitutions.append(("%nnc_src_root", config.nnc_src_root))
config.substitutions.append(("%examples", os.path.join(config.nnc_src_root, "examples")))
tool_dirs = [config.nnc_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["nnc", "nn-opt"], tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# End-to-end tests train on MNIST from the cache scripts/setup.sh fills.
cache = os.environ.get("XDG_CACHE_HOME", os.path.join(os.path.expanduser("~"), ".cache"))
mnist = os.path.join(os.environ.get("NNC_DATA_DIR", os.path.join(cache, "nnc")), "mnist")
if os.path.exists(os.path.join(mnist, "train-labels-idx1-ubyte")) or \
   os.path.exists(os.path.join(mnist, "train-labels-idx1-ubyte.gz")):
    config.available_features.add("mnist")
    # %mnist: a directory with the uncompressed IDX files, which the C
    # examples of examples/aot read (decompressed once when only .gz exist).
    raw = mnist
    if not os.path.exists(os.path.join(mnist, "train-labels-idx1-ubyte")):
        import gzip, shutil
        raw = os.path.join(config.nnc_obj_root, "tests", "mnist-raw")
        os.makedirs(raw, exist_ok=True)
        for f in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                  "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
            if not os.path.exists(os.path.join(raw, f)):
                with gzip.open(os.path.join(mnist, f + ".gz")) as src, \
                     open(os.path.join(raw, f), "wb") as dst:
                    shutil.copyfileobj(src, dst)
    config.substitutions.append(("%mnist", raw))
if os.path.exists("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"):
    config.available_features.add("fashion-mnist")
# A C compiler for the programs that link `nnc compile`'s objects, and a
# cross toolchain and emulator for the AArch64 ones (scripts/setup.sh
# installs gcc-aarch64-linux-gnu and qemu-user).
import shutil
if shutil.which("cc"):
    config.available_features.add("cc")
if shutil.which("aarch64-linux-gnu-gcc") and shutil.which("qemu-aarch64"):
    config.available_features.add("aarch64-cross")
# An x86 host that runs AVX2 code, for the objects compiled for an AVX2 CPU.
try:
    with open("/proc/cpuinfo") as f:
        if any(l.startswith("flags") and " avx2" in l for l in f):
            config.available_features.add("avx2-host")
except OSError:
    pass
config.substitutions.append(("%aot_examples", os.path.join(config.nnc_src_root, "examples", "aot")))

# The suite's own compile cache, so that tests neither read nor fill the
# user's; reruns of the suite reuse it. Tests about the cache use their own.
config.environment["NNC_CACHE_DIR"] = os.path.join(config.nnc_obj_root, "tests", "nnc-cache")
for var in ("HOME", "NNC_DATA_DIR", "XDG_CACHE_HOME"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
