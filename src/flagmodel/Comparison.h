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

} // namespace optlm::flagmodel
