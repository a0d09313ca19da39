//===- EvolutionarySearch.cpp - local search from -Oz's own passes ----------===//
#include "search/EvolutionarySearch.h"

#include "llvm/Support/xxhash.h"

#include <algorithm>

namespace optlm::search {

namespace {
/// A run of passes moved or dropped at once: long enough to cross a whole
/// cleanup group (instcombine, simplifycfg, ...), short enough to stay local.
constexpr size_t MaxRunLength = 8;
constexpr double FreshRandomShare = 0.05;
constexpr double CrossoverShare = 0.15;
} // namespace

EvolutionarySearch::EvolutionarySearch(StrategyContext context)
    : Context(std::move(context)), Rng(Context.seed),
      MaxLength(std::max<size_t>(50, 2 * Context.ozSequence.size())) {}

bool EvolutionarySearch::markProposed(const PassSequence &passes) {
  const std::string text = sequenceText(passes);
  return Proposed.insert(llvm::xxh3_64bits(llvm::StringRef(text))).second;
}

PassSequence EvolutionarySearch::randomSequence() {
  PassSequence passes(Rng.between(1, 50));
  for (const PassInfo *&pass : passes)
    pass = Context.searchSpace[Rng.below(Context.searchSpace.size())];
  return passes;
}

const EvolutionarySearch::Member &EvolutionarySearch::selectParent() {
  // The better of two uniform picks: good members breed more often, and
  // every member still breeds now and then.
  const size_t first = Rng.below(Population.size());
  const size_t second = Rng.below(Population.size());
  return Population[std::min(first, second)];
}

PassSequence EvolutionarySearch::mutate(PassSequence passes) {
  auto randomPass = [&] { return Context.searchSpace[Rng.below(Context.searchSpace.size())]; };
  const size_t mutations = 1 + (Rng.chance(0.5) ? 0 : Rng.below(3));
  for (size_t m = 0; m < mutations; ++m) {
    const size_t length = passes.size();
    switch (length == 0 ? 0 : Rng.below(6)) {
    case 0: // insert
      passes.insert(passes.begin() + Rng.below(length + 1), randomPass());
      break;
    case 1: // delete one
      if (length > 1)
        passes.erase(passes.begin() + Rng.below(length));
      break;
    case 2: // replace one
      passes[Rng.below(length)] = randomPass();
      break;
    case 3: // swap neighbours
      if (length > 1) {
        const size_t at = Rng.below(length - 1);
        std::swap(passes[at], passes[at + 1]);
      }
      break;
    case 4: { // duplicate a run elsewhere
      const size_t begin = Rng.below(length);
      const size_t end = std::min(length, begin + Rng.between(1, MaxRunLength));
      PassSequence run(passes.begin() + begin, passes.begin() + end);
      const size_t at = Rng.below(length + 1);
      passes.insert(passes.begin() + at, run.begin(), run.end());
      break;
    }
    case 5: { // drop a run
      if (length < 3)
        break;
      const size_t begin = Rng.below(length);
      const size_t end = std::min(length, begin + Rng.between(2, MaxRunLength));
      if (end - begin < length)
        passes.erase(passes.begin() + begin, passes.begin() + end);
      break;
    }
    }
  }
  if (passes.size() > MaxLength)
    passes.resize(MaxLength);
  return passes;
}

PassSequence EvolutionarySearch::crossover(const PassSequence &first, const PassSequence &second) {
  const size_t cutFirst = Rng.below(first.size() + 1);
  const size_t cutSecond = Rng.below(second.size() + 1);
  PassSequence child(first.begin(), first.begin() + cutFirst);
  child.insert(child.end(), second.begin() + cutSecond, second.end());
  if (child.empty())
    child = first;
  if (child.size() > MaxLength)
    child.resize(MaxLength);
  return child;
}

PassSequence EvolutionarySearch::makeCandidate() {
  // Before any result is in, -Oz's own list is the only known good parent.
  if (Population.empty() && !Context.ozSequence.empty())
    return mutate(Context.ozSequence);
  if (Population.empty() || Rng.chance(FreshRandomShare))
    return randomSequence();
  if (Population.size() > 1 && Rng.chance(CrossoverShare)) {
    const Member &first = selectParent();
    const Member &second = selectParent();
    if (first.irHash != second.irHash)
      return crossover(first.passes, second.passes);
  }
  return mutate(selectParent().passes);
}

std::vector<PassSequence> EvolutionarySearch::propose(size_t count) {
  std::vector<PassSequence> batch;
  batch.reserve(count);
  if (!SeededWithOz) {
    SeededWithOz = true;
    if (!Context.ozSequence.empty() && count > 0 && markProposed(Context.ozSequence))
      batch.push_back(Context.ozSequence);
  }
  while (batch.size() < count) {
    // A bounded number of retries: in a tiny search space every neighbour
    // may already be taken, and a repeat is then better than no proposal.
    PassSequence candidate;
    for (int attempt = 0; attempt < 32; ++attempt) {
      candidate = makeCandidate();
      if (markProposed(candidate))
        break;
    }
    batch.push_back(std::move(candidate));
  }
  return batch;
}

void EvolutionarySearch::observe(llvm::ArrayRef<ScoredSequence> results) {
  for (const ScoredSequence &result : results) {
    if (!result.binarySize || result.passes.empty())
      continue;
    auto same = std::find_if(Population.begin(), Population.end(),
                             [&](const Member &member) { return member.irHash == result.irHash; });
    if (same != Population.end()) {
      if (result.passes.size() < same->passes.size())
        same->passes = result.passes;
      continue;
    }
    Population.push_back({result.passes, *result.binarySize, result.irHash});
  }
  std::stable_sort(Population.begin(), Population.end(), [](const Member &a, const Member &b) {
    if (a.binarySize != b.binarySize)
      return a.binarySize < b.binarySize;
    return a.passes.size() < b.passes.size();
  });
  if (Population.size() > PopulationSize)
    Population.resize(PopulationSize);
}

} // namespace optlm::search
