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

namespace nnc {

struct NNPipelineOptions : mlir::PassPipelineOptions<NNPipelineOptions> {
  Option<bool> training{*this, "training",
                        llvm::cl::desc("Build @train_step with nn-autodiff"),
                        llvm::cl::init(true)};
};

/// nn -> nn with @train_step: canonicalize (fusing softmax into
/// cross-entropy), then autodiff.
void buildNNTrainPipeline(mlir::OpPassManager &pm,
                          const NNPipelineOptions &opts);
/// nn -> linalg on tensors, elementwise ops fused.
void buildNNToLinalgPipeline(mlir::OpPassManager &pm);
/// linalg on tensors -> buffers -> scf loops.
void buildLinalgToLoopsPipeline(mlir::OpPassManager &pm);
/// loops -> LLVM dialect.
void buildLoopsToLLVMPipeline(mlir::OpPassManager &pm);
/// All of the above in order.
void buildNNToLLVMPipeline(mlir::OpPassManager &pm,
                           const NNPipelineOptions &opts);

/// Registers the pipelines above as nn-*-pipeline for nn-opt.
void registerPipelines();

} // namespace nnc

#endif
