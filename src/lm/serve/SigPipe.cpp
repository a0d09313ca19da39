//===- SigPipe.cpp - survive writes to closed connections -----------------===//
#include "lm/serve/SigPipe.h"

#include <csignal>
#include <mutex>

namespace optlm::lm {

void ignoreSigPipe() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current = {};
    if (sigaction(SIGPIPE, nullptr, &current) != 0)
      return;
    if (!(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_DFL)
      std::signal(SIGPIPE, SIG_IGN);
  });
}

} // namespace optlm::lm
