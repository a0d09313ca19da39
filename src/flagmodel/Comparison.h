//===- Comparison.h - the flag-tuning model against its baselines -*- C++ -*-===//
//
// How the model is judged, on modules it never saw (the held-out packages):
// every library list and every baseline list is measured on each module
// once, and each way of choosing K lists is scored on that table as the
// paper scores flag tuning: the mean reduction in binary size against -Oz
// with -Oz as backup (and without it), the share of the autotuner's
// reduction on the same modules, and the compilations it spends per module.
// The ways compared:
//   model            the neighbours' greedy cover (FlagModel::propose)
//   fixed set        the greedy cover of all training modules (no features)
//   most frequent    the K most frequent training labels (the paper's
//                    broadcast order)
//   random           K library lists drawn at random (mean of several draws)
//   adaptive         3 lists of the fixed set, then the rest by the training
//                    modules those lists treated alike (followUpLists)
//   library          every library list (its ceiling, L compilations)
//
// Held-out sets are a few dozen units of a dozen packages, and one unit whose
// -Oz output is bloated can carry a fifth of a mean: every share comes with
// the interval a package bootstrap gives it (packageBootstrap), and two
// models are compared unit by unit on the same draws, not by their means.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "flagmodel/FlagModel.h"
#include "flagmodel/TrainingData.h"

#include "llvm/ADT/ArrayRef.h"

#include <string>
#include <vector>

namespace optlm::flagmodel {

struct StrategyScore {
  std::string name;
  double compilations = 0;             ///< lists compiled per module (-Oz not counted)
  double reductionPercent = 0;         ///< with -Oz backup
  double reductionNoBackupPercent = 0; ///< the best list alone, even if larger
  double shareOfAutotuner = 0;         ///< reduction / the labels' reduction
  size_t modulesImproved = 0;
  /// Per module (parallel to the input's modules): the reduction against
  /// -Oz with -Oz backup, in percent; what intervals are drawn from.
  std::vector<double> moduleReductionPercent;
};

struct ComparisonInput {
  const FlagModel *model = nullptr;
  /// Held-out modules measured under `lists` (scores parallel to lists).
  llvm::ArrayRef<MeasuredModule> modules;
  llvm::ArrayRef<std::string> lists;
  /// The most frequent training labels, most frequent first (all in lists).
  llvm::ArrayRef<std::string> mostFrequent;
  /// The autotuner's label reduction per module (parallel to modules).
  llvm::ArrayRef<double> labelReductionPercent;
  unsigned proposals = 10;
  unsigned randomDraws = 20;
  uint64_t seed = 0;
};

/// One row per way of choosing, in the order of the file comment, with the
/// model also at 1 and 3 lists.
std::vector<StrategyScore> compareStrategies(const ComparisonInput &input);

struct BootstrapInput {
  /// Per module, parallel: a choice's reduction against -Oz (percent), the
  /// autotuner's, and the package (split group) the module belongs to.
  llvm::ArrayRef<double> reductionPercent;
  llvm::ArrayRef<double> labelReductionPercent;
  llvm::ArrayRef<std::string> groups;
  /// When given (parallel too): another choice's reductions, subtracted,
  /// so that the interval is that of the difference of the two shares.
  llvm::ArrayRef<double> subtractedReductionPercent;
  /// The interval's central probability, in (0, 1).
  double level = 0.9;
  unsigned draws = 2000;
  uint64_t seed = 0;
};

struct ShareInterval {
  double share = 0; ///< on the modules as they are (a difference when subtracting)
  double low = 0, high = 0;
  /// The share of draws in which the value was above 0 (with a subtracted
  /// choice: in which the first choice won).
  double aboveZero = 0;
};

/// The share of the autotuner's reduction and its interval when the
/// held-out packages are drawn again, as many as there are, with
/// replacement, each bringing all its modules: units of one package are
/// alike, so drawing units alone would understate the spread.
/// Deterministic for a seed.
ShareInterval packageBootstrap(const BootstrapInput &input);

} // namespace optlm::flagmodel
