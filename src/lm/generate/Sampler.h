//===- Sampler.h - drawing the next token from logits ---------------*- C++ -*-===//
//
// Greedy decoding is argmax with ties going to the lowest token id, so it is
// deterministic across runs and machines. Otherwise, in this order (the
// order of Hugging Face's logits warpers): logits are divided by the
// temperature, only the top-k most likely remain, only the smallest set whose
// probability reaches top-p remains, and a token is drawn with a
// std::mt19937_64 seeded from SamplingParams::seed: same seed, same tokens.
//
// A constraint restricts the draw to a set of allowed tokens; the logits of
// the others are never looked at (the mask costs nothing per masked token).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/Generator.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <random>
#include <vector>

namespace optlm::lm {

struct TokenCandidate {
  int32_t id;
  /// Logit (after temperature) on the way in; probability after softmax.
  float value;
};

/// Index of the largest logit, the lowest index on ties; NaN never wins.
/// Returns -1 for an empty or all-NaN input.
int32_t argmaxToken(llvm::ArrayRef<float> logits);

/// Keeps the k candidates with the largest values (lowest id first on ties),
/// sorted by value, descending. k <= 0 or k >= size sorts and keeps all.
void keepTopK(std::vector<TokenCandidate> &candidates, int k);

/// Turns logits into probabilities (softmax, in place).
void softmax(std::vector<TokenCandidate> &candidates);

/// Candidates must be probabilities sorted descending (as keepTopK leaves
/// them). Keeps the shortest prefix whose probability sum reaches p (at least
/// one candidate).
void keepTopP(std::vector<TokenCandidate> &candidates, float p);

/// The same as sorting, then keepTopP, for probabilities in any order;
/// leaves the kept candidates sorted.
void keepTopPUnsorted(std::vector<TokenCandidate> &candidates, float p);

class Sampler {
public:
  explicit Sampler(const SamplingParams &params);

  /// Next token from the logits of the whole vocabulary.
  int32_t sample(llvm::ArrayRef<float> logits);
  /// Next token among allowed (ids into logits; must not be empty).
  int32_t sample(llvm::ArrayRef<float> logits, llvm::ArrayRef<int32_t> allowed);

private:
  int32_t draw(std::vector<TokenCandidate> &candidates);
  /// A uniform double in [0, 1), the same on every platform (unlike
  /// std::uniform_real_distribution, whose algorithm is unspecified).
  double uniform();

  SamplingParams Params;
  std::mt19937_64 Random;
  std::vector<TokenCandidate> Scratch;
};

} // namespace optlm::lm
