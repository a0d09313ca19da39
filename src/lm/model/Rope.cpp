//===- Rope.cpp - rotary position embeddings, GGUF Llama convention -------===//

#include "lm/model/Rope.h"

#include <cmath>

namespace optlm::lm {

RotaryEmbedding::RotaryEmbedding(int headDim, float freqBase) : HeadDim(headDim) {
  for (int i = 0; i < headDim / 2; ++i)
    InverseFrequencies.push_back(std::pow(static_cast<double>(freqBase), -2.0 * i / headDim));
}

void RotaryEmbedding::apply(float *vectors, int heads, int position) const {
  for (int i = 0; i < HeadDim / 2; ++i) {
    // Angles reach 16k radians at long contexts: double keeps them exact
    // enough that cos/sin do not drift with position.
    double angle = position * InverseFrequencies[i];
    float cosine = static_cast<float>(std::cos(angle));
    float sine = static_cast<float>(std::sin(angle));
    for (int h = 0; h < heads; ++h) {
      float *pair = vectors + h * HeadDim + 2 * i;
      float x0 = pair[0], x1 = pair[1];
      pair[0] = x0 * cosine - x1 * sine;
      pair[1] = x0 * sine + x1 * cosine;
    }
  }
}

} // namespace optlm::lm
