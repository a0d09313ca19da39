//===- SearchStrategy.h - how the autotuner picks pass lists -----*- C++ -*-===//
//
// A strategy proposes batches of flat pass lists and is told, batch by batch
// and in proposal order, what each one measured. Proposals depend only on the
// seed and on what the strategy has been told, never on the order in which
// parallel evaluations finish: that is what makes a tuning run reproducible
// from its seed whatever the number of jobs.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "pipeline/PassVocabulary.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace optlm::search {

/// A flat list of vocabulary passes, in order of application.
using PassSequence = std::vector<const PassInfo *>;

/// "sroa,gvn,licm": the flat text of a sequence.
std::string sequenceText(llvm::ArrayRef<const PassInfo *> passes);

/// What one proposal measured.
struct ScoredSequence {
  PassSequence passes;
  /// Set iff the evaluation ended Ok.
  std::optional<uint64_t> binarySize;
  /// Hash of the optimized IR (0 when the evaluation failed): proposals that
  /// produce the same IR are the same candidate.
  uint64_t irHash = 0;
};

/// What a strategy may build on.
struct StrategyContext {
  /// The passes to draw from (PassVocabulary::searchSpace()).
  std::vector<const PassInfo *> searchSpace;
  /// default<Oz>'s own passes as a flat list of vocabulary passes: a good
  /// starting point for local search.
  PassSequence ozSequence;
  uint64_t seed = 0;
};

/// The context of a search over the built-in vocabulary: its search space
/// and -Oz's flat sequence (OzSequence.h), from `seed`.
StrategyContext builtinContext(uint64_t seed = 0);

class SearchStrategy {
public:
  virtual ~SearchStrategy() = default;
  virtual llvm::StringRef name() const = 0;
  /// The next `count` sequences to evaluate.
  virtual std::vector<PassSequence> propose(size_t count) = 0;
  /// The results of the last proposal, in proposal order.
  virtual void observe(llvm::ArrayRef<ScoredSequence> results) = 0;
};

/// The strategies `optlm tune --strategy` accepts, the default first.
llvm::ArrayRef<llvm::StringRef> strategyNames();
llvm::StringRef defaultStrategyName();

/// An error naming the accepted strategies if `name` is not one of them,
/// or if the context has an empty search space.
llvm::Expected<std::unique_ptr<SearchStrategy>> createStrategy(llvm::StringRef name,
                                                               StrategyContext context);

} // namespace optlm::search
