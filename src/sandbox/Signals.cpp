//===- Signals.cpp - names of the signals that end a child ----------------===//
#include "sandbox/Signals.h"

#include <csignal>
#include <string.h>

namespace optlm::sandbox {

std::string signalName(int signal) {
  // sigabbrev_np (glibc >= 2.32) knows the platform's full list.
  if (const char *abbreviation = sigabbrev_np(signal))
    return std::string("SIG") + abbreviation;
  return "signal " + std::to_string(signal);
}

} // namespace optlm::sandbox
