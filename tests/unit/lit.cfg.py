# -*- Python -*-
# Runs every GoogleTest binary under tests/unit through lit.

import os

import lit.formats

config.name = "nnc-unit"
config.suffixes = []
config.test_source_root = os.path.join(config.nnc_obj_root, "tests", "unit")
config.test_exec_root = config.test_source_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
for var in ("HOME", "NNC_DATA_DIR", "XDG_CACHE_HOME"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
