//===- Threads.cpp - pinned worker threads --------------------------------===//

#include "nnrt/Threads.h"

#include <pthread.h>
#include <sched.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

using namespace nnrt;

namespace {

std::vector<int> allowedCpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set))
        cpus.push_back(c);
  if (cpus.empty())
    cpus.push_back(0);
  return cpus;
}

void pin(pthread_t thread, int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(thread, sizeof(set), &set);
}

void pause() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

} // namespace

int nnrt::availableCpus() { return int(allowedCpus().size()); }

FlushDenormals::FlushDenormals(bool flush) : flush(flush) {
#if defined(__x86_64__) || defined(__i386__)
  if (flush) {
    saved = _mm_getcsr();
    _mm_setcsr(saved | 0x8040);
  }
#endif
}

FlushDenormals::~FlushDenormals() {
#if defined(__x86_64__) || defined(__i386__)
  if (flush)
    _mm_setcsr(saved);
#endif
}

WorkerPool::WorkerPool(int threads, bool flushDenormals)
    : threads(threads < 1 ? 1 : threads), flushDenormals(flushDenormals) {
  cpus = allowedCpus();
  if (this->threads > 1) {
    cpu_set_t mask;
    if (pthread_getaffinity_np(pthread_self(), sizeof(mask), &mask) == 0) {
      callerMask.assign(reinterpret_cast<unsigned char *>(&mask),
                        reinterpret_cast<unsigned char *>(&mask) +
                            sizeof(mask));
      restoreCaller = true;
    }
    pin(pthread_self(), cpus[0]);
  }
  for (int t = 1; t < this->threads; ++t) {
    workers.emplace_back([this, t] { work(t); });
    pin(workers.back().native_handle(), cpus[t % cpus.size()]);
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  for (std::thread &w : workers)
    w.join();
  if (restoreCaller) {
    cpu_set_t mask;
    std::copy(callerMask.begin(), callerMask.end(),
              reinterpret_cast<unsigned char *>(&mask));
    pthread_setaffinity_np(pthread_self(), sizeof(mask), &mask);
  }
}

void WorkerPool::run(const std::function<void(int)> &fn) {
  if (threads == 1) {
    fn(0);
    return;
  }
  pending.store(threads - 1);
  {
    std::lock_guard<std::mutex> lock(mutex);
    task = &fn;
    ++generation;
    published.store(generation, std::memory_order_release);
  }
  wake.notify_all();
  fn(0);
  // The workers' share takes as long as the caller's: spin briefly.
  while (pending.load(std::memory_order_acquire) != 0)
    pause();
}

void WorkerPool::work(int t) {
  FlushDenormals ftz(flushDenormals); // as the caller's training does
  uint64_t seen = 0;
  while (true) {
    // Training steps come back to back: spin a little before sleeping, so
    // that the next step does not wait for the kernel to wake this thread.
    for (int i = 0;
         i < 20000 && published.load(std::memory_order_acquire) == seen; ++i)
      pause();
    const std::function<void(int)> *fn;
    {
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait(lock, [&] { return stopping || generation != seen; });
      if (stopping)
        return;
      seen = generation;
      fn = task;
    }
    (*fn)(t);
    pending.fetch_sub(1, std::memory_order_release);
  }
}
