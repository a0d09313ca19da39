//===- Chains.h - the best proposals so far, one after the other -*- C++ -*-===//
//
// The last few of the model's compilations are better spent on what the
// first ones showed than on more library lists: the two best lists for a
// module, run one after the other, often shrink it further than either
// (the second list cleans up what the first one exposed). A plan names such
// pipelines by the rank of what was compiled so far: "AB,BA" is the best
// list followed by the second best and the other way round. Rounds are
// separated by '/' ("AB,BA/AB": after the first round the ranks are taken
// again, the new pipelines included). Measured on held-out packages in
// docs/benchmarks.md; FlagModel records the plan it was made with.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace optlm::flagmodel {

struct ChainPlan {
  /// Each round's forms: strings of capital letters, 'A' the best so far.
  std::vector<std::vector<std::string>> rounds;

  /// Compilations the plan spends at most.
  size_t count() const;
  /// Whether a budget of `compilations` leaves at least one for library
  /// lists once the plan's chains are paid (the rule a model file, the
  /// trainer and the command line check).
  bool leavesListsIn(size_t compilations) const { return count() < compilations; }
  bool empty() const { return rounds.empty(); }
  /// The plan as parse() reads it ("" for none).
  std::string text() const;

  /// "" is no chains; otherwise rounds separated by '/', forms by ','
  /// each two to four letters A-J.
  static llvm::Expected<ChainPlan> parse(llvm::StringRef text);
};

/// One round's pipelines (canonical text): `ranked` holds the pipelines
/// compiled so far, smallest result first, as canonical text. A form that
/// names a rank beyond `ranked`, or whose pipeline was compiled already or
/// comes earlier in the round, is left out.
std::vector<std::string> chainedPipelines(llvm::ArrayRef<std::string> ranked,
                                          llvm::ArrayRef<std::string> forms);

/// How chains rank what was compiled: the indices of `sizes` smallest first,
/// ties in index order (the order compiled), those without a size (the
/// compilation failed) left out.
template <class Size> std::vector<size_t> smallestFirst(llvm::ArrayRef<std::optional<Size>> sizes) {
  std::vector<size_t> order;
  for (size_t i = 0; i < sizes.size(); ++i)
    if (sizes[i])
      order.push_back(i);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return std::pair(*sizes[a], a) < std::pair(*sizes[b], b); });
  return order;
}

/// Spends `plan`'s compilations, round by round: `ranked()` gives the
/// pipelines compiled so far as smallestFirst orders them (canonical text),
/// and `compile` compiles a round's new pipelines, so that the next round's
/// ranks include them. A round with nothing new compiles nothing.
llvm::Error compileChains(const ChainPlan &plan,
                          llvm::function_ref<std::vector<std::string>()> ranked,
                          llvm::function_ref<llvm::Error(llvm::ArrayRef<std::string>)> compile);

} // namespace optlm::flagmodel
