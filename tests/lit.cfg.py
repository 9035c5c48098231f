# -*- Python -*-
# lit configuration of nnc's compiler, example and end-to-end tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "nnc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".nn", ".test"]
config.excludes = ["unit", "Inputs", "CMakeLists.txt", "lit.cfg.py",
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
if os.path.exists("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"):
    config.available_features.add("fashion-mnist")
# The suite's own compile cache, so that tests neither read nor fill the
# user's; reruns of the suite reuse it. Tests about the cache use their own.
config.environment["NNC_CACHE_DIR"] = os.path.join(config.nnc_obj_root, "tests", "nnc-cache")
for var in ("HOME", "NNC_DATA_DIR", "XDG_CACHE_HOME"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
