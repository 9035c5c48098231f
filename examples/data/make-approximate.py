#!/usr/bin/env python3
"""Samples the function that examples/approximate.nn learns into CSV tables.

f(x) = sin(pi x) + 0.3 sin(3 pi x) on [-1, 1]: 1,000 training samples at
seeded random points, and a test table on an even grid of 401 points (so the
test measures the fit between the training points too). Run it from any
directory; it rewrites approximate-train.csv and approximate-test.csv next
to itself.
"""
import math
import os
import random


def f(x):
    return math.sin(math.pi * x) + 0.3 * math.sin(3 * math.pi * x)


def write(path, xs):
    with open(path, "w") as out:
        out.write("x,y\n")
        for x in xs:
            out.write(f"{x:.6f},{f(x):.6f}\n")


here = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(1)
write(os.path.join(here, "approximate-train.csv"),
      [rng.uniform(-1, 1) for _ in range(1000)])
write(os.path.join(here, "approximate-test.csv"),
      [-1 + 2 * i / 400 for i in range(401)])
