//===- Rope.h - rotary position embeddings, GGUF Llama convention -*- C++ -*-===//
//
// Llama rotates each query and key head by angles that grow with the
// token's position. In GGUF Llama files the rotated pairs are ADJACENT
// elements (2i, 2i+1) of a head: llama.cpp's "normal" rope for the llama
// architecture. (Hugging Face checkpoints pair element i with i + d/2,
// "rotate_half"; the GGUF converter permutes the rows of attn_q and attn_k
// so that adjacent pairs give the same result, which is why a GGUF must not
// be run with the rotate_half convention, nor a Hugging Face one with this.)
//
// Pair i of a head of dimension d at position p turns by p * base^(-2i/d),
// base being llama.rope.freq_base (1e6 for Code Llama, 1e4 for Llama 2).
//
//===----------------------------------------------------------------------===//
#pragma once

#include <vector>

namespace optlm::lm {

class RotaryEmbedding {
public:
  RotaryEmbedding(int headDim, float freqBase);

  /// Rotates `heads` consecutive head vectors in place for `position`.
  void apply(float *vectors, int heads, int position) const;

  int headDim() const { return HeadDim; }

private:
  int HeadDim;
  /// base^(-2i/d) for each pair i, computed in double.
  std::vector<double> InverseFrequencies;
};

} // namespace optlm::lm
