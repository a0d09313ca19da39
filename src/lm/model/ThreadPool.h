//===- ThreadPool.h - the kernels' fork-join thread pool ---------*- C++ -*-===//
//
// A transformer step is a few hundred short parallel loops (one per matrix
// product), so the pool is built for many small fork-joins:
//  - work is handed out in chunks from a shared counter, so a thread slowed
//    by other work on the machine simply takes fewer chunks;
//  - the caller works too, and once the chunks are gone it waits only for
//    threads that are inside a chunk: a worker that had not yet woken up
//    when the loop ended is shut out instead of waited for (on a busy
//    machine, waiting for a descheduled thread costs a scheduler slice);
//  - idle threads spin briefly, then sleep, so an idle session burns no CPU;
//  - a thread preempted inside a chunk still stalls the loop until it runs
//    again (its rows cannot be taken over: it is writing them). When the
//    caller had to wait that long, the machine is busier than the pool, so
//    the next loops run on the caller alone, for longer after each stall in a
//    row; on a quiet machine the caller never waits longer than one chunk and
//    every loop is shared.
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

  /// Loops from now on that will run on the caller alone (after stalls).
  int soloLoopsLeft() const { return soloLoopsLeft_; }

  /// The caller waited this long for a thread inside a chunk: a stall.
  static constexpr int64_t kStallNanoseconds = 200'000;
  /// Loops run on the caller alone after one stall, doubling per stall in a
  /// row up to kMaxSoloLoops (a 7B token is ~160 loops).
  static constexpr int kSoloLoops = 32, kMaxSoloLoops = 2048;

  using Body = llvm::function_ref<void(int64_t begin, int64_t end, int threadIndex)>;

  /// Calls body(begin, end, threadIndex) over chunks of `grain` covering
  /// [0, count), on the caller (threadIndex 0) and the pool's threads, and
  /// returns when all of [0, count) is done. threadIndex < size() names the
  /// thread, for per-thread scratch.
  void parallelFor(int64_t count, int64_t grain, Body body);

private:
  void workerLoop(int index);
  void runChunks(int threadIndex);

  /// The gate's high bit: the current loop accepts no more threads.
  static constexpr uint32_t kClosed = 1u << 31;

  int size_ = 1;
  std::vector<std::thread> workers_;
  // Caller-only state of the stall back-off.
  int soloLoopsLeft_ = 0;
  int nextSoloLoops_ = kSoloLoops;

  // The current loop. Written by the caller only while the gate is closed.
  Body body_ = nullptr;
  int64_t count_ = 0;
  int64_t grain_ = 1;
  std::atomic<int64_t> next_{0};
  /// kClosed | number of workers inside the loop.
  std::atomic<uint32_t> gate_{kClosed};

  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};

} // namespace optlm::lm
