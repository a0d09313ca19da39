//===- Signals.h - names of the signals that end a child ---------*- C++ -*-===//
//
// Crash records name the signal ("SIGSEGV"), not just its number, so that a
// reader of a report need not know the platform's numbering.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <string>

namespace optlm::sandbox {

/// "SIGSEGV", "SIGABRT", ...; "signal N" for numbers without a name.
std::string signalName(int signal);

} // namespace optlm::sandbox
