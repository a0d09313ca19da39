//===- PassListEval.h - reject pass lists that break programs ----*- C++ -*-===//
//
// LLM Compiler's labels were checked with PassListEval: a pass list is kept
// only if it compiles every program of a suite of self-checking programs
// without crashing the compiler and every program still behaves. Here, for
// each pipeline and each suite program:
//   1. the program's unoptimized IR is made as LLM Compiler's inputs were
//      (clang-19 -Oz -Xclang -disable-llvm-passes, see ir/SourceCompiler.h);
//   2. the pipeline is applied and the object emitted in a sandboxed child
//      (a crash, fatal error, hang, memory blow-up or invalid IR there is
//      the verdict's reason, not the caller's problem);
//   3. clang-19 links the object into an executable, which runs with a time
//      limit;
//   4. its stdout and exit code are compared with the reference: the same
//      program built from the same unoptimized IR with no passes, and, for
//      programs that have one, their .expected file.
// A pipeline is accepted when every program passes. Steps 1 and the
// reference builds happen once per PassListEval; all (pipeline, program)
// pairs of a batch run in parallel over the sandbox's children.
//
// Verdicts are cached in a ResultsStore under (canonical pipeline, target,
// suite id); a cached verdict is answered without compiling anything.
// Verdicts decided by a time limit are not cached (see Outcome.h).
//
// Only programs built for the host can run: x86-64. For other targets
// create() fails with an error that says so.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"
#include "pipeline/Pipeline.h"
#include "verify/Outcome.h"
#include "verify/ProgramRunner.h"
#include "verify/Suite.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace optlm {
class ResultsStore;
}

namespace optlm::verify {

struct PassListEvalOptions {
  /// Suite folders; empty: defaultSuiteDirectories().
  std::vector<std::string> suiteDirectories;
  Target target = Target::X86_64;
  /// Parallel children; 0: one per online core.
  unsigned jobs = 0;
  /// Limits of one optimization plus code generation.
  std::chrono::milliseconds compileTimeout{std::chrono::seconds(60)};
  uint64_t compileMemoryHeadroomBytes = uint64_t(2) << 30;
  /// Limits of one program run (and of one link, with its own timeout).
  RunLimits run;
  std::chrono::milliseconds linkTimeout{std::chrono::seconds(60)};
  /// Caches verdicts; may be null.
  ResultsStore *store = nullptr;
  /// Evaluate the suite in chunks of `jobs` programs and stop at the first
  /// chunk with a failure; the remaining programs are reported as NotRun.
  /// Faster for callers that only need accepted/rejected (tuning).
  bool stopAtFirstFailure = false;
};

/// PassListEval's answer for one pipeline.
struct Verdict {
  std::string pipeline; ///< canonical text
  Target target = Target::X86_64;
  std::string suiteId;
  bool accepted = false;
  /// One entry per suite program, in suite order.
  std::vector<ProgramOutcome> programs;
  /// Answered from the results store.
  bool fromStore = false;

  /// The first failure; nullptr when accepted.
  const ProgramOutcome *firstFailure() const;
  /// One line: "accepted (20 programs)" or
  /// "rejected: regex: wrong-output (line 3: ...)" plus how many others failed.
  std::string summary() const;
};

struct PassListEvalStatistics {
  uint64_t verdictsRequested = 0;
  uint64_t verdictsFromStore = 0;
  /// Sources compiled to IR (at most once per program).
  uint64_t sourceCompilations = 0;
  /// Optimize-and-emit jobs run in the sandbox, references included.
  uint64_t objectCompilations = 0;
  /// Programs linked and run, references included.
  uint64_t programRuns = 0;
};

class PassListEval {
public:
  /// Loads the suite (reading files only: nothing is compiled until a
  /// verdict needs it). Errors: bad suite folders, a target whose programs
  /// cannot run on this host.
  static llvm::Expected<std::unique_ptr<PassListEval>> create(PassListEvalOptions options);
  ~PassListEval();

  /// The verdict on one pipeline. An Error means the check could not run
  /// (clang-19 missing, a suite program that does not compile, whose
  /// reference build misbehaves or disagrees with its .expected file, the
  /// store failing), never that the pipeline is bad.
  llvm::Expected<Verdict> evaluate(const Pipeline &pipeline);

  /// Several pipelines, all programs of all of them in parallel; verdicts
  /// in input order.
  llvm::Expected<std::vector<Verdict>> evaluate(llvm::ArrayRef<Pipeline> pipelines);

  const Suite &suite() const { return TheSuite; }
  const PassListEvalOptions &options() const { return Options; }
  const PassListEvalStatistics &statistics() const { return Statistics; }

private:
  struct Workspace;
  PassListEval(PassListEvalOptions options, Suite suite);
  llvm::Error prepare();
  llvm::Expected<std::vector<Verdict>> evaluateUncached(llvm::ArrayRef<Pipeline> pipelines);

  PassListEvalOptions Options;
  Suite TheSuite;
  std::unique_ptr<Workspace> Work;
  PassListEvalStatistics Statistics;
};

/// Programs for `target` can be run on this host: directly, or under
/// qemu-user (TargetRunner.h). The error says why not.
llvm::Error checkTargetCanRun(Target target);

/// Where verdicts made elsewhere were made: the suite's id and the LLVM
/// version of the compiler that ran it. A verdict carries over only when
/// both are this machine's.
struct VerdictOrigin {
  std::string suiteId;
  std::string llvmVersion;

  bool operator==(const VerdictOrigin &) const = default;
};

/// This optlm's origin for verdicts on `suite` (the store's resultsVersion()).
VerdictOrigin verdictOrigin(const Suite &suite);

/// This machine's origin for verdicts on the default suite
/// (defaultSuiteDirectories): reads the suite's files, compiles nothing.
llvm::Expected<VerdictOrigin> defaultVerdictOrigin();

/// Records `pipelines` (canonical texts) as accepted in `store`, for
/// `target`, when `origin` is this machine's default suite and LLVM
/// version: verdicts shipped with a model, made when it was trained, so a
/// fresh store does not run the suite again for each of its lists. Lists
/// the store already has a verdict for are left as they are. Returns how
/// many were recorded; 0 when the origin differs (nothing carries over, and
/// PassListEval runs as usual).
llvm::Expected<size_t> recordAcceptedVerdicts(ResultsStore &store, Target target,
                                              llvm::ArrayRef<std::string> pipelines,
                                              const VerdictOrigin &origin);

/// The store's record of a verdict and back (details: JSON of the
/// per-program outcomes).
std::string verdictDetailsJson(const Verdict &verdict);
llvm::Expected<std::vector<ProgramOutcome>> programOutcomesFromJson(llvm::StringRef details);

} // namespace optlm::verify
