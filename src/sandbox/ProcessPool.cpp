//===- ProcessPool.cpp - run jobs in forked, limited children -------------===//
#include "sandbox/ProcessPool.h"
#include "sandbox/ChildProcess.h"
#include "sandbox/Frame.h"
#include "sandbox/Signals.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <list>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace optlm::sandbox {

using Clock = std::chrono::steady_clock;

llvm::StringRef jobEndName(JobEnd end) {
  switch (end) {
  case JobEnd::Finished:
    return "finished";
  case JobEnd::Crashed:
    return "crashed";
  case JobEnd::Fatal:
    return "fatal";
  case JobEnd::TimedOut:
    return "timed-out";
  case JobEnd::OutOfMemory:
    return "out-of-memory";
  case JobEnd::Failed:
    return "failed";
  }
  return "unknown";
}

ProcessPool::ProcessPool(unsigned maxConcurrent, Limits limits, unsigned jobsPerChild)
    : MaxConcurrent(maxConcurrent), JobsPerChild(std::max(1u, jobsPerChild)), JobLimits(limits) {
  if (MaxConcurrent == 0)
    MaxConcurrent = std::max(1u, std::thread::hardware_concurrency());
}

namespace {

/// A child the pool is supervising.
struct Running {
  size_t index;
  pid_t pid;
  int control = -1; ///< parent's end of the socket pair
  int output = -1;  ///< read end of the stdout/stderr pipe
  int pidfd = -1;   ///< readable once the child has exited; -1 if unsupported
  Clock::time_point start;
  Clock::time_point deadline;
  FrameDecoder decoder;
  std::optional<std::string> result;
  std::optional<std::string> fatalMessage;
  std::optional<std::string> outOfMemoryMessage;
  std::optional<std::string> protocolError;
  std::optional<std::string> parkedQuery;
  std::string output_text;
  bool outputTruncated = false;
  bool exited = false;
  int waitStatus = 0;
  /// Jobs this child has been given, the current one included.
  unsigned jobsGiven = 1;
  /// Finished its last job and was told there is no other: only waiting to
  /// be reaped, with no job to record.
  bool retired = false;

  Running(size_t index, pid_t pid, size_t maxFrame) : index(index), pid(pid), decoder(maxFrame) {}
};

void closeQuietly(int &fd) {
  if (fd >= 0) {
    // close() on Linux releases the descriptor even when it reports EINTR,
    // so retrying could close a descriptor someone else just opened.
    ::close(fd);
    fd = -1;
  }
}

void setNonBlocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0)
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/// A descriptor that polls readable once the process has exited, or -1
/// where the kernel lacks pidfds (before 5.3). Called through syscall()
/// because glibc 2.36's <sys/pidfd.h> is not usable from C++.
int openPidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  return -1;
#endif
}

pid_t waitForChild(pid_t pid, int &status) {
  for (;;) {
    pid_t reaped = ::waitpid(pid, &status, 0);
    if (reaped >= 0 || errno != EINTR)
      return reaped;
  }
}

/// Reads what is available from the child's output pipe, keeping at most
/// `capacity` bytes; a child that writes without end is drained and ignored.
void drainOutput(Running &child, size_t capacity) {
  char buffer[16 * 1024];
  while (child.output >= 0) {
    ssize_t got = ::read(child.output, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        closeQuietly(child.output);
      return;
    }
    if (got == 0) {
      closeQuietly(child.output);
      return;
    }
    size_t room = capacity - std::min(capacity, child.output_text.size());
    size_t kept = std::min(room, static_cast<size_t>(got));
    child.output_text.append(buffer, kept);
    if (kept < static_cast<size_t>(got))
      child.outputTruncated = true;
  }
}

/// The control loop's state for one run() call. Lives in the calling thread.
class PoolRun {
public:
  PoolRun(const Limits &limits, PoolStatistics &statistics, unsigned maxConcurrent,
          unsigned jobsPerChild, size_t jobCount, JobFunction job, QueryHandler onQuery,
          FinishHandler onFinish)
      : JobLimits(limits), Statistics(statistics), MaxConcurrent(maxConcurrent),
        JobsPerChild(jobsPerChild), JobCount(jobCount), Job(job), OnQuery(onQuery),
        OnFinish(onFinish), Outcomes(jobCount) {}

  std::vector<JobOutcome> run();

private:
  void startJob(size_t index);
  void readControl(Running &child);
  void handleFrame(Running &child, Frame frame);
  void answer(Running &child, const std::string &reply);
  void offerParkedQueries(bool mustAnswer);
  void killChild(Running &child);
  void finish(Running &child, bool timedOut);
  void completeInReusedChild(Running &child);
  void record(size_t index, JobOutcome outcome);
  size_t busyChildren() const;

  const Limits &JobLimits;
  PoolStatistics &Statistics;
  unsigned MaxConcurrent;
  unsigned JobsPerChild;
  size_t JobCount;
  size_t NextJob = 0;
  JobFunction Job;
  QueryHandler OnQuery;
  FinishHandler OnFinish;
  std::vector<JobOutcome> Outcomes;
  std::list<Running> Children;
  uint64_t AddressSpaceLimit = 0;
};

} // namespace

void PoolRun::record(size_t index, JobOutcome outcome) {
  ++Statistics.jobs;
  ++Statistics.byEnd[static_cast<int>(outcome.end)];
  Outcomes[index] = std::move(outcome);
  if (OnFinish)
    OnFinish(index, Outcomes[index]);
}

void PoolRun::startJob(size_t index) {
  auto failed = [&](const char *what) {
    JobOutcome outcome;
    outcome.end = JobEnd::Failed;
    outcome.message = std::string(what) + ": " + std::strerror(errno);
    record(index, std::move(outcome));
  };

  int sockets[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0)
    return failed("socketpair");
  int pipeEnds[2];
  if (::pipe2(pipeEnds, O_CLOEXEC) != 0) {
    failed("pipe");
    ::close(sockets[0]);
    ::close(sockets[1]);
    return;
  }

  // The child closes the parent's ends of every other running job, so that
  // no child keeps another's channel open.
  std::vector<int> toClose = {sockets[0], pipeEnds[0]};
  for (const Running &other : Children) {
    for (int fd : {other.control, other.output, other.pidfd})
      if (fd >= 0)
        toClose.push_back(fd);
  }

  ++Statistics.forks;
  pid_t pid = ::fork();
  if (pid == 0) {
    ChildSetup setup{
        sockets[1],      pipeEnds[1], toClose, AddressSpaceLimit, JobLimits.maxFrameBytes,
        JobsPerChild > 1};
    runChild(setup, index, Job);
  }
  ::close(sockets[1]);
  ::close(pipeEnds[1]);
  if (pid < 0) {
    failed("fork");
    ::close(sockets[0]);
    ::close(pipeEnds[0]);
    return;
  }

  Running &child = Children.emplace_back(index, pid, JobLimits.maxFrameBytes);
  child.control = sockets[0];
  child.output = pipeEnds[0];
  child.pidfd = openPidfd(pid);
  if (child.pidfd >= 0)
    ::fcntl(child.pidfd, F_SETFD, FD_CLOEXEC);
  setNonBlocking(child.control);
  setNonBlocking(child.output);
  child.start = Clock::now();
  child.deadline = child.start + JobLimits.timeout;
}

void PoolRun::answer(Running &child, const std::string &reply) {
  std::string bytes = encodeFrame(FrameKind::Reply, reply);
  // The child is blocked reading, and replies are far smaller than a socket
  // buffer; a send that would block means the child is not behaving.
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(child.control, bytes.data() + sent, bytes.size() - sent,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (!child.exited)
        child.protocolError = std::string("could not reply to the child: ") + std::strerror(errno);
      return;
    }
    sent += static_cast<size_t>(n);
  }
}

void PoolRun::handleFrame(Running &child, Frame frame) {
  switch (frame.kind) {
  case FrameKind::Result:
    child.result = std::move(frame.payload);
    if (JobsPerChild > 1)
      completeInReusedChild(child);
    return;
  case FrameKind::Fatal:
    child.fatalMessage = std::move(frame.payload);
    return;
  case FrameKind::OutOfMemory:
    child.outOfMemoryMessage = std::move(frame.payload);
    return;
  case FrameKind::Query: {
    ++Statistics.queries;
    if (!OnQuery) {
      answer(child, "");
      return;
    }
    std::optional<std::string> reply = OnQuery(child.index, frame.payload, /*mustAnswer=*/false);
    if (reply) {
      answer(child, *reply);
      return;
    }
    ++Statistics.deferredQueries;
    child.parkedQuery = std::move(frame.payload);
    return;
  }
  case FrameKind::Reply:
  case FrameKind::Run:
    child.protocolError = "protocol error: the child sent a parent's frame";
    return;
  }
}

size_t PoolRun::busyChildren() const {
  return std::count_if(Children.begin(), Children.end(),
                       [](const Running &child) { return !child.retired; });
}

void PoolRun::completeInReusedChild(Running &child) {
  // Whatever the job printed was written before its result was sent, so it
  // is in the pipe now and belongs to this job, not the next.
  drainOutput(child, JobLimits.stderrCapacity);
  JobOutcome outcome;
  outcome.end = JobEnd::Finished;
  outcome.result = std::move(*child.result);
  outcome.capturedStderr = std::move(child.output_text);
  outcome.stderrTruncated = child.outputTruncated;
  outcome.wallTime =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - child.start);
  child.result.reset();
  child.output_text.clear();
  child.outputTruncated = false;
  child.parkedQuery.reset();
  record(child.index, std::move(outcome));

  if (child.jobsGiven < JobsPerChild && NextJob < JobCount) {
    size_t index = NextJob++;
    std::string bytes = encodeFrame(
        FrameKind::Run, llvm::StringRef(reinterpret_cast<const char *>(&index), sizeof index));
    if (sendAll(child.control, bytes.data(), bytes.size())) {
      child.index = index;
      ++child.jobsGiven;
      child.start = Clock::now();
      child.deadline = child.start + JobLimits.timeout;
      return;
    }
    // The child is gone: the job goes to a fresh child instead.
    --NextJob;
  }
  // No next job for this child: closing the socket tells it to exit. It
  // has a short grace period before it is killed like any other.
  child.retired = true;
  closeQuietly(child.control);
  child.deadline = Clock::now() + std::chrono::seconds(5);
}

void PoolRun::readControl(Running &child) {
  char buffer[64 * 1024];
  while (child.control >= 0 && !child.protocolError) {
    ssize_t got = ::read(child.control, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        closeQuietly(child.control);
      break;
    }
    if (got == 0) {
      closeQuietly(child.control);
      break;
    }
    child.decoder.append(buffer, static_cast<size_t>(got));
    for (;;) {
      llvm::Expected<std::optional<Frame>> frame = child.decoder.next();
      if (!frame) {
        child.protocolError = llvm::toString(frame.takeError());
        break;
      }
      if (!*frame)
        break;
      handleFrame(child, std::move(**frame));
    }
  }
}

void PoolRun::offerParkedQueries(bool mustAnswer) {
  for (Running &child : Children) {
    if (!child.parkedQuery)
      continue;
    std::optional<std::string> reply = OnQuery(child.index, *child.parkedQuery, mustAnswer);
    if (!reply && mustAnswer)
      reply = "";
    if (reply) {
      child.parkedQuery.reset();
      answer(child, *reply);
    }
  }
}

void PoolRun::killChild(Running &child) {
  // The whole group: a job may have spawned helpers of its own.
  ::kill(-child.pid, SIGKILL);
  ::kill(child.pid, SIGKILL);
}

void PoolRun::finish(Running &child, bool timedOut) {
  if (!child.exited) {
    if (waitForChild(child.pid, child.waitStatus) == child.pid)
      child.exited = true;
  }
  // Frames and output written before the exit are still in the buffers.
  readControl(child);
  drainOutput(child, JobLimits.stderrCapacity);
  closeQuietly(child.control);
  closeQuietly(child.output);
  closeQuietly(child.pidfd);
  if (child.retired)
    return;

  JobOutcome outcome;
  outcome.wallTime =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - child.start);
  outcome.capturedStderr = std::move(child.output_text);
  outcome.stderrTruncated = child.outputTruncated;
  int status = child.waitStatus;
  bool signaled = child.exited && WIFSIGNALED(status);
  bool exitedNormally = child.exited && WIFEXITED(status);
  if (exitedNormally)
    outcome.exitStatus = WEXITSTATUS(status);
  auto mentionsOutOfMemory = [&](llvm::StringRef text) {
    return text.contains("std::bad_alloc") || text.contains("out of memory") ||
           text.contains("Cannot allocate memory");
  };

  if (timedOut) {
    outcome.end = JobEnd::TimedOut;
    outcome.message =
        "wall-clock limit of " + std::to_string(JobLimits.timeout.count()) + " ms reached";
  } else if (child.protocolError) {
    outcome.end = JobEnd::Failed;
    outcome.message = *child.protocolError;
  } else if (child.outOfMemoryMessage ||
             (exitedNormally && outcome.exitStatus == OutOfMemoryExitCode)) {
    outcome.end = JobEnd::OutOfMemory;
    outcome.message =
        "memory limit reached: " + child.outOfMemoryMessage.value_or("allocation failed");
  } else if (child.fatalMessage || (exitedNormally && outcome.exitStatus == FatalExitCode)) {
    outcome.end = JobEnd::Fatal;
    outcome.message = child.fatalMessage.value_or("fatal error");
  } else if (signaled) {
    outcome.signal = WTERMSIG(status);
    // With RLIMIT_AS set, a failed allocation often ends as an abort from
    // an uncaught std::bad_alloc; its message tells the two apart.
    if (JobLimits.memoryHeadroomBytes && mentionsOutOfMemory(outcome.capturedStderr)) {
      outcome.end = JobEnd::OutOfMemory;
      outcome.message = "memory limit reached (" + signalName(outcome.signal) + ")";
    } else {
      outcome.end = JobEnd::Crashed;
      outcome.message = signalName(outcome.signal);
    }
  } else if (exitedNormally && outcome.exitStatus == 0 && child.result) {
    outcome.end = JobEnd::Finished;
    outcome.result = std::move(*child.result);
  } else if (exitedNormally) {
    outcome.end = JobEnd::Failed;
    outcome.message =
        "exited with status " + std::to_string(outcome.exitStatus) + " without a result";
  } else {
    outcome.end = JobEnd::Failed;
    outcome.message = "the child could not be reaped";
  }
  record(child.index, std::move(outcome));
}

std::vector<JobOutcome> PoolRun::run() {
  if (JobLimits.memoryHeadroomBytes) {
    uint64_t inherited = currentAddressSpace();
    AddressSpaceLimit = inherited + JobLimits.memoryHeadroomBytes;
  }
  std::vector<pollfd> pollSet;
  std::vector<Running *> pollOwner;

  while (NextJob < JobCount || !Children.empty()) {
    while (busyChildren() < MaxConcurrent && NextJob < JobCount)
      startJob(NextJob++);
    if (Children.empty())
      continue;

    pollSet.clear();
    pollOwner.clear();
    Clock::time_point now = Clock::now();
    Clock::time_point earliest = Children.front().deadline;
    bool needsReapPolling = false;
    for (Running &child : Children) {
      earliest = std::min(earliest, child.deadline);
      for (int fd : {child.control, child.output, child.pidfd}) {
        if (fd < 0)
          continue;
        pollSet.push_back({fd, POLLIN, 0});
        pollOwner.push_back(&child);
      }
      if (child.pidfd < 0)
        needsReapPolling = true;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(earliest - now) +
                std::chrono::milliseconds(1);
    int timeout = static_cast<int>(std::clamp<int64_t>(wait.count(), 0, 60'000));
    // Without pidfds an exit is only noticed by asking.
    if (needsReapPolling)
      timeout = std::min(timeout, 5);
    uint64_t recordedBefore = Statistics.jobs;
    int ready = ::poll(pollSet.data(), pollSet.size(), timeout);
    if (ready < 0 && errno != EINTR)
      ready = 0; // treat like a timeout: deadlines still get enforced

    for (size_t i = 0; ready > 0 && i < pollSet.size(); ++i) {
      if (!pollSet[i].revents)
        continue;
      Running &child = *pollOwner[i];
      int fd = pollSet[i].fd;
      if (fd == child.control)
        readControl(child);
      else if (fd == child.output)
        drainOutput(child, JobLimits.stderrCapacity);
      else if (fd == child.pidfd) {
        int status = 0;
        if (::waitpid(child.pid, &status, WNOHANG) == child.pid) {
          child.exited = true;
          child.waitStatus = status;
        }
      }
    }

    now = Clock::now();
    for (auto it = Children.begin(); it != Children.end();) {
      Running &child = *it;
      if (!child.exited && child.pidfd < 0) {
        int status = 0;
        if (::waitpid(child.pid, &status, WNOHANG) == child.pid) {
          child.exited = true;
          child.waitStatus = status;
        }
      }
      bool timedOut = !child.exited && now >= child.deadline;
      if (timedOut || child.protocolError)
        killChild(child);
      if (child.exited || timedOut || child.protocolError) {
        finish(child, timedOut);
        it = Children.erase(it);
        continue;
      }
      ++it;
    }

    if (OnQuery) {
      bool anyParked = std::any_of(Children.begin(), Children.end(),
                                   [](const Running &r) { return r.parkedQuery; });
      if (anyParked) {
        // Deferring is only safe while some child can still finish and so
        // change the handler's mind.
        bool allParked = std::all_of(Children.begin(), Children.end(), [](const Running &r) {
          return r.retired || r.parkedQuery.has_value();
        });
        // A finished job may change the handler's mind.
        bool anyFinished = Statistics.jobs != recordedBefore;
        if (anyFinished || allParked)
          offerParkedQueries(/*mustAnswer=*/allParked);
      }
    }
  }
  return std::move(Outcomes);
}

std::vector<JobOutcome> ProcessPool::run(size_t jobCount, JobFunction job, QueryHandler onQuery,
                                         FinishHandler onFinish) {
  PoolRun state(JobLimits, Statistics, MaxConcurrent, JobsPerChild, jobCount, job, onQuery,
                onFinish);
  return state.run();
}

} // namespace optlm::sandbox
