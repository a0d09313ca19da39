//===- RandomSearch.cpp - the paper's random pass lists ---------------------===//
#include "search/RandomSearch.h"

namespace optlm::search {

RandomSearch::RandomSearch(StrategyContext context)
    : Context(std::move(context)), Rng(Context.seed) {}

std::vector<PassSequence> RandomSearch::propose(size_t count) {
  std::vector<PassSequence> batch(count);
  const auto &space = Context.searchSpace;
  for (PassSequence &passes : batch) {
    const size_t length = Rng.between(MinLength, MaxLength);
    passes.reserve(length);
    for (size_t i = 0; i < length; ++i)
      passes.push_back(space[Rng.below(space.size())]);
  }
  return batch;
}

} // namespace optlm::search
