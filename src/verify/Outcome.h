//===- Outcome.h - how one program fared under one pipeline ------*- C++ -*-===//
//
// The vocabulary of verification results, shared by PassListEval (many
// programs) and the program check (one program): what went wrong first on
// the way from pipeline to a program that prints what it printed before.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace optlm::verify {

/// Why a pipeline failed on a program, in the order the steps happen.
enum class Failure {
  None,
  InvalidPipeline, ///< LLVM's pass builder rejected the pipeline
  Crash,           ///< the optimizer or code generator died from a signal
  Fatal,           ///< LLVM reported a fatal error
  Timeout,         ///< the optimizer or code generator did not finish in time
  OutOfMemory,     ///< the optimizer or code generator hit the memory limit
  InvalidIR,       ///< the optimized module failed the verifier
  CodegenError,    ///< the code generator reported an error
  LinkError,       ///< clang-19 could not link the object into a program
  RunTimeout,      ///< the program did not end within the run limit
  RunCrash,        ///< the program died from a signal it did not die from before
  WrongExitCode,   ///< it exited with another code than the reference
  WrongOutput,     ///< it printed something else than the reference
  NotRun,          ///< skipped: an earlier program already rejected the pipeline
};

/// "none", "invalid-pipeline", "crash", "fatal", "timeout", ...
llvm::StringRef failureName(Failure failure);
std::optional<Failure> failureFromName(llvm::StringRef name);

/// A failure that depends on a time limit rather than on the pipeline alone
/// (a slower machine or a larger limit could decide otherwise).
bool isTimeLimited(Failure failure);

/// One program's result under one pipeline.
struct ProgramOutcome {
  std::string program;
  Failure failure = Failure::None;
  /// One line: LLVM's message, the linker's first error, or where the
  /// output first differs from the reference.
  std::string message;

  bool passed() const { return failure == Failure::None; }
};

} // namespace optlm::verify
