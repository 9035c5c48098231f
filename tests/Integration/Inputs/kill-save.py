"""Kills `nnc train --save` with SIGKILL while it writes its checkpoint, many
times, and checks after each kill that the checkpoint is whole: either the
previous one or the new one, never a torn file.

  kill-save.py NNC MODEL CKPT TIMES
"""
import os
import random
import signal
import struct
import subprocess
import sys
import time
import zlib

nnc, model, ckpt, times = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def whole(path):
    data = open(path, "rb").read()
    return (len(data) > 12 and data.startswith(b"NNCKPT") and
            struct.unpack("<I", data[-4:])[0] == zlib.crc32(data[:-4]) & 0xFFFFFFFF)


cmd = [nnc, "train", model, "--quiet", "--limit-train", "20", "--limit-test", "20",
       "--save", ckpt]
subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
assert whole(ckpt), "the first checkpoint is not whole"
rng = random.Random(7)
during = 0
for i in range(times):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Wait for the temporary file of the save, then kill at a random moment
    # of the write.
    temps = [ckpt + ".tmp"]
    deadline = time.time() + 60
    while p.poll() is None and not any(os.path.exists(t) for t in temps) \
            and time.time() < deadline:
        time.sleep(0.0005)
    if p.poll() is None:
        time.sleep(rng.uniform(0, 0.02))
        during += any(os.path.exists(t) for t in temps)
        os.kill(p.pid, signal.SIGKILL)
    p.wait()
    if not whole(ckpt):
        sys.exit("kill %d left a torn checkpoint" % i)
    for t in temps:
        if os.path.exists(t):
            os.remove(t)
print("%d kills, %d during the write, checkpoint whole after each" % (times, during))
