"""An elementwise activation without options lives in three source files
(docs/contributing.md, "Adding an elementwise activation"): for each one
in compiler/Frontend/Activations.def, its LayerKind, op classes and op
mnemonics appear in no source file but Activations.def, NNOps.td and
Elementwise.cpp (and the few EXCEPTIONS below, each with its reason).
Prints each other place that names one; exits 1 if any.

usage: activation-files.py SOURCE_ROOT
"""
import os
import re
import sys

root = sys.argv[1]
THREE = {
    "compiler/Frontend/Activations.def",
    "dialects/nn/IR/NNOps.td",
    "compiler/Conversion/NNToLinalg/Elementwise.cpp",
}
SUFFIXES = (".cpp", ".h", ".td", ".def", ".c")

defs = open(os.path.join(root, "compiler/Frontend/Activations.def")).read()
activations = re.findall(r'^ACTIVATION\("(\w+)", (\w+), (\w+)\)', defs, re.M)
if not activations:
    sys.exit("no ACTIVATION lines in Activations.def")

sources = {}
for folder in ("compiler", "dialects", "runtime"):
    for dirpath, _, files in os.walk(os.path.join(root, folder)):
        for name in files:
            if name.endswith(SUFFIXES):
                path = os.path.join(dirpath, name)
                sources[os.path.relpath(path, root)] = open(path).read()

# What an activation may add beyond the recipe, in one place each: the
# initializer it asks of the layer before it, a warning about its gradient,
# a gradient with no gradient op.
EXCEPTIONS = {
    ("relu", "compiler/Frontend/SemaModel.cpp"): "He initialization before a relu",
    ("step", "compiler/Frontend/SemaTrain.cpp"): "the warning: no gradient flows",
    ("step", "dialects/nn/IR/NNOps.cpp"): "its gradient is zeros, no op",
}

found = 0
for lang, kind, op in activations:
    base = op[:-2] if op.endswith("Op") else op
    # The names that carry this activation's knowledge: its LayerKind, its
    # op classes (SoftplusOp, SoftplusGradOp; not math::TanhOp) and its
    # ops' names in strings ("nn.softplus", "nn.softplus_grad").
    words = [rf"LayerKind::{kind}\b", rf"(?<!math::)\b(NN_)?{base}(Grad)?Op\b",
             rf'"nn\.{lang}(_grad)?"']
    pattern = re.compile("|".join(words))
    for path, text in sorted(sources.items()):
        if path in THREE or (lang, path) in EXCEPTIONS:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if pattern.search(line):
                print(f"{path}:{number}: names the activation {lang}: {line.strip()}")
                found += 1
if found:
    sys.exit(1)
print(f"{len(activations)} activations, each in the three files only")
