// A minimal parallel loop over independent work items.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace casebook {

// Calls fn(i) for every i in [0, n) on up to `jobs` threads (the caller's
// thread included). Items are claimed in order from a shared counter; fn
// must only touch item i's own state.
inline void ParallelFor(size_t n, int jobs, const std::function<void(size_t)>& fn) {
  size_t workers = jobs < 1 ? 1 : static_cast<size_t>(jobs);
  if (workers > n) workers = n;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
}

// The default for --jobs: one thread per core.
inline int DefaultJobs() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

}  // namespace casebook
