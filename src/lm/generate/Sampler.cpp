//===- Sampler.cpp - greedy, temperature, top-k and top-p sampling ----------===//
#include "lm/generate/Sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace optlm::lm {

namespace {
/// NaN is treated as minus infinity, so a broken logit is never chosen.
float comparable(float value) {
  return std::isnan(value) ? -std::numeric_limits<float>::infinity() : value;
}

bool moreLikely(const TokenCandidate &a, const TokenCandidate &b) {
  float va = comparable(a.value), vb = comparable(b.value);
  return va > vb || (va == vb && a.id < b.id);
}
} // namespace

int32_t argmaxToken(llvm::ArrayRef<float> logits) {
  int32_t best = -1;
  for (size_t i = 0; i < logits.size(); ++i) {
    if (std::isnan(logits[i]))
      continue;
    if (best < 0 || logits[i] > logits[best])
      best = static_cast<int32_t>(i);
  }
  return best;
}

void keepTopK(std::vector<TokenCandidate> &candidates, int k) {
  if (k > 0 && static_cast<size_t>(k) < candidates.size()) {
    // Selection first, then sorting only the k kept: linear in the vocabulary.
    std::nth_element(candidates.begin(), candidates.begin() + (k - 1), candidates.end(),
                     moreLikely);
    candidates.resize(k);
    std::sort(candidates.begin(), candidates.end(), moreLikely);
    return;
  }
  std::sort(candidates.begin(), candidates.end(), moreLikely);
}

void softmax(std::vector<TokenCandidate> &candidates) {
  float maximum = -std::numeric_limits<float>::infinity();
  for (const TokenCandidate &candidate : candidates)
    maximum = std::max(maximum, comparable(candidate.value));
  if (!std::isfinite(maximum)) {
    // Nothing has a finite logit: every candidate is equally (un)likely.
    for (TokenCandidate &candidate : candidates)
      candidate.value = 1.0f / static_cast<float>(candidates.size());
    return;
  }
  double sum = 0;
  for (TokenCandidate &candidate : candidates) {
    candidate.value = std::exp(comparable(candidate.value) - maximum);
    sum += candidate.value;
  }
  for (TokenCandidate &candidate : candidates)
    candidate.value = static_cast<float>(candidate.value / sum);
}

void keepTopP(std::vector<TokenCandidate> &candidates, float p) {
  double cumulative = 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    cumulative += candidates[i].value;
    if (cumulative >= p) {
      candidates.resize(i + 1);
      return;
    }
  }
}

void keepTopPUnsorted(std::vector<TokenCandidate> &candidates, float p) {
  // The nucleus is usually a few dozen tokens: sort only a growing head of
  // the most likely ones until it holds probability p (the same result as
  // sorting everything, in a fraction of the time for 32k candidates).
  size_t head = std::min<size_t>(64, candidates.size());
  for (;;) {
    std::nth_element(candidates.begin(), candidates.begin() + (head - 1), candidates.end(),
                     moreLikely);
    std::sort(candidates.begin(), candidates.begin() + head, moreLikely);
    double sum = 0;
    for (size_t i = 0; i < head; ++i)
      sum += candidates[i].value;
    if (sum >= p || head == candidates.size()) {
      candidates.resize(head);
      keepTopP(candidates, p);
      return;
    }
    head = std::min(head * 4, candidates.size());
  }
}

Sampler::Sampler(const SamplingParams &params) : Params(params), Random(params.seed) {}

double Sampler::uniform() { return static_cast<double>(Random() >> 11) * 0x1.0p-53; }

int32_t Sampler::sample(llvm::ArrayRef<float> logits) {
  if (Params.temperature <= 0) {
    int32_t best = argmaxToken(logits);
    return best >= 0 ? best : 0;
  }
  Scratch.resize(logits.size());
  for (size_t i = 0; i < logits.size(); ++i)
    Scratch[i] = {static_cast<int32_t>(i), logits[i]};
  return draw(Scratch);
}

int32_t Sampler::sample(llvm::ArrayRef<float> logits, llvm::ArrayRef<int32_t> allowed) {
  Scratch.clear();
  for (int32_t id : allowed)
    if (id >= 0 && static_cast<size_t>(id) < logits.size())
      Scratch.push_back({id, logits[id]});
  if (Scratch.empty())
    return allowed.empty() ? 0 : allowed.front();
  if (Params.temperature <= 0) {
    const TokenCandidate *best = &Scratch.front();
    for (const TokenCandidate &candidate : Scratch)
      if (moreLikely(candidate, *best))
        best = &candidate;
    return best->id;
  }
  return draw(Scratch);
}

int32_t Sampler::draw(std::vector<TokenCandidate> &candidates) {
  for (TokenCandidate &candidate : candidates)
    candidate.value /= Params.temperature;
  if (Params.topK > 0) {
    keepTopK(candidates, Params.topK);
    softmax(candidates);
    if (Params.topP < 1.0f)
      keepTopP(candidates, Params.topP);
  } else {
    softmax(candidates);
    if (Params.topP < 1.0f)
      keepTopPUnsorted(candidates, Params.topP);
  }
  double total = 0;
  for (const TokenCandidate &candidate : candidates)
    total += candidate.value;
  double target = uniform() * total;
  for (const TokenCandidate &candidate : candidates) {
    target -= candidate.value;
    if (target < 0)
      return candidate.id;
  }
  // Rounding left the target just above the sum: the last candidate with
  // any probability.
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it)
    if (it->value > 0)
      return it->id;
  return candidates.front().id;
}

} // namespace optlm::lm
