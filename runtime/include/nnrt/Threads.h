//===- Threads.h - pinned worker threads ------------------------*- C++ -*-===//
//
// The kernel of the machines nnc is measured on packs unpinned busy threads
// onto one CPU (two training threads ran no faster than one), so training
// threads are pinned: the caller to
// the first CPU it may run on, worker t to the (t+1)-th, for the pool's
// lifetime. Workers flush denormals to zero, as the caller does in training.
//
//===----------------------------------------------------------------------===//

#ifndef NNRT_THREADS_H
#define NNRT_THREADS_H

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nnrt {

/// The CPUs this process may run on (at least one).
int availableCpus();

/// Flushes denormal floats to zero on this thread while alive when `flush`
/// (compiled code whose target description says so: x86's MXCSR FTZ and
/// DAZ), restoring the thread's setting after. Late in training, gradients
/// and velocities underflow into denormals, which x86 cores handle in
/// microcode: without this an MLP epoch gets 1.5x slower as it converges.
/// Values below 1e-38 carry no information for training.
class FlushDenormals {
public:
  explicit FlushDenormals(bool flush);
  ~FlushDenormals();
  FlushDenormals(const FlushDenormals &) = delete;
  FlushDenormals &operator=(const FlushDenormals &) = delete;

private:
  bool flush;
  unsigned saved = 0;
};

class WorkerPool {
public:
  /// `threads` in all: the caller and threads - 1 workers, which flush
  /// denormals as FlushDenormals(flushDenormals) does.
  explicit WorkerPool(int threads, bool flushDenormals = false);
  ~WorkerPool();
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  int size() const { return threads; }
  /// Runs fn(0) on the caller and fn(t) on worker t, and returns when all
  /// have finished.
  void run(const std::function<void(int)> &fn);

private:
  void work(int t);

  int threads;
  bool flushDenormals;
  std::vector<std::thread> workers;
  std::mutex mutex;
  std::condition_variable wake;
  const std::function<void(int)> *task = nullptr;
  uint64_t generation = 0;
  bool stopping = false;
  std::atomic<int> pending{0};
  std::atomic<uint64_t> published{0}; // `generation`, readable without the lock
  std::vector<int> cpus;
  bool restoreCaller = false;
  std::vector<unsigned char> callerMask; // the caller's affinity before
};

} // namespace nnrt

#endif
