//===- BuildSteps.h - from IR to a running program, sandboxed ----*- C++ -*-===//
//
// The steps PassListEval and the program check share, each over many jobs
// at once in the sandbox's forked children (one job per child at a time,
// N children in parallel):
//   - compileSources: C source -> unoptimized bitcode file (clang-19, as
//     LLM Compiler's inputs were made);
//   - buildObjects: module + pipeline -> object file; the optimizer and the
//     code generator run in the child, so their crashes, fatal errors,
//     hangs and memory blow-ups become Failures;
//   - linkAndRun: object -> executable (clang-19) -> one run under limits.
// And compareRuns, the rule for "behaves the same".
//
// Call these from a thread no other thread forks or runs LLVM beside (the
// sandbox's rule).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"
#include "pipeline/Pipeline.h"
#include "verify/Outcome.h"
#include "verify/ProgramRunner.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace optlm::verify {

struct BuildLimits {
  unsigned jobs = 0; ///< 0: one per online core
  std::chrono::milliseconds compileTimeout{std::chrono::seconds(60)};
  uint64_t compileMemoryHeadroomBytes = uint64_t(2) << 30;
  std::chrono::milliseconds linkTimeout{std::chrono::seconds(60)};
  RunLimits run;
};

struct SourceJob {
  std::string sourcePath;
  std::string bitcodePath;
};

/// One entry per job: empty on success, else clang's one-line message.
std::vector<std::string> compileSources(llvm::ArrayRef<SourceJob> jobs, Target target,
                                        const BuildLimits &limits);

struct ObjectJob {
  const llvm::Module *module = nullptr;
  const Pipeline *pipeline = nullptr;
  std::string objectPath;
};

struct StepResult {
  Failure failure = Failure::None;
  std::string message;
};

/// Optimizes and emits each job's object file.
std::vector<StepResult> buildObjects(llvm::ArrayRef<ObjectJob> jobs, Target target,
                                     const BuildLimits &limits);

struct ExecJob {
  std::string objectPath;
  std::string executablePath;
  std::vector<std::string> arguments;
  std::string stdinPath;
};

struct ExecResult {
  /// None or LinkError; a program that misbehaves is judged by compareRuns.
  StepResult link;
  RunResult run; ///< meaningful when the link succeeded
};

/// Links each object into an executable and runs it once. The executable
/// is deleted after the run.
std::vector<ExecResult> linkAndRun(llvm::ArrayRef<ExecJob> jobs, Target target,
                                   const BuildLimits &limits);

/// The clang-19 arguments (after the program name) that link an object for
/// the target into an executable; `extra` are the target runner's
/// (TargetRunner::linkArguments: lld for a cross target).
std::vector<std::string> linkArguments(llvm::StringRef objectPath, llvm::StringRef executablePath,
                                       Target target, llvm::ArrayRef<std::string> extra = {});

/// Judges a candidate run against the reference run: a run past the time
/// limit, a new signal, another exit code or other stdout is a failure;
/// the message says where the output first differs.
StepResult compareRuns(const RunResult &reference, const RunResult &candidate);

/// The first line where two outputs differ, shortened to one line of text.
std::string describeDifference(llvm::StringRef expected, llvm::StringRef actual);

} // namespace optlm::verify
