//===- Minimizer.cpp - the shortest list that keeps the size ----------------===//
#include "search/Minimizer.h"

#include "search/Random.h"

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

PassSequence without(const PassSequence &passes, size_t index) {
  PassSequence shorter = passes;
  shorter.erase(shorter.begin() + index);
  return shorter;
}

} // namespace

llvm::Expected<MinimizedSequence>
minimizeSequence(CandidateEvaluator &evaluator, PassSequence passes,
                 uint64_t binarySize, uint64_t irHash,
                 llvm::ArrayRef<const PassInfo *> searchSpace,
                 const MinimizeOptions &options) {
  MinimizedSequence best{std::move(passes), binarySize, irHash, 0};

  // Drop passes to a fixpoint. Each round measures every single removal in
  // one parallel batch, then tries removing all the harmless ones at once;
  // if their combination hurts, it removes only the best single one.
  auto dropPasses = [&]() -> llvm::Error {
    while (best.passes.size() > 1) {
      std::vector<PassSequence> removals;
      for (size_t i = 0; i < best.passes.size(); ++i)
        removals.push_back(without(best.passes, i));
      auto measured = measureAll(evaluator, removals, best.evaluations);
      if (!measured)
        return measured.takeError();
      std::vector<size_t> harmless;
      size_t bestSingle = 0;
      for (size_t i = 0; i < measured->size(); ++i) {
        const Measured &m = (*measured)[i];
        if (!m.ok || m.size > best.binarySize)
          continue;
        harmless.push_back(i);
        const Measured &current = (*measured)[harmless[bestSingle]];
        if (m.size < current.size)
          bestSingle = harmless.size() - 1;
      }
      if (harmless.empty())
        return llvm::Error::success();
      if (harmless.size() > 1) {
        PassSequence combined;
        size_t next = 0;
        for (size_t i = 0; i < best.passes.size(); ++i) {
          if (next < harmless.size() && harmless[next] == i) {
            ++next;
            continue;
          }
          combined.push_back(best.passes[i]);
        }
        if (!combined.empty()) {
          auto together = measureAll(evaluator, {combined}, best.evaluations);
          if (!together)
            return together.takeError();
          const Measured &m = together->front();
          if (m.ok && m.size <= best.binarySize) {
            best.passes = std::move(combined);
            best.binarySize = m.size;
            best.irHash = m.irHash;
            continue;
          }
        }
      }
      const size_t index = harmless[bestSingle];
      const Measured &m = (*measured)[index];
      best.passes = std::move(removals[index]);
      best.binarySize = m.size;
      best.irHash = m.irHash;
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
