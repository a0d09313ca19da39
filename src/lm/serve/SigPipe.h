//===- SigPipe.h - survive writes to closed connections ------------*- C++ -*-===//
//
// Debian's cpp-httplib sends with plain send(2), so writing to a connection
// the peer has closed can raise SIGPIPE, whose default action (and LLVM's
// handler in optlm's tools) ends the whole process. httplib's Server
// constructor sets SIGPIPE to "ignore" for the whole process; its client
// does nothing, so a program with only a RemoteGenerator would be at the
// mercy of a server dying mid-request.
//
// Rather than change the process-wide disposition behind the program's back,
// the HTTP code blocks SIGPIPE in the threads that write to sockets. The
// signal a failed send raises is directed at the sending thread, so while it
// is blocked it only becomes pending there, and the send fails with EPIPE as
// an ordinary error. The guard discards those pending signals when it ends.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <csignal>

namespace optlm::lm {

/// Blocks SIGPIPE in the current thread for its lifetime; threads started
/// meanwhile inherit the block. On destruction, SIGPIPEs raised meanwhile in
/// this thread are discarded and the previous mask is restored.
class SigPipeBlocker {
public:
  SigPipeBlocker();
  ~SigPipeBlocker();
  SigPipeBlocker(const SigPipeBlocker &) = delete;
  SigPipeBlocker &operator=(const SigPipeBlocker &) = delete;

private:
  sigset_t PreviousMask;
  /// A SIGPIPE that was already pending belongs to someone else: keep it.
  bool WasPending = false;
};

} // namespace optlm::lm
