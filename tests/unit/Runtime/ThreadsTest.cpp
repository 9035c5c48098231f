//===- ThreadsTest.cpp - the pinned worker pool ---------------------------===//

#include "nnrt/Threads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>

using namespace nnrt;

namespace {

TEST(WorkerPool, RunsEveryIndexOnceAndWaits) {
  for (int threads : {1, 2, 3}) {
    WorkerPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (int round = 0; round < 100; ++round) {
      std::vector<std::atomic<int>> hits(threads);
      std::atomic<int> total{0};
      pool.run([&](int t) {
        hits[t].fetch_add(1);
        total.fetch_add(t + 1);
      });
      // run() returns only after every index has run, once.
      for (int t = 0; t < threads; ++t)
        ASSERT_EQ(hits[t].load(), 1) << "thread " << t << ", round " << round;
      ASSERT_EQ(total.load(), threads * (threads + 1) / 2);
    }
  }
}

TEST(WorkerPool, WorkersRunOnOtherThreads) {
  WorkerPool pool(2);
  std::thread::id ids[2];
  pool.run([&](int t) { ids[t] = std::this_thread::get_id(); });
  EXPECT_EQ(ids[0], std::this_thread::get_id());
  EXPECT_NE(ids[1], ids[0]);
}

TEST(WorkerPool, AvailableCpusIsPositive) { EXPECT_GE(availableCpus(), 1); }

} // namespace
