//===- ChildProcess.cpp - the child's side of a sandboxed job -------------===//
#include "sandbox/ChildProcess.h"
#include "sandbox/Frame.h"

#include "llvm/Support/ErrorHandling.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace optlm::sandbox {

// The handlers below run in the child only, where there is one thread and
// one control socket, so a plain static is the simplest correct home.
static int ControlSocket = -1;

static void writeStderr(const char *text) {
  size_t size = std::strlen(text);
  while (size > 0) {
    ssize_t written = ::write(STDERR_FILENO, text, size);
    if (written <= 0)
      return;
    text += written;
    size -= static_cast<size_t>(written);
  }
}

static bool looksLikeOutOfMemory(const char *reason) {
  return reason &&
         (std::strstr(reason, "out of memory") || std::strstr(reason, "Cannot allocate memory"));
}

[[noreturn]] static void leaveOutOfMemory(const char *reason) {
  writeStderr("optlm sandbox: out of memory: ");
  writeStderr(reason);
  writeStderr("\n");
  sendFrame(ControlSocket, FrameKind::OutOfMemory, reason, std::strlen(reason));
  _exit(OutOfMemoryExitCode);
}

static void onFatalError(void *, const char *reason, bool) {
  if (looksLikeOutOfMemory(reason))
    leaveOutOfMemory(reason);
  writeStderr("LLVM ERROR: ");
  writeStderr(reason ? reason : "");
  writeStderr("\n");
  sendFrame(ControlSocket, FrameKind::Fatal, reason ? reason : "",
            reason ? std::strlen(reason) : 0);
  _exit(FatalExitCode);
}

static void onBadAlloc(void *, const char *reason, bool) {
  leaveOutOfMemory(reason ? reason : "allocation failed");
}

static void onNewFailure() { leaveOutOfMemory("operator new failed"); }

uint64_t currentAddressSpace() {
  // statm's first field is the total program size in pages.
  FILE *statm = std::fopen("/proc/self/statm", "r");
  if (!statm)
    return 0;
  unsigned long long pages = 0;
  int fields = std::fscanf(statm, "%llu", &pages);
  std::fclose(statm);
  if (fields != 1)
    return 0;
  return pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

static void applyLimits(uint64_t addressSpaceLimit) {
  // A crashing child must not spend seconds writing a core file.
  struct rlimit noCore = {0, 0};
  setrlimit(RLIMIT_CORE, &noCore);
  if (addressSpaceLimit) {
    struct rlimit space = {addressSpaceLimit, addressSpaceLimit};
    setrlimit(RLIMIT_AS, &space);
  }
}

static void resetSignals() {
  // The parent may block or ignore signals; the job must die of its own
  // faults and of the pool's SIGKILL like any fresh process would.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int signal : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD})
    std::signal(signal, SIG_DFL);
}

void runChild(const ChildSetup &setup, size_t jobIndex, JobFunction job) {
  // Own process group, so that a timeout kills whatever the job spawned.
  setpgid(0, 0);
  // Die with the parent rather than run on unsupervised.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1)
    _exit(ProtocolExitCode);

  for (int fd : setup.toClose)
    ::close(fd);
  ControlSocket = setup.controlSocket;
  ::dup2(setup.outputPipe, STDOUT_FILENO);
  ::dup2(setup.outputPipe, STDERR_FILENO);
  if (setup.outputPipe != STDOUT_FILENO && setup.outputPipe != STDERR_FILENO)
    ::close(setup.outputPipe);

  resetSignals();
  applyLimits(setup.addressSpaceLimit);
  // LLVM's crash handler would otherwise spawn llvm-symbolizer for every
  // crash, which is slow and not needed for a record of what failed.
  ::setenv("LLVM_DISABLE_SYMBOLIZATION", "1", 1);

  llvm::remove_fatal_error_handler();
  llvm::install_fatal_error_handler(onFatalError, nullptr);
  llvm::remove_bad_alloc_error_handler();
  llvm::install_bad_alloc_error_handler(onBadAlloc, nullptr);
  std::set_new_handler(onNewFailure);

  ChildChannel channel(setup.controlSocket, setup.maxFrameBytes);
  for (;;) {
    std::string result = job(jobIndex, channel);
    if (!sendFrame(setup.controlSocket, FrameKind::Result, result.data(), result.size()))
      _exit(ProtocolExitCode);
    if (!setup.reusable)
      _exit(0);
    // A reusable child waits for its next job; the parent closing the
    // socket means there is none.
    llvm::Expected<Frame> next = receiveFrame(setup.controlSocket, setup.maxFrameBytes);
    if (!next) {
      llvm::consumeError(next.takeError());
      _exit(0);
    }
    if (next->kind != FrameKind::Run || next->payload.size() != sizeof jobIndex)
      _exit(ProtocolExitCode);
    std::memcpy(&jobIndex, next->payload.data(), sizeof jobIndex);
  }
}

llvm::Expected<std::string> ChildChannel::ask(llvm::StringRef query) {
  if (!sendFrame(Socket, FrameKind::Query, query.data(), query.size()))
    return llvm::createStringError("the pool is gone");
  llvm::Expected<Frame> reply = receiveFrame(Socket, MaxPayload);
  if (!reply)
    return reply.takeError();
  if (reply->kind != FrameKind::Reply)
    return llvm::createStringError("protocol error: expected a reply");
  return std::move(reply->payload);
}

} // namespace optlm::sandbox
