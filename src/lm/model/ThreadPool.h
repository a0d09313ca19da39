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
//  - a thread preempted inside a chunk stalls the loop until it runs again
//    (its rows cannot be taken over: it is writing them). An earlier rule
//    ran the next loops on the caller alone after such a wait; on a quiet
//    machine it was tripped by loops whose chunks differ in cost (the
//    attention's blocks) and by short hiccups, and then punished dozens of
//    whole loops: a 7B prompt on two threads ran 22% of its loops alone, at
//    14 tok/s instead of 19. The timing comparison below, which looks at
//    throughput over many loops, decides alone;
//  - sharing can lose on a busy machine: Linux gives each session
//    (autogroup) an equal share of the CPUs, so when another session keeps
//    every core busy, two threads get about one core between them and
//    spend part of it waiting for each other. So the pool times its loops
//    (work items per second of loop time), 20 ms shared, then 20 ms alone,
//    keeps the faster for the next 200 ms, and compares again. A trial
//    alone runs at one core's speed, which a quiet machine pays for nothing
//    (about 4% of a short 7B prompt on two threads), so the shared trial
//    first estimates the loops' time alone from the caller's own chunks,
//    by its thread CPU time (a wall-time rate would count the time the busy
//    machine takes from it), and tries alone only where that estimate comes
//    near the shared time. Which thread computes what never changes a
//    result.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace optlm::lm {

class ThreadPool {
public:
  /// threads counts the caller; 0 means std::thread::hardware_concurrency().
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  int size() const { return Size; }

  /// Whether loops now run on the caller alone because the last comparison
  /// found that faster than sharing them (or a trial of that is under way).
  bool runsAlone() const {
    return ThePhase == Phase::TryAlone || (ThePhase == Phase::Keep && KeepAlone);
  }

  /// Loop time (and loops, at least: a transformer's loops differ in cost
  /// per item, so a trial spans several kinds) spent sharing loops, then
  /// running them alone, to compare the two; the faster is kept for
  /// kKeepTrials times as long as the two trials took, and at least
  /// kKeepNanoseconds, then compared again. So the trials cost a few
  /// percent at most however long one loop is (a prompt's loops on a slow
  /// CPU take tens of milliseconds each).
  /// A verdict for sharing that the next comparison confirms is kept twice
  /// as long as the last, up to kMaxKeepTrials times the trials: each trial
  /// alone on a quiet machine runs at one core's speed (it cost a 7B prompt
  /// on two threads about 5%), while a wrong verdict for sharing costs about
  /// 5% only on a busy machine. A verdict for running alone, wrong on a
  /// machine that is quiet, costs a whole core, and anything that slows a
  /// 20 ms shared trial (a hiccup of a virtual machine's host) makes one: a
  /// first verdict for running alone is kept only as long as the trials took
  /// (not kKeepNanoseconds), and each confirmation doubles that, up to
  /// kKeepTrials. (A 64-token 7B prompt of 0.8 s on two threads once ran at
  /// the one-thread rate, 46 tok/s against 79-81: what a verdict for running
  /// alone kept for kKeepTrials times the trials at once does to it.)
  static constexpr int64_t kTrialNanoseconds = 20'000'000, kKeepNanoseconds = 200'000'000;
  static constexpr int kTrialLoops = 16, kKeepTrials = 16, kMaxKeepTrials = 256;
  /// A shared trial whose loops the caller alone would take at least this
  /// many times as long (by its CPU time per item) is a verdict for sharing
  /// without a trial alone, kept as one that follows the trials (a
  /// confirmation doubles the keep). Two threads on two quiet cores
  /// estimate about 2; a worker kept from its core brings it towards 1.
  /// The margin covers loops that read memory, whose items a thread alone
  /// reads faster than while the other thread reads too.
  static constexpr double kSkipTrialRatio = 1.5;

  /// How many times the last trials' duration the current verdict is kept.
  int keepTrials() const { return KeepTrials; }

  using Body = llvm::function_ref<void(int64_t begin, int64_t end, int threadIndex)>;

  /// Calls body(begin, end, threadIndex) over chunks of `grain` covering
  /// [0, count), on the caller (threadIndex 0) and the pool's threads, and
  /// returns when all of [0, count) is done. threadIndex < size() names the
  /// thread, for per-thread scratch. Loops of one count and one `kind` are
  /// taken to cost about the same per item when the pool compares sharing
  /// with running alone: a caller whose loops of one count differ in cost
  /// (two matrix products of as many rows and more columns) names them
  /// apart.
  void parallelFor(int64_t count, int64_t grain, Body body, uint64_t kind = 0);

private:
  void workerLoop(int index);
  /// Runs chunks until none are left; returns how many items it ran.
  int64_t runChunks(int threadIndex);
  /// The caller's part of a shared loop: its items, and the CPU time it
  /// spent on them where asked to time it (0 otherwise).
  struct CallerShare {
    int64_t items = 0, cpuNanoseconds = 0;
  };
  CallerShare runShared(int64_t count, int64_t grain, Body body, bool timeCaller);
  /// Adds a loop's work (its count) and duration to the current phase.
  void account(int64_t work, uint64_t kind, int64_t nanoseconds);
  /// Keeps the verdict (alone or sharing) for a while: how long depends on
  /// whether it confirms the last one (keepTrials()).
  void keepVerdict(bool alone);

  enum class Phase { TryShared, TryAlone, Keep };

  /// The gate's high bit: the current loop accepts no more threads.
  static constexpr uint32_t kClosed = 1u << 31;

  int Size = 1;
  std::vector<std::thread> Workers;
  // Caller-only state of the shared-or-alone comparison.
  Phase ThePhase = Phase::TryShared;
  bool KeepAlone = false;
  int64_t PhaseWork = 0, PhaseNanoseconds = 0, PhaseLoops = 0;
  int64_t TrialsNanoseconds = 0; ///< both trials of the last comparison
  int KeepTrials = kKeepTrials;
  double SharedRate = 0.0;
  /// The shared trial's loops' time alone, estimated from the caller's
  /// items and CPU time in each (nanoseconds).
  double PhaseAloneEstimate = 0.0;
  /// Loop time and loops of each kind (a loop's item count and the
  /// caller's kind) in the two trials of the current comparison. A
  /// transformer's items differ in cost by orders of magnitude (a row of a
  /// matrix, a token, a head's block of attention), and two trials of about
  /// 16 loops each hold different mixes of them: items a second over a whole
  /// trial once made a prompt on two quiet cores run alone. Trials are
  /// compared kind by kind where their kinds overlap.
  struct KindTimes {
    int64_t sharedNanoseconds = 0, sharedLoops = 0, aloneNanoseconds = 0, aloneLoops = 0;
  };
  llvm::DenseMap<std::pair<int64_t, uint64_t>, KindTimes> Kinds;

  // The current loop. Written by the caller only while the gate is closed.
  Body TheBody = nullptr;
  int64_t Count = 0;
  int64_t Grain = 1;
  std::atomic<int64_t> Next{0};
  /// kClosed | number of workers inside the loop.
  std::atomic<uint32_t> Gate{kClosed};

  std::atomic<uint64_t> Generation{0};
  std::atomic<bool> Stopping{false};
  std::mutex Mutex;
  std::condition_variable Wake;
};

} // namespace optlm::lm
