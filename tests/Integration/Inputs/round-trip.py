"""nn-dialect IR as nnc's input: every example, written out by `--emit=nn`
(and by `--emit=nn-train`), trains, evaluates and compiles exactly as its
.nn file does. Prints one line per example and check; exits 1 on the first
difference.

usage: round-trip.py NNC EXAMPLES_DIR WORK_DIR EXAMPLE...
"""
import filecmp
import os
import subprocess
import sys

nnc, examples, work = sys.argv[1:4]
names = sys.argv[4:]


def run(*args):
    r = subprocess.run([nnc, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"nnc {' '.join(args)} failed:\n{r.stdout}{r.stderr}")
    return r.stdout


def same(what, a, b):
    if not filecmp.cmp(a, b, shallow=False):
        sys.exit(f"{what}: {a} and {b} differ")


for name in names:
    src = os.path.join(examples, name + ".nn")
    base = os.path.join(work, name)
    with open(base + ".mlir", "w") as f:
        f.write(run(src, "--emit=nn"))
    with open(base + "-train.mlir", "w") as f:
        f.write(run(src, "--emit=nn-train"))
    # mnist data lives in nnc's cache, csv tables beside the example.
    data = ["--data", examples] if "csv(" in open(src).read() else []
    train = ["train", "--epochs", "1", "--limit-train", "256",
             "--limit-test", "100", "--quiet", "--no-cache", *data]
    inputs = {"nn": src, "ir": base + ".mlir", "ir-train": base + "-train.mlir"}
    # One thread (a differentiated module's step is for one), then the
    # default threads, which the nn stage's IR may split the batch over.
    for kind, path in inputs.items():
        run(*train, path, "--threads", "1", "--save", f"{base}.{kind}.ckpt")
    run(*train, src, "--save", f"{base}.nn-default.ckpt")
    run(*train, base + ".mlir", "--save", f"{base}.ir-default.ckpt")
    same("train, default threads", f"{base}.nn-default.ckpt",
         f"{base}.ir-default.ckpt")
    same("train from --emit=nn", f"{base}.nn.ckpt", f"{base}.ir.ckpt")
    same("train from --emit=nn-train", f"{base}.nn.ckpt",
         f"{base}.ir-train.ckpt")
    for kind, path in inputs.items():
        run("eval", path, "--load", f"{base}.nn.ckpt", "--limit-test", "100",
            "--no-cache", *data, "--predictions", f"{base}.{kind}.pred")
        run("compile", path, "-o", f"{base}.{kind}.o")
        run("compile", path, "--train", "-o", f"{base}.{kind}.train.o",
            "--header", f"{base}.{kind}.h")
    for kind in ("ir", "ir-train"):
        same("eval predictions", f"{base}.nn.pred", f"{base}.{kind}.pred")
        same("compile", f"{base}.nn.o", f"{base}.{kind}.o")
        same("compile --train", f"{base}.nn.train.o", f"{base}.{kind}.train.o")
    bench = run("bench", base + ".mlir", "--calls", "3", "--batch", "4",
                "--no-cache")
    if "predict" not in bench:
        sys.exit(f"bench printed no result:\n{bench}")
    print(f"{name}: train, eval, compile and bench identical")
