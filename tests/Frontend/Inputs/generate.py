"""Writes large or deeply nested model files for the front end's limits.

  generate.py nested-calls N    relu(relu(...(x)...)), N deep
  generate.py nested-lists N    [[[...]]] as an option value, N deep
  generate.py pipes N           x |> relu |> ... N times
  generate.py reversed-chain N  N dense layers of width 4, written last-first
  generate.py cycle N           h0 uses h1, ..., h(N-1) uses h0
"""
import sys

kind, n = sys.argv[1], int(sys.argv[2])
out = ["model chain {", "  input x: f32[4]"]
if kind == "nested-calls":
    out.append("  output y = " + "relu(" * n + "x" + ")" * n)
elif kind == "nested-lists":
    out.append("  output y = dense(x, 4, init=" + "[" * n + "]" * n + ")")
elif kind == "pipes":
    out.append("  output y = x" + " |> relu" * n)
elif kind == "reversed-chain":
    out.append("  output y = dense(h%d, 4)" % (n - 1))
    for i in range(n - 1, 0, -1):
        out.append("  h%d = dense(h%d, 4)" % (i, i - 1))
    out.append("  h0 = dense(x, 4)")
elif kind == "cycle":
    for i in range(n):
        out.append("  h%d = dense(h%d, 4)" % (i, (i + 1) % n))
    out.append("  output y = dense(h0, 4)")
else:
    sys.exit("unknown kind " + kind)
out.append("}")
print("\n".join(out))
