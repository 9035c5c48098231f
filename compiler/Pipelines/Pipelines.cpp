//===- Pipelines.cpp - nnc's pass pipelines -------------------------------===//
//
// The whole lowering, one screen. Each step says why it is there.
//
//===----------------------------------------------------------------------===//

#include "compiler/Pipelines/Pipelines.h"

#include "compiler/Conversion/Passes.h"
#include "compiler/Transforms/Passes.h"
#include "dialects/nn/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

static void addKeepFunctions(OpPassManager &pm,
                             const nnc::PipelineConfig &config) {
  if (config.keep.empty())
    return;
  nn::NNKeepFunctionsPassOptions keep;
  keep.names.assign(config.keep.begin(), config.keep.end());
  pm.addPass(nn::createNNKeepFunctionsPass(keep));
}

/// nn-set-target with the config's target: the description the schedule
/// passes read.
static void addSetTarget(OpPassManager &pm, const nnc::PipelineConfig &config) {
  nn::NNSetTargetPassOptions target;
  target.triple = config.targetTriple;
  target.cpu = config.targetCpu;
  pm.addPass(nn::createNNSetTargetPass(target));
}

void nnc::buildNNTrainPipeline(OpPassManager &pm,
                               const PipelineConfig &config) {
  // Types first: every later pass sees the batch the code is for.
  if (config.batch > 0) {
    nn::NNSetBatchPassOptions rebatch;
    rebatch.batch = config.batch;
    pm.addPass(nn::createNNSetBatchPass(rebatch));
  }
  // Rewrites cross_entropy(softmax(z)) into the stable fused form before the
  // gradient is taken, so the backward pass never divides by a probability.
  pm.addPass(createCanonicalizerPass());
  if (config.training) {
    nn::NNAutodiffPassOptions autodiff;
    autodiff.splitStep = config.threads > 1;
    autodiff.parts = config.threads;
    pm.addPass(nn::createNNAutodiffPass(autodiff));
  }
  // The functions to compile, now that nn-autodiff has read @loss.
  addKeepFunctions(pm, config);
  // The sweep emits gradients for inputs nobody needs (the first layer's
  // input gradient, say); all nn ops are pure, so they fold away here.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void nnc::buildNNToLinalgPipeline(OpPassManager &pm,
                                  const PipelineConfig &config) {
  // Again: a module may start here (each of the driver's parallel parts).
  addKeepFunctions(pm, config);
  // The target the schedule passes read (#nn.target).
  addSetTarget(pm, config);
  // Every algorithm is chosen here: convolutions read the image directly
  // where nothing else needs the im2col rows (the plain pipeline keeps
  // im2col and a matmul), and each op's kernel is recorded.
  nn::NNSelectKernelsPassOptions select;
  select.directConvolutions = config.vectorize;
  pm.addNestedPass<func::FuncOp>(nn::createNNSelectKernelsPass(select));
  pm.addPass(nn::createConvertNNToLinalgPass());
  // Fuse on tensors: there is no aliasing to reason about before
  // bufferization. Bias, activation and their adjoints merge into one loop;
  // matmuls are left alone for the schedule.
  pm.addNestedPass<func::FuncOp>(nn::createNNFuseElementwisePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void nnc::buildLinalgToLoopsPipeline(OpPassManager &pm,
                                     const PipelineConfig &config) {
  // Again: a module may start here.
  addSetTarget(pm, config);
  if (config.vectorize) {
    pm.addNestedPass<func::FuncOp>(nn::createNNFoldTransposesPass());
    // Direct convolutions are tiled and vectorized on tensors: their
    // decomposition into 1-D rows needs them.
    pm.addPass(nn::createNNScheduleConvsPass());
    pm.addPass(createCanonicalizerPass());
  }
  // One buffer per result: out-parameters cannot share one.
  pm.addNestedPass<func::FuncOp>(nn::createNNDistinctResultsPass());
  // CSE merged the empty tensors of one type: one alias set over a whole
  // chain of layers, which the bufferization analysis checks pairwise.
  pm.addNestedPass<func::FuncOp>(nn::createNNDistinctEmptyTensorsPass());
  // An op writing a new tensor that is then inserted into a bigger one (a
  // gradient copied inside a zero border) writes into the bigger one's
  // slice instead: no temporary and no copy.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // Plain strided memrefs at the boundary: the runtime passes descriptors
  // with identity layouts (nnrt/MemRef.h).
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Temporaries of loop bodies (an input gradient made a few images at a
  // time) move out of their loops, where the static memory plan sees them.
  pm.addNestedPass<func::FuncOp>(bufferization::createBufferLoopHoistingPass());
  // Results become caller-owned out-parameters: the runtime allocates every
  // tensor that crosses the boundary, and the public functions must change
  // too, or the C interface gains a hidden result pointer.
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createCanonicalizerPass());
  // The schedule works on buffers: hoisting the accumulator out of the k
  // loop needs memory, not SSA tensors. The elementwise ops and reductions
  // it leaves are vectorized next (after it: its alias folding loops
  // forever on their collapsed views); LLVM runs no loop vectorizer.
  if (config.vectorize) {
    pm.addPass(nn::createNNScheduleMatmulsPass());
    pm.addNestedPass<func::FuncOp>(nn::createNNConvKernelsPass());
    pm.addNestedPass<func::FuncOp>(nn::createNNVectorizeElementwisePass());
    pm.addPass(createCanonicalizerPass());
  }
  pm.addNestedPass<func::FuncOp>(nn::createNNStridedCopiesToLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createLoopInvariantCodeMotionPass());
  if (config.vectorize)
    pm.addPass(nn::createNNStaticMemoryPlanPass({config.workspaceArgs}));
  // Last: the driver compiles the outlined nests on a thread of their own.
  if (config.outlineShare > 0)
    pm.addPass(nn::createNNOutlineLoopNestsPass({config.outlineShare}));
}

void nnc::buildLoopsToLLVMPipeline(OpPassManager &pm,
                                   const PipelineConfig &config) {
  // The nn.* annotations have served the front end and the runtime.
  pm.addPass(nn::createNNStripAttributesPass());
  // Subviews and reshapes become explicit offset/stride arithmetic.
  // Vector transfers the schedule left become loads and stores.
  VectorTransferToSCFOptions transfers;
  transfers.enableFullUnroll();
  pm.addPass(createConvertVectorToSCFPass(transfers));
  // Loads and stores through a subview index the underlying buffer
  // instead: no descriptor per view (LeNet-5's training step had 260 of
  // them), 15% less LLVM IR.
  pm.addPass(memref::createFoldMemRefAliasOpsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Lowering a loop splits its block; split first, each op moved once.
  pm.addNestedPass<func::FuncOp>(nn::createNNSplitAtLoopsPass());
  pm.addPass(createSCFToControlFlowPass());
  if (config.vectorize)
    pm.addPass(nn::createNNApproximateMathPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void nnc::buildNNToLLVMPipeline(OpPassManager &pm,
                                const PipelineConfig &config) {
  buildNNTrainPipeline(pm, config);
  buildNNToLinalgPipeline(pm, config);
  buildLinalgToLoopsPipeline(pm, config);
  buildLoopsToLLVMPipeline(pm, config);
}

std::string nnc::pipelineOptions(const PipelineConfig &c) {
  auto flag = [](bool b) { return b ? "true" : "false"; };
  std::string s = std::string("training=") + flag(c.training) +
                  " vectorize=" + flag(c.vectorize) +
                  " threads=" + std::to_string(c.threads) +
                  " batch=" + std::to_string(c.batch);
  if (!c.targetTriple.empty())
    s += " target-triple=" + c.targetTriple;
  if (!c.targetCpu.empty())
    s += " target-cpu=" + c.targetCpu;
  if (!c.keep.empty())
    s += " keep=" + llvm::join(c.keep, ",");
  if (c.workspaceArgs)
    s += " workspace-args=true";
  if (c.outlineShare > 0)
    s += " outline-share=" + llvm::formatv("{0}", c.outlineShare).str();
  return s;
}

void nnc::registerPipelines() {
  PassPipelineRegistration<NNPipelineOptions>(
      "nn-train-pipeline", "Canonicalize nn and build @train_step",
      [](OpPassManager &pm, const NNPipelineOptions &o) {
        buildNNTrainPipeline(pm, o.config());
      });
  PassPipelineRegistration<NNPipelineOptions>(
      "nn-to-linalg-pipeline", "Lower nn to fused linalg on tensors",
      [](OpPassManager &pm, const NNPipelineOptions &o) {
        buildNNToLinalgPipeline(pm, o.config());
      });
  PassPipelineRegistration<NNPipelineOptions>(
      "nn-linalg-to-loops-pipeline",
      "Bufferize linalg and lower it to loops and vectors",
      [](OpPassManager &pm, const NNPipelineOptions &o) {
        buildLinalgToLoopsPipeline(pm, o.config());
      });
  PassPipelineRegistration<NNPipelineOptions>(
      "nn-loops-to-llvm-pipeline",
      "Lower loops and memrefs to the LLVM dialect",
      [](OpPassManager &pm, const NNPipelineOptions &o) {
        buildLoopsToLLVMPipeline(pm, o.config());
      });
  PassPipelineRegistration<NNPipelineOptions>(
      "nn-to-llvm-pipeline", "Lower nn (and @train_step) to the LLVM dialect",
      [](OpPassManager &pm, const NNPipelineOptions &o) {
        buildNNToLLVMPipeline(pm, o.config());
      });
}
