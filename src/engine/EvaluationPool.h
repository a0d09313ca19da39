//===- EvaluationPool.h - many evaluations of one module, isolated -*- C++ -*-===//
//
// Evaluates batches of (pipeline, target) pairs on one parsed module, each
// in a forked child of the calling process (see sandbox/ProcessPool.h), at
// most N at a time, and returns the results in input order. A pass that
// segfaults, calls report_fatal_error, hangs or eats all memory yields a
// Crash, Fatal, Timeout or OutOfMemory result; the caller carries on.
//
// With the cache on (the default) the pool
//  - answers a (module, canonical pipeline, target) seen before without
//    forking, and evaluates duplicates within a batch once;
//  - skips code generation for optimized IR already measured: the child
//    optimizes, hashes the optimized module and asks the parent (through
//    the sandbox's query channel) whether that hash has a known object size
//    for the target. The parent answers from its cache, or holds the child
//    until a sibling that is measuring the same IR finishes, or says
//    "unknown" and the child runs code generation itself.
// Results are the same with the cache on or off, except for fromCache.
//
// Use from one thread; the module must outlive the pool and must not change
// while a batch runs.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "codegen/CompileSettings.h"
#include "engine/Evaluation.h"
#include "engine/EvaluationCache.h"
#include "pipeline/Pipeline.h"
#include "sandbox/ProcessPool.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/IR/Module.h"

#include <memory>
#include <optional>
#include <vector>

namespace optlm {

struct EvaluationRequest {
  Pipeline pipeline;
  Target target = Target::X86_64;
  /// When set, handed to PassBuilder as it is instead of `pipeline`: for
  /// pipelines outside optlm's vocabulary (LLVM's test passes, passes a
  /// newer vocabulary would reject). PassBuilder's own parse errors become
  /// InvalidPipeline results.
  std::string uncheckedText;

  static EvaluationRequest unchecked(std::string text, Target target) {
    return {Pipeline(), target, std::move(text)};
  }
  /// What the pipeline is called in results and cache keys.
  std::string text() const { return uncheckedText.empty() ? pipeline.text() : uncheckedText; }
};

struct EvaluationPoolOptions {
  /// Concurrent children; 0: one per online core.
  unsigned jobs = 0;
  /// Per-evaluation limits. The defaults suit modules the size of the
  /// bundled programs; a 2 GiB headroom covers LLVM on large modules.
  sandbox::Limits limits = defaultLimits();
  /// Evaluations one forked child may run before it exits. A child that
  /// finished an evaluation takes the next one, which saves the fork and,
  /// above all, the page faults of a fresh process (LLVM's code and a
  /// fresh heap), about half of what isolation costs otherwise; the price
  /// is that an evaluation runs in an LLVMContext that earlier evaluations
  /// in the same child have used, exactly as in an in-process loop. A child
  /// that failed in any way is never reused. 1: a fresh child for every
  /// evaluation, nothing carries over (see docs/isolation.md).
  unsigned evaluationsPerChild = 16;
  /// Whose compilation sizes are measured as: opt's and llc's, or clang's
  /// (a build's objects: `optlm cc`; codegen/CompileSettings.h).
  CompileAs compileAs = CompileAs::OptAndLlc;
  /// The module's hash when the caller has it already: it must be
  /// moduleHashCompiledAs(module, compileAs) (codegen/CompileSettings.h).
  /// Hashing prints the whole module, which costs as much as a small
  /// evaluation; unset, the pool hashes the module itself.
  std::optional<uint64_t> knownModuleHash;
  /// Result memo and IR-hash shortcut. Off: every request is evaluated from
  /// scratch, with code generation (what the benchmarks compare against).
  bool useCache = true;

  static sandbox::Limits defaultLimits();
};

struct EvaluationPoolStatistics {
  uint64_t requests = 0;
  uint64_t evaluated = 0;       ///< children forked
  uint64_t batchDuplicates = 0; ///< requests answered by an identical one in the same batch
  uint64_t codegenSkipped = 0;  ///< children told the object size of their IR
};

class EvaluationPool {
public:
  /// `cache` may be shared between pools (for example one per module); when
  /// null the pool keeps its own. Ignored when options.useCache is false.
  explicit EvaluationPool(const llvm::Module &module, EvaluationPoolOptions options = {},
                          EvaluationCache *cache = nullptr);
  ~EvaluationPool();

  /// One result per request, in request order.
  std::vector<EvaluationResult> evaluate(llvm::ArrayRef<EvaluationRequest> requests);

  /// The search loop's form: many pipelines, one target.
  std::vector<EvaluationResult> evaluate(llvm::ArrayRef<Pipeline> pipelines, Target target);

  /// One pipeline given as text in any form Pipeline::parse accepts; text
  /// that does not parse is an InvalidPipeline result.
  EvaluationResult evaluateText(llvm::StringRef pipelineText, Target target);

  /// The module's hash, keyed by the compile settings when they are not
  /// opt's and llc's (hashWithSettings): what results are cached under.
  uint64_t moduleHash() const { return ModuleHash; }
  const EvaluationPoolOptions &options() const { return Options; }
  const EvaluationPoolStatistics &statistics() const { return Statistics; }
  /// Null when the cache is off.
  const EvaluationCache *cache() const { return Cache; }
  const sandbox::PoolStatistics &sandboxStatistics() const { return Processes.statistics(); }

private:
  const llvm::Module &Module;
  EvaluationPoolOptions Options;
  /// How this module's passes and code generation are set up.
  CompileSettings Settings;
  uint64_t ModuleHash;
  std::unique_ptr<EvaluationCache> OwnCache;
  EvaluationCache *Cache = nullptr;
  sandbox::ProcessPool Processes;
  EvaluationPoolStatistics Statistics;
};

/// How a sandboxed job's end becomes an evaluation outcome (exposed for the
/// tests): crash -> Crash (message: the signal), fatal -> Fatal (LLVM's
/// message), time-out -> Timeout, out-of-memory -> OutOfMemory, an exit
/// without a result -> Fatal, a finished job -> its decoded result.
EvaluationResult resultFromJob(const sandbox::JobOutcome &outcome, llvm::StringRef pipelineText);

} // namespace optlm
