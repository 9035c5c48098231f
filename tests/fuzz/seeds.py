"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus.

  python3 tests/fuzz/seeds.py

Model files: the examples and every chunk of the front end's tests. IDX,
CSV and checkpoint files: small valid ones and the hostile shapes that
were once bugs (a header claiming 2^32 images, a checkpoint whose tensor
claims rank 2^32 - 1 under a correct checksum). Each fuzz target's first
byte chooses its mode (see the target's source).
"""
import os
import struct
import zlib

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
corpus = os.path.join(here, "corpus")


def write(kind, name, data):
    d = os.path.join(corpus, kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# Model files.
for f in sorted(os.listdir(os.path.join(root, "examples"))):
    if f.endswith(".nn"):
        write("model", "example-" + f[:-3], open(os.path.join(root, "examples", f)).read())
frontend = os.path.join(root, "tests", "Frontend")
for f in sorted(os.listdir(frontend)):
    if f.endswith(".nn"):
        for i, chunk in enumerate(open(os.path.join(frontend, f), encoding="utf-8",
                                       errors="replace").read().split("// -----")):
            write("model", "%s-%d" % (f[:-3], i), chunk)


# IDX files (first byte: bit 0 = images, the rest sizes the reads).
def idx(rank, dims, data):
    return struct.pack(">I", 0x800 | rank) + b"".join(struct.pack(">I", d) for d in dims) + data


write("idx", "images", b"\x01" + idx(3, [2, 3, 3], bytes(range(18))))
write("idx", "labels", b"\x00" + idx(1, [4], bytes([0, 1, 9, 3])))
write("idx", "short-reads", b"\x02" + idx(1, [4], bytes([0, 1, 9, 3])))
write("idx", "huge-claim", b"\x01" + idx(3, [0xFFFFFFFF, 0xFFFFFFFF, 28], b"\x00" * 64))
write("idx", "truncated", b"\x01" + idx(3, [60000, 28, 28], b"\x00" * 100))
write("idx", "empty-dim", b"\x01" + idx(3, [10, 0, 28], b""))
write("idx", "bad-magic", b"\x00" + struct.pack(">I", 0x0803) + b"\x00" * 8)

# CSV tables (first byte: bits 0-1 the label column, 2 regression, 3-4 the
# header, 4-7 the classes).
write("csv", "classes", b"\x30" + b"x1,x2,label\n0.5,1,0\n-2,3e-1,2\n1,1,1\n")
write("csv", "regression", b"\x04" + b"0,1.5\n1,2.5\n2,3.5\n")
write("csv", "named", b"\x3b" + b"a,label,b\n1,0,2\n3,1,4\n")
write("csv", "ragged", b"\x30" + b"1,2,0\n1,2\n1,2,3,4\n")
write("csv", "bad-number", b"\x30" + b"1,nan,0\n1,1e999,0\n,2,1\n")
write("csv", "crlf", b"\x32" + b"1,2,0\r\n3,4,1\r\n\r\n")


# Checkpoints of the fuzzer's model: m with fc.weight [3, 2], fc.bias [2]
# and their Adam state fc.weight.m, fc.bias.m.
def checkpoint(tensors, model=b"m", version=1, epochs=3):
    b = b"NNCKPT\x00\x00" + struct.pack("<I", version)
    b += struct.pack("<I", len(model)) + model + struct.pack("<QI", epochs, len(tensors))
    for name, shape, raw in tensors:
        b += struct.pack("<I", len(name)) + name + struct.pack("<I", len(shape))
        b += b"".join(struct.pack("<q", d) for d in shape) + raw
    return b + struct.pack("<I", zlib.crc32(b) & 0xFFFFFFFF)


floats = lambda n: struct.pack("<%df" % n, *[0.25 * i for i in range(n)])
good = [(b"fc.weight", [3, 2], floats(6)), (b"fc.bias", [2], floats(2)),
        (b"fc.weight.m", [3, 2], floats(6)), (b"fc.bias.m", [2], floats(2))]
write("checkpoint", "valid", checkpoint(good))
write("checkpoint", "wrong-model", checkpoint(good, model=b"other"))
write("checkpoint", "wrong-shape", checkpoint([(b"fc.weight", [2, 3], floats(6))] + good[1:]))
huge_rank = b"NNCKPT\x00\x00" + struct.pack("<I", 1) + struct.pack("<I", 1) + b"m"
huge_rank += struct.pack("<QI", 0, 4) + struct.pack("<I", 9) + b"fc.weight"
huge_rank += struct.pack("<I", 0xFFFFFFFF)
write("checkpoint", "huge-rank", huge_rank + struct.pack("<I", zlib.crc32(huge_rank)))
write("checkpoint", "truncated", checkpoint(good)[:60])
