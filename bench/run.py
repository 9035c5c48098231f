#!/usr/bin/python3
"""Runs nnc, PyTorch and (for inference) ONNX Runtime side by side on the
networks of bench/models and prints a Markdown table: each figure, its
fraction of the machine's peak and the ratio of speeds nnc / peer (above 1:
nnc is faster). Called by
bench/run.sh, which installs and builds first.

  run.py [--nnc PATH] [--quick]

--quick trains 1 epoch instead of 3 (for trying the harness, not for
figures). Training runs with 1 and with 2 threads (PyTorch: OMP threads
pinned with OMP_PROC_BIND/OMP_PLACES; nnc: --threads, pinned; nnc's runs
of one epoch each, alternating between 1 and 2 threads); inference with
1, each figure the median of as many runs as training has epochs (nnc,
PyTorch and ONNX Runtime alternating).
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# The networks of bench/models (their twins in torch_bench.py): all trained,
# the CNNs also timed in inference.
TRAINED = ("lenet5", "mlp_a", "cnn_3x3", "cnn_strided", "mlp_wide", "mlp_adam")
INFERRED = ("lenet5", "cnn_3x3")


def env(threads):
    e = dict(os.environ)
    e.update(OMP_NUM_THREADS=str(threads), OMP_WAIT_POLICY="passive",
             OMP_PROC_BIND="true", OMP_PLACES="cores", MKL_NUM_THREADS=str(threads),
             OPENBLAS_NUM_THREADS=str(threads))
    return e


def torch(args, threads=1):
    out = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "torch_bench.py")] + args,
                         env=env(threads), check=True, capture_output=True, text=True).stdout
    return {j["work"]: j for j in map(json.loads, out.splitlines())}


def nnc_train(nnc, model, epochs, threads):
    """The seconds of each epoch of one `nnc train` run."""
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "r.json")
        subprocess.run([nnc, "train", os.path.join(HERE, "models", model + ".nn"),
                        "--epochs", str(epochs), "--threads", str(threads), "--quiet",
                        "--report", report],
                       check=True, env=env(threads))
        with open(report) as f:
            return json.load(f)["epoch_seconds"]


def nnc_train_alternating(nnc, model, epochs):
    """The median epoch seconds of nnc with 1 and with 2 threads, as
    {threads: seconds}: `epochs` runs of one epoch each, alternating, so
    that a busy minute on this shared machine weighs on both figures of
    the ratio alike. A first run of each fills the compile cache (an
    uncached one-thread run compiles @loss beside its first epoch)."""
    for threads in (1, 2):
        nnc_train(nnc, model, 0, threads)
    times = {1: [], 2: []}
    for _ in range(epochs):
        for threads in (1, 2):
            times[threads] += nnc_train(nnc, model, 1, threads)
    return {threads: statistics.median(t) for threads, t in times.items()}


def ort_infer(onnx, batch, calls):
    out = subprocess.run(["node", os.path.join(HERE, "ort_bench.js"), onnx, str(batch),
                          str(calls), "1"], check=True, capture_output=True, text=True,
                         env=env(1)).stdout
    return json.loads(out.splitlines()[-1])["call_seconds"]


def nnc_infer(nnc, model, batch, calls):
    out = subprocess.run([nnc, "bench", os.path.join(HERE, "models", model + ".nn"),
                          "--batch", str(batch), "--calls", str(calls)],
                         check=True, capture_output=True, text=True, env=env(1)).stdout
    m = re.search(r"median ([0-9.]+) us per call", out)
    return float(m.group(1)) * 1e-6


def nnc_compile(nnc, model, threads, runs=3):
    """The median time, over `runs` runs without the compile cache, until
    the training functions are ready (the report's compile_seconds)."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, "r.json")
            subprocess.run([nnc, "train", os.path.join(HERE, "models", model + ".nn"),
                            "--epochs", "0", "--threads", str(threads), "--no-cache",
                            "--quiet", "--report", report],
                           check=True, env=env(threads))
            with open(report) as f:
                times.append(json.load(f)["compile_seconds"])
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nnc", default=os.path.join(ROOT, "build", "bin", "nnc"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--peak-gflops", type=float, default=117.0,
                    help="one core's fp32 peak (bench/peak.c measures it)")
    a = ap.parse_args()
    epochs = 1 if a.quick else 3
    rows = []
    peak = a.peak_gflops * 1e9
    # Per training image: the forward's multiply-adds (2 FLOPs each) three
    # times (forward, input and weight gradients), less the first layer's
    # input gradient, which nobody needs.
    flops = {}
    for model in TRAINED:
        m = torch(["macs", model])[f"{model} macs"]
        flops[model] = 2 * (3 * m["macs"] - m["first"])
    for model in TRAINED:
        n_s = nnc_train_alternating(a.nnc, model, epochs)
        for threads in (1, 2):
            t = torch(["train", model, str(epochs)], threads)[f"{model} train"]["epoch_seconds"]
            ips, tips = 60000 / n_s[threads], 60000 / t
            extra = "" if threads == 1 else f"; {n_s[1] / n_s[2]:.2f}x nnc's 1 thread"
            plural = "s" if threads > 1 else ""
            rows.append((f"{model} training, {threads} thread{plural}",
                         f"{ips:,.0f} img/s ({n_s[threads]:.2f} s/epoch, "
                         f"{ips * flops[model] / (peak * threads):.0%} of peak{extra})",
                         f"PyTorch: {tips:,.0f} img/s ({t:.2f} s/epoch, "
                         f"{tips * flops[model] / (peak * threads):.0%} of peak)",
                         ips / tips))
    compile_s = {threads: nnc_compile(a.nnc, "lenet5", threads) for threads in (1, 2)}
    tmp = tempfile.mkdtemp()
    for model in INFERRED:
        onnx = os.path.join(tmp, model + ".onnx")
        torch(["export", model, onnx])
        for batch, calls in ((1, 2000), (256, 40)):
            # Each figure: the median of `epochs` runs, nnc and its peers
            # alternating, so that a busy minute weighs on every side.
            runs = {"nnc": [], "eager": [], "script": [], "ort": []}
            for _ in range(epochs):
                runs["nnc"].append(nnc_infer(a.nnc, model, batch, calls))
                pt = torch(["infer", model, str(batch), str(calls)])
                runs["eager"].append(pt[f"{model} infer batch {batch} eager"]["call_seconds"])
                runs["script"].append(
                    pt[f"{model} infer batch {batch} torchscript"]["call_seconds"])
                runs["ort"].append(ort_infer(onnx, batch, calls))
            n, eager, script, ort = (statistics.median(runs[k])
                                     for k in ("nnc", "eager", "script", "ort"))
            if batch == 1:
                work, fig = f"{model} inference, batch 1, latency", lambda t: f"{t * 1e6:.1f} µs"
            else:
                work = f"{model} inference, batch 256, throughput"
                fig = lambda t: f"{batch / t:,.0f} img/s"
            rows.append((work, fig(n), f"PyTorch: {fig(eager)} eager, {fig(script)} TorchScript",
                         min(eager, script) / n))
            rows.append((work, fig(n), f"ONNX Runtime 1.30: {fig(ort)}", ort / n))
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    print(f"{datetime.date.today()}, {cpu}, {os.cpu_count()} cores, {platform.system()}; "
          f"one core's measured fp32 peak {a.peak_gflops:.0f} GFLOPS; "
          f"training: medians of {epochs} epochs (nnc: of {epochs} one-epoch runs, 1 and 2 "
          f"threads alternating; MFLOP per training image: "
          + ", ".join(f"{m} {f / 1e6:.2f}" for m, f in flops.items())
          + f"); inference: medians of {epochs} runs (nnc, PyTorch and "
          f"ONNX Runtime alternating), each the median of 2000 (batch 1) or 40 (batch 256) "
          f"calls\n")
    print("| work | nnc | peer | speed nnc / peer |")
    print("| --- | --- | --- | --- |")
    for work, n, p, ratio in rows:
        print(f"| {work} | {n} | {p} | {ratio:.2f}x |")
    print(f"\nnnc's compile time (no cache, median of 3): LeNet-5's training functions "
          f"ready in {compile_s[1]:.2f} s (1 thread), {compile_s[2]:.2f} s (2 threads)")


if __name__ == "__main__":
    sys.exit(main())
