//===- ThreadPool.cpp - the kernels' fork-join thread pool ----------------===//

#include "lm/model/ThreadPool.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace optlm::lm {

/// Iterations a waiting thread polls before it sleeps on the condition
/// variable: a few tens of microseconds.
static constexpr int kSpinIterations = 4000;

static inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

ThreadPool::ThreadPool(int threads) {
  if (threads <= 0)
    threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  size_ = threads;
  workers_.reserve(threads - 1);
  for (int i = 1; i < threads; ++i)
    workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  for (std::thread &worker : workers_)
    worker.join();
}

void ThreadPool::workerLoop(int index) {
  uint64_t seen = 0;
  for (;;) {
    int spins = 0;
    while (generation_.load(std::memory_order_acquire) == seen && spins < kSpinIterations) {
      cpuRelax();
      ++spins;
    }
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      if (stopping_)
        return;
      seen = generation_.load(std::memory_order_acquire);
    }
    task_(index);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_one();
    }
  }
}

void ThreadPool::run(llvm::function_ref<void(int)> task) {
  if (size_ == 1) {
    task(0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = task;
    pending_.store(size_ - 1, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  task(0);
  int spins = 0;
  while (pending_.load(std::memory_order_acquire) != 0 && spins < kSpinIterations) {
    cpuRelax();
    ++spins;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return pending_.load(std::memory_order_acquire) == 0; });
}

void ThreadPool::parallelFor(int64_t count, int64_t grain,
                             llvm::function_ref<void(int64_t, int64_t, int)> body) {
  if (count <= 0)
    return;
  grain = std::max<int64_t>(grain, 1);
  if (size_ == 1 || count <= grain) {
    body(0, count, 0);
    return;
  }
  std::atomic<int64_t> next{0};
  run([&](int threadIndex) {
    for (;;) {
      int64_t begin = next.fetch_add(grain, std::memory_order_relaxed);
      if (begin >= count)
        return;
      body(begin, std::min(count, begin + grain), threadIndex);
    }
  });
}

} // namespace optlm::lm
