"""Feeds nnc mutated model files and fails if any run crashes.

Each mutant deletes, duplicates or swaps a token, inserts a hostile one
(numbers past int64 or a double, deep nesting, bytes that are not UTF-8, a
repeated option, a huge layer), or truncates the file, of one of the
examples (seeded, so the run is repeatable). nnc must answer each with exit
status 0 or 1 within 10 seconds: a diagnostic about the input, never a
signal, a stack trace or a message of MLIR's or LLVM's.
"""
import random
import re
import subprocess
import sys
import tempfile
import os

nnc, examples_dir = sys.argv[1], sys.argv[2]
sources = [open(os.path.join(examples_dir, f)).read()
           for f in sorted(os.listdir(examples_dir)) if f.endswith(".nn")]
rng = random.Random(1234)
extras = ["(", ")", "{", "}", "[", "]", ",", "=", "|>", ":", "-", "0", "-1",
          "1e9", "99999999999999999999", "\"", "x", "relu", "dense", "model",
          "train", "output", "input", "label", "softmax(", "f32[0]", "//", "@",
          "9223372036854775808", "-9223372036854775809", "1e999", "1e-999",
          "relu(" * 300, "[" * 300, " |> relu" * 300, "\xff", "\u00e9",
          "\ufeff", "lr=0.1, lr=0.2", "pad=2, pad=4", "1099511627776",
          "dense(x, 1000000000)", "\"unterminated", "x" * 5000, "16.0"]
# What a user must never see: MLIR's op syntax or LLVM's own reports.
internal = re.compile(r"'[a-z_]+\.[a-z_.]+' op|LLVM ERROR|Stack dump|Assertion|"
                      r"PLEASE submit|JIT session error")
bad = 0
with tempfile.TemporaryDirectory() as tmp:
    for i in range(150):
        src = rng.choice(sources)
        tokens = re.findall(r"\s+|\w+|\|>|.", src)
        op = rng.randrange(4)
        k = rng.randrange(len(tokens))
        if op == 0:
            del tokens[k]
        elif op == 1:
            tokens.insert(k, rng.choice(extras))
        elif op == 2:
            j = rng.randrange(len(tokens))
            tokens[k], tokens[j] = tokens[j], tokens[k]
        else:
            tokens = tokens[:k]
        path = os.path.join(tmp, "m%d.nn" % i)
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write("".join(tokens).replace("\xff", "\udcff"))
        for args in (["--emit=nn-train"], ["summary"]):
            cmd = [nnc] + (args if args[0] == "summary" else []) + [path] + \
                  ([] if args[0] == "summary" else args)
            try:
                r = subprocess.run(cmd, capture_output=True, text=True, timeout=10,
                                   errors="replace")
            except subprocess.TimeoutExpired:
                bad += 1
                print("SLOW: %s" % " ".join(cmd))
                continue
            if r.returncode not in (0, 1) or internal.search(r.stderr):
                bad += 1
                print("CRASH (%d): %s\n%s" % (r.returncode, " ".join(cmd),
                                              r.stderr[-2000:]))
print("%d mutants, %d crashes" % (150, bad))
sys.exit(1 if bad else 0)
