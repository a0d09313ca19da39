//===- Bleu.cpp - BLEU-4 over code tokens ---------------------------------===//
#include "eval/Bleu.h"

#include "llvm/ADT/StringMap.h"

#include <algorithm>
#include <cctype>
#include <cmath>

using namespace llvm;

namespace optlm::eval {

std::vector<std::string> codeTokens(StringRef text) {
  std::vector<std::string> tokens;
  auto isWord = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    size_t end = i + 1;
    if (isWord(c))
      while (end < text.size() && isWord(text[end]))
        ++end;
    tokens.push_back(text.slice(i, end).str());
    i = end;
  }
  return tokens;
}

void BleuStatistics::add(const BleuStatistics &other) {
  for (size_t n = 0; n < 4; ++n) {
    matches[n] += other.matches[n];
    totals[n] += other.totals[n];
  }
  candidateLength += other.candidateLength;
  referenceLength += other.referenceLength;
}

double BleuStatistics::score(bool smooth) const {
  if (candidateLength == 0 && referenceLength == 0)
    return 1.0;
  if (candidateLength == 0 || referenceLength == 0)
    return 0.0;
  double logSum = 0;
  for (size_t n = 0; n < 4; ++n) {
    double match = double(matches[n]), total = double(totals[n]);
    if (smooth && n > 0) {
      match += 1;
      total += 1;
    }
    if (match == 0 || total == 0)
      return 0.0;
    logSum += std::log(match / total);
  }
  double brevity = candidateLength < referenceLength
                       ? std::exp(1.0 - double(referenceLength) / double(candidateLength))
                       : 1.0;
  return brevity * std::exp(logSum / 4);
}

namespace {
/// n-grams joined by a separator no token contains.
StringMap<uint64_t> ngramCounts(ArrayRef<std::string> tokens, size_t n) {
  StringMap<uint64_t> counts;
  if (tokens.size() < n)
    return counts;
  std::string key;
  for (size_t i = 0; i + n <= tokens.size(); ++i) {
    key.clear();
    for (size_t k = 0; k < n; ++k) {
      key += tokens[i + k];
      key += '\x01';
    }
    ++counts[key];
  }
  return counts;
}
} // namespace

BleuStatistics bleuStatistics(ArrayRef<std::string> candidate, ArrayRef<std::string> reference) {
  BleuStatistics statistics;
  statistics.candidateLength = candidate.size();
  statistics.referenceLength = reference.size();
  for (size_t n = 1; n <= 4; ++n) {
    StringMap<uint64_t> candidateCounts = ngramCounts(candidate, n);
    StringMap<uint64_t> referenceCounts = ngramCounts(reference, n);
    uint64_t matched = 0;
    for (const auto &entry : candidateCounts) {
      auto found = referenceCounts.find(entry.getKey());
      if (found != referenceCounts.end())
        matched += std::min(entry.getValue(), found->getValue());
    }
    statistics.matches[n - 1] = matched;
    statistics.totals[n - 1] = candidate.size() >= n ? candidate.size() - n + 1 : 0;
  }
  return statistics;
}

double sentenceBleu(StringRef candidate, StringRef reference) {
  return bleuStatistics(codeTokens(candidate), codeTokens(reference)).score(true);
}

double corpusBleu(ArrayRef<std::pair<std::string, std::string>> pairs) {
  BleuStatistics total;
  for (const auto &[candidate, reference] : pairs)
    total.add(bleuStatistics(codeTokens(candidate), codeTokens(reference)));
  return total.score(false);
}

} // namespace optlm::eval
