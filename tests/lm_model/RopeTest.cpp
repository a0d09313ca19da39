//===- RopeTest.cpp - the rotary embedding convention of GGUF Llama -------===//

#include "lm/model/Rope.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace optlm::lm;

namespace {

// Adjacent elements form the rotated pairs, and pair i turns by
// position * base^(-2i/d): with d = 4 and base 1e4, pair 0 turns by p
// radians and pair 1 by p / 100.
TEST(LmModelRope, AdjacentPairsWithLlamaFrequencies) {
  RotaryEmbedding rope(4, 10000.0f);
  float head[4] = {1.0f, 0.0f, 0.0f, 1.0f};
  rope.apply(head, 1, 3);
  EXPECT_NEAR(head[0], std::cos(3.0), 1e-6);
  EXPECT_NEAR(head[1], std::sin(3.0), 1e-6);
  EXPECT_NEAR(head[2], -std::sin(0.03), 1e-6);
  EXPECT_NEAR(head[3], std::cos(0.03), 1e-6);
}

TEST(LmModelRope, CodeLlamaBaseAndEveryHead) {
  const int headDim = 128;
  RotaryEmbedding rope(headDim, 1e6f);
  std::vector<float> heads(2 * headDim, 0.0f);
  heads[10] = 1.0f;           // head 0, pair 5, first element
  heads[headDim + 11] = 2.0f; // head 1, pair 5, second element
  const int position = 1000;
  rope.apply(heads.data(), 2, position);
  double angle = position * std::pow(1e6, -10.0 / headDim);
  EXPECT_NEAR(heads[10], std::cos(angle), 1e-6);
  EXPECT_NEAR(heads[11], std::sin(angle), 1e-6);
  EXPECT_NEAR(heads[headDim + 10], -2.0 * std::sin(angle), 1e-6);
  EXPECT_NEAR(heads[headDim + 11], 2.0 * std::cos(angle), 1e-6);
  // Nothing else moves.
  for (int i = 0; i < 2 * headDim; ++i)
    if (i != 10 && i != 11 && i != headDim + 10 && i != headDim + 11)
      EXPECT_EQ(heads[i], 0.0f) << i;
}

// The property attention relies on: the dot product of a rotated query and
// a rotated key depends only on their distance.
TEST(LmModelRope, ScoresDependOnRelativePositionOnly) {
  const int headDim = 8;
  RotaryEmbedding rope(headDim, 1e6f);
  auto score = [&](int queryPosition, int keyPosition) {
    float q[headDim] = {0.3f, -1.0f, 0.5f, 0.2f, 0.9f, 0.1f, -0.4f, 0.7f};
    float k[headDim] = {-0.6f, 0.4f, 0.8f, -0.2f, 0.3f, 0.5f, 0.1f, -0.9f};
    rope.apply(q, 1, queryPosition);
    rope.apply(k, 1, keyPosition);
    double sum = 0.0;
    for (int i = 0; i < headDim; ++i)
      sum += q[i] * k[i];
    return sum;
  };
  EXPECT_NEAR(score(10, 7), score(5000, 4997), 1e-4);
  EXPECT_NEAR(score(3, 3), score(16000, 16000), 1e-4);
}

// The reason for the convention: Hugging Face Llama rotates pairs
// (i, i + d/2) ("rotate_half"), and llama.cpp's converter reorders the rows
// of attn_q/attn_k within each head so that HF row half * d/2 + i becomes
// GGUF row 2i + half. Rotating the reordered vector by adjacent pairs must
// give the reordered result of rotate_half, for every position.
TEST(LmModelRope, AdjacentPairsOnConvertedRowsEqualRotateHalf) {
  const int headDim = 16;
  const float base = 1e6f;
  RotaryEmbedding rope(headDim, base);
  float huggingFace[headDim];
  for (int i = 0; i < headDim; ++i)
    huggingFace[i] = std::sin(1.7f * i + 0.3f);
  for (int position : {0, 1, 17, 4095, 16383}) {
    float gguf[headDim];
    for (int half = 0; half < 2; ++half)
      for (int i = 0; i < headDim / 2; ++i)
        gguf[2 * i + half] = huggingFace[half * headDim / 2 + i];
    rope.apply(gguf, 1, position);

    // rotate_half as Hugging Face computes it: x * cos + rotate_half(x) * sin
    // with rotate_half(x) = (-x[d/2:], x[:d/2]) and frequency i for both halves.
    float rotated[headDim];
    for (int i = 0; i < headDim / 2; ++i) {
      double angle = position * std::pow(static_cast<double>(base), -2.0 * i / headDim);
      float x1 = huggingFace[i], x2 = huggingFace[i + headDim / 2];
      rotated[i] = static_cast<float>(x1 * std::cos(angle) - x2 * std::sin(angle));
      rotated[i + headDim / 2] = static_cast<float>(x2 * std::cos(angle) + x1 * std::sin(angle));
    }
    for (int half = 0; half < 2; ++half)
      for (int i = 0; i < headDim / 2; ++i)
        EXPECT_NEAR(gguf[2 * i + half], rotated[half * headDim / 2 + i], 1e-5)
            << "position " << position << " pair " << i;
  }
}

} // namespace
