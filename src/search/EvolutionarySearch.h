//===- EvolutionarySearch.h - local search from -Oz's own passes -*- C++ -*-===//
//
// Random search spends most of its budget on lists that are nowhere near
// -Oz. This strategy starts where -Oz is (its own passes as a flat list) and
// keeps a small population of the best distinct results, each new candidate a
// mutation of a good one (insert, delete, replace, swap, duplicate or drop a
// run of passes) or a crossover of two. Candidates are distinct by the hash
// of the IR they produce: two lists giving the same IR are one member, and
// the shorter list is kept. A few fresh random lists keep it from settling
// into one neighbourhood.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/Random.h"
#include "search/SearchStrategy.h"

#include "llvm/ADT/DenseSet.h"

namespace optlm::search {

class EvolutionarySearch final : public SearchStrategy {
public:
  static constexpr size_t PopulationSize = 16;

  explicit EvolutionarySearch(StrategyContext context);

  llvm::StringRef name() const override { return "evolve"; }
  std::vector<PassSequence> propose(size_t count) override;
  void observe(llvm::ArrayRef<ScoredSequence> results) override;

private:
  struct Member {
    PassSequence passes;
    uint64_t binarySize;
    uint64_t irHash;
  };

  PassSequence randomSequence();
  const Member &selectParent();
  PassSequence mutate(PassSequence passes);
  PassSequence crossover(const PassSequence &first, const PassSequence &second);
  PassSequence makeCandidate();
  /// True the first time a sequence is seen: nothing is proposed twice.
  bool markProposed(const PassSequence &passes);

  StrategyContext Context;
  Random Rng;
  size_t MaxLength;
  std::vector<Member> Population; ///< best first
  llvm::DenseSet<uint64_t> Proposed;
  bool SeededWithOz = false;
};

} // namespace optlm::search
