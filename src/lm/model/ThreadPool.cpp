//===- ThreadPool.cpp - the kernels' fork-join thread pool ----------------===//

#include "lm/model/ThreadPool.h"

#include <algorithm>
#include <chrono>
#include <ctime>

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
  Size = threads;
  Workers.reserve(threads - 1);
  for (int i = 1; i < threads; ++i)
    Workers.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(Mutex);
    Stopping.store(true, std::memory_order_release);
    Generation.fetch_add(1, std::memory_order_release);
  }
  Wake.notify_all();
  for (std::thread &worker : Workers)
    worker.join();
}

int64_t ThreadPool::runChunks(int threadIndex) {
  int64_t done = 0;
  for (;;) {
    int64_t begin = Next.fetch_add(Grain, std::memory_order_relaxed);
    if (begin >= Count)
      return done;
    int64_t end = std::min(Count, begin + Grain);
    TheBody(begin, end, threadIndex);
    done += end - begin;
  }
}

/// The calling thread's CPU time: unlike its wall time, what the machine's
/// other work takes from it is not counted.
static int64_t threadCpuNanoseconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

void ThreadPool::workerLoop(int index) {
  uint64_t seen = 0;
  for (;;) {
    for (int spins = 0;
         Generation.load(std::memory_order_acquire) == seen && spins < kSpinIterations; ++spins)
      cpuRelax();
    if (Generation.load(std::memory_order_acquire) == seen) {
      std::unique_lock<std::mutex> lock(Mutex);
      Wake.wait(lock, [&] { return Generation.load(std::memory_order_acquire) != seen; });
    }
    seen = Generation.load(std::memory_order_acquire);
    if (Stopping.load(std::memory_order_acquire))
      return;
    // Enter the current loop unless the caller has closed it (it may even be
    // a later loop than the one that woke us: joining that one is fine too).
    uint32_t gate = Gate.load(std::memory_order_acquire);
    while (!(gate & kClosed)) {
      if (Gate.compare_exchange_weak(gate, gate + 1, std::memory_order_acquire)) {
        runChunks(index);
        Gate.fetch_sub(1, std::memory_order_release);
        break;
      }
    }
  }
}

void ThreadPool::parallelFor(int64_t count, int64_t grain, Body body, uint64_t kind) {
  if (count <= 0)
    return;
  grain = std::max<int64_t>(grain, 1);
  if (Size == 1 || count <= grain) {
    body(0, count, 0);
    return;
  }
  const bool estimating = ThePhase == Phase::TryShared;
  auto start = std::chrono::steady_clock::now();
  CallerShare caller;
  if (runsAlone()) {
    body(0, count, 0);
  } else {
    caller = runShared(count, grain, body, estimating);
  }
  const int64_t nanoseconds =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count();
  if (estimating)
    PhaseAloneEstimate += caller.items > 0 ? static_cast<double>(count) *
                                                 static_cast<double>(caller.cpuNanoseconds) /
                                                 static_cast<double>(caller.items)
                                           : static_cast<double>(nanoseconds);
  account(count, kind, nanoseconds);
}

void ThreadPool::account(int64_t work, uint64_t kind, int64_t nanoseconds) {
  PhaseWork += work;
  PhaseNanoseconds += nanoseconds;
  ++PhaseLoops;
  if (ThePhase == Phase::TryShared) {
    KindTimes &times = Kinds[{work, kind}];
    times.sharedNanoseconds += nanoseconds;
    ++times.sharedLoops;
  } else if (ThePhase == Phase::TryAlone) {
    KindTimes &times = Kinds[{work, kind}];
    times.aloneNanoseconds += nanoseconds;
    ++times.aloneLoops;
  }
  if (ThePhase == Phase::Keep) {
    const int64_t keep = KeepTrials * TrialsNanoseconds;
    if (PhaseNanoseconds < (KeepAlone ? keep : std::max(kKeepNanoseconds, keep)))
      return;
  } else if (PhaseNanoseconds < kTrialNanoseconds || PhaseLoops < kTrialLoops) {
    return;
  }
  double rate = static_cast<double>(PhaseWork) / static_cast<double>(PhaseNanoseconds);
  if (ThePhase == Phase::TryShared) {
    if (PhaseAloneEstimate >= kSkipTrialRatio * static_cast<double>(PhaseNanoseconds)) {
      // Alone would lose by far: the caller kept its core and the workers
      // took their share. A verdict for sharing without the trial alone.
      TrialsNanoseconds = PhaseNanoseconds;
      keepVerdict(false);
    } else {
      SharedRate = rate;
      TrialsNanoseconds = PhaseNanoseconds;
      ThePhase = Phase::TryAlone;
    }
  } else if (ThePhase == Phase::TryAlone) {
    bool alone = rate > SharedRate;
    // What the shared trial's loops would have taken alone, for the kinds
    // both trials ran: where they are most of the shared trial's time, that
    // decides instead of the two trials' overall rates.
    int64_t sharedTime = 0;
    double aloneTime = 0.0;
    for (const auto &[key, times] : Kinds)
      if (times.sharedLoops > 0 && times.aloneLoops > 0) {
        sharedTime += times.sharedNanoseconds;
        aloneTime += static_cast<double>(times.sharedLoops) *
                     static_cast<double>(times.aloneNanoseconds) /
                     static_cast<double>(times.aloneLoops);
      }
    if (2 * sharedTime >= TrialsNanoseconds)
      alone = aloneTime < static_cast<double>(sharedTime);
    TrialsNanoseconds += PhaseNanoseconds;
    keepVerdict(alone);
  } else {
    ThePhase = Phase::TryShared;
    Kinds.clear();
  }
  PhaseWork = 0;
  PhaseNanoseconds = 0;
  PhaseLoops = 0;
  PhaseAloneEstimate = 0.0;
}

void ThreadPool::keepVerdict(bool alone) {
  if (alone)
    KeepTrials = KeepAlone ? std::min(2 * KeepTrials, kKeepTrials) : 1;
  else
    KeepTrials = KeepAlone ? kKeepTrials : std::min(2 * KeepTrials, kMaxKeepTrials);
  KeepAlone = alone;
  ThePhase = Phase::Keep;
}

ThreadPool::CallerShare ThreadPool::runShared(int64_t count, int64_t grain, Body body,
                                              bool timeCaller) {
  // The gate is closed and empty here: no worker can see these writes torn.
  TheBody = body;
  Count = count;
  Grain = grain;
  Next.store(0, std::memory_order_relaxed);
  Gate.store(0, std::memory_order_release);
  {
    std::lock_guard<std::mutex> lock(Mutex);
    Generation.fetch_add(1, std::memory_order_release);
  }
  Wake.notify_all();

  CallerShare caller;
  const int64_t cpuStart = timeCaller ? threadCpuNanoseconds() : 0;
  caller.items = runChunks(0);
  if (timeCaller)
    caller.cpuNanoseconds = threadCpuNanoseconds() - cpuStart;
  // Shut out latecomers, then wait for the workers still inside a chunk.
  uint32_t inside = Gate.fetch_or(kClosed, std::memory_order_acq_rel) & ~kClosed;
  for (int spins = 0; inside != 0; ++spins) {
    if (spins < kSpinIterations)
      cpuRelax();
    else
      std::this_thread::yield();
    inside = Gate.load(std::memory_order_acquire) & ~kClosed;
  }
  return caller;
}

} // namespace optlm::lm
