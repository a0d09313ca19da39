//===- ThreadPoolTest.cpp - the fork-join pool covers every index once ----===//

#include "lm/model/ThreadPool.h"

#include "gtest/gtest.h"

#include <atomic>
#include <chrono>
#include <ctime>
#include <optional>
#include <thread>
#include <vector>

using namespace optlm::lm;

namespace {

/// A loop body whose items take `each` asleep: two threads halve a loop of
/// them even on a busy machine, which only has to wake each thread once an
/// item (a 10 ms item dwarfs the wait for a core).
auto sleepingItems(std::chrono::milliseconds each) {
  return [each](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i)
      std::this_thread::sleep_for(each);
  };
}

/// Runs whileSharing() until the pool tries running alone, then
/// whileAlone() until it shares again, for at most 10 s in all: how long it
/// ran alone, if it did.
template <class Shared, class Alone>
std::optional<std::chrono::steady_clock::duration>
timeRunningAlone(ThreadPool &pool, Shared whileSharing, Alone whileAlone) {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> aloneSince;
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    if (pool.runsAlone()) {
      if (!aloneSince)
        aloneSince = Clock::now();
      whileAlone();
    } else if (aloneSince) {
      return Clock::now() - *aloneSince;
    } else {
      whileSharing();
    }
  }
  return std::nullopt;
}

TEST(LmModelThreadPool, EveryIndexExactlyOnceAcrossManyLoops) {
  // More threads than this machine may have cores: latecomers are common.
  ThreadPool pool(4);
  EXPECT_EQ(pool.size(), 4);
  for (int64_t count : {1, 2, 3, 17, 1000, 4096}) {
    for (int64_t grain : {1, 7, 64}) {
      std::vector<std::atomic<int>> hits(count);
      std::atomic<bool> badThread{false};
      for (int repeat = 0; repeat < 20; ++repeat)
        pool.parallelFor(count, grain, [&](int64_t begin, int64_t end, int thread) {
          if (thread < 0 || thread >= pool.size())
            badThread = true;
          for (int64_t i = begin; i < end; ++i)
            hits[i].fetch_add(1, std::memory_order_relaxed);
        });
      for (int64_t i = 0; i < count; ++i)
        ASSERT_EQ(hits[i].load(), 20) << "count " << count << " grain " << grain << " i " << i;
      EXPECT_FALSE(badThread);
    }
  }
}

TEST(LmModelThreadPool, SingleThreadRunsOnTheCaller) {
  ThreadPool pool(1);
  int64_t covered = 0;
  pool.parallelFor(100, 8, [&](int64_t begin, int64_t end, int thread) {
    EXPECT_EQ(thread, 0);
    covered += end - begin;
  });
  EXPECT_EQ(covered, 100);
  pool.parallelFor(0, 8, [&](int64_t, int64_t, int) { ADD_FAILURE() << "empty range ran"; });
}

// A worker that keeps its chunk for long (as a preempted one does, or one
// whose chunk costs more than the caller's) does not make the pool give up
// sharing the next loops: the pool decides by throughput over many loops,
// not by one wait. (A rule that ran dozens of loops alone after one long
// wait made a 7B prompt on two quiet cores 25% slower.)
TEST(LmModelThreadPool, OneLongWaitDoesNotStopSharing) {
  ThreadPool pool(2);
  std::atomic<bool> workerInside{false};
  pool.parallelFor(2, 1, [&](int64_t, int64_t, int thread) {
    if (thread != 0) {
      workerInside = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return;
    }
    // Give the worker time to take the other chunk.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!workerInside && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
  });
  ASSERT_TRUE(workerInside) << "the worker never took a chunk in 2 s";
  EXPECT_FALSE(pool.runsAlone());
  // The shared trial lasts at least 16 loops: the next ones are shared, and
  // loops of a few milliseconds give the worker time to join some of them.
  std::atomic<int> onWorkers{0};
  for (int loop = 0; loop < 12; ++loop)
    pool.parallelFor(200, 1, [&](int64_t, int64_t, int thread) {
      if (thread != 0)
        ++onWorkers;
      auto end = std::chrono::steady_clock::now() + std::chrono::microseconds(20);
      while (std::chrono::steady_clock::now() < end) {
      }
    });
  EXPECT_GT(onWorkers.load(), 0);
}

// When sharing loops is slower than running them alone (here a worker takes
// 2 ms per chunk, as one descheduled by a busy machine would), the pool
// finds out by timing both and keeps running them alone.
TEST(LmModelThreadPool, KeepsRunningAloneWhenSharingIsSlower) {
  ThreadPool pool(2);
  auto busyFor = [](std::chrono::microseconds duration) {
    auto end = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < end) {
    }
  };
  auto body = [&](int64_t, int64_t, int thread) {
    if (thread != 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    else
      busyFor(std::chrono::microseconds(20));
  };
  // Enough loops for one trial of each (2 x 20 ms of loop time) and more.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (int loop = 0; loop < 600 && std::chrono::steady_clock::now() < deadline; ++loop)
    pool.parallelFor(8, 1, body);
  EXPECT_TRUE(pool.runsAlone());
  // Running alone is checked again soon: confirmed, it earns a longer keep,
  // but never more than kKeepTrials times the trials.
  EXPECT_GE(pool.keepTrials(), 1);
  EXPECT_LE(pool.keepTrials(), ThreadPool::kKeepTrials);
  std::atomic<int> onWorkers{0};
  for (int loop = 0; loop < 100; ++loop)
    pool.parallelFor(8, 1, [&](int64_t, int64_t, int thread) {
      if (thread != 0)
        ++onWorkers;
    });
  EXPECT_EQ(onWorkers.load(), 0);
}

// One slow shared trial (a worker that takes 2 ms per chunk for as long as
// the pool takes to decide, as a host's hiccup would make it) gives a verdict
// for running alone. When sharing is faster again (loops of two items that
// each sleep 3 ms), the pool shares again after about one more comparison
// (some 200 ms here), not after kKeepTrials times the trials (over 800 ms).
TEST(LmModelThreadPool, AFirstVerdictForRunningAloneIsCheckedSoon) {
  ThreadPool pool(2);
  using Clock = std::chrono::steady_clock;
  auto slowWorker = [](int64_t, int64_t, int thread) {
    if (thread != 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      return;
    }
    auto end = Clock::now() + std::chrono::microseconds(20);
    while (Clock::now() < end) {
    }
  };
  auto deadline = Clock::now() + std::chrono::seconds(5);
  while (!pool.runsAlone() && Clock::now() < deadline)
    pool.parallelFor(8, 1, slowWorker);
  ASSERT_TRUE(pool.runsAlone()) << "no trial alone in 5 s";
  // The trial alone (at least 20 ms of loops of about 0.2 ms), then the
  // verdict for running alone.
  for (int loop = 0; loop < 200; ++loop)
    pool.parallelFor(8, 1, slowWorker);
  ASSERT_TRUE(pool.runsAlone());
  const auto verdict = Clock::now();
  deadline = verdict + std::chrono::seconds(5);
  while (pool.runsAlone() && Clock::now() < deadline)
    pool.parallelFor(2, 1, sleepingItems(std::chrono::milliseconds(3)));
  EXPECT_FALSE(pool.runsAlone());
  EXPECT_LT(Clock::now() - verdict, std::chrono::milliseconds(500));
}

// A transformer's loops differ in cost per item by orders of magnitude,
// and a trial of about 16 loops holds a different mix of them than the next
// one. Here sharing halves the loops that take time (two items that each
// sleep 10 ms asleep, so a busy machine hardly changes it; long
// enough that a shared trivial loop stalled by a worker preempted on a busy
// machine does not outweigh them), while the trial alone also runs many
// loops of 1,000 trivial items, which over the whole trial look like more
// items a second: the pool compares the trials kind by kind (item count by
// item count) and keeps sharing.
TEST(LmModelThreadPool, ComparesTrialsLoopKindByLoopKind) {
  ThreadPool pool(2);
  auto trivial = [](int64_t, int64_t, int) {};
  auto sleepy = sleepingItems(std::chrono::milliseconds(10));
  auto alone = timeRunningAlone(
      pool,
      [&] {
        pool.parallelFor(2, 1, sleepy);
        pool.parallelFor(1000, 1, trivial);
      },
      [&] {
        for (int i = 0; i < 20; ++i)
          pool.parallelFor(1000, 1, trivial);
        pool.parallelFor(2, 1, sleepy);
      });
  ASSERT_TRUE(alone) << "no trial alone, or no end to it, in 10 s";
  // The trial alone takes about 20 ms of loops. A verdict for running alone
  // would have kept the loops alone as long again as the two trials took,
  // and left the keep at one trial's length for the shared trial after it.
  EXPECT_LT(*alone, std::chrono::milliseconds(150));
  EXPECT_GT(pool.keepTrials(), 1) << "the trials' verdict was to run alone";
}

// Loops of the same item count can differ in cost per item (a 7B layer's
// attention output and feed-forward down products both have 4,096 rows, of
// 4,096 and 11,008 columns); the caller names them apart. Here the shared
// trial runs loops of two items that sleep 10 ms each (sharing halves them),
// the trial alone mostly loops of two trivial items: compared as one kind,
// the trial alone looks faster per item, and the verdict would be to run
// alone.
TEST(LmModelThreadPool, CallerNamedKindsOfOneCountAreComparedApart) {
  ThreadPool pool(2);
  auto trivial = [](int64_t, int64_t, int) {};
  auto sleepy = sleepingItems(std::chrono::milliseconds(10));
  constexpr uint64_t kSleepy = 1, kTrivial = 2;
  auto alone = timeRunningAlone(
      pool, [&] { pool.parallelFor(2, 1, sleepy, kSleepy); },
      [&] {
        for (int i = 0; i < 20; ++i)
          pool.parallelFor(2, 1, trivial, kTrivial);
        pool.parallelFor(2, 1, sleepy, kSleepy);
      });
  ASSERT_TRUE(alone) << "no trial alone, or no end to it, in 10 s";
  EXPECT_LT(*alone, std::chrono::milliseconds(150));
  // A verdict for running alone leaves the keep at one trial's length.
  EXPECT_GT(pool.keepTrials(), 1) << "the trials' verdict was to run alone";
}

// A trial alone runs at one core's speed, which costs a quiet machine a few
// percent of a short prompt for nothing. Here the caller's items take 500 us
// of its CPU time and the worker's items each sleep 100 us: where both get a
// core, a shared loop of 16 items takes about 2 ms, the caller's own chunks
// estimate 8 ms alone, and the pool never tries it. A machine busy with
// other tests (ctest -j2 on two cores) may keep the worker from a core, or
// take the caller's from it in the middle of a chunk: then sharing does not
// win by as much, and the pool is right to try alone. So the test checks its
// premise loop by loop. A shared trial of n >= 16 loops tries alone only
// where its loops took 8/1.5 = 5.3 ms each on average; undisturbed loops (the
// worker took half the items or more, and the loop ended within 3 ms) leave
// that to the others, which need 2.3 ms times n, 37 ms or more, of time of
// their own. A run whose disturbed loops took 30 ms in all is skipped, not
// judged.
TEST(LmModelThreadPool, NoTrialAloneWhereTheCallersChunksShowItWouldLose) {
  using Clock = std::chrono::steady_clock;
  ThreadPool pool(2);
  auto cpuNow = [] {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
  };
  constexpr int64_t kItems = 16;
  std::atomic<int64_t> workerItems{0};
  auto body = [&](int64_t begin, int64_t end, int thread) {
    for (int64_t i = begin; i < end; ++i) {
      if (thread != 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        workerItems.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      const int64_t until = cpuNow() + 500'000;
      while (cpuNow() < until) {
      }
    }
  };
  // Over ten trials' worth of loops (of 20 ms and 16 loops each).
  const auto deadline = Clock::now() + std::chrono::milliseconds(300);
  int loops = 0, alone = 0, disturbed = 0;
  Clock::duration disturbedTime{};
  while (Clock::now() < deadline) {
    const bool runsAlone = pool.runsAlone();
    alone += runsAlone;
    workerItems.store(0, std::memory_order_relaxed);
    const auto start = Clock::now();
    pool.parallelFor(kItems, 1, body);
    const auto took = Clock::now() - start;
    if (!runsAlone && (2 * workerItems.load(std::memory_order_relaxed) < kItems ||
                       took > std::chrono::milliseconds(3))) {
      ++disturbed;
      disturbedTime += took;
    }
    ++loops;
  }
  const auto disturbedMs = std::chrono::duration_cast<std::chrono::milliseconds>(disturbedTime);
  if (disturbedMs >= std::chrono::milliseconds(30))
    GTEST_SKIP() << "the machine disturbed " << disturbed << " of " << loops - alone
                 << " shared loops, " << disturbedMs.count() << " ms of them";
  EXPECT_GT(loops, 3 * ThreadPool::kTrialLoops);
  EXPECT_EQ(alone, 0) << "of " << loops << " loops; " << disturbed << " disturbed, "
                      << disturbedMs.count() << " ms";
}

TEST(LmModelThreadPool, DefaultSizeIsTheHardware) {
  ThreadPool pool(0);
  EXPECT_GE(pool.size(), 1);
}

} // namespace
