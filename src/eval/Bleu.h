//===- Bleu.h - BLEU-4 over code tokens -------------------------*- C++ -*-===//
//
// LLM Compiler scores disassembly and emulation with BLEU. optlm computes
// the standard BLEU-4 (Papineni et al. 2002: clipped n-gram precisions for
// n = 1..4, geometric mean with equal weights, brevity penalty
// exp(1 - r/c) when the candidate is shorter than the reference) over
// code tokens:
//   - a token is a maximal run of letters, digits and '_', or any other
//     single non-space character (so "%5 = add nsw i32 %3, 1" is
//     "% 5 = add nsw i32 % 3 , 1"); whitespace only separates tokens.
// Sentence BLEU is smoothed by adding one to the matches and the total of
// n-gram orders 2 to 4 (Lin and Och 2004, "smoothing 2"), so that a short
// text with no 4-gram in common is not scored 0; corpus BLEU sums the
// clipped matches and totals of all pairs first and is not smoothed.
// Both texts empty score 1; one of them empty scores 0.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace optlm::eval {

std::vector<std::string> codeTokens(llvm::StringRef text);

/// The counts BLEU is made of, for one pair or summed over a corpus.
struct BleuStatistics {
  std::array<uint64_t, 4> matches{};
  std::array<uint64_t, 4> totals{};
  uint64_t candidateLength = 0;
  uint64_t referenceLength = 0;

  void add(const BleuStatistics &other);
  /// BLEU-4 in [0, 1]; `smooth` as for sentences (see above).
  double score(bool smooth) const;
};

BleuStatistics bleuStatistics(llvm::ArrayRef<std::string> candidate,
                              llvm::ArrayRef<std::string> reference);

/// Smoothed sentence BLEU-4 of a candidate text against a reference text.
double sentenceBleu(llvm::StringRef candidate, llvm::StringRef reference);

/// Corpus BLEU-4 over (candidate, reference) pairs.
double corpusBleu(llvm::ArrayRef<std::pair<std::string, std::string>> pairs);

} // namespace optlm::eval
