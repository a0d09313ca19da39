//===- ResultsStore.h - every evaluation and tuned result, on disk -*- C++ -*-===//
//
// The autotuner's memory: an SQLite file holding every pipeline evaluation,
// every tuned result and every PassListEval verdict, keyed by what makes the
// result reproducible (module hash, canonical pipeline, target, LLVM
// version). A repeated or interrupted run finds its earlier work here instead
// of recomputing it, and several processes may write to one store at once.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "support/CacheFiles.h"

#include "engine/Evaluation.h"
#include "store/SqliteDatabase.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringSet.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace optlm {

/// What names the results this build produces and reads: LLVM's version as
/// optlm's engine runs it (support/ResultsVersion.h), the store's
/// llvm_version column.
llvm::StringRef resultsVersion();

/// The best verified pipeline known for one module and target.
struct TunedResult {
  uint64_t moduleHash = 0;
  Target target = Target::X86_64;
  std::string source;   ///< where the module came from (a path or corpus name)
  std::string pipeline; ///< canonical text of the best pipeline
  uint64_t binarySize = 0;
  uint64_t ozBinarySize = 0;
  std::string strategy;
  uint64_t evaluations = 0; ///< evaluations spent finding it
  uint64_t seed = 0;
  bool verified = false; ///< passed PassListEval (and the program check if asked)
};

/// PassListEval's verdict on one pipeline for one suite of programs.
struct PassListVerdict {
  std::string pipeline;
  Target target = Target::X86_64;
  std::string suiteId; ///< identifies the suite's programs (a hash of them)
  bool accepted = false;
  std::string details; ///< JSON: per-program outcome
};

struct StoreStats {
  uint64_t evaluations = 0;
  uint64_t modules = 0;
  uint64_t pipelines = 0;
  std::vector<std::pair<std::string, uint64_t>> evaluationsByOutcome;
  uint64_t tunedResults = 0;
  uint64_t verifiedTunedResults = 0;
  /// Mean of (ozSize - size) / ozSize over tuned results, in percent.
  double meanReductionVsOzPercent = 0;
  uint64_t verdicts = 0;
  uint64_t acceptedVerdicts = 0;
};

class ResultsStore {
public:
  /// Opens or creates a store; ":memory:" makes a private in-memory one.
  static llvm::Expected<std::unique_ptr<ResultsStore>> open(llvm::StringRef path);
  /// What a tool's --store option means: the store at path, or at
  /// defaultStorePath() when path is empty.
  static llvm::Expected<std::unique_ptr<ResultsStore>> openOrDefault(llvm::StringRef path);

  const std::string &path() const { return Path; }

  llvm::Expected<std::optional<EvaluationResult>> findEvaluation(const EvaluationKey &key);
  /// Records results in one transaction. A result already present for the
  /// same key is kept: evaluations are deterministic, so both are equal.
  llvm::Error recordEvaluations(llvm::ArrayRef<std::pair<EvaluationKey, EvaluationResult>> results);
  llvm::Error recordEvaluation(const EvaluationKey &key, const EvaluationResult &result);

  /// Keeps the better of the stored and the given result: verified beats
  /// unverified, then the smaller binary size.
  llvm::Error recordTuned(const TunedResult &result);
  llvm::Expected<std::optional<TunedResult>> findTuned(uint64_t moduleHash, Target target);
  llvm::Expected<std::vector<TunedResult>> allTuned();

  llvm::Error recordVerdict(const PassListVerdict &verdict);
  llvm::Expected<std::optional<PassListVerdict>>
  findVerdict(llvm::StringRef pipeline, Target target, llvm::StringRef suiteId);
  /// The pipelines with a verdict (either way) for the target under the
  /// suite and this LLVM: one query where many findVerdict calls would be.
  llvm::Expected<llvm::StringSet<>> pipelinesWithVerdict(Target target, llvm::StringRef suiteId);

  llvm::Expected<StoreStats> stats();

private:
  ResultsStore(std::unique_ptr<SqliteDatabase> db, std::string path)
      : Db(std::move(db)), Path(std::move(path)) {}
  llvm::Error createSchema();
  std::unique_ptr<SqliteDatabase> Db;
  std::string Path;
};

} // namespace optlm
