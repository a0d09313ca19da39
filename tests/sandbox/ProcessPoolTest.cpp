//===- ProcessPoolTest.cpp - every way a sandboxed job can end -------------===//
//
// Each test makes a child end one way for real (a segfault, LLVM's
// report_fatal_error, a hang, an allocation without bound, ...) and checks
// that the parent classifies it and lives on.
//
//===----------------------------------------------------------------------===//
#include "sandbox/ProcessPool.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MemAlloc.h"

#include "gtest/gtest.h"

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <sys/stat.h>
#include <sys/time.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace optlm::sandbox;
using namespace std::chrono_literals;

namespace {

JobOutcome runOne(JobFunction job, Limits limits = {}) {
  ProcessPool pool(1, limits);
  std::vector<JobOutcome> outcomes = pool.run(1, job);
  EXPECT_EQ(outcomes.size(), 1u);
  return outcomes.empty() ? JobOutcome{} : outcomes.front();
}

Limits shortLimits() {
  Limits limits;
  limits.timeout = 2s;
  return limits;
}

/// For jobs that must end at the memory limit: touching hundreds of
/// megabytes takes seconds on a loaded machine, and the time limit only
/// bounds a hang here.
Limits memoryLimits() {
  Limits limits;
  limits.timeout = 60s;
  limits.memoryHeadroomBytes = 256u << 20;
  return limits;
}

} // namespace

TEST(SandboxPool, ReturnsResultsInJobOrder) {
  ProcessPool pool(2, shortLimits());
  auto outcomes = pool.run(7, [](size_t index, ChildChannel &) {
    // Later jobs finish first, so order must come from the index.
    usleep(static_cast<useconds_t>((7 - index) * 2000));
    return "job " + std::to_string(index);
  });
  ASSERT_EQ(outcomes.size(), 7u);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_EQ(outcomes[i].end, JobEnd::Finished) << outcomes[i].message;
    EXPECT_EQ(outcomes[i].result, "job " + std::to_string(i));
    EXPECT_EQ(outcomes[i].exitStatus, 0);
  }
  EXPECT_EQ(pool.statistics().jobs, 7u);
}

TEST(SandboxPool, ChildChangesDoNotReachTheParent) {
  static int counter = 0;
  counter = 5;
  auto outcome = runOne([](size_t, ChildChannel &) {
    counter = 42;
    return std::to_string(counter);
  });
  EXPECT_EQ(outcome.result, "42");
  EXPECT_EQ(counter, 5);
}

TEST(SandboxPool, SegfaultIsACrashNamedBySignal) {
  auto outcome = runOne(
      [](size_t, ChildChannel &) -> std::string {
        volatile int *null = nullptr;
        *null = 1;
        return "unreachable";
      },
      shortLimits());
  EXPECT_EQ(outcome.end, JobEnd::Crashed);
  EXPECT_EQ(outcome.signal, SIGSEGV);
  EXPECT_EQ(outcome.message, "SIGSEGV");
  EXPECT_TRUE(outcome.result.empty());
}

TEST(SandboxPool, AbortIsACrash) {
  auto outcome = runOne([](size_t, ChildChannel &) -> std::string { std::abort(); }, shortLimits());
  EXPECT_EQ(outcome.end, JobEnd::Crashed);
  EXPECT_EQ(outcome.message, "SIGABRT");
}

TEST(SandboxPool, ReportFatalErrorIsFatalWithItsMessage) {
  auto outcome = runOne(
      [](size_t, ChildChannel &) -> std::string {
        llvm::report_fatal_error("Broken module found, compilation aborted!");
      },
      shortLimits());
  EXPECT_EQ(outcome.end, JobEnd::Fatal);
  EXPECT_EQ(outcome.message, "Broken module found, compilation aborted!");
  EXPECT_NE(outcome.capturedStderr.find("LLVM ERROR: Broken module"), std::string::npos);
}

TEST(SandboxPool, SleepingJobTimesOut) {
  Limits limits;
  limits.timeout = 200ms;
  auto outcome = runOne(
      [](size_t, ChildChannel &) -> std::string {
        sleep(30);
        return "late";
      },
      limits);
  EXPECT_EQ(outcome.end, JobEnd::TimedOut);
  EXPECT_NE(outcome.message.find("200 ms"), std::string::npos);
  EXPECT_LT(outcome.wallTime, 10s);
}

TEST(SandboxPool, SpinningJobTimesOut) {
  Limits limits;
  limits.timeout = 200ms;
  auto outcome = runOne(
      [](size_t, ChildChannel &) -> std::string {
        volatile uint64_t spin = 0;
        for (;;)
          spin = spin + 1;
      },
      limits);
  EXPECT_EQ(outcome.end, JobEnd::TimedOut);
}

TEST(SandboxPool, JobThatClosesItsDescriptorsAndHangsTimesOut) {
  Limits limits;
  limits.timeout = 200ms;
  auto outcome = runOne(
      [](size_t, ChildChannel &) -> std::string {
        for (int fd = 0; fd < 1024; ++fd)
          close(fd);
        pause();
        return "late";
      },
      limits);
  EXPECT_EQ(outcome.end, JobEnd::TimedOut);
}

TEST(SandboxPool, TimeoutKillsWhatTheJobSpawned) {
  Limits limits;
  limits.timeout = 200ms;
  auto outcome = runOne(
      [](size_t, ChildChannel &) -> std::string {
        // A grandchild holding the output pipe must not keep the job alive.
        if (fork() == 0) {
          sleep(30);
          _exit(0);
        }
        sleep(30);
        return "late";
      },
      limits);
  EXPECT_EQ(outcome.end, JobEnd::TimedOut);
}

TEST(SandboxPool, UnboundedNewIsOutOfMemory) {
  Limits limits = memoryLimits();
  auto outcome = runOne(
      [](size_t, ChildChannel &) -> std::string {
        std::vector<char *> blocks;
        for (;;) {
          char *block = new char[16u << 20];
          std::memset(block, 1, 16u << 20);
          blocks.push_back(block);
        }
      },
      limits);
  EXPECT_EQ(outcome.end, JobEnd::OutOfMemory) << outcome.message;
}

TEST(SandboxPool, LLVMAllocationFailureIsOutOfMemory) {
  Limits limits = memoryLimits();
  auto outcome = runOne(
      [](size_t, ChildChannel &) -> std::string {
        std::vector<void *> blocks;
        for (;;)
          blocks.push_back(llvm::safe_malloc(64u << 20));
      },
      limits);
  EXPECT_EQ(outcome.end, JobEnd::OutOfMemory) << outcome.message;
}

TEST(SandboxPool, UnexpectedExitIsAFailureWithItsStatus) {
  auto outcome = runOne([](size_t, ChildChannel &) -> std::string { _exit(3); }, shortLimits());
  EXPECT_EQ(outcome.end, JobEnd::Failed);
  EXPECT_EQ(outcome.exitStatus, 3);
  EXPECT_NE(outcome.message.find("status 3"), std::string::npos);
}

TEST(SandboxPool, HugeStderrIsTruncatedAndTheResultStillArrives) {
  Limits limits = shortLimits();
  limits.stderrCapacity = 4096;
  auto outcome = runOne(
      [](size_t, ChildChannel &) -> std::string {
        std::string line(1000, 'e');
        line += '\n';
        for (int i = 0; i < 20000; ++i) // 20 MB, far beyond any pipe buffer
          (void)!write(STDERR_FILENO, line.data(), line.size());
        (void)!write(STDOUT_FILENO, "stdout too\n", 11);
        return "done";
      },
      limits);
  EXPECT_EQ(outcome.end, JobEnd::Finished) << outcome.message;
  EXPECT_EQ(outcome.result, "done");
  EXPECT_EQ(outcome.capturedStderr.size(), 4096u);
  EXPECT_TRUE(outcome.stderrTruncated);
}

TEST(SandboxPool, LargeResultArrivesIntact) {
  auto outcome = runOne(
      [](size_t, ChildChannel &) {
        std::string result(8u << 20, '\0');
        for (size_t i = 0; i < result.size(); ++i)
          result[i] = static_cast<char>(i * 7919 % 251);
        return result;
      },
      shortLimits());
  ASSERT_EQ(outcome.end, JobEnd::Finished);
  ASSERT_EQ(outcome.result.size(), 8u << 20);
  for (size_t i = 0; i < outcome.result.size(); i += 4099)
    ASSERT_EQ(outcome.result[i], static_cast<char>(i * 7919 % 251));
}

TEST(SandboxPool, ChildQueriesAreAnsweredByTheParent) {
  ProcessPool pool(2, shortLimits());
  std::vector<std::string> asked;
  auto outcomes = pool.run(
      4,
      [](size_t index, ChildChannel &channel) -> std::string {
        auto reply = channel.ask("square " + std::to_string(index));
        if (!reply)
          return "error: " + llvm::toString(reply.takeError());
        return *reply;
      },
      [&](size_t index, llvm::StringRef query, bool) -> std::optional<std::string> {
        asked.push_back(query.str());
        return std::to_string(index * index);
      });
  ASSERT_EQ(outcomes.size(), 4u);
  for (size_t i = 0; i < 4; ++i)
    EXPECT_EQ(outcomes[i].result, std::to_string(i * i));
  EXPECT_EQ(asked.size(), 4u);
  EXPECT_EQ(pool.statistics().queries, 4u);
}

TEST(SandboxPool, DeferredQueryIsAnsweredAfterAnotherJobFinishes) {
  // Job 0 finishes without asking; jobs 1 and 2 ask and are deferred until
  // job 0's result is known, the way the evaluation pool holds a child whose
  // IR another child is already measuring.
  ProcessPool pool(3, shortLimits());
  bool zeroFinished = false;
  auto outcomes = pool.run(
      3,
      [](size_t index, ChildChannel &channel) -> std::string {
        if (index == 0) {
          usleep(50000);
          return "zero";
        }
        auto reply = channel.ask("what did zero say?");
        return reply ? *reply : "error";
      },
      [&](size_t, llvm::StringRef, bool mustAnswer) -> std::optional<std::string> {
        if (zeroFinished)
          return std::string("zero said zero");
        if (mustAnswer)
          return std::string("forced");
        return std::nullopt;
      },
      [&](size_t index, const JobOutcome &) {
        if (index == 0)
          zeroFinished = true;
      });
  EXPECT_EQ(outcomes[0].result, "zero");
  EXPECT_EQ(outcomes[1].result, "zero said zero");
  EXPECT_EQ(outcomes[2].result, "zero said zero");
  EXPECT_EQ(pool.statistics().deferredQueries, 2u);
}

TEST(SandboxPool, DeferringEveryQueryCannotDeadlock) {
  ProcessPool pool(2, shortLimits());
  auto outcomes = pool.run(
      4,
      [](size_t, ChildChannel &channel) -> std::string {
        auto reply = channel.ask("?");
        return reply ? *reply : "error";
      },
      [&](size_t, llvm::StringRef, bool mustAnswer) -> std::optional<std::string> {
        if (mustAnswer)
          return std::string("forced");
        return std::nullopt;
      });
  for (const JobOutcome &outcome : outcomes)
    EXPECT_EQ(outcome.result, "forced");
}

namespace {
void onAlarm(int) {}
} // namespace

TEST(SandboxPool, SignalsInterruptingTheParentAreHarmless) {
  // A timer signal without SA_RESTART makes poll, read and waitpid in the
  // control loop fail with EINTR again and again.
  struct sigaction action = {};
  action.sa_handler = onAlarm;
  sigemptyset(&action.sa_mask);
  struct sigaction previous;
  ASSERT_EQ(sigaction(SIGALRM, &action, &previous), 0);
  itimerval timer = {{0, 500}, {0, 500}};
  setitimer(ITIMER_REAL, &timer, nullptr);

  ProcessPool pool(2, shortLimits());
  auto outcomes = pool.run(40, [](size_t index, ChildChannel &) {
    usleep(2000);
    return std::string(100000 + index, 'r');
  });

  itimerval off = {};
  setitimer(ITIMER_REAL, &off, nullptr);
  sigaction(SIGALRM, &previous, nullptr);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_EQ(outcomes[i].end, JobEnd::Finished) << outcomes[i].message;
    EXPECT_EQ(outcomes[i].result.size(), 100000 + i);
  }
}

TEST(SandboxPool, NeverRunsMoreChildrenThanAllowed) {
  // Each child holds a lock file slot: O_EXCL creation of slot files counts
  // concurrent holders without any shared memory.
  char directory[] = "/tmp/optlm-pool-XXXXXX";
  ASSERT_NE(mkdtemp(directory), nullptr);
  std::string base = directory;
  ProcessPool pool(2, shortLimits());
  auto outcomes = pool.run(12, [&](size_t, ChildChannel &) -> std::string {
    for (int slot = 0; slot < 8; ++slot) {
      std::string path = base + "/slot" + std::to_string(slot);
      int fd = open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600);
      if (fd < 0)
        continue;
      close(fd);
      usleep(20000);
      unlink(path.c_str());
      return std::to_string(slot);
    }
    return "none";
  });
  for (const JobOutcome &outcome : outcomes) {
    ASSERT_EQ(outcome.end, JobEnd::Finished);
    EXPECT_TRUE(outcome.result == "0" || outcome.result == "1") << "slot " << outcome.result;
  }
  rmdir(directory);
}

TEST(SandboxPoolReuse, ChildrenTakeSeveralJobsEach) {
  ProcessPool pool(2, shortLimits(), /*jobsPerChild=*/5);
  auto outcomes = pool.run(20, [](size_t index, ChildChannel &) {
    std::string line = "job " + std::to_string(index) + "\n";
    (void)!write(STDERR_FILENO, line.data(), line.size());
    return std::to_string(getpid());
  });
  std::map<std::string, int> jobsByPid;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_EQ(outcomes[i].end, JobEnd::Finished) << outcomes[i].message;
    ++jobsByPid[outcomes[i].result];
    // Each job's output is its own, not its neighbour's in the same child.
    EXPECT_EQ(outcomes[i].capturedStderr, "job " + std::to_string(i) + "\n");
  }
  // A child retires after five jobs; which child takes which job depends on
  // who finishes first, so only the bounds are fixed.
  for (const auto &[pid, jobs] : jobsByPid)
    EXPECT_LE(jobs, 5) << pid;
  EXPECT_EQ(pool.statistics().forks, jobsByPid.size());
  EXPECT_GE(jobsByPid.size(), 4u);
  EXPECT_LE(jobsByPid.size(), 8u);
}

TEST(SandboxPoolReuse, FailureEndsOnlyItsJobAndItsChild) {
  Limits limits = shortLimits();
  limits.timeout = 300ms;
  ProcessPool pool(1, limits, /*jobsPerChild=*/4);
  auto outcomes = pool.run(10, [](size_t index, ChildChannel &) -> std::string {
    if (index == 2)
      raise(SIGSEGV);
    if (index == 5)
      llvm::report_fatal_error("fatal in a reused child");
    if (index == 7)
      sleep(10);
    return std::to_string(index);
  });
  for (size_t i = 0; i < outcomes.size(); ++i) {
    JobEnd expected = i == 2   ? JobEnd::Crashed
                      : i == 5 ? JobEnd::Fatal
                      : i == 7 ? JobEnd::TimedOut
                               : JobEnd::Finished;
    EXPECT_EQ(outcomes[i].end, expected) << i << ": " << outcomes[i].message;
    if (expected == JobEnd::Finished)
      EXPECT_EQ(outcomes[i].result, std::to_string(i));
  }
  // 0-2 | 3-5 | 6-7 | 8-9: a failed child is replaced by a fresh one.
  EXPECT_EQ(pool.statistics().forks, 4u);
}

TEST(SandboxPoolReuse, DeferredQueriesAreReofferedWhenAReusedChildFinishesAJob) {
  ProcessPool pool(2, shortLimits(), /*jobsPerChild=*/8);
  bool zeroFinished = false;
  auto outcomes = pool.run(
      4,
      [](size_t index, ChildChannel &channel) -> std::string {
        if (index == 0) {
          usleep(50000);
          return "zero";
        }
        auto reply = channel.ask("after zero?");
        return reply ? *reply : "error";
      },
      [&](size_t, llvm::StringRef, bool mustAnswer) -> std::optional<std::string> {
        if (zeroFinished)
          return std::string("yes");
        return mustAnswer ? std::optional<std::string>("forced") : std::nullopt;
      },
      [&](size_t index, const JobOutcome &) {
        if (index == 0)
          zeroFinished = true;
      });
  EXPECT_EQ(outcomes[0].result, "zero");
  for (size_t i = 1; i < 4; ++i)
    EXPECT_EQ(outcomes[i].result, "yes") << i;
}

TEST(SandboxPool, GarbageOnTheControlSocketFailsTheJob) {
  auto outcome = runOne(
      [](size_t, ChildChannel &) -> std::string {
        // Find the socket the pool gave this child and write a frame of no
        // known kind to it, as a job that scribbled over its descriptors might.
        for (int fd = 3; fd < 256; ++fd) {
          struct stat info;
          if (fstat(fd, &info) == 0 && S_ISSOCK(info.st_mode)) {
            const char garbage[] = "\x7f\x01\x00\x00\x00z";
            (void)!write(fd, garbage, sizeof garbage - 1);
          }
        }
        sleep(10);
        return "late";
      },
      shortLimits());
  EXPECT_EQ(outcome.end, JobEnd::Failed);
  EXPECT_NE(outcome.message.find("protocol error"), std::string::npos) << outcome.message;
  EXPECT_LT(outcome.wallTime, 1s);
}
