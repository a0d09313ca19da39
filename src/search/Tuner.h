//===- Tuner.h - find the pass list with the smallest binary -----*- C++ -*-===//
//
// One tuning run on one module: evaluate -Oz, spend the budget on the
// strategy's proposals in fixed-size batches, minimize the best candidates,
// verify them, and answer the first one that is smaller than -Oz and passes
// verification. Nothing smaller than -Oz that passes means the answer is
// -Oz itself: a tuning run never makes a program larger than -Oz does.
//
// The batch size is fixed, not tied to the number of parallel jobs, so the
// sequence of evaluations, and so the result, depends only on the seed.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/CandidateEvaluator.h"
#include "search/Minimizer.h"
#include "search/SearchStrategy.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <functional>
#include <optional>

namespace optlm::search {

struct TuneOptions {
  std::string strategy = defaultStrategyName().str();
  /// Search evaluations (the -Oz baseline and minimization come on top).
  uint64_t budget = 1000;
  /// Stop proposing after this long, even with budget left.
  std::optional<double> timeLimitSeconds;
  uint64_t seed = 0;
  size_t batchSize = 32;
  bool minimize = true;
  /// How many of the best distinct candidates may be tried, in order, when
  /// verification rejects the better ones.
  size_t candidatesToVerify = 4;
};

/// A verifier's answer about one pipeline.
struct Verdict {
  bool accepted = false;
  std::string reason; ///< why it was rejected, one line
};

/// Checks that a pipeline preserves behaviour (PassListEval and, if asked,
/// the program-level check). An error means the check itself could not run.
using VerifyFunction = std::function<llvm::Expected<Verdict>(const Pipeline &)>;

struct TuneProgress {
  uint64_t evaluations = 0; ///< search and minimization so far
  uint64_t budget = 0;
  uint64_t bestSize = 0;
  uint64_t ozSize = 0;
  double seconds = 0;
  llvm::StringRef phase; ///< "search", "minimize", "verify"
};

struct VerifiedCandidate {
  std::string pipeline; ///< canonical text
  uint64_t binarySize = 0;
  Verdict verdict;
};

struct TuneResult {
  Pipeline best;          ///< -Oz when nothing smaller passed
  bool isOz = false;
  uint64_t binarySize = 0;
  uint64_t ozSize = 0;
  /// The best size the search saw before minimization and verification.
  uint64_t searchBestSize = 0;
  std::string strategy;
  uint64_t seed = 0;
  uint64_t searchEvaluations = 0;
  uint64_t minimizeEvaluations = 0;
  /// True when a verifier accepted the answer (-Oz needs no verdict and
  /// counts as verified when a verifier was given).
  bool verified = false;
  bool verificationRan = false;
  std::vector<VerifiedCandidate> verification;
  double wallSeconds = 0;

  /// (oz - size) / oz in percent; positive is smaller than -Oz.
  double reductionVsOzPercent() const;
};

/// Runs one tuning session. `verify` may be empty (no verification);
/// `progress` is called after every batch.
llvm::Expected<TuneResult>
tune(CandidateEvaluator &evaluator, StrategyContext context,
     const TuneOptions &options, const VerifyFunction &verify = {},
     llvm::function_ref<void(const TuneProgress &)> progress = nullptr);

} // namespace optlm::search
