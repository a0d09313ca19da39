//===- BleuTest.cpp - BLEU-4 on examples worked out by hand ---------------===//
#include "eval/Bleu.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace optlm::eval;

TEST(EvalBleu, Tokens) {
  EXPECT_EQ(codeTokens("%5 = add nsw i32 %3, 1"),
            (std::vector<std::string>{"%", "5", "=", "add", "nsw", "i32", "%", "3", ",", "1"}));
  EXPECT_EQ(codeTokens("  movl\t$0x10, -4(%rbp)\n"),
            (std::vector<std::string>{"movl", "$", "0x10", ",", "-", "4", "(", "%", "rbp", ")"}));
  EXPECT_TRUE(codeTokens(" \n\t").empty());
}

TEST(EvalBleu, IdenticalTextsScoreOne) {
  EXPECT_DOUBLE_EQ(sentenceBleu("define i32 @f() { ret i32 0 }", "define i32 @f() { ret i32 0 }"),
                   1.0);
  EXPECT_DOUBLE_EQ(corpusBleu({{"a b c d", "a b c d"}, {"x y z w v", "x y z w v"}}), 1.0);
  EXPECT_DOUBLE_EQ(sentenceBleu("", ""), 1.0);
}

TEST(EvalBleu, OneTokenDifferent) {
  // Candidate "a b c d e" against "a b c d f": precisions 4/5, 3/4, 2/3,
  // 1/2; same length, no brevity penalty.
  double plain = std::pow(4.0 / 5 * 3.0 / 4 * 2.0 / 3 * 1.0 / 2, 0.25);
  EXPECT_NEAR(corpusBleu({{"a b c d e", "a b c d f"}}), plain, 1e-12);
  EXPECT_NEAR(plain, 0.668740, 1e-6);
  // Smoothed: one added to the matches and totals of orders 2 to 4.
  double smoothed = std::pow(4.0 / 5 * 4.0 / 5 * 3.0 / 4 * 2.0 / 3, 0.25);
  EXPECT_NEAR(sentenceBleu("a b c d e", "a b c d f"), smoothed, 1e-12);
}

TEST(EvalBleu, BrevityPenaltyAndClipping) {
  // "a b" against "a b c d": precisions 1, 1, then no 3- or 4-grams; the
  // smoothed orders 3 and 4 are (0+1)/(0+1); BP = exp(1 - 4/2).
  EXPECT_NEAR(sentenceBleu("a b", "a b c d"), std::exp(1.0 - 2.0), 1e-12);
  // Repeating a reference token is clipped to its count there: unigram
  // precision 1/4 for "a a a a" against "a b c d".
  BleuStatistics statistics = bleuStatistics(codeTokens("a a a a"), codeTokens("a b c d"));
  EXPECT_EQ(statistics.matches[0], 1u);
  EXPECT_EQ(statistics.totals[0], 4u);
  EXPECT_EQ(statistics.matches[1], 0u);
  EXPECT_DOUBLE_EQ(corpusBleu({{"a a a a", "a b c d"}}), 0.0);
}

TEST(EvalBleu, CorpusSumsCountsBeforeDividing) {
  // Pair 1 matches everything, pair 2 nothing: corpus precisions are the
  // summed counts (4+0)/(4+4) etc., not the mean of two sentence scores.
  BleuStatistics total = bleuStatistics(codeTokens("a b c d"), codeTokens("a b c d"));
  total.add(bleuStatistics(codeTokens("w x y z"), codeTokens("e f g h")));
  double expected = std::pow(4.0 / 8 * 3.0 / 6 * 2.0 / 4 * 1.0 / 2, 0.25);
  EXPECT_NEAR(corpusBleu({{"a b c d", "a b c d"}, {"w x y z", "e f g h"}}), expected, 1e-12);
  EXPECT_NEAR(total.score(false), expected, 1e-12);
  EXPECT_DOUBLE_EQ(sentenceBleu("", "a"), 0.0);
  EXPECT_DOUBLE_EQ(sentenceBleu("a", ""), 0.0);
}
