"""nn-opt with the registered pipelines reproduces what nnc compiles: for
each part `nnc ... --verbose --save-temps DIR` names (a line
`compile: FUNCTIONS: --nn-to-llvm-pipeline="OPTIONS"`), runs
`nn-opt --nn-to-llvm-pipeline="OPTIONS"` on the model's nn stage and
compares the result with DIR/FUNCTIONS.mlir top-level op by op, exactly.

The driver compiles the loop nests nn-outline-loop-nests moved into
functions of their own (FUNCTION_nestN) on a second thread, from a module
of their own: DIR/FUNCTIONS.nests.mlir holds their definitions (public, so
that the first object links to them) and FUNCTIONS.mlir their
declarations. Every other op, and every body, must match to the byte.
Prints one line per part; exits 1 on the first difference.

usage: reproduce.py NNC NN_OPT MODEL DIR NNC_ARGS...
"""
import difflib
import os
import re
import subprocess
import sys

nnc, nn_opt, model, work = sys.argv[1:5]
nnc_args = sys.argv[5:]


def run(*args, stdin=None):
    r = subprocess.run(args, capture_output=True, text=True, input=stdin)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{r.stdout}{r.stderr}")
    return r.stdout


def top_level_ops(text):
    """The module's ops, each as its text, in order, keyed by symbol."""
    ops, current = [], None
    for line in text.splitlines(keepends=True):
        if re.match(r"  [a-z]", line):  # an op at the module's level
            current = [line]
            ops.append(current)
        elif re.match(r"\S", line):  # the module's own lines
            current = None
        elif current is not None:
            current.append(line)
    result = []
    for lines in ops:
        op = "".join(lines)
        symbol = re.search(r"@([\w$.]+)", lines[0])
        result.append((symbol.group(1) if symbol else lines[0].strip(), op))
    return result


def differ(what, expected, actual):
    diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                "nn-opt", "nnc", lineterm="", n=2)
    sys.exit(f"{what} differs:\n" +
             "\n".join(line[:200] for line in list(diff)[:40]))


nn = os.path.join(work, "model.nn.mlir")
with open(nn, "w") as f:
    f.write(run(nnc, model, "--emit=nn"))
log = run(nnc, *nnc_args, "--verbose", "--save-temps", work)
parts = re.findall(r'^compile: (\S+): --nn-to-llvm-pipeline="([^"]*)"$', log,
                   re.M)
if not parts:
    sys.exit("nnc printed no pipeline:\n" + log)
for functions, options in parts:
    expected = top_level_ops(run(nn_opt, nn,
                                 f"--nn-to-llvm-pipeline={options}"))
    with open(os.path.join(work, functions + ".mlir")) as f:
        main = dict(top_level_ops(f.read()))
    nests = {}
    nests_file = os.path.join(work, functions + ".nests.mlir")
    if os.path.exists(nests_file):
        with open(nests_file) as f:
            nests = dict(top_level_ops(f.read()))
    if len(main) != len(expected):
        sys.exit(f"{functions}: nn-opt printed {len(expected)} ops, nnc "
                 f"{len(main)}")
    for symbol, op in expected:
        if symbol in nests:
            # Defined on the second thread, public there; declared here.
            private = ' attributes {sym_visibility = "private"}'
            if nests[symbol] != op.replace(private, "", 1):
                differ(f"{functions}: {symbol}", op, nests[symbol])
            declaration = main.get(symbol, "")
            if not declaration.startswith(f"  llvm.func @{symbol}(") or \
                    "\n" in declaration.rstrip():  # a body
                sys.exit(f"{functions}: @{symbol} is not declared in "
                         f"{functions}.mlir")
        elif main.get(symbol) != op:
            differ(f"{functions}: {symbol}", op, main.get(symbol, ""))
    print(f"{functions}: {len(expected)} ops identical "
          f"({len(nests)} nests compiled beside)")
