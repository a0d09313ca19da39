//===- GeneralLists.h - pass lists searched for many modules at once -*- C++ -*-===//
//
// Every list mined from labels was searched for one module: it wins there
// and carries to other packages' code only by chance (docs/benchmarks.md:
// stronger labels of the same modules did not make a better library). A
// list searched for the cover of many modules of many packages at once is
// made to carry. The autotuner does the searching (search::tune, evolve,
// then minimization): only its objective changes. A candidate's "size" is
// the sum over the modules of min(best so far, size / -Oz size), so -Oz
// scores what the lists found before it give, and a candidate beats -Oz
// only by taking more off some module than those lists do. One search per
// list, each for what the previous ones leave: a greedy cover, built from
// searched lists instead of chosen from mined ones.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "data/Corpus.h"
#include "engine/Evaluation.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace optlm {
class ResultsStore;
}

namespace optlm::flagmodel {

struct GeneralListOptions {
  Target target = Target::X86_64;
  /// Lists to search, one after the other.
  size_t lists = 4;
  /// Search evaluations per list (each one compiles every module);
  /// minimization comes on top.
  uint64_t evaluationsPerList = 200;
  /// Lists the first search starts from (the library's best, say), as
  /// canonical texts: the search breeds from them as from a model's
  /// proposals.
  std::vector<std::string> seedLists;
  uint64_t seed = 0;
  /// Evaluations at once per module; 0: every core.
  unsigned jobs = 0;
  llvm::raw_ostream *progress = nullptr;
};

/// Searches `options.lists` lists for the cover of `modules` (corpus
/// entries; those that cannot be loaded or whose -Oz fails are left out and
/// counted in `skipped`), every evaluation through `store` (may be null).
/// Lists come back in the order found, none repeated; a search that finds
/// nothing better than the lists before it ends the rounds early. Not
/// verified: they are candidates, checked by PassListEval where they join a
/// library.
llvm::Expected<std::vector<std::string>>
searchGeneralLists(const data::Corpus &corpus, llvm::ArrayRef<data::CorpusEntry> modules,
                   ResultsStore *store, const GeneralListOptions &options, uint64_t &skipped);

} // namespace optlm::flagmodel
