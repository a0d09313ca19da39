//===- Evaluation.h - what one pipeline evaluation yields --------*- C++ -*-===//
//
// The result types shared by the in-process evaluator (evaluate a pipeline on
// a module in this process) and the sandboxed pool (the same, in a forked
// child that may crash, hang or run out of memory without harming the
// caller).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace optlm {

/// The targets optlm compiles for. Anything else is a usage error.
enum class Target { X86_64, AArch64 };

llvm::StringRef targetTriple(Target target); ///< "x86_64-unknown-linux-gnu", ...
/// Accepts the triple or a short name ("x86_64", "x86-64", "aarch64", "arm64").
llvm::Expected<Target> parseTarget(llvm::StringRef text);

/// The target to work for: `option` when the user gave one (parseTarget),
/// else the one the input IR file was written for when it is one of the
/// two, else x86-64 (sources, IR for other targets or without a triple,
/// which are retargeted as llc's -mtriple would).
llvm::Expected<Target> targetForInput(llvm::StringRef option, bool optionGiven,
                                      llvm::StringRef inputPath);

/// How much smaller than -Oz's a binary is, in percent (negative when it is
/// larger): the paper's measure of a pass list. 0 when there is no -Oz size.
inline double reductionVsOzPercent(uint64_t binarySize, uint64_t ozSize) {
  return ozSize == 0 ? 0.0 : 100.0 * (double(ozSize) - double(binarySize)) / double(ozSize);
}

/// The same for a size already divided by -Oz's (the flag model's scores).
inline double reductionVsOzPercent(double sizeOverOz) { return 100.0 * (1.0 - sizeOverOz); }

/// What identifies an evaluation's result: the same unoptimized module, the
/// same canonical pipeline and the same target always give the same result.
struct EvaluationKey {
  uint64_t moduleHash = 0; ///< hash of the unoptimized input module
  std::string pipeline;    ///< canonical text (Pipeline::text())
  Target target = Target::X86_64;

  friend bool operator<(const EvaluationKey &a, const EvaluationKey &b) {
    return std::tie(a.moduleHash, a.pipeline, a.target) <
           std::tie(b.moduleHash, b.pipeline, b.target);
  }
};

/// The facts measured for one optimized module.
struct Measurement {
  /// The paper's binary size: the .text plus .data columns of llvm-size's
  /// Berkeley format (all allocatable read-only/executable sections, and all
  /// allocatable writable sections with contents).
  uint64_t binarySize = 0;
  uint64_t textSize = 0;
  uint64_t dataSize = 0;
  uint64_t bssSize = 0;
  /// Every allocatable section of the object file, name -> bytes.
  std::map<std::string, uint64_t> sections;
  uint64_t instructionCount = 0; ///< IR instructions after optimization
  uint64_t basicBlockCount = 0;
  uint64_t functionCount = 0; ///< defined functions
  /// Hash of the optimized module's textual IR: equal hashes mean identical IR,
  /// and so identical object code.
  uint64_t irHash = 0;
};

/// How an evaluation ended. Only Ok carries a Measurement.
enum class Outcome {
  Ok,
  InvalidPipeline, ///< the pipeline text did not parse or names unknown passes
  InvalidIR,       ///< the optimized module failed the verifier
  Crash,           ///< the evaluating process died from a signal
  Fatal,           ///< LLVM reported a fatal error (report_fatal_error) and exited
  Timeout,         ///< wall-clock limit reached
  OutOfMemory,     ///< memory limit reached
};

llvm::StringRef outcomeName(Outcome outcome); ///< "ok", "invalid-pipeline", ...

struct EvaluationResult {
  Outcome outcome = Outcome::Ok;
  std::optional<Measurement> measurement; ///< set iff outcome == Ok
  std::string pipeline;                   ///< canonical pipeline text
  /// What went wrong, in one line where possible: the verifier's or LLVM's
  /// message, the signal's name, the limit that was hit.
  std::string message;
  /// Whatever the evaluation wrote to stderr (LLVM prints crash reports
  /// there), truncated to a few KiB.
  std::string capturedStderr;
  bool fromCache = false;
};

} // namespace optlm
