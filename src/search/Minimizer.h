//===- Minimizer.h - the shortest list that keeps the size -------*- C++ -*-===//
//
// The paper's labels were minimized before training: a model learns short
// lists more easily, and a short list is easier to check. Minimization drops
// every pass whose removal does not make the binary larger (to a fixpoint),
// then tries a short local search, replacing each pass with a few others and
// keeping a replacement only if it makes the binary smaller. Each step keeps
// a change only if the size does not grow, so the result is never larger
// than the list it came from.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/CandidateEvaluator.h"
#include "search/SearchStrategy.h"

namespace optlm::search {

struct MinimizeOptions {
  /// Replacement passes tried per position in the local search.
  size_t replacementsPerPass = 6;
  /// At most this many local-search evaluations in all.
  size_t maxLocalSearchEvaluations = 120;
  uint64_t seed = 0;
};

struct MinimizedSequence {
  PassSequence passes;
  uint64_t binarySize = 0;
  uint64_t irHash = 0;
  uint64_t evaluations = 0; ///< spent minimizing
};

/// `binarySize` and `irHash` are what `passes` measured. Replacements are
/// drawn from `searchSpace`.
llvm::Expected<MinimizedSequence> minimizeSequence(CandidateEvaluator &evaluator,
                                                   PassSequence passes, uint64_t binarySize,
                                                   uint64_t irHash,
                                                   llvm::ArrayRef<const PassInfo *> searchSpace,
                                                   const MinimizeOptions &options = {});

} // namespace optlm::search
