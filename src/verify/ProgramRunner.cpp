//===- ProgramRunner.cpp - run a built program under limits ----------------===//
#include "verify/ProgramRunner.h"

#include "llvm/Support/Errc.h"
#include "llvm/Support/FileSystem.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace optlm::verify {

using Clock = std::chrono::steady_clock;

std::string RunResult::endDescription() const {
  if (timedOut)
    return "timed out";
  if (signal != 0) {
    const char *name = sigabbrev_np(signal);
    return std::string("signal ") + (name ? std::string("SIG") + name : std::to_string(signal));
  }
  return "exit " + std::to_string(exitCode);
}

namespace {

/// A descriptor closed when it goes out of scope.
struct Descriptor {
  int fd = -1;
  Descriptor() = default;
  explicit Descriptor(int fd) : fd(fd) {}
  Descriptor(const Descriptor &) = delete;
  Descriptor &operator=(const Descriptor &) = delete;
  ~Descriptor() { reset(); }
  void reset() {
    if (fd >= 0)
      ::close(fd);
    fd = -1;
  }
};

llvm::Error systemError(const llvm::Twine &what) {
  return llvm::createStringError(std::error_code(errno, std::generic_category()),
                                 what + ": " + std::strerror(errno));
}

/// Appends what the pipe holds to `into` up to `capacity`; false at end of
/// file.
bool drain(int fd, std::string &into, size_t capacity, bool &truncated) {
  char buffer[16384];
  ssize_t count = ::read(fd, buffer, sizeof buffer);
  if (count < 0)
    return errno == EINTR || errno == EAGAIN;
  if (count == 0)
    return false;
  size_t room = capacity > into.size() ? capacity - into.size() : 0;
  size_t kept = std::min(room, static_cast<size_t>(count));
  into.append(buffer, kept);
  if (kept < static_cast<size_t>(count))
    truncated = true;
  return true;
}

} // namespace

llvm::Expected<RunResult> runProgram(llvm::StringRef program, llvm::ArrayRef<std::string> arguments,
                                     llvm::StringRef stdinPath, const RunLimits &limits,
                                     llvm::StringRef workingDirectory) {
  if (!llvm::sys::fs::can_execute(program))
    return llvm::createStringError(llvm::errc::permission_denied,
                                   "cannot execute '" + program + "'");
  if (!workingDirectory.empty() && !llvm::sys::fs::is_directory(workingDirectory))
    return llvm::createStringError(llvm::errc::no_such_file_or_directory,
                                   "folder '" + workingDirectory + "' does not exist");
  std::string inputPath = stdinPath.empty() ? "/dev/null" : stdinPath.str();
  Descriptor input(::open(inputPath.c_str(), O_RDONLY | O_CLOEXEC));
  if (input.fd < 0)
    return systemError("cannot open '" + inputPath + "' for the program's stdin");

  int outPipe[2], errPipe[2];
  if (::pipe2(outPipe, O_CLOEXEC) != 0)
    return systemError("pipe");
  Descriptor outRead(outPipe[0]), outWrite(outPipe[1]);
  if (::pipe2(errPipe, O_CLOEXEC) != 0)
    return systemError("pipe");
  Descriptor errRead(errPipe[0]), errWrite(errPipe[1]);

  // Everything the child touches between fork and exec is prepared here:
  // only async-signal-safe calls may run there.
  std::string programPath = program.str();
  std::string directory = workingDirectory.str();
  std::vector<char *> argv;
  argv.push_back(programPath.data());
  std::vector<std::string> argumentCopies(arguments.begin(), arguments.end());
  for (std::string &argument : argumentCopies)
    argv.push_back(argument.data());
  argv.push_back(nullptr);
  rlimit memory{limits.memoryBytes, limits.memoryBytes};

  pid_t parent = ::getpid();
  Clock::time_point start = Clock::now();
  pid_t pid = ::fork();
  if (pid < 0)
    return systemError("fork");
  if (pid == 0) {
    ::setpgid(0, 0);
    // The program leaves the caller's process group, so a sandbox that
    // kills the caller's group would miss it: it dies with its parent.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
      ::_exit(127);
    ::dup2(input.fd, STDIN_FILENO);
    ::dup2(outWrite.fd, STDOUT_FILENO);
    ::dup2(errWrite.fd, STDERR_FILENO);
    if (!directory.empty() && ::chdir(directory.c_str()) != 0)
      ::_exit(127);
    if (limits.memoryBytes != 0)
      ::setrlimit(RLIMIT_AS, &memory);
    // A core dump of a crashing miscompiled program is not wanted.
    rlimit noCore{0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore);
    ::execve(programPath.c_str(), argv.data(), environ);
    ::_exit(127);
  }
  // The parent sets the group too, so that a kill right after fork finds it.
  ::setpgid(pid, pid);
  input.reset();
  outWrite.reset();
  errWrite.reset();

  RunResult result;
  bool errorTruncated = false;
  bool outOpen = true, errOpen = true;
  Clock::time_point deadline = start + limits.timeout;
  while (outOpen || errOpen) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timedOut = true;
      break;
    }
    pollfd fds[2] = {{outOpen ? outRead.fd : -1, POLLIN, 0},
                     {errOpen ? errRead.fd : -1, POLLIN, 0}};
    int ready = ::poll(fds, 2, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR)
      break;
    if (ready <= 0)
      continue;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
      outOpen = drain(outRead.fd, result.output, limits.outputCapacity, result.outputTruncated);
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
      errOpen = drain(errRead.fd, result.errorOutput, limits.stderrCapacity, errorTruncated);
  }

  // Both pipes closed: the program (or whatever it left behind holding
  // them) is done writing; wait for its exit within the same deadline.
  int status = 0;
  while (!result.timedOut) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid)
      break;
    if (done < 0 && errno != EINTR) {
      result.timedOut = true; // cannot happen for our own child; be safe
      break;
    }
    if (Clock::now() >= deadline) {
      result.timedOut = true;
      break;
    }
    ::usleep(2000);
  }
  if (result.timedOut) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  } else {
    // Descendants the program left in its group must not outlive the run.
    ::kill(-pid, SIGKILL);
    if (WIFEXITED(status)) {
      result.exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      result.signal = WTERMSIG(status);
    }
  }
  result.wallTime = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  return result;
}

} // namespace optlm::verify
