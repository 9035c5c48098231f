// ONNX Runtime side of bench/run.sh: times an exported network's inference.
//   node ort_bench.js MODEL.onnx BATCH CALLS THREADS
// Prints one JSON object: the median seconds per call. The input is
// 1x28x28 images (LeNet-5 pads inside, as torch_bench.py exports it).
"use strict";
const ort = require("onnxruntime-node");

async function main() {
  const [model, batch, calls, threads] = process.argv.slice(2);
  const n = Number(batch);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  const data = new Float32Array(n * 28 * 28).map(() => Math.random());
  const feeds = { x: new ort.Tensor("float32", data, [n, 1, 28, 28]) };
  for (let i = 0; i < 20; ++i) await session.run(feeds);
  const samples = [];
  for (let i = 0; i < Number(calls); ++i) {
    const t = process.hrtime.bigint();
    await session.run(feeds);
    samples.push(Number(process.hrtime.bigint() - t) * 1e-9);
  }
  samples.sort((a, b) => a - b);
  console.log(JSON.stringify({ work: `lenet5 infer batch ${n} onnxruntime`,
                               call_seconds: samples[samples.length >> 1] }));
}
main().catch((e) => { console.error(e); process.exit(1); });
