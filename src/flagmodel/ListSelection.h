//===- ListSelection.h - a few pass lists that cover each other --*- C++ -*-===//
//
// The one decision the flag-tuning model makes, used at training time (which
// lists form the library, which fixed set is the best without features) and
// at proposal time (which lists for this module's neighbours): given, for
// some modules, the size every list gives relative to -Oz, choose a set of
// lists whose best member is as small as possible on those modules. Choosing
// the K individually best lists wastes proposals on near copies that win and
// lose on the same modules; the greedy choice below takes each next list for
// what it adds to the best so far, the classic (1 - 1/e) approximation of
// this coverage problem.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"

#include <cstddef>
#include <vector>

namespace optlm::flagmodel {

/// A row-major matrix of scores, rows (modules) x lists: size / -Oz size,
/// smaller is better, 1 is -Oz's own size.
struct ScoreTable {
  llvm::ArrayRef<float> scores;
  size_t lists = 0;

  float at(size_t row, size_t list) const { return scores[row * lists + list]; }
  size_t rows() const { return lists ? scores.size() / lists : 0; }
};

/// Up to `count` list indices for the given rows (weights parallel to rows;
/// empty means all 1). Each next list is the one that lowers the weighted
/// sum over rows of min(1, best so far) the most (-Oz is the backup, so a
/// module's value never exceeds 1); ties go to the lower index. Once no list
/// lowers it, the rest follow in order of weighted mean score, so the answer
/// has min(count, lists) distinct entries. `given` lists (already compiled)
/// come first and count among the `count`.
std::vector<size_t> greedyCover(const ScoreTable &table, llvm::ArrayRef<size_t> rows,
                                llvm::ArrayRef<float> weights, size_t count,
                                llvm::ArrayRef<size_t> given = {});

/// The mean over rows of min(1, best score among `chosen`): what a set of
/// lists gives with -Oz as backup (1 when chosen is empty).
double meanBestScore(const ScoreTable &table, llvm::ArrayRef<size_t> rows,
                     llvm::ArrayRef<size_t> chosen);

} // namespace optlm::flagmodel
