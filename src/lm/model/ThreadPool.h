//===- ThreadPool.h - the kernels' fork-join thread pool ---------*- C++ -*-===//
//
// A transformer step is a few hundred short parallel regions (one per matrix
// product), so the pool is fork-join: run() hands the same function to every
// thread, the caller included, and returns when all have finished. Waiting
// threads spin briefly before sleeping: regions follow each other within
// microseconds during generation, but the pool must not burn a shared CPU
// while the session is idle.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/STLFunctionalExtras.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace optlm::lm {

class ThreadPool {
public:
  /// threads counts the caller; 0 means std::thread::hardware_concurrency().
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  int size() const { return size_; }

  /// Calls task(threadIndex) once on each of size() threads (index 0 is the
  /// caller) and returns when every call has returned.
  void run(llvm::function_ref<void(int threadIndex)> task);

  /// Splits [0, count) into chunks of `grain` handed out dynamically (a core
  /// busy with other work simply takes fewer chunks) and calls
  /// body(begin, end, threadIndex) for each.
  void parallelFor(int64_t count, int64_t grain,
                   llvm::function_ref<void(int64_t begin, int64_t end, int threadIndex)> body);

private:
  void workerLoop(int index);

  int size_ = 1;
  std::vector<std::thread> workers_;
  llvm::function_ref<void(int)> task_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
};

} // namespace optlm::lm
