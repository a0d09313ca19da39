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

} // namespace
