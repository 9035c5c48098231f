"""No machine number outside compiler/Target/: the literals that once
described the machine in the schedules, the kernels and the runtime (the
kernels' 16 lanes, the matmul tile's register rule, the elementwise tile,
the convolution chunk as half an L2, x86's MXCSR bits, the host's CPU
queries) appear nowhere else in the sources. Prints each one found, with
its file and line; exits 1 if any.

usage: target-literals.py SOURCE_ROOT
"""
import os
import re
import sys

root = sys.argv[1]
PATTERNS = [
    (r"\bkLanes\b", "the kernels' vector width (TargetDescription::kernelLanes)"),
    (r"\bkPixelLanes\b", "the kernels' vector width (TargetDescription::kernelLanes)"),
    (r"\bkTileElements\b", "elementwiseTileElements()"),
    (r"\bkChunkBytes\b|512 \* 1024", "convolutionChunkBytes()"),
    (r"count >= 32", "the register count (TargetDescription::vectorRegisters)"),
    (r"tile_sizes \[[^\]]*\b(8|16|32)\b", "a transform script's tile, a placeholder"),
    (r"\bVectorType::get\(\{(4|8|16|32)\}", "a vector width"),
    # In the schedule and the conversion, where a kernel's choice is made.
    (r"(?<![<>])(<|<=|>=|%) (8|16)\b", "a comparison with a vector width",
     ("compiler/Transforms/", "compiler/Conversion/")),
    (r"0x8040|_mm_setcsr|x86_sse_ldmxcsr", "the denormal flushing (FlushDenormals, CInterface.denormals)"),
    (r"getHostCPUName|getHostCPUFeatures", "the host (TargetDescription::host)"),
    (r"isX86\(\)|isAArch64\(\)", "a target test (TargetDescription)"),
]
# Where the machine is described, and where its one mechanism lives.
ALLOWED = {
    "compiler/Target/": None,
    # The runtime's own implementation of flushing on the host.
    "runtime/lib/Threads.cpp": {"0x8040|_mm_setcsr|x86_sse_ldmxcsr"},
    # The C entry points' implementation of flushing, when told to.
    "compiler/Backend/CInterface.cpp": {"0x8040|_mm_setcsr|x86_sse_ldmxcsr"},
}
found = 0
for folder in ("compiler", "dialects", "runtime"):
    for dirpath, _, files in os.walk(os.path.join(root, folder)):
        for name in files:
            if not name.endswith((".cpp", ".h", ".td", ".def")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            allowed = next((v for k, v in ALLOWED.items() if rel.startswith(k)), "")
            if allowed is None:
                continue
            for number, line in enumerate(open(path, encoding="utf-8"), 1):
                code = line.split("//")[0]
                for pattern, what, *within in PATTERNS:
                    if allowed and pattern in allowed:
                        continue
                    if within and not rel.startswith(within[0]):
                        continue
                    if re.search(pattern, code):
                        print(f"{rel}:{number}: {what}: {line.strip()}")
                        found += 1
if found:
    sys.exit(1)
print("no machine literals outside compiler/Target/")
