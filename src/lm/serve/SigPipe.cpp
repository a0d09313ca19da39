//===- SigPipe.cpp - survive writes to closed connections -----------------===//
#include "lm/serve/SigPipe.h"

#include <ctime>
#include <pthread.h>

namespace optlm::lm {

static sigset_t sigPipeSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  return set;
}

SigPipeBlocker::SigPipeBlocker() {
  sigset_t pipe = sigPipeSet();
  sigset_t pending;
  sigemptyset(&pending);
  if (sigpending(&pending) == 0)
    WasPending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe, &PreviousMask);
}

SigPipeBlocker::~SigPipeBlocker() {
  if (!WasPending && !sigismember(&PreviousMask, SIGPIPE)) {
    sigset_t pipe = sigPipeSet();
    timespec noWait = {0, 0};
    // Pending signals of one kind merge, so one wait takes them all; a
    // second is only a guard against a process-directed SIGPIPE arriving
    // between the two calls.
    for (int i = 0; i < 2 && sigtimedwait(&pipe, nullptr, &noWait) == SIGPIPE; ++i) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &PreviousMask, nullptr);
}

} // namespace optlm::lm
