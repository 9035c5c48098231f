//===- Trainer.cpp - the training loop around compiled functions ----------===//

#include "nnrt/Trainer.h"

#include "nnrt/Init.h"
#include "nnrt/Random.h"
#include "nnrt/Threads.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#if defined(__x86_64__) || defined(__i386__)
#endif
#include <cmath>
#include <cstring>
#include <numeric>
#include <sys/stat.h>

using namespace nnrt;

namespace {

std::vector<int64_t> batched(int64_t batch, const std::vector<int64_t> &shape) {
  std::vector<int64_t> s{batch};
  s.insert(s.end(), shape.begin(), shape.end());
  return s;
}

/// Where an argument of a compiled function lives: a tensor of one of the
/// Trainer's lists (found again after the lists swap) or a single tensor,
/// from element `first`, seen with `shape`.
struct Binding {
  std::vector<Tensor> *list = nullptr;
  size_t index = 0;
  Tensor *tensor = nullptr;
  int64_t first = 0;
  std::vector<int64_t> shape;

  float *data() const {
    return (list ? (*list)[index] : *tensor).data() + first;
  }
};

Binding whole(Tensor &t) { return {nullptr, 0, &t, 0, t.shape()}; }

/// Rows [first, first + rows) of a batch-major tensor.
Binding rows(Tensor &t, int64_t first, int64_t count) {
  std::vector<int64_t> shape = t.shape();
  int64_t rowSize = t.size() / shape[0];
  shape[0] = count;
  return {nullptr, 0, &t, first * rowSize, shape};
}

/// `pick` for an argument: its binding, or none when the runtime has no
/// tensor for it. `index` counts the earlier arguments of its role.
using Picker =
    std::function<std::optional<Binding>(const ArgSpec &a, size_t index)>;

/// A packed call's arguments, bound from the function's manifest.
class ArgList {
public:
  /// Binds every argument of function `name` with `pick`, checking that the
  /// runtime's tensor has the shape the compiled code expects.
  Status bind(const ModelInfo &info, std::string_view name,
              const Picker &pick) {
    const FunctionManifest *manifest = info.function(name);
    if (!manifest)
      return Status::error(
          fmt::format("model '{}' has no manifest of @{}", info.name, name));
    const FunctionManifest &fn = *manifest;
    std::vector<size_t> seen(2 * (size_t(Role::Workspace) + 1), 0);
    for (size_t i = 0; i < fn.args.size(); ++i) {
      const ArgSpec &a = fn.args[i];
      size_t &index = seen[2 * size_t(a.role) + a.result];
      std::optional<Binding> b = pick(a, index++);
      auto describe = [&] {
        return fmt::format("argument {} of @{} ({}{}{})", i, fn.name,
                           roleName(a.role), a.result ? " result" : "",
                           a.name.empty() ? "" : " '" + a.name + "'");
      };
      if (!b)
        return Status::error(
            fmt::format("the runtime has no tensor for {}", describe()));
      if (b->shape != a.shape)
        return Status::error(fmt::format(
            "{} is compiled for shape [{}], the runtime's is [{}]", describe(),
            fmt::join(a.shape, ", "), fmt::join(b->shape, ", ")));
      bindings.push_back(*b);
      args.emplace_back(b->data(), b->shape);
    }
    return Status::ok();
  }
  /// Calls `fn` on the bound tensors, as they are now.
  void call(PackedFunction fn) {
    ptrs.clear();
    for (size_t i = 0; i < args.size(); ++i) {
      args[i].rebind(bindings[i].data());
      ptrs.push_back(args[i].packed());
    }
    fn(ptrs.data());
  }

private:
  std::vector<Binding> bindings;
  std::vector<MemRefArg> args;
  std::vector<void *> ptrs;
};

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

} // namespace

double LrSchedule::at(double base, int64_t step, int64_t totalSteps,
                      int64_t epoch) const {
  switch (kind) {
  case Kind::Constant:
    return base;
  case Kind::Cosine:
    // Loshchilov & Hutter 2017, without restarts: from base down to 0.
    return base * 0.5 *
           (1 + std::cos(M_PI * double(step) /
                         double(std::max<int64_t>(totalSteps, 1))));
  case Kind::Step:
    return base * std::pow(gamma, double(epoch / std::max<int64_t>(every, 1)));
  }
  return base;
}

Trainer::Trainer(ModelInfo info, CompiledFunctions fns)
    : info_(std::move(info)), fns_(fns) {
  // With threads, each updates one slice of every parameter's tensors:
  // they hold a whole slice per thread (the padding stays zero).
  size_t n = info_.params.size();
  bool sliced = info_.threads > 1 && info_.updateSlices.size() == n;
  auto capacity = [&](size_t k) {
    return sliced ? info_.threads * info_.updateSlices[k]
                  : numElements(info_.params[k].shape);
  };
  for (size_t k = 0; k < n; ++k) {
    params_.emplace_back(info_.params[k].shape, capacity(k));
    newParams_.emplace_back(info_.params[k].shape, capacity(k));
  }
  for (size_t slot = 0; slot < info_.stateSlots.size(); ++slot)
    for (size_t k = 0; k < n; ++k) {
      state_.emplace_back(info_.params[k].shape, capacity(k));
      newState_.emplace_back(info_.params[k].shape, capacity(k));
    }
  // A training batch: every thread's slice, one after the other.
  int64_t b = info_.batch * info_.threads;
  x_ = Tensor(batched(b, info_.inputShape));
  target_ = Tensor(batched(b, info_.outputShape));
  y_ = Tensor(batched(b, info_.outputShape));
  lr_ = Tensor(std::vector<int64_t>{});
  step_ = Tensor(std::vector<int64_t>{});
  for (const std::vector<int64_t> &shape : info_.noiseShapes)
    noise_.emplace_back(batched(b, shape));
  loss_ = Tensor(std::vector<int64_t>{});
  losses_ = Tensor(std::vector<int64_t>{info_.batch});
  if (info_.threads > 1)
    for (int t = 0; t < info_.threads; ++t) {
      for (size_t k = 0; k < n; ++k)
        grads_.emplace_back(info_.params[k].shape, capacity(k));
      threadLoss_.emplace_back(std::vector<int64_t>{});
      // Bytes, held as floats (64-byte aligned like every Tensor).
      workspaces_.emplace_back(
          std::vector<int64_t>{(info_.gradWorkspaceBytes + 3) / 4});
    }
}

Status Trainer::checkData(const Dataset &data) const {
  int64_t in = numElements(info_.inputShape);
  if (data.imageSize() != in) {
    std::string what =
        data.tabular ? fmt::format("{} features per sample", data.imageSize())
                     : fmt::format("{}x{} images ({} values)", data.rows,
                                   data.cols, data.imageSize());
    return Status::error(fmt::format(
        "dataset '{}' has {} but model '{}' takes {} values per sample",
        data.name, what, info_.name, in));
  }
  int64_t out = numElements(info_.outputShape);
  if (data.isRegression()) {
    if (out != data.targetSize)
      return Status::error(
          fmt::format("dataset '{}' has {} target value(s) per sample but "
                      "model '{}' has {} outputs",
                      data.name, data.targetSize, info_.name, out));
    return Status::ok();
  }
  if (out != data.classes)
    return Status::error(
        fmt::format("dataset '{}' has {} classes but model '{}' has {} outputs",
                    data.name, data.classes, info_.name, out));
  return Status::ok();
}

Status Trainer::initialize(uint64_t seed) {
  Rng rng(seed);
  for (size_t i = 0; i < params_.size(); ++i) {
    if (Status s = nnrt::initialize(params_[i], info_.params[i].init, rng); !s)
      return Status::error(info_.params[i].name + ": " + s.message());
  }
  for (Tensor &t : state_)
    t.fill(0.0f);
  epochsTrained_ = 0;
  return Status::ok();
}

void Trainer::fillBatch(const Dataset &data, const int64_t *indices, int64_t n,
                        int64_t shift, Rng *rng) {
  drawShifts(n, shift, rng);
  fillRows(data, indices, n, 0, x_.size() / data.imageSize());
}

void Trainer::drawShifts(int64_t n, int64_t shift, Rng *rng) {
  shifts_.clear();
  if (shift <= 0 || !rng)
    return;
  shifts_.resize(2 * n);
  for (int64_t i = 0; i < n; ++i) {
    shifts_[2 * i] = int64_t(rng->below(2 * shift + 1)) - shift;
    shifts_[2 * i + 1] = int64_t(rng->below(2 * shift + 1)) - shift;
  }
}

void Trainer::fillRows(const Dataset &data, const int64_t *indices, int64_t n,
                       int64_t begin, int64_t end) {
  int64_t size = data.imageSize();
  int64_t classes = numElements(info_.outputShape);
  // Rows past n (a last, partial batch) are zeros; the others are written
  // whole below.
  int64_t last = std::max(begin, std::min(end, n));
  std::fill(x_.data() + last * size, x_.data() + end * size, 0.0f);
  std::fill(target_.data() + begin * classes, target_.data() + end * classes,
            0.0f);
  std::vector<float> shifted;
  for (int64_t i = begin; i < last; ++i) {
    int64_t s = indices[i];
    float *dst = x_.data() + i * size;
    if (!shifts_.empty()) {
      // (A buffer of this call's: the threads fill their slices at once.)
      shifted.resize(size);
      data.sample(s, shifted.data());
      const float *src = shifted.data();
      // out[r][c] = in[r - dy][c - dx], blank outside the image.
      int64_t dy = shifts_[2 * i], dx = shifts_[2 * i + 1];
      for (int64_t r = 0; r < data.rows; ++r) {
        int64_t from = r - dy;
        for (int64_t c = 0; c < data.cols; ++c) {
          int64_t fc = c - dx;
          bool inside =
              from >= 0 && from < data.rows && fc >= 0 && fc < data.cols;
          dst[r * data.cols + c] =
              inside ? src[from * data.cols + fc] : data.background;
        }
      }
    } else {
      data.sample(s, dst);
    }
    if (data.isRegression())
      std::copy_n(data.targets.data() + s * classes, classes,
                  target_.data() + i * classes);
    else
      target_[i * classes + data.labels[s]] = 1.0f;
  }
}

int64_t Trainer::predictedClass(const float *outputs) const {
  int64_t classes = numElements(info_.outputShape);
  const float *best = info_.outputIsDistance
                          ? std::min_element(outputs, outputs + classes)
                          : std::max_element(outputs, outputs + classes);
  return best - outputs;
}

int64_t Trainer::countCorrect(const Dataset &data, const int64_t *indices,
                              int64_t n) const {
  if (data.isRegression())
    return 0;
  int64_t classes = numElements(info_.outputShape);
  int64_t correct = 0;
  for (int64_t i = 0; i < n; ++i) {
    correct +=
        predictedClass(y_.data() + i * classes) == data.labels[indices[i]];
  }
  return correct;
}

Status Trainer::train(const Dataset &data, const TrainOptions &opts,
                      const TrainCallbacks &callbacks) {
  int threads = info_.threads;
  if (threads > 1 ? !fns_.gradStep || !fns_.applyStep : !fns_.trainStep)
    return Status::error("the model was compiled without a training step");
  if (threads > 1 && info_.updateSlices.size() != info_.params.size())
    return Status::error(
        "the model was compiled for threads without their update slices");
  if (Status s = checkData(data); !s)
    return s;
  int64_t slice = info_.batch, b = slice * threads;
  int64_t batches = data.count / b; // the remainder changes every epoch
  if (batches == 0)
    return Status::error(
        fmt::format("dataset '{}' has {} samples, fewer than one batch of {}",
                    data.name, data.count, b));
  FlushDenormals ftz(info_.flushDenormals);
  size_t n = params_.size();
  // Each list binds its function's arguments by their roles (nnrt/Manifest.h).
  // One thread: @train_step on the whole batch. Several: @grad_step on
  // each thread's rows, then @apply_step on each thread's slice of every
  // tensor (padded to whole slices; see the constructor), with the
  // gradients of every thread.
  auto entry = [](std::vector<Tensor> &list,
                  size_t k) -> std::optional<Binding> {
    if (k >= list.size())
      return std::nullopt;
    return Binding{&list, k, nullptr, 0, list[k].shape()};
  };
  ArgList update;
  if (threads == 1) {
    Status s =
        update.bind(info_, "train_step",
                    [&](const ArgSpec &a, size_t k) -> std::optional<Binding> {
                      switch (a.role) {
                      case Role::Param:
                        return entry(a.result ? newParams_ : params_, k);
                      case Role::State:
                        return entry(a.result ? newState_ : state_, k);
                      case Role::Input:
                        return whole(x_);
                      case Role::Target:
                        return whole(target_);
                      case Role::Noise:
                        return entry(noise_, k);
                      case Role::LearningRate:
                        return whole(lr_);
                      case Role::Step:
                        return whole(step_);
                      case Role::Loss:
                        return whole(loss_);
                      case Role::Output:
                        return whole(y_);
                      default:
                        return std::nullopt;
                      }
                    });
    if (!s)
      return s;
  }
  std::vector<ArgList> grad(threads > 1 ? threads : 0), apply(grad.size());
  // Thread t's slice of parameter k's tensors (and of its state's).
  auto part = [&](size_t k) { return info_.updateSlices[k % n]; };
  for (int t = 0; t < int(grad.size()); ++t) {
    auto rowsOf = [&](Tensor &x) { return rows(x, t * slice, slice); };
    Status s =
        grad[t].bind(info_, "grad_step",
                     [&](const ArgSpec &a, size_t k) -> std::optional<Binding> {
                       switch (a.role) {
                       case Role::Param:
                         return a.result ? std::nullopt : entry(params_, k);
                       case Role::Input:
                         return rowsOf(x_);
                       case Role::Target:
                         return rowsOf(target_);
                       case Role::Noise:
                         return k < noise_.size()
                                    ? std::optional(rowsOf(noise_[k]))
                                    : std::nullopt;
                       case Role::Grad:
                         return k < n ? entry(grads_, t * n + k) : std::nullopt;
                       case Role::Loss:
                         return entry(threadLoss_, t);
                       case Role::Output:
                         return rowsOf(y_);
                       case Role::Workspace:
                         return Binding{&workspaces_,
                                        size_t(t),
                                        nullptr,
                                        0,
                                        {info_.gradWorkspaceBytes}};
                       default:
                         return std::nullopt;
                       }
                     });
    if (!s)
      return s;
    // Slice t of tensor k of `list`, whose slices are those of parameter k % n.
    auto sliceOf = [&](std::vector<Tensor> &list,
                       size_t k) -> std::optional<Binding> {
      if (k >= list.size())
        return std::nullopt;
      return Binding{&list, k, nullptr, t * part(k), {part(k)}};
    };
    s = apply[t].bind(
        info_, "apply_step",
        [&](const ArgSpec &a, size_t k) -> std::optional<Binding> {
          switch (a.role) {
          case Role::Param:
            return sliceOf(a.result ? newParams_ : params_, k);
          case Role::State:
            return sliceOf(a.result ? newState_ : state_, k);
          case Role::Grad: // thread k / n's gradient of parameter k % n
            return sliceOf(grads_, k);
          case Role::LearningRate:
            return whole(lr_);
          case Role::Step:
            return whole(step_);
          default:
            return std::nullopt;
          }
        });
    if (!s)
      return s;
  }
  std::unique_ptr<WorkerPool> pool;
  if (threads > 1)
    pool = std::make_unique<WorkerPool>(threads, info_.flushDenormals);
  // One step on the batch in x_ and target_; returns its mean loss.
  const int64_t *idx = nullptr; // the batch's samples
  auto step = [&]() -> float {
    if (threads == 1) {
      update.call(fns_.trainStep);
    } else {
      // The batch's loss is the mean over its slices; so is its gradient,
      // which apply_step takes on every thread.
      pool->run([&](int t) {
        fillRows(data, idx, b, t * slice, (t + 1) * slice);
        grad[t].call(fns_.gradStep);
      });
      pool->run([&](int t) { apply[t].call(fns_.applyStep); });
      float loss = 0;
      for (Tensor &l : threadLoss_)
        loss += l[0];
      loss_[0] = loss / float(threads);
    }
    // The bindings follow the swap: the next step reads the new tensors.
    std::swap(params_, newParams_);
    std::swap(state_, newState_);
    return loss_[0];
  };

  std::vector<int64_t> order(data.count);
  // The schedule spans every epoch, those of a resumed run included.
  int64_t firstEpoch = int64_t(epochsTrained_);
  int64_t totalSteps = (firstEpoch + opts.epochs) * batches;
  for (int64_t e = 0; e < opts.epochs; ++e) {
    // The epoch's time includes its shuffle, as benchmarks count it.
    auto start = std::chrono::steady_clock::now();
    // Shuffle from a seed per epoch, so a resumed run draws the same order.
    Rng rng(opts.seed * 1000003u + epochsTrained_);
    std::iota(order.begin(), order.end(), 0);
    rng.shuffle(order);
    double lossSum = 0;
    int64_t correct = 0;
    EpochStats stats;
    stats.epoch = int64_t(epochsTrained_) + 1;
    stats.epochs = int64_t(epochsTrained_) + opts.epochs - e;
    stats.batches = batches;
    stats.regression = data.isRegression();
    for (int64_t k = 0; k < batches; ++k) {
      idx = order.data() + k * b;
      int64_t epoch = int64_t(epochsTrained_);
      lr_[0] = float(
          opts.schedule.at(opts.lr, epoch * batches + k, totalSteps, epoch));
      step_[0] = float(epoch * batches + k + 1);
      // With threads, each fills its own rows (into its own cache).
      drawShifts(b, opts.shift, &rng);
      if (threads == 1)
        fillRows(data, idx, b, 0, b);
      for (Tensor &t : noise_)
        for (int64_t i = 0; i < t.size(); ++i)
          t[i] = float(rng.uniform());
      float loss = step();
      if (!std::isfinite(loss)) {
        // Back to the parameters and state before this step (the swap kept
        // them), so that what is saved is the last good model.
        std::swap(params_, newParams_);
        std::swap(state_, newState_);
        diverged_ = true;
        return Status::error(fmt::format(
            "the loss became {} at epoch {}, batch {}",
            std::isnan(loss) ? "NaN" : "infinite", epochsTrained_ + 1, k + 1));
      }
      lossSum += loss;
      correct += countCorrect(data, idx, b);
      stats.batch = k + 1;
      stats.images = (k + 1) * b;
      stats.loss = lossSum / (k + 1);
      stats.accuracy = double(correct) / stats.images;
      stats.seconds = seconds(start);
      stats.lr = lr_[0];
      if (callbacks.onBatch)
        callbacks.onBatch(stats);
    }
    ++epochsTrained_;
    if (callbacks.onEpoch)
      callbacks.onEpoch(stats);
  }
  return Status::ok();
}

Evaluation Trainer::evaluate(const Dataset &data) {
  FlushDenormals ftz(info_.flushDenormals); // as in training, so evaluation
                                            // sees the same numbers
  Evaluation ev;
  ev.count = data.count;
  ev.regression = data.isRegression();
  int64_t outputs = numElements(info_.outputShape);
  if (!ev.regression) {
    ev.classes = int(outputs);
    ev.confusion.assign(ev.classes * ev.classes, 0);
  }
  int64_t b = info_.batch;
  // @loss takes the first `b` rows (with threads, x_ holds every thread's).
  ArgList args;
  Status bound = args.bind(
      info_, "loss", [&](const ArgSpec &a, size_t k) -> std::optional<Binding> {
        switch (a.role) {
        case Role::Param:
          return k < params_.size() && !a.result
                     ? std::optional(whole(params_[k]))
                     : std::nullopt;
        case Role::Input:
          return rows(x_, 0, b);
        case Role::Target:
          return rows(target_, 0, b);
        case Role::Losses:
          return whole(losses_);
        case Role::Output:
          return rows(y_, 0, b);
        default:
          return std::nullopt;
        }
      });
  if (!bound) {
    ev.error = bound.message();
    return ev;
  }
  std::vector<int64_t> idx(b);
  double lossSum = 0;
  int64_t correct = 0;
  for (int64_t start = 0; start < data.count; start += b) {
    // The last batch is padded with zero rows whose results are ignored.
    int64_t n = std::min(b, data.count - start);
    std::iota(idx.begin(), idx.begin() + n, start);
    fillBatch(data, idx.data(), n);
    args.call(fns_.loss);
    for (int64_t i = 0; i < n; ++i) {
      lossSum += losses_[i];
      const float *row = y_.data() + i * outputs;
      ev.predictions.insert(ev.predictions.end(), row, row + outputs);
      if (ev.regression) {
        for (int64_t k = 0; k < outputs; ++k) {
          double err = std::abs(double(row[k]) - target_[i * outputs + k]);
          if (err > ev.maxAbsError || ev.worstSample < 0) {
            ev.maxAbsError = err;
            ev.worstSample = start + i;
          }
        }
        continue;
      }
      int64_t pred = predictedClass(row);
      int truth = data.labels[start + i];
      correct += pred == truth;
      ++ev.confusion[truth * ev.classes + pred];
    }
  }
  if (data.count > 0) {
    ev.loss = lossSum / data.count;
    ev.accuracy = double(correct) / data.count;
  }
  return ev;
}

void Trainer::Predictor::run() { fn(ptrs.data()); }

std::unique_ptr<Trainer::Predictor> Trainer::predictor(int64_t batch) {
  auto p = std::make_unique<Predictor>();
  p->x = Tensor(batched(batch, info_.inputShape));
  p->y = Tensor(batched(batch, info_.outputShape));
  p->fn = fns_.predict;
  const FunctionManifest *fn = info_.function("predict");
  if (!fn) {
    p->error = "the model was compiled without @predict";
    return p;
  }
  // Bound once: a call costs what the compiled code costs.
  size_t params = 0;
  for (const ArgSpec &a : fn->args) {
    Tensor *t = nullptr;
    size_t k = p->args.size();
    if (a.role == Role::Param && !a.result && params < params_.size())
      t = &params_[params++];
    else if (a.role == Role::Input && !a.result)
      t = &p->x;
    else if (a.role == Role::Output && a.result)
      t = &p->y;
    if (!t || t->shape() != a.shape) {
      p->error = fmt::format(
          "@predict's argument {} ({}) does not match the runtime's tensors", k,
          roleName(a.role));
      return p;
    }
    p->args.emplace_back(t->data(), t->shape());
  }
  for (MemRefArg &a : p->args)
    p->ptrs.push_back(a.packed());
  return p;
}

std::vector<CheckpointEntry> Trainer::entries() {
  std::vector<CheckpointEntry> e;
  for (size_t i = 0; i < params_.size(); ++i)
    e.push_back({info_.params[i].name, &params_[i]});
  size_t n = params_.size();
  for (size_t i = 0; i < state_.size(); ++i)
    e.push_back(
        {info_.params[i % n].name + "." + info_.stateSlots[i / n], &state_[i]});
  return e;
}

Status Trainer::save(const std::string &path) {
  return saveCheckpoint(path, info_.name, epochsTrained_, entries());
}

Status Trainer::load(const std::string &path) {
  // A raw parameter file, as a program using `nnc compile`'s C interface
  // writes its params array: exactly the parameters' floats, in order.
  int64_t floats = 0;
  for (const Tensor &p : params_)
    floats += p.size();
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    return Status::error(
        fmt::format("cannot load '{}': it is not a regular file", path));
  std::FILE *f = std::fopen(path.c_str(), "rb");
  char magic[6] = {};
  bool checkpoint =
      !f || (std::fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
             std::memcmp(magic, "NNCKPT", sizeof(magic)) == 0);
  if (!checkpoint) {
    long bytes = std::fseek(f, 0, SEEK_END) == 0 ? std::ftell(f) : -1;
    if (bytes != floats * 4) {
      std::fclose(f);
      return Status::error(fmt::format(
          "'{}' is neither an nnc checkpoint nor a raw parameter file of model "
          "'{}' ({} floats, {} bytes); it has {} bytes",
          path, info_.name, floats, floats * 4, bytes));
    }
    std::rewind(f);
    bool ok = true;
    for (Tensor &p : params_)
      ok = ok && std::fread(p.data(), sizeof(float), size_t(p.size()), f) ==
                     size_t(p.size());
    std::fclose(f);
    if (!ok)
      return Status::error(
          fmt::format("cannot read parameter file '{}'", path));
    for (Tensor &t : state_)
      t.fill(0.0f);
    epochsTrained_ = 0;
    return Status::ok();
  }
  if (f)
    std::fclose(f);
  return loadCheckpoint(path, info_.name, epochsTrained_, entries());
}
