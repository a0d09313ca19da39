//===- Minimizer.cpp - the shortest list that keeps the size ----------------===//
#include "search/Minimizer.h"

#include "search/Random.h"

#include <algorithm>

namespace optlm::search {

namespace {

struct Measured {
  bool ok = false;
  uint64_t size = 0;
  uint64_t irHash = 0;
};

llvm::Expected<std::vector<Measured>>
measureAll(CandidateEvaluator &evaluator,
           const std::vector<PassSequence> &sequences, uint64_t &evaluations) {
  std::vector<Pipeline> pipelines;
  pipelines.reserve(sequences.size());
  for (const PassSequence &passes : sequences)
    pipelines.push_back(Pipeline::fromPasses(passes));
  auto results = evaluator.evaluate(pipelines);
  if (!results)
    return results.takeError();
  evaluations += sequences.size();
  std::vector<Measured> measured(results->size());
  for (size_t i = 0; i < results->size(); ++i) {
    const EvaluationResult &result = (*results)[i];
    if (result.outcome == Outcome::Ok && result.measurement)
      measured[i] = {true, result.measurement->binarySize,
                     result.measurement->irHash};
  }
  return measured;
}

} // namespace

llvm::Expected<MinimizedSequence>
minimizeSequence(CandidateEvaluator &evaluator, PassSequence passes,
                 uint64_t binarySize, uint64_t irHash,
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
  auto apply = [&](PassSequence passes, const Measured &m) {
    best.passes = std::move(passes);
    best.binarySize = m.size;
    best.irHash = m.irHash;
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
      auto measured = measureAll(evaluator, removals, best.evaluations);
      if (!measured)
        return measured.takeError();
      std::vector<size_t> harmless;
      for (size_t i = 0; i < measured->size(); ++i)
        if ((*measured)[i].ok && (*measured)[i].size <= best.binarySize)
          harmless.push_back(i);
      if (harmless.empty()) {
        if (runLength == 1)
          return llvm::Error::success();
        runLength = std::max<size_t>(1, runLength / 2);
        continue;
      }
      std::stable_sort(harmless.begin(), harmless.end(), [&](size_t a, size_t b) {
        return (*measured)[a].size < (*measured)[b].size;
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
        auto together = measureAll(evaluator, {combined}, best.evaluations);
        if (!together)
          return together.takeError();
        if (together->front().ok && together->front().size <= best.binarySize) {
          apply(std::move(combined), together->front());
          applied = true;
        }
      }
      if (!applied)
        apply(std::move(removals[harmless.front()]), (*measured)[harmless.front()]);
    }
    return llvm::Error::success();
  };

  if (llvm::Error error = dropPasses())
    return std::move(error);

  // Local search: each position with a few other passes, all in one batch;
  // keep the best strict improvement, then drop passes again.
  if (!searchSpace.empty() && !best.passes.empty() &&
      options.replacementsPerPass > 0) {
    Random rng(options.seed);
    const size_t perPass = std::max<size_t>(
        1, std::min(options.replacementsPerPass,
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
    auto measured = measureAll(evaluator, variants, best.evaluations);
    if (!measured)
      return measured.takeError();
    std::optional<size_t> winner;
    for (size_t i = 0; i < measured->size(); ++i) {
      const Measured &m = (*measured)[i];
      if (m.ok && m.size < best.binarySize &&
          (!winner || m.size < (*measured)[*winner].size))
        winner = i;
    }
    if (winner) {
      best.passes = std::move(variants[*winner]);
      best.binarySize = (*measured)[*winner].size;
      best.irHash = (*measured)[*winner].irHash;
      if (llvm::Error error = dropPasses())
        return std::move(error);
    }
  }
  return best;
}

} // namespace optlm::search
