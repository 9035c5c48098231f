#!/usr/bin/python3
"""PyTorch side of bench/run.sh: the networks of bench/models/*.nn, timed as
../shared/BENCHMARKS.md says. Prints one JSON object per measurement.

  torch_bench.py train NETWORK EPOCHS           median epoch seconds
  torch_bench.py infer NETWORK BATCH CALLS      median call seconds (eager
                                                and TorchScript)
  torch_bench.py export NETWORK PATH.onnx       the network for ONNX Runtime
                                                (dynamic batch)
  torch_bench.py macs NETWORK                   multiply-adds per image

NETWORK: one of NETWORKS below, the twins of bench/models/*.nn.

Threads come from the environment (OMP_NUM_THREADS and friends) and are
also set with torch.set_num_threads.
"""
import gzip
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
torch.manual_seed(1)


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path, opener = path + ".gz", gzip.open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist():
    root = os.environ.get("NNC_DATA_DIR", os.path.expanduser("~/.cache/nnc")) + "/mnist"
    x = torch.from_numpy(idx(root + "/train-images-idx3-ubyte").astype(np.float32) / 255)
    y = torch.from_numpy(idx(root + "/train-labels-idx1-ubyte").astype(np.int64))
    return x, y


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)  # 28x28 padded by 2
        self.c3 = nn.Conv2d(6, 16, 5)
        self.c5 = nn.Linear(400, 120)
        self.f6 = nn.Linear(120, 84)
        self.out = nn.Linear(84, 10)

    def forward(self, x):
        x = F.avg_pool2d(torch.tanh(self.c1(x)), 2)
        x = F.avg_pool2d(torch.tanh(self.c3(x)), 2)
        x = torch.tanh(self.c5(x.flatten(1)))
        x = torch.tanh(self.f6(x))
        return self.out(x)


class MLPA(nn.Module):
    def __init__(self):
        super().__init__()
        self.h1 = nn.Linear(784, 300)
        self.h2 = nn.Linear(300, 100)
        self.out = nn.Linear(100, 10)

    def forward(self, x):
        return self.out(torch.tanh(self.h2(torch.tanh(self.h1(x.flatten(1))))))


class CNN3x3(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.h = nn.Linear(64 * 7 * 7, 128)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.out(F.relu(self.h(x.flatten(1))))


class CNNStrided(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 5, stride=2, padding=2)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.h = nn.Linear(32 * 7 * 7, 64)
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.c2(F.relu(self.c1(x))))
        return self.out(F.relu(self.h(x.flatten(1))))


class MLP(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))

    def forward(self, x):
        x = x.flatten(1)
        for layer in self.layers[:-1]:
            x = F.relu(layer(x))
        return self.layers[-1](x)


def sgd(momentum=0.0):
    return lambda params: torch.optim.SGD(params, lr=0.05, momentum=momentum)


# Each network of bench/models: its twin, optimizer and batch.
NETWORKS = {
    "lenet5": (LeNet5, sgd(), 64),
    "mlp_a": (MLPA, sgd(), 64),
    "cnn_3x3": (CNN3x3, sgd(0.9), 64),
    "cnn_strided": (CNNStrided, sgd(0.9), 64),
    "mlp_wide": (lambda: MLP([784, 1024, 1024, 10]), sgd(0.9), 256),
    "mlp_adam": (lambda: MLP([784, 128, 64, 10]),
                 lambda params: torch.optim.Adam(params, lr=0.001), 64),
}


def make(name):
    return NETWORKS[name][0]()


def macs(name):
    """Multiply-adds of one image's forward pass, and of its first layer
    (whose input gradient training skips)."""
    model, counts = make(name), []

    def hook(layer, inputs, out):
        w = layer.weight
        per_output = w[0].numel() if isinstance(layer, nn.Conv2d) else w.shape[1]
        counts.append(out[0].numel() * per_output)

    for layer in model.modules():
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            layer.register_forward_hook(hook)
    model(torch.zeros(1, 1, 28, 28))
    print(json.dumps({"work": f"{name} macs", "macs": sum(counts), "first": counts[0]}))


def train(name, epochs):
    x, y = mnist()
    x = x.unsqueeze(1)
    model = make(name)
    opt = NETWORKS[name][1](model.parameters())
    batch = NETWORKS[name][2]
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(x.shape[0])
        for i in range(0, x.shape[0] - batch + 1, batch):
            idx_ = order[i:i + batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[idx_]), y[idx_])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
    print(json.dumps({"work": f"{name} train", "epoch_seconds": statistics.median(times),
                      "all": times, "last_loss": float(loss)}))


def infer(name, batch, calls):
    model = make(name).eval()
    x = torch.rand(batch, 1, 28, 28)
    with torch.no_grad():
        for label, fn in (("eager", model), ("torchscript", torch.jit.trace(model, x))):
            for _ in range(20):
                fn(x)
            samples = []
            for _ in range(calls):
                t = time.perf_counter()
                fn(x)
                samples.append(time.perf_counter() - t)
            print(json.dumps({"work": f"{name} infer batch {batch} {label}",
                              "call_seconds": statistics.median(samples)}))


def export(name, path):
    model = make(name).eval()
    x = torch.rand(1, 1, 28, 28)
    torch.onnx.export(model, x, path, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})


if __name__ == "__main__":
    if sys.argv[1] == "macs":
        macs(sys.argv[2])
    elif sys.argv[1] == "train":
        train(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "export":
        export(sys.argv[2], sys.argv[3])
    else:
        infer(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
