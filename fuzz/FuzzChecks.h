//===- FuzzChecks.h - what the fuzz targets hold their code to -----*- C++ -*-===//
//
// A fuzz target that finds a broken promise says which one in the finding's
// log before it stops the run: a trap alone would leave only a stack.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/Error.h"

#include <cstdio>
#include <string>

namespace optlm::fuzz {

[[noreturn]] inline void fail(const char *what) {
  fprintf(stderr, "broken: %s\n", what);
  __builtin_trap();
}

/// The error's message, which must be one non-empty line: the command line
/// prints errors so.
inline std::string oneLineError(llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  if (message.empty() || message.find('\n') != std::string::npos) {
    fprintf(stderr, "[%s]\n", message.c_str());
    fail("an error message that is not one non-empty line");
  }
  return message;
}

} // namespace optlm::fuzz
