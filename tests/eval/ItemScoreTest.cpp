//===- ItemScoreTest.cpp - scores written to journal lines and read back --===//
#include "eval/ItemScore.h"

#include <gtest/gtest.h>

using nlohmann::json;
using namespace optlm::eval;

namespace {

TEST(ItemScore, FlagTuneScoresReadBackAsWritten) {
  FlagTuneScore score;
  score.ozSize = 200;
  score.modelSize = 150;
  score.finalSize = 150;
  score.bestKnownSize = 120;
  score.labelSize = 120;
  score.pipeline = "module(function(sroa))";
  json line = {{"task", "flagtune"}, {"explanation", "kept as is"}};
  addToJson(score, line);
  EXPECT_EQ(line["explanation"], "kept as is");
  EXPECT_EQ(line["winner"], "solver");
  EXPECT_DOUBLE_EQ(line["reduction_with_backup"].get<double>(), 25.0);

  const FlagTuneScore read = flagTuneScoreOf(line);
  EXPECT_EQ(read.ozSize, 200u);
  EXPECT_EQ(read.modelSize, std::optional<uint64_t>(150));
  EXPECT_EQ(read.finalSize, 150u);
  EXPECT_EQ(read.bestKnownSize, 120u);
  EXPECT_EQ(read.labelSize, std::optional<uint64_t>(120));
  EXPECT_EQ(read.pipeline, score.pipeline);
  EXPECT_TRUE(read.valid());
  EXPECT_TRUE(read.solverWon());
  EXPECT_EQ(outcomeInWords(line), "+25.00% vs -Oz (solver), without backup +25.00%");
}

TEST(ItemScore, AnUnusableAnswerCountsAsOzWithoutBackup) {
  FlagTuneScore score;
  score.ozSize = 100;
  score.finalSize = 100;
  score.bestKnownSize = 90;
  json line = {{"task", "flagtune"}};
  addToJson(score, line);
  EXPECT_TRUE(line["model_size"].is_null());
  const FlagTuneScore read = flagTuneScoreOf(line);
  EXPECT_FALSE(read.valid());
  EXPECT_FALSE(read.solverWon());
  EXPECT_DOUBLE_EQ(read.reductionWithoutBackup(), 0.0);

  // A larger answer: negative without backup, -Oz with it.
  score.modelSize = 120;
  line = {{"task", "flagtune"}};
  addToJson(score, line);
  EXPECT_EQ(outcomeInWords(line), "+0.00% vs -Oz (-Oz), without backup -20.00%");
}

TEST(ItemScore, EmulationErrorsComeFromThePredictions) {
  EmulationScore score;
  score.bleu = 0.5;
  score.instructions = 40;
  score.binarySize = 200;
  score.predictedBinarySize = 150;
  json line = {{"task", "emulate"}};
  addToJson(score, line);
  EXPECT_FALSE(line.contains("instructions_error_percent"));
  EXPECT_DOUBLE_EQ(line["binary_size_error_percent"].get<double>(), 25.0);
  const EmulationScore read = emulationScoreOf(line);
  EXPECT_EQ(read.instructionsErrorPercent(), std::nullopt);
  EXPECT_EQ(read.binarySizeErrorPercent(), std::optional<double>(25.0));
  EXPECT_EQ(outcomeInWords(line), "differs, BLEU 0.500");
  EXPECT_DOUBLE_EQ(absolutePercentError(5, 0), 100.0);
  EXPECT_DOUBLE_EQ(absolutePercentError(0, 0), 0.0);
}

TEST(ItemScore, DisassemblyWithoutReferenceHasNoBleu) {
  DisassemblyScore score;
  score.roundTrip = score.parses = score.compiles = true;
  score.roundTripBleu = 1.0;
  json line = {{"task", "disasm"}};
  addToJson(score, line);
  EXPECT_FALSE(line.contains("bleu"));
  EXPECT_FALSE(line.contains("exact_match"));
  EXPECT_EQ(disassemblyScoreOf(line).bleu, std::nullopt);
  EXPECT_EQ(outcomeInWords(line), "round trip ok, round-trip BLEU 1.000");
}

// Journal lines are external input: a field of the wrong type or a line
// of another kind reads as the defaults, never as a crash.
TEST(ItemScore, MalformedLinesReadAsDefaults) {
  json line = {{"task", "flagtune"}, {"oz_size", "many"}, {"model_size", true},
               {"pipeline", 3}};
  const FlagTuneScore read = flagTuneScoreOf(line);
  EXPECT_EQ(read.ozSize, 0u);
  EXPECT_FALSE(read.valid());
  EXPECT_EQ(read.pipeline, "");
  EXPECT_FALSE(emulationScoreOf(json::array()).exactMatch);
  EXPECT_FALSE(isScored({{"error", "x"}}));
  EXPECT_FALSE(isScored({{"skipped", "y"}}));
  EXPECT_EQ(outcomeInWords({{"error", 5}}), "error: ");
  EXPECT_EQ(outcomeInWords({{"skipped", "no answer"}}), "skipped: no answer");
}

} // namespace
