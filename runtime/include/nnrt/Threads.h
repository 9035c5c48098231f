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

class WorkerPool {
public:
  /// `threads` in all: the caller and threads - 1 workers.
  explicit WorkerPool(int threads);
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
