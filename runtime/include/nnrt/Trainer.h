//===- Trainer.h - the training loop around compiled functions --*- C++ -*-===//
//
// The runtime owns the memory, the data and the loop; the compiled code owns
// the arithmetic. A model arrives as packed functions (train_step, or
// grad_step and apply_step with threads; loss; predict) and their manifests
// (nnrt/Manifest.h): the runtime binds each argument by its role, and
// checks its shape, before the first call.
//
//===----------------------------------------------------------------------===//

#ifndef NNRT_TRAINER_H
#define NNRT_TRAINER_H

#include "nnrt/Checkpoint.h"
#include "nnrt/Dataset.h"
#include "nnrt/Manifest.h"
#include "nnrt/MemRef.h"
#include "nnrt/Random.h"
#include "nnrt/Status.h"
#include "nnrt/Tensor.h"

#include <functional>
#include <memory>

namespace nnrt {

struct ParamSpec {
  std::string name;
  std::vector<int64_t> shape;
  std::string init;
};

/// A compiled model as the runtime sees it. `functions` is the contract;
/// the rest follows from it (describeModel) but for the threads' layout.
struct ModelInfo {
  std::string name;
  std::vector<FunctionManifest> functions;
  std::vector<ParamSpec> params;
  std::vector<int64_t> inputShape;  // per sample
  std::vector<int64_t> outputShape; // per sample
  int64_t batch = 1;
  /// The optimizer's state per parameter, in train_step's order: e.g.
  /// {"velocity"} for SGD, {"m", "v"} for Adam. Each slot holds one tensor
  /// per parameter, of its shape, starting at zero.
  std::vector<std::string> stateSlots{"velocity"};
  /// Per-sample shapes of the dropout noise train_step takes, one per
  /// dropout layer; refilled with seeded uniform [0, 1) values every step.
  std::vector<std::vector<int64_t>> noiseShapes;
  /// The outputs are distances (RBF units): the smallest one wins, not the
  /// largest.
  bool outputIsDistance = false;
  /// Training threads. Above 1 the functions are compiled for `batch`
  /// samples each, a training batch is `batch * threads`, and a step is
  /// @grad_step on every thread's slice, then @apply_step on every thread
  /// with the mean of their gradients, each thread on its slice of every
  /// tensor.
  int threads = 1;
  /// With threads: the elements of each parameter's slice (flat; thread t
  /// updates [t * slice, (t + 1) * slice)), one per parameter. The
  /// parameter, state and gradient buffers hold `threads` slices.
  std::vector<int64_t> updateSlices;
  /// The bytes of workspace each thread passes to @grad_step.
  int64_t gradWorkspaceBytes = 0;
  /// The compiled code runs with denormal floats flushed to zero (x86's
  /// MXCSR FTZ and DAZ), as its target description says.
  bool flushDenormals = false;

  const FunctionManifest *function(std::string_view name) const;
};

/// Fills info's parameters, per-sample shapes, batch, noise shapes, state
/// slots and outputIsDistance from its manifests, and checks that the
/// functions agree on them (every one takes the same parameters).
Status describeModel(ModelInfo &info);

struct CompiledFunctions {
  PackedFunction trainStep = nullptr;
  PackedFunction gradStep = nullptr, applyStep = nullptr; // with threads

  PackedFunction loss = nullptr;
  PackedFunction predict = nullptr;
};

/// How the learning rate changes during training. The rate is an operand
/// of the compiled train_step, so a schedule costs no recompilation.
struct LrSchedule {
  enum class Kind { Constant, Cosine, Step } kind = Kind::Constant;
  /// Step: multiply by `gamma` every `every` epochs.
  int64_t every = 1;
  double gamma = 0.1;

  /// The rate for batch `step` of `totalSteps`, in epoch `epoch` (from 0).
  double at(double base, int64_t step, int64_t totalSteps, int64_t epoch) const;
};

struct TrainOptions {
  int64_t epochs = 1;
  double lr = 0.01;
  LrSchedule schedule;
  /// Seeds the shuffle of each epoch.
  uint64_t seed = 1;
  /// Augmentation: each training image moves by a random offset of up to
  /// `shift` pixels in each direction (blank pixels fill in), drawn from
  /// the epoch's seeded generator.
  int64_t shift = 0;
};

/// Running figures of the epoch so far (onBatch) or of a whole epoch.
struct EpochStats {
  int64_t epoch = 0, epochs = 0;
  int64_t batch = 0, batches = 0;
  double loss = 0, accuracy = 0, seconds = 0;
  bool regression = false; // no accuracy: the targets are values
  double lr = 0;           // the rate of the last step
  int64_t images = 0;
  double imagesPerSecond() const { return seconds > 0 ? images / seconds : 0; }
};

struct TrainCallbacks {
  std::function<void(const EpochStats &)> onBatch;
  std::function<void(const EpochStats &)> onEpoch;
};

struct Evaluation {
  int64_t count = 0;
  double loss = 0, accuracy = 0;
  int classes = 0;
  std::vector<int64_t> confusion; // [true class][predicted class]
  /// Regression: the largest |prediction - target| over all samples and
  /// outputs, and the sample it occurs at.
  bool regression = false;
  double maxAbsError = 0;
  int64_t worstSample = -1;
  /// Every sample's outputs (count x outputs, in sample order).
  std::vector<float> predictions;
  /// Why nothing was evaluated: @loss does not fit the runtime's tensors.
  std::string error;
};

class Trainer {
public:
  Trainer(ModelInfo info, CompiledFunctions fns);

  const ModelInfo &info() const { return info_; }
  /// The class a row of outputs predicts: the largest output, or the
  /// smallest for distances.
  int64_t predictedClass(const float *outputs) const;

  /// Checks that the dataset's images and classes fit the model.
  Status checkData(const Dataset &data) const;
  /// Seeded initialisation of the parameters; optimizer state starts at 0.
  Status initialize(uint64_t seed);
  /// Trains for `opts.epochs` epochs, calling `onEpoch` after each one.
  Status train(const Dataset &data, const TrainOptions &opts,
               const TrainCallbacks &callbacks);
  /// Loss, accuracy and confusion matrix over every sample of `data`.
  Evaluation evaluate(const Dataset &data);
  /// Sets the loss function when it was compiled after the Trainer was
  /// made (nnc compiles it beside the training).
  void setLoss(PackedFunction loss) { fns_.loss = loss; }

  Status save(const std::string &path);
  /// Loads a checkpoint, or a raw parameter file: the parameters' floats
  /// in order and nothing else (the `params` array of `nnc compile`'s C
  /// interface, written as it is); optimizer state then starts at zero.
  Status load(const std::string &path);
  uint64_t epochsTrained() const { return epochsTrained_; }
  /// train() stopped at a step whose loss was NaN or infinite; the
  /// parameters and state are those from before that step.
  bool diverged() const { return diverged_; }

  const std::vector<Tensor> &params() const { return params_; }

  /// Calls the compiled @predict on the batch in `x` (batch x input shape)
  /// and returns its outputs (batch x output shape); the argument list is
  /// built once, so a call costs what the compiled code costs.
  class Predictor {
  public:
    Tensor &input() { return x; }
    const Tensor &output() const { return y; }
    /// Why the predictor cannot run (then run() must not be called): no
    /// @predict, or one that does not fit the runtime's tensors.
    const std::string &failure() const { return error; }
    void run();

  private:
    friend class Trainer;
    std::string error;
    Tensor x, y;
    std::vector<MemRefArg> args;
    std::vector<void *> ptrs;
    PackedFunction fn = nullptr;
  };
  /// A predictor over the current parameters (which must outlive it), for a
  /// @predict compiled with batch `batch` (a model compiled without its
  /// train block: compiled for training, the module has no @predict).
  std::unique_ptr<Predictor> predictor(int64_t batch);

private:
  /// Copies samples `indices[0..n)` into x_ and their one-hot labels into
  /// target_, shifting each image by up to `shift` pixels drawn from `rng`.
  void fillBatch(const Dataset &data, const int64_t *indices, int64_t n,
                 int64_t shift = 0, Rng *rng = nullptr);
  /// fillBatch in two parts, so that training threads can each fill their
  /// own rows: drawShifts draws every image's shift (in order, from one
  /// generator), fillRows writes rows [begin, end) of a batch of n samples
  /// (rows from n on are zeros).
  void drawShifts(int64_t n, int64_t shift, Rng *rng);
  void fillRows(const Dataset &data, const int64_t *indices, int64_t n,
                int64_t begin, int64_t end);
  /// Correct predictions among the first n rows of y_.
  int64_t countCorrect(const Dataset &data, const int64_t *indices,
                       int64_t n) const;
  std::vector<CheckpointEntry> entries();

  ModelInfo info_;
  CompiledFunctions fns_;
  /// state_[slot * params + k] is slot `slot` of parameter k.
  std::vector<Tensor> params_, state_, newParams_, newState_, noise_;
  /// With threads: grads_[t * params + k] is thread t's gradient of
  /// parameter k, threadLoss_[t] its mean loss.
  std::vector<Tensor> grads_, threadLoss_, workspaces_;
  Tensor x_, target_, lr_, step_, loss_, losses_, y_;
  /// The current batch's shifts (dy, dx) per image; empty: none.
  std::vector<int64_t> shifts_;
  uint64_t epochsTrained_ = 0;
  bool diverged_ = false;
};

} // namespace nnrt

#endif
