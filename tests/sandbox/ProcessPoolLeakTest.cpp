//===- ProcessPoolLeakTest.cpp - thousands of jobs leave nothing behind ----===//
#include "sandbox/ProcessPool.h"

#include "llvm/Support/ErrorHandling.h"

#include "gtest/gtest.h"

#include <cerrno>
#include <csignal>
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace optlm::sandbox;
using namespace std::chrono_literals;

static size_t openDescriptorCount() {
  size_t count = 0;
  DIR *directory = opendir("/proc/self/fd");
  if (!directory)
    return 0;
  while (dirent *entry = readdir(directory))
    if (entry->d_name[0] != '.')
      ++count;
  closedir(directory);
  return count;
}

TEST(SandboxPoolLeaks, TwoThousandMixedJobsLeaveNoChildrenAndNoDescriptors) {
  size_t descriptorsBefore = openDescriptorCount();
  Limits limits;
  // Long enough that a loaded machine's fork never reaches it (a job that
  // finishes must end Finished), short enough for the 20 sleepers.
  limits.timeout = 1s;
  limits.memoryHeadroomBytes = 512u << 20;
  ProcessPool pool(4, limits);
  constexpr size_t jobCount = 2000;
  auto outcomes = pool.run(
      jobCount,
      [](size_t index, ChildChannel &channel) -> std::string {
        switch (index % 100) {
        case 1:
          raise(SIGSEGV);
          break;
        case 2:
          llvm::report_fatal_error("fatal on purpose");
        case 3:
          sleep(10); // killed at the limit
          break;
        case 4:
          _exit(7);
        case 5: {
          auto reply = channel.ask("ping");
          return reply ? *reply : "no reply";
        }
        }
        return std::to_string(index);
      },
      [](size_t, llvm::StringRef, bool) -> std::optional<std::string> {
        return std::string("pong");
      });

  ASSERT_EQ(outcomes.size(), jobCount);
  size_t finished = 0;
  for (size_t i = 0; i < jobCount; ++i) {
    const JobOutcome &outcome = outcomes[i];
    switch (i % 100) {
    case 1:
      ASSERT_EQ(outcome.end, JobEnd::Crashed) << i;
      break;
    case 2:
      ASSERT_EQ(outcome.end, JobEnd::Fatal) << i;
      break;
    case 3:
      ASSERT_EQ(outcome.end, JobEnd::TimedOut) << i;
      break;
    case 4:
      ASSERT_EQ(outcome.end, JobEnd::Failed) << i;
      break;
    case 5:
      ASSERT_EQ(outcome.result, "pong") << i;
      break;
    default:
      ASSERT_EQ(outcome.end, JobEnd::Finished) << i << ": " << outcome.message;
      ASSERT_EQ(outcome.result, std::to_string(i));
      ++finished;
    }
  }
  EXPECT_EQ(finished, jobCount - 5 * (jobCount / 100));

  // No child is left to reap: every one was waited for.
  int status = 0;
  errno = 0;
  EXPECT_EQ(waitpid(-1, &status, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  EXPECT_EQ(openDescriptorCount(), descriptorsBefore);
}

TEST(SandboxPoolLeaks, ReusedChildrenLeaveNoChildrenAndNoDescriptors) {
  size_t descriptorsBefore = openDescriptorCount();
  Limits limits;
  // Long enough that a loaded machine's fork never reaches it (a job that
  // finishes must end Finished), short enough for the 20 sleepers.
  limits.timeout = 1s;
  ProcessPool pool(3, limits, /*jobsPerChild=*/7);
  constexpr size_t jobCount = 1000;
  auto outcomes = pool.run(jobCount, [](size_t index, ChildChannel &) -> std::string {
    if (index % 50 == 1)
      raise(SIGSEGV);
    if (index % 50 == 2)
      sleep(10);
    return std::to_string(index);
  });
  for (size_t i = 0; i < jobCount; ++i) {
    JobEnd expected = i % 50 == 1   ? JobEnd::Crashed
                      : i % 50 == 2 ? JobEnd::TimedOut
                                    : JobEnd::Finished;
    ASSERT_EQ(outcomes[i].end, expected) << i << ": " << outcomes[i].message;
  }
  EXPECT_LT(pool.statistics().forks, jobCount / 3);
  int status = 0;
  errno = 0;
  EXPECT_EQ(waitpid(-1, &status, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  EXPECT_EQ(openDescriptorCount(), descriptorsBefore);
}
