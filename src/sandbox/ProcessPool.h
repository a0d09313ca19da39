//===- ProcessPool.h - run jobs in forked, limited children ------*- C++ -*-===//
//
// Runs jobs, each in its own child forked from the calling process, at most
// N at a time. Forking per job means the child starts with everything the
// parent already holds (a parsed module, copy-on-write) and that whatever
// the job does to its memory (LLVM passes mutating global state, crashing,
// leaking) dies with it.
//
// Every child runs under a wall-clock limit (SIGKILL to its process group on
// expiry, then reaped) and an address-space limit (setrlimit RLIMIT_AS);
// LLVM's fatal-error, bad-alloc and new handlers are replaced in the child
// so that their messages reach the parent. stdout and stderr are captured
// through a pipe, keeping the first few KiB.
//
// The control loop runs entirely in the calling thread (poll over sockets,
// pipes and pidfds; no helper threads, no SIGCHLD handler), because forking
// a process that has other threads running inside LLVM is unsafe. Call run()
// from a process that has no other threads doing work.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "sandbox/ChildChannel.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace optlm::sandbox {

struct Limits {
  /// Wall-clock time from fork to exit.
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  /// Address space a child may add to what it inherits from the parent at
  /// the fork (RLIMIT_AS is set to the inherited size plus this); 0: none.
  uint64_t memoryHeadroomBytes = 0;
  /// Captured stdout+stderr beyond this is read and dropped.
  size_t stderrCapacity = 8 * 1024;
  /// A frame larger than this is a protocol error.
  size_t maxFrameBytes = 64 * 1024 * 1024;
};

/// How a job ended.
enum class JobEnd {
  Finished,    ///< the job returned and its result arrived
  Crashed,     ///< killed by a signal it raised (SIGSEGV, SIGABRT, ...)
  Fatal,       ///< LLVM's report_fatal_error
  TimedOut,    ///< killed by the pool at the wall-clock limit
  OutOfMemory, ///< an allocation failed under the memory limit
  Failed,      ///< anything else: exit without a result, broken protocol,
               ///< fork failure
};

llvm::StringRef jobEndName(JobEnd end); ///< "finished", "crashed", ...

struct JobOutcome {
  JobEnd end = JobEnd::Failed;
  std::string result;  ///< the job's bytes; set iff end == Finished
  std::string message; ///< one line: the signal, the fatal message, the limit
  int signal = 0;      ///< for Crashed
  int exitStatus = -1; ///< when the child exited normally
  std::string capturedStderr;
  bool stderrTruncated = false;
  std::chrono::microseconds wallTime{0};
};

/// Runs in the child. Its return value is sent to the parent as the result.
using JobFunction = llvm::function_ref<std::string(size_t jobIndex, ChildChannel &channel)>;

/// Runs in the parent when a child asks something. Returning std::nullopt
/// defers the answer: the query is offered again each time a job finishes,
/// and with mustAnswer set once deferring could only deadlock.
using QueryHandler = llvm::function_ref<std::optional<std::string>(
    size_t jobIndex, llvm::StringRef query, bool mustAnswer)>;

/// Runs in the parent as each job ends, before later jobs start.
using FinishHandler = llvm::function_ref<void(size_t jobIndex, const JobOutcome &outcome)>;

struct PoolStatistics {
  uint64_t jobs = 0;
  uint64_t forks = 0;
  uint64_t queries = 0;
  uint64_t deferredQueries = 0;
  uint64_t byEnd[6] = {};
};

class ProcessPool {
public:
  /// maxConcurrent 0 means one child per online core. jobsPerChild 1 forks
  /// a fresh child for every job; larger values let a child that finished
  /// a job take the next one, up to that many, which saves the fork and the
  /// child's page faults but lets a job see what earlier jobs in the same
  /// child left in memory (as consecutive calls in one process would). A
  /// child that fails in any way is never reused.
  explicit ProcessPool(unsigned maxConcurrent = 0, Limits limits = {}, unsigned jobsPerChild = 1);

  /// Runs jobs 0 .. jobCount-1, returning their outcomes in index order.
  /// Never throws and never leaves a child behind: every child is reaped
  /// and every descriptor closed before run() returns.
  std::vector<JobOutcome> run(size_t jobCount, JobFunction job, QueryHandler onQuery = nullptr,
                              FinishHandler onFinish = nullptr);

  unsigned maxConcurrent() const { return MaxConcurrent; }
  unsigned jobsPerChild() const { return JobsPerChild; }
  const Limits &limits() const { return JobLimits; }
  const PoolStatistics &statistics() const { return Statistics; }

private:
  unsigned MaxConcurrent;
  unsigned JobsPerChild;
  Limits JobLimits;
  PoolStatistics Statistics;
};

} // namespace optlm::sandbox
