// A minimal parallel loop over independent work items.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace casebook {

// Calls fn(i) for every i in [0, n) on up to `jobs` threads (the caller's
// thread included). Items are claimed in order from a shared counter; fn
// must only touch item i's own state.
//
// If fn throws, the first exception (in time) is rethrown on the caller's
// thread once every thread has stopped; items not yet claimed by then are
// skipped, and each item is either run to its end, or threw, or never
// started. An exception escaping a std::thread would call std::terminate.
inline void ParallelFor(size_t n, int jobs, const std::function<void(size_t)>& fn) {
  size_t workers = jobs < 1 ? 1 : static_cast<size_t>(jobs);
  if (workers > n) workers = n;
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::exception_ptr first_error;  // guarded by mutex
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) {
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!first_error) first_error = std::current_exception();
        next.store(n);  // the others stop at their next claim
      }
    }
  };
  std::vector<std::thread> threads;
  try {
    for (size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  } catch (const std::system_error&) {
    // No more threads to be had: the ones running, and this one, do it all.
  }
  work();
  for (std::thread& t : threads) t.join();
  if (first_error) std::rethrow_exception(first_error);
}

// The default for --jobs: one thread per core.
inline int DefaultJobs() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

}  // namespace casebook
