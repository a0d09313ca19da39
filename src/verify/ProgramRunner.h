//===- ProgramRunner.h - run a built program under limits --------*- C++ -*-===//
//
// Verification runs programs that optimization may have broken: they can
// loop forever, print without end, eat memory or die from a signal. The
// runner forks and execs one program in a process group of its own, feeds
// it a file (or nothing) on stdin, keeps a bounded prefix of its stdout,
// and kills the whole group when the wall-clock limit passes. Nothing a
// program does can hang or flood the caller.
//
// Runs are also how verification calls clang-19 to link, so the linker is
// under the same limits, and how a corpus compiles the entries of a
// compilation database (in each entry's folder).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace optlm::verify {

struct RunLimits {
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  /// RLIMIT_AS of the program; 0: none.
  uint64_t memoryBytes = uint64_t(2) << 30;
  /// stdout beyond this is read and dropped (and the run marked truncated).
  size_t outputCapacity = 1 << 20;
  /// stderr is kept for messages only; beyond this it is dropped.
  size_t stderrCapacity = 4 * 1024;
};

/// How a run ended and what it printed.
struct RunResult {
  bool timedOut = false;
  /// Set when the program was killed by a signal it raised (not by the
  /// runner's time limit).
  int signal = 0;
  /// The exit status when the program exited normally; -1 otherwise.
  int exitCode = -1;
  std::string output; ///< stdout, up to outputCapacity bytes
  bool outputTruncated = false;
  std::string errorOutput; ///< stderr, up to stderrCapacity bytes
  std::chrono::microseconds wallTime{0};

  bool exitedNormally() const { return !timedOut && signal == 0; }
  /// "exit 0", "signal SIGSEGV", "timed out after 10 s".
  std::string endDescription() const;
};

/// Runs `program` with `arguments` (argv[1..]) and the environment of this
/// process, in `workingDirectory` (empty: this process's). `stdinPath` empty
/// means /dev/null. An Error means the program could not be started at all
/// (no such file or folder, fork failure, unreadable stdin file); everything
/// the program itself does is in the RunResult. Call from a thread that no
/// other thread forks concurrently with.
llvm::Expected<RunResult> runProgram(llvm::StringRef program, llvm::ArrayRef<std::string> arguments,
                                     llvm::StringRef stdinPath, const RunLimits &limits,
                                     llvm::StringRef workingDirectory = {});

} // namespace optlm::verify
