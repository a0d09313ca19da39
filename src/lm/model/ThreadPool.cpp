//===- ThreadPool.cpp - the kernels' fork-join thread pool ----------------===//

#include "lm/model/ThreadPool.h"

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace optlm::lm {

/// Polls before a waiting worker sleeps: some tens of microseconds, longer
/// than the gap between two loops of one token's forward pass.
static constexpr int kSpinIterations = 20000;

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
    stopping_.store(true, std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  for (std::thread &worker : workers_)
    worker.join();
}

int64_t ThreadPool::runChunks(int threadIndex) {
  for (int64_t chunks = 0;; ++chunks) {
    int64_t begin = next_.fetch_add(grain_, std::memory_order_relaxed);
    if (begin >= count_)
      return chunks;
    body_(begin, std::min(count_, begin + grain_), threadIndex);
  }
}

void ThreadPool::workerLoop(int index) {
  uint64_t seen = 0;
  for (;;) {
    for (int spins = 0;
         generation_.load(std::memory_order_acquire) == seen && spins < kSpinIterations; ++spins)
      cpuRelax();
    if (generation_.load(std::memory_order_acquire) == seen) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
    }
    seen = generation_.load(std::memory_order_acquire);
    if (stopping_.load(std::memory_order_acquire))
      return;
    // Enter the current loop unless the caller has closed it (it may even be
    // a later loop than the one that woke us: joining that one is fine too).
    uint32_t gate = gate_.load(std::memory_order_acquire);
    while (!(gate & kClosed)) {
      if (gate_.compare_exchange_weak(gate, gate + 1, std::memory_order_acquire)) {
        runChunks(index);
        gate_.fetch_sub(1, std::memory_order_release);
        break;
      }
    }
  }
}

void ThreadPool::parallelFor(int64_t count, int64_t grain, Body body) {
  if (count <= 0)
    return;
  grain = std::max<int64_t>(grain, 1);
  if (size_ == 1 || count <= grain) {
    body(0, count, 0);
    return;
  }
  auto start = std::chrono::steady_clock::now();
  if (soloLoopsLeft_ > 0) {
    --soloLoopsLeft_;
    body(0, count, 0);
  } else if (runsAlone()) {
    body(0, count, 0);
  } else {
    runShared(count, grain, body);
  }
  account(count, std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count());
}

void ThreadPool::account(int64_t work, int64_t nanoseconds) {
  phaseWork_ += work;
  phaseNanoseconds_ += nanoseconds;
  ++phaseLoops_;
  if (phase_ == Phase::Keep) {
    if (phaseNanoseconds_ < std::max(kKeepNanoseconds, kKeepTrials * trialsNanoseconds_))
      return;
  } else if (phaseNanoseconds_ < kTrialNanoseconds || phaseLoops_ < kTrialLoops) {
    return;
  }
  double rate = static_cast<double>(phaseWork_) / static_cast<double>(phaseNanoseconds_);
  if (phase_ == Phase::TryShared) {
    sharedRate_ = rate;
    trialsNanoseconds_ = phaseNanoseconds_;
    phase_ = Phase::TryAlone;
  } else if (phase_ == Phase::TryAlone) {
    keepAlone_ = rate > sharedRate_;
    trialsNanoseconds_ += phaseNanoseconds_;
    phase_ = Phase::Keep;
  } else {
    phase_ = Phase::TryShared;
  }
  phaseWork_ = 0;
  phaseNanoseconds_ = 0;
  phaseLoops_ = 0;
}

bool ThreadPool::isStall(std::chrono::nanoseconds waited, std::chrono::nanoseconds callerBusy,
                         int64_t callerChunks) {
  // Without a chunk of its own the caller has no measure of a chunk, and
  // counts nothing as a stall.
  if (callerChunks <= 0)
    return false;
  return waited > std::max(kStallChunks * callerBusy / callerChunks,
                           std::chrono::nanoseconds(kStallFloorNanoseconds));
}

void ThreadPool::runShared(int64_t count, int64_t grain, Body body) {
  // The gate is closed and empty here: no worker can see these writes torn.
  body_ = body;
  count_ = count;
  grain_ = grain;
  next_.store(0, std::memory_order_relaxed);
  gate_.store(0, std::memory_order_release);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();

  const auto callerStart = std::chrono::steady_clock::now();
  const int64_t callerChunks = runChunks(0);
  const auto callerEnd = std::chrono::steady_clock::now();
  // Shut out latecomers, then wait for the workers still inside a chunk.
  uint32_t inside = gate_.fetch_or(kClosed, std::memory_order_acq_rel) & ~kClosed;
  if (inside == 0) {
    nextSoloLoops_ = kSoloLoops;
    return;
  }
  const auto waitStart = std::chrono::steady_clock::now();
  for (int spins = 0; inside != 0; ++spins) {
    if (spins < kSpinIterations)
      cpuRelax();
    else
      std::this_thread::yield();
    inside = gate_.load(std::memory_order_acquire) & ~kClosed;
  }
  if (!isStall(std::chrono::steady_clock::now() - waitStart, callerEnd - callerStart,
               callerChunks)) {
    nextSoloLoops_ = kSoloLoops;
    return;
  }
  soloLoopsLeft_ = nextSoloLoops_;
  nextSoloLoops_ = std::min(2 * nextSoloLoops_, kMaxSoloLoops);
}

} // namespace optlm::lm
