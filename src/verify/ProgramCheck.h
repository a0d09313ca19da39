//===- ProgramCheck.h - does the tuned program still behave? -----*- C++ -*-===//
//
// The program-level check behind `optlm tune --check`: when the input being
// tuned is itself a program (it defines main), build it with the tuned
// pipeline, run it with the user's arguments and stdin, and compare stdout
// and exit code with its reference build.
//
// The reference is the same unoptimized IR with no passes applied, compiled
// by the same code generator and linked the same way, not `clang-19 -O0` of
// the source: it works the same for .c, .ll and .bc inputs, and the pipeline
// is then the only difference between the two executables. (Undefined
// behaviour in the program can still make both differ from -O0.)
//
// The reference is built and run once by create(); check() builds and runs
// one candidate, in a sandboxed child like PassListEval's.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"
#include "pipeline/Pipeline.h"
#include "verify/Outcome.h"
#include "verify/ProgramRunner.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Module;
}

namespace optlm::verify {

struct ProgramCheckOptions {
  Target target = Target::X86_64;
  std::vector<std::string> arguments; ///< argv[1..] of both runs
  std::string stdinPath;              ///< empty: /dev/null
  RunLimits run;
  std::chrono::milliseconds compileTimeout{std::chrono::seconds(60)};
  uint64_t compileMemoryHeadroomBytes = uint64_t(2) << 30;
  std::chrono::milliseconds linkTimeout{std::chrono::seconds(60)};
};

struct CheckResult {
  std::string pipeline; ///< canonical text
  bool accepted = false;
  ProgramOutcome outcome;
  RunResult candidate; ///< empty when the build failed
  /// "accepted" or "rejected: wrong-output (...)".
  std::string summary() const;
};

class ProgramCheck {
public:
  /// Loads the program (.c, .cpp, .ll, .bc, as the tuner does), builds and
  /// runs the reference. Errors: unreadable input, no main, a target that
  /// cannot run here, a reference that cannot be built or times out.
  static llvm::Expected<std::unique_ptr<ProgramCheck>> create(llvm::StringRef programPath,
                                                              ProgramCheckOptions options);
  /// The same for a module already loaded (it is copied; the caller keeps
  /// it).
  static llvm::Expected<std::unique_ptr<ProgramCheck>> create(const llvm::Module &module,
                                                              ProgramCheckOptions options);
  ~ProgramCheck();

  llvm::Expected<CheckResult> check(const Pipeline &pipeline);
  /// The same for a module optimized already (the linked parts of a split
  /// run): built with no passes, run, and compared with the reference.
  llvm::Expected<CheckResult> checkOptimized(const llvm::Module &optimized);

  const RunResult &reference() const { return Reference; }
  const ProgramCheckOptions &options() const { return Options; }

private:
  struct Workspace;
  ProgramCheck(ProgramCheckOptions options);
  llvm::Error prepare(const llvm::Module &module);
  llvm::Expected<CheckResult> build(const llvm::Module &module, const Pipeline &pipeline);

  ProgramCheckOptions Options;
  std::unique_ptr<Workspace> Work;
  RunResult Reference;
};

/// One-shot form: create() then check().
llvm::Expected<CheckResult> checkProgram(llvm::StringRef programPath, const Pipeline &pipeline,
                                         const ProgramCheckOptions &options);

/// True when the module defines a function named main.
bool definesMain(const llvm::Module &module);

} // namespace optlm::verify
