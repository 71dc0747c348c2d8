#include "parallel.h"

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace casebook {
namespace {

TEST(ParallelForTest, RunsEveryItemOnce) {
  for (int jobs : {1, 2, 8}) {
    std::vector<int> runs(1000, 0);
    ParallelFor(runs.size(), jobs, [&](size_t i) { ++runs[i]; });
    for (size_t i = 0; i < runs.size(); ++i) ASSERT_EQ(runs[i], 1) << "jobs " << jobs << " item " << i;
  }
}

// An exception in a worker used to escape its std::thread and terminate the
// process; it must reach the caller, after every thread has stopped.
TEST(ParallelForTest, RethrowsAWorkersExceptionOnTheCaller) {
  for (int jobs : {1, 2, 8}) {
    const size_t n = 1000, bad = 500;
    // 0 never started, 1 started, 2 finished.
    std::vector<std::atomic<int>> state(n);
    auto item = [&](size_t i) {
      state[i] = 1;
      if (i == bad) throw std::runtime_error("item " + std::to_string(i));
      state[i] = 2;
    };
    try {
      ParallelFor(n, jobs, item);
      ADD_FAILURE() << "no exception, jobs " << jobs;
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "item 500");
    }
    // Nothing still runs: each item finished, threw, or was skipped.
    for (size_t i = 0; i < n; ++i) {
      int s = state[i];
      if (i == bad) EXPECT_EQ(s, 1);
      else EXPECT_NE(s, 1) << "jobs " << jobs << " item " << i << " was cut off";
    }
    // Items are claimed in order: with one thread, all before it ran and
    // none after.
    if (jobs == 1) {
      EXPECT_EQ(state[bad - 1], 2);
      EXPECT_EQ(state[bad + 1], 0);
    }
  }
}

TEST(ParallelForTest, KeepsTheFirstOfSeveralExceptions) {
  for (int jobs : {1, 2, 8}) {
    std::atomic<int> thrown{0};
    try {
      ParallelFor(100, jobs, [&](size_t) {
        ++thrown;
        throw std::logic_error("one");
      });
      ADD_FAILURE() << "no exception, jobs " << jobs;
    } catch (const std::logic_error& e) {
      EXPECT_STREQ(e.what(), "one");
    }
    // Each thread stops at its first exception.
    EXPECT_GE(thrown, 1);
    EXPECT_LE(thrown, jobs);
  }
}

// Loops inside loops, and loops from several threads at once: every item
// runs once, and no caller waits forever.
TEST(ParallelForTest, LoopsInsideLoopsAndFromManyThreads) {
  std::vector<std::atomic<int>> runs(8 * 200);
  auto nested = [&](size_t base) {
    ParallelFor(8, 4, [&](size_t outer) {
      ParallelFor(200, 3, [&](size_t inner) { ++runs[(base + outer * 200 + inner) % runs.size()]; });
    });
  };
  for (int round = 0; round < 20; ++round) {
    std::vector<std::thread> callers;
    for (size_t t = 0; t < 4; ++t) callers.emplace_back([&, t] { nested(t * 400); });
    nested(0);
    for (std::thread& c : callers) c.join();
  }
  // Five loops of 1,600 items per round, spread over the ring of counters.
  long total = 0;
  for (const auto& r : runs) total += r;
  EXPECT_EQ(total, 20L * 5 * 1600);
  ParallelFor(0, 4, [](size_t) { ADD_FAILURE() << "an empty loop ran an item"; });
}

}  // namespace
}  // namespace casebook
