//===- Tuner.h - find the pass list with the smallest binary -----*- C++ -*-===//
//
// One tuning run on one module: evaluate -Oz, spend the budget on the
// strategy's proposals in fixed-size batches, minimize the best candidates,
// verify them, and answer the first one that is smaller than -Oz and passes
// verification. A rejected candidate is not the end of its line: the passes
// its rejection needs are found by delta debugging, and the candidate without
// one of them is measured and verified in turn, because a long search tends
// to fill its best places with relatives of one miscompiling list. Nothing
// smaller than -Oz that passes means the answer is -Oz itself: a tuning run
// never makes a program larger than -Oz does.
//
// The batch size is fixed, not tied to the number of parallel jobs, so the
// sequence of evaluations, and so the result, depends only on the seed.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/CandidateEvaluator.h"
#include "search/Minimizer.h"
#include "search/SearchStrategy.h"
#include "search/Verdict.h"
#include "store/ResultsStore.h"

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
  /// A rejected candidate is repaired: delta debugging finds the passes the
  /// rejection needs, and the candidate without one of them (every
  /// occurrence) joins the candidates if it is still smaller than -Oz.
  /// Repairs of repairs go this many levels deep.
  unsigned repairDepth = 2;
  /// Candidates verified in all (leaders and repaired variants).
  size_t maxVerifications = 16;
  /// Delta debugging trials in all (verifications of shortened lists): at
  /// most one per pass of each rejected list, and never more than this.
  uint64_t maxRepairTrials = 100;
  /// Lists known to be good for this module (a model's proposals): measured
  /// before the strategy's own, within the budget, so that the search
  /// starts where the model ends and its answer is never worse than the
  /// best of them; the evolutionary search breeds from them.
  std::vector<PassSequence> seeds;
};

struct TuneProgress {
  uint64_t evaluations = 0; ///< search and minimization so far
  uint64_t budget = 0;
  uint64_t bestSize = 0;
  uint64_t ozSize = 0;
  double seconds = 0;
  llvm::StringRef phase; ///< "search", "minimize", "verify", "repair"
};

struct VerifiedCandidate {
  std::string pipeline; ///< canonical text
  uint64_t binarySize = 0;
  Verdict verdict;
};

/// One of the best distinct programs a search saw, as found.
struct SearchLeader {
  std::string pipeline; ///< canonical text (not minimized, not verified)
  uint64_t binarySize = 0;
};

struct TuneResult {
  Pipeline best; ///< -Oz when nothing smaller passed
  bool isOz = false;
  uint64_t binarySize = 0;
  uint64_t ozSize = 0;
  /// The best size the search saw before minimization and verification.
  uint64_t searchBestSize = 0;
  /// The search's best distinct programs (one per optimized IR, at most
  /// candidatesToVerify), smallest first: the lists it would have answered
  /// besides the winner, which often suit other programs.
  std::vector<SearchLeader> leaders;
  std::string strategy;
  uint64_t seed = 0;
  uint64_t searchEvaluations = 0;
  uint64_t minimizeEvaluations = 0;
  /// Spent measuring repaired variants of rejected candidates.
  uint64_t repairEvaluations = 0;
  /// Verifications spent finding which passes a rejection needs.
  uint64_t repairTrials = 0;
  /// True when a verifier accepted the answer (-Oz needs no verdict and
  /// counts as verified when a verifier was given).
  bool verified = false;
  bool verificationRan = false;
  std::vector<VerifiedCandidate> verification;
  double wallSeconds = 0;

  /// (oz - size) / oz in percent; positive is smaller than -Oz.
  double reductionVsOzPercent() const;
  /// The run as the results store records it: the label of `moduleHash`.
  TunedResult storeRecord(uint64_t moduleHash, Target target, std::string source) const;
  /// Search, minimization and repair: every evaluation the run asked for
  /// after the baseline.
  uint64_t evaluations() const {
    return searchEvaluations + minimizeEvaluations + repairEvaluations;
  }
};

/// Runs one tuning session. `verify` may be empty (no verification);
/// `progress` is called after every batch.
llvm::Expected<TuneResult> tune(CandidateEvaluator &evaluator, StrategyContext context,
                                const TuneOptions &options, const VerifyFunction &verify = {},
                                llvm::function_ref<void(const TuneProgress &)> progress = nullptr);

} // namespace optlm::search
