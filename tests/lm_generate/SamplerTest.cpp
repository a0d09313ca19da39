//===- SamplerTest.cpp - greedy, temperature, top-k, top-p ----------------===//
#include "lm/generate/Sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace optlm::lm;

namespace {
std::vector<float> randomLogits(size_t size, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<float> normal(0.0f, 2.0f);
  std::vector<float> logits(size);
  for (float &logit : logits)
    logit = normal(random);
  return logits;
}

std::vector<int32_t> drawMany(const SamplingParams &params, const std::vector<float> &logits,
                              int count) {
  Sampler sampler(params);
  std::vector<int32_t> tokens;
  for (int i = 0; i < count; ++i)
    tokens.push_back(sampler.sample(logits));
  return tokens;
}
} // namespace

TEST(SamplerTest, GreedyIsArgmaxWithTiesToTheLowestId) {
  std::vector<float> logits = {0.5f, 3.0f, -1.0f, 3.0f, 2.9f};
  Sampler sampler(SamplingParams{});
  EXPECT_EQ(sampler.sample(logits), 1);
  EXPECT_EQ(argmaxToken(logits), 1);
  // Restricted to allowed ids, still the lowest of the tied maximum.
  std::vector<int32_t> allowed = {3, 4, 1};
  EXPECT_EQ(sampler.sample(logits, allowed), 1);
  allowed = {4, 3};
  EXPECT_EQ(sampler.sample(logits, allowed), 3);
  allowed = {0, 2};
  EXPECT_EQ(sampler.sample(logits, allowed), 0);
  for (uint64_t seed = 0; seed < 20; ++seed) {
    std::vector<float> random = randomLogits(1000, seed);
    size_t best = std::max_element(random.begin(), random.end()) - random.begin();
    EXPECT_EQ(Sampler(SamplingParams{0.0f, 0, 1.0f, seed}).sample(random),
              static_cast<int32_t>(best));
  }
}

TEST(SamplerTest, NaNNeverWins) {
  std::vector<float> logits = {NAN, 1.0f, NAN};
  EXPECT_EQ(argmaxToken(logits), 1);
  EXPECT_EQ(Sampler(SamplingParams{}).sample(logits), 1);
  SamplingParams hot{1.0f, 0, 1.0f, 3};
  for (int32_t token : drawMany(hot, logits, 50))
    EXPECT_EQ(token, 1);
}

TEST(SamplerTest, SameSeedSameTokensOtherSeedOtherTokens) {
  std::vector<float> logits = randomLogits(500, 1);
  SamplingParams params{0.9f, 40, 0.95f, 1234};
  std::vector<int32_t> first = drawMany(params, logits, 200);
  EXPECT_EQ(first, drawMany(params, logits, 200));
  params.seed = 1235;
  EXPECT_NE(first, drawMany(params, logits, 200));
  // Temperature > 0 actually samples: more than one distinct token.
  EXPECT_GT(std::set<int32_t>(first.begin(), first.end()).size(), 1u);
}

TEST(SamplerTest, TopKKeepsTheKMostLikely) {
  std::vector<TokenCandidate> candidates = {{0, 1.0f}, {1, 5.0f}, {2, 3.0f}, {3, 5.0f}, {4, 4.0f}};
  keepTopK(candidates, 3);
  ASSERT_EQ(candidates.size(), 3u);
  EXPECT_EQ(candidates[0].id, 1); // tie on 5.0: lower id first
  EXPECT_EQ(candidates[1].id, 3);
  EXPECT_EQ(candidates[2].id, 4);

  // Sampling with top-k only ever yields the k best tokens.
  std::vector<float> logits = randomLogits(300, 5);
  std::vector<int32_t> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int32_t a, int32_t b) { return logits[a] > logits[b]; });
  std::set<int32_t> best(order.begin(), order.begin() + 5);
  std::set<int32_t> seen;
  for (int32_t token : drawMany(SamplingParams{5.0f, 5, 1.0f, 9}, logits, 500)) {
    EXPECT_TRUE(best.count(token)) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen, best); // hot enough that all five appear
}

TEST(SamplerTest, TopPKeepsTheSmallestSetReachingP) {
  // Probabilities 0.5, 0.3, 0.15, 0.05 (already sorted).
  std::vector<TokenCandidate> candidates = {{7, 0.5f}, {2, 0.3f}, {9, 0.15f}, {1, 0.05f}};
  std::vector<TokenCandidate> copy = candidates;
  keepTopP(copy, 0.8f);
  ASSERT_EQ(copy.size(), 2u);
  copy = candidates;
  keepTopP(copy, 0.81f);
  EXPECT_EQ(copy.size(), 3u);
  copy = candidates;
  keepTopP(copy, 0.1f);
  ASSERT_EQ(copy.size(), 1u);
  EXPECT_EQ(copy[0].id, 7);

  // log-probabilities of 0.5, 0.3, 0.15, 0.05: top-p 0.75 never draws the last two.
  std::vector<float> logits = {std::log(0.15f), std::log(0.5f), std::log(0.05f), std::log(0.3f)};
  std::map<int32_t, int> counts;
  for (int32_t token : drawMany(SamplingParams{1.0f, 0, 0.75f, 4}, logits, 1000))
    ++counts[token];
  EXPECT_EQ(counts.size(), 2u);
  EXPECT_GT(counts[1], counts[3]);
  EXPECT_EQ(counts.count(0) + counts.count(2), 0u);
}

TEST(SamplerTest, PartialTopPEqualsSortingEverything) {
  for (uint64_t seed = 0; seed < 30; ++seed) {
    std::vector<float> logits = randomLogits(5000, seed);
    std::vector<TokenCandidate> candidates;
    for (size_t i = 0; i < logits.size(); ++i)
      candidates.push_back({static_cast<int32_t>(i), logits[i] * (seed % 3 + 1) * 0.3f});
    softmax(candidates);
    float p = 0.05f + 0.03f * static_cast<float>(seed);
    std::vector<TokenCandidate> sorted = candidates;
    keepTopK(sorted, 0);
    keepTopP(sorted, p);
    keepTopPUnsorted(candidates, p);
    ASSERT_EQ(candidates.size(), sorted.size()) << "seed " << seed;
    for (size_t i = 0; i < sorted.size(); ++i)
      EXPECT_EQ(candidates[i].id, sorted[i].id);
  }
}

TEST(SamplerTest, TemperatureFollowsTheDistribution) {
  // p = softmax(logits / T); with T = 1 and p = (0.7, 0.2, 0.1), 5000 draws
  // land within a few percent of p (fixed seed, so this never flakes).
  std::vector<float> logits = {std::log(0.7f), std::log(0.2f), std::log(0.1f)};
  std::map<int32_t, int> counts;
  for (int32_t token : drawMany(SamplingParams{1.0f, 0, 1.0f, 11}, logits, 5000))
    ++counts[token];
  EXPECT_NEAR(counts[0] / 5000.0, 0.7, 0.03);
  EXPECT_NEAR(counts[1] / 5000.0, 0.2, 0.03);
  EXPECT_NEAR(counts[2] / 5000.0, 0.1, 0.03);
  // A low temperature sharpens it towards the argmax.
  counts.clear();
  for (int32_t token : drawMany(SamplingParams{0.2f, 0, 1.0f, 11}, logits, 2000))
    ++counts[token];
  EXPECT_GT(counts[0], 1900);
}

TEST(SamplerTest, AllowedTokensRestrictTheDraw) {
  std::vector<float> logits = randomLogits(1000, 2);
  std::vector<int32_t> allowed = {3, 77, 500, 999};
  Sampler sampler(SamplingParams{2.0f, 0, 1.0f, 5});
  for (int i = 0; i < 200; ++i) {
    int32_t token = sampler.sample(logits, allowed);
    EXPECT_TRUE(std::find(allowed.begin(), allowed.end(), token) != allowed.end());
  }
}
