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
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace optlm::flagmodel {

struct ChainPlan {
  /// Each round's forms: strings of capital letters, 'A' the best so far.
  std::vector<std::vector<std::string>> rounds;

  /// Compilations the plan spends at most.
  size_t count() const;
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

} // namespace optlm::flagmodel
