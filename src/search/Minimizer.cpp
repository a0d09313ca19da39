//===- Minimizer.cpp - the shortest list that keeps the size ----------------===//
#include "search/Minimizer.h"

#include "search/Random.h"

#include <algorithm>

namespace optlm::search {

llvm::Expected<MinimizedSequence> minimizeSequence(CandidateEvaluator &evaluator,
                                                   PassSequence passes, uint64_t binarySize,
                                                   uint64_t irHash,
                                                   llvm::ArrayRef<const PassInfo *> searchSpace,
                                                   const MinimizeOptions &options) {
  MinimizedSequence best{std::move(passes), binarySize, irHash, 0};

  // Drop passes to a fixpoint, in the manner of delta debugging: remove
  // runs of passes, halving the run length when no run can go, down to
  // single passes. Each round measures every run's removal in one parallel
  // batch, then tries to remove the harmless runs together (all of them,
  // then the better half, ...), falling back to the best single one. A list
  // built from -Oz's ninety passes shrinks in a few hundred evaluations
  // instead of the thousands that one pass at a time would take.
  auto measure = [&](std::vector<PassSequence> sequences) {
    auto measured = measureSequences(evaluator, std::move(sequences));
    if (measured)
      best.evaluations += measured->size();
    return measured;
  };
  auto apply = [&](ScoredSequence &&scored) {
    best.passes = std::move(scored.passes);
    best.binarySize = *scored.binarySize;
    best.irHash = scored.irHash;
  };
  // Measured, and no larger than the best so far.
  auto keepsSize = [&](const ScoredSequence &scored) {
    return scored.binarySize && *scored.binarySize <= best.binarySize;
  };
  auto dropPasses = [&]() -> llvm::Error {
    size_t runLength = std::max<size_t>(1, best.passes.size() / 2);
    while (best.passes.size() > 1) {
      const size_t length = best.passes.size();
      runLength = std::min(runLength, length - 1);
      std::vector<std::pair<size_t, size_t>> runs;
      std::vector<PassSequence> removals;
      for (size_t begin = 0; begin < length; begin += runLength) {
        const size_t end = std::min(length, begin + runLength);
        runs.push_back({begin, end});
        PassSequence shorter(best.passes.begin(), best.passes.begin() + begin);
        shorter.insert(shorter.end(), best.passes.begin() + end, best.passes.end());
        removals.push_back(std::move(shorter));
      }
      auto measured = measure(std::move(removals));
      if (!measured)
        return measured.takeError();
      std::vector<size_t> harmless;
      for (size_t i = 0; i < measured->size(); ++i)
        if (keepsSize((*measured)[i]))
          harmless.push_back(i);
      if (harmless.empty()) {
        if (runLength == 1)
          return llvm::Error::success();
        runLength = std::max<size_t>(1, runLength / 2);
        continue;
      }
      std::stable_sort(harmless.begin(), harmless.end(), [&](size_t a, size_t b) {
        return *(*measured)[a].binarySize < *(*measured)[b].binarySize;
      });
      bool applied = false;
      for (size_t take = harmless.size(); take > 1 && !applied; take /= 2) {
        std::vector<bool> drop(length, false);
        for (size_t k = 0; k < take; ++k)
          for (size_t i = runs[harmless[k]].first; i < runs[harmless[k]].second; ++i)
            drop[i] = true;
        PassSequence combined;
        for (size_t i = 0; i < length; ++i)
          if (!drop[i])
            combined.push_back(best.passes[i]);
        if (combined.empty())
          continue;
        auto together = measure({std::move(combined)});
        if (!together)
          return together.takeError();
        if (keepsSize(together->front())) {
          apply(std::move(together->front()));
          applied = true;
        }
      }
      if (!applied)
        apply(std::move((*measured)[harmless.front()]));
    }
    return llvm::Error::success();
  };

  if (llvm::Error error = dropPasses())
    return std::move(error);

  // Local search: each position with a few other passes, all in one batch;
  // keep the best strict improvement, then drop passes again.
  if (!searchSpace.empty() && !best.passes.empty() && options.replacementsPerPass > 0) {
    Random rng(options.seed);
    const size_t perPass =
        std::max<size_t>(1, std::min(options.replacementsPerPass,
                                     options.maxLocalSearchEvaluations / best.passes.size()));
    std::vector<PassSequence> variants;
    for (size_t i = 0; i < best.passes.size(); ++i)
      for (size_t k = 0; k < perPass; ++k) {
        const PassInfo *other = searchSpace[rng.below(searchSpace.size())];
        if (other == best.passes[i])
          continue;
        PassSequence variant = best.passes;
        variant[i] = other;
        variants.push_back(std::move(variant));
      }
    auto measured = measure(std::move(variants));
    if (!measured)
      return measured.takeError();
    std::optional<size_t> winner;
    for (size_t i = 0; i < measured->size(); ++i) {
      const ScoredSequence &m = (*measured)[i];
      if (m.binarySize && *m.binarySize < best.binarySize &&
          (!winner || *m.binarySize < *(*measured)[*winner].binarySize))
        winner = i;
    }
    if (winner) {
      apply(std::move((*measured)[*winner]));
      if (llvm::Error error = dropPasses())
        return std::move(error);
    }
  }
  return best;
}

} // namespace optlm::search
