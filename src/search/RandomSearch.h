//===- RandomSearch.h - the paper's random pass lists ------------*- C++ -*-===//
//
// LLM Compiler's labels started from random search: lists of 1 to 50 passes,
// the length uniform, each pass drawn uniformly from the search space, every
// list independent of every result. It is the baseline the other strategies
// are measured against.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/Random.h"
#include "search/SearchStrategy.h"

namespace optlm::search {

class RandomSearch final : public SearchStrategy {
public:
  static constexpr size_t MinLength = 1;
  static constexpr size_t MaxLength = 50;

  explicit RandomSearch(StrategyContext context);

  llvm::StringRef name() const override { return "random"; }
  std::vector<PassSequence> propose(size_t count) override;
  void observe(llvm::ArrayRef<ScoredSequence>) override {}

private:
  StrategyContext Context;
  Random Rng;
};

} // namespace optlm::search
