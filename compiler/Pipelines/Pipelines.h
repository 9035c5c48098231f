//===- Pipelines.h - nnc's pass pipelines -----------------------*- C++ -*-===//
//
// Each stage that `nnc --emit=` can print ends a pipeline here, and every
// pipeline is registered for nn-opt, so each step can be run and tested
// alone. Options come in as arguments; nothing reads global flags.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_PIPELINES_PIPELINES_H
#define NNC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>
#include <vector>

namespace nnc {

/// What the pipelines need to know; a plain value, passed as an argument.
struct PipelineConfig {
  /// Build @train_step with nn-autodiff.
  bool training = true;
  /// Tile and vectorize matmuls; off gives the plain loops, the reference
  /// the optimized code is tested against.
  bool vectorize = true;
  /// Training threads: above 1, nn-autodiff splits the step into
  /// @grad_step (run by each thread on its slice of the batch) and
  /// @apply_step (the update with the summed gradients).
  unsigned threads = 1;
  /// The target the schedule is for (nn-set-target: its description,
  /// compiler/Target/); empty: the host's.
  std::string targetTriple;
  std::string targetCpu;
  /// Samples per call (nn-set-batch before nn-autodiff); 0 keeps the
  /// module's.
  int64_t batch = 0;
  /// The public functions to compile (nn-keep-functions after nn-autodiff);
  /// empty: all of them.
  std::vector<std::string> keep;
  /// Every public function takes its workspace from the caller
  /// (nn-static-memory-plan; `nnc compile`).
  bool workspaceArgs = false;
  /// The share of each function's loop nests moved into functions of their
  /// own, for a second compile thread (nn-outline-loop-nests); 0: none.
  double outlineShare = 0;
};

/// The same knobs as pass-pipeline options, for nn-opt.
struct NNPipelineOptions : mlir::PassPipelineOptions<NNPipelineOptions> {
  Option<bool> training{*this, "training",
                        llvm::cl::desc("Build @train_step with nn-autodiff"),
                        llvm::cl::init(true)};
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile and vectorize matmuls (nn-schedule-matmuls); off "
                     "gives the plain loops, the reference for testing"),
      llvm::cl::init(true)};
  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Training threads; above 1, @grad_step and @apply_step "
                     "replace @train_step"),
      llvm::cl::init(1)};
  Option<std::string> targetTriple{
      *this, "target-triple",
      llvm::cl::desc("The target's triple (nn-set-target); none: the host's")};
  Option<std::string> targetCpu{
      *this, "target-cpu",
      llvm::cl::desc("The target's CPU (nn-set-target); none: the host's")};

  Option<int64_t> batch{
      *this, "batch",
      llvm::cl::desc("Samples per call (nn-set-batch); 0 keeps the module's"),
      llvm::cl::init(0)};
  ListOption<std::string> keep{
      *this, "keep",
      llvm::cl::desc("The public functions to compile (nn-keep-functions); "
                     "none: all")};

  Option<bool> workspaceArgs{
      *this, "workspace-args",
      llvm::cl::desc("Every public function takes its workspace from the "
                     "caller (nn-static-memory-plan)"),
      llvm::cl::init(false)};
  Option<double> outlineShare{
      *this, "outline-share",
      llvm::cl::desc("Share of each function's loop nests outlined for a "
                     "second compile thread (nn-outline-loop-nests); 0: none"),
      llvm::cl::init(0)};

  PipelineConfig config() const {
    return {training,
            vectorize,
            threads,
            targetTriple,
            targetCpu,
            batch,
            {keep.begin(), keep.end()},
            workspaceArgs,
            outlineShare};
  }
};

/// nn -> nn with @train_step: canonicalize (fusing softmax into
/// cross-entropy), then autodiff.
void buildNNTrainPipeline(mlir::OpPassManager &pm,
                          const PipelineConfig &config);
/// nn -> linalg on tensors, elementwise ops fused.
void buildNNToLinalgPipeline(mlir::OpPassManager &pm,
                             const PipelineConfig &config);
/// linalg on tensors -> buffers -> scf loops (and vectors).
void buildLinalgToLoopsPipeline(mlir::OpPassManager &pm,
                                const PipelineConfig &config);
/// loops -> LLVM dialect.
void buildLoopsToLLVMPipeline(mlir::OpPassManager &pm,
                              const PipelineConfig &config);
/// The options of `config` as nn-opt takes them:
/// "training=1 vectorize=1 threads=1 ...".
std::string pipelineOptions(const PipelineConfig &config);
/// All of the above in order.
void buildNNToLLVMPipeline(mlir::OpPassManager &pm,
                           const PipelineConfig &config);

/// Registers the pipelines above as nn-*-pipeline for nn-opt.
void registerPipelines();

} // namespace nnc

#endif
