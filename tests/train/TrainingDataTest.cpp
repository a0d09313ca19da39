//===- TrainingDataTest.cpp - records, bad lines, batches, data order -----===//
#include "TrainTestSupport.h"

#include "testing/Testing.h"
#include "train/TrainingData.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

using namespace optlm;
using namespace optlm::train;
using namespace optlm::train::testing;

namespace {

lm::Tokenizer byteTokenizer() {
  auto tokenizer = lm::Tokenizer::create(byteVocabulary(320));
  EXPECT_TRUE(static_cast<bool>(tokenizer)) << llvm::toString(tokenizer.takeError());
  return std::move(*tokenizer);
}

TEST(TrainData, BadLinesAreCountedAndSkipped) {
  lm::Tokenizer tokenizer = byteTokenizer();
  std::vector<std::string> lines = additionRecords(5);
  std::string longText(150, 'x');
  lines.insert(lines.begin() + 2, "not json {");
  lines.push_back(R"({"prompt": 1, "label": "2"})");
  lines.push_back("[1, 2]");
  lines.push_back("");
  lines.push_back(R"({"prompt": ")" + std::string(100, 'p') + R"(", "label": "x"})");
  lines.push_back(R"({"text": ")" + longText + R"("})");
  optlm::testing::TemporaryFolder scratch;
  std::string file = scratch.file("shard-0-of-1.jsonl");
  writeLines(file, lines);

  auto data = loadDataset({file}, tokenizer, 64);
  OPTLM_ASSERT_OK(data);
  size_t textTokens = tokenizer.encode(longText).size() + 1; // + EOS
  int64_t textPieces = static_cast<int64_t>((textTokens + 63) / 64);
  EXPECT_EQ(data->counts.lines, 10);
  EXPECT_EQ(data->counts.malformed, 3);
  EXPECT_EQ(data->counts.tooLong, 1);
  EXPECT_EQ(data->counts.examples, 5 + textPieces);
  ASSERT_EQ(static_cast<int64_t>(data->examples.size()), data->counts.examples);

  // A record is BOS, prompt, label, EOS; the loss starts at the label.
  std::vector<int32_t> prompt = tokenizer.encode("[INST] add 0 and 1 [/INST]", true);
  std::vector<int32_t> label = tokenizer.encode("1");
  const Example &first = data->examples[0];
  EXPECT_EQ(first.firstTarget, static_cast<int32_t>(prompt.size()));
  ASSERT_EQ(first.tokens.size(), prompt.size() + label.size() + 1);
  EXPECT_TRUE(std::equal(prompt.begin(), prompt.end(), first.tokens.begin()));
  EXPECT_EQ(first.tokens.back(), tokenizer.eosId());
  // Text pieces fit the context and are predicted from their second token.
  for (int64_t i = 5; i < data->counts.examples; ++i) {
    EXPECT_LE(data->examples[i].tokens.size(), 65u);
    EXPECT_EQ(data->examples[i].firstTarget, 1);
    EXPECT_EQ(data->examples[i].tokens.front(), tokenizer.bosId());
  }

  auto missing = loadDataset({file + ".missing"}, tokenizer, 64);
  EXPECT_FALSE(static_cast<bool>(missing));
  llvm::consumeError(missing.takeError());
}

// A text record is cut into pieces of at most the context: a context below
// 1 is an error, not pieces of no length without end.
TEST(TrainData, ContextBelowOneIsAnError) {
  lm::Tokenizer tokenizer = byteTokenizer();
  optlm::testing::TemporaryFolder scratch;
  std::string file = scratch.file("text.jsonl");
  writeLines(file, {R"({"text": "some text"})"});
  for (int64_t context : {0, -1}) {
    auto data = loadDataset({file}, tokenizer, context);
    ASSERT_FALSE(static_cast<bool>(data));
    EXPECT_NE(llvm::toString(data.takeError()).find("context length must be at least 1"),
              std::string::npos);
  }
  auto one = loadDataset({file}, tokenizer, 1);
  OPTLM_ASSERT_OK(one);
  EXPECT_GT(one->counts.examples, 0);
}

TEST(TrainData, BatchesArePaddedWithoutTargets) {
  Dataset data;
  data.examples.push_back({{1, 10, 11, 12, 2}, 3});
  data.examples.push_back({{1, 20, 2}, 1});
  TokenBatch batch = makeBatch(data, {0, 1});
  EXPECT_EQ(batch.rows, 2);
  EXPECT_EQ(batch.columns, 4);
  EXPECT_EQ(batch.positions, 4 + 2);
  EXPECT_EQ(batch.tokens, (std::vector<int32_t>{1, 10, 11, 12, 1, 20, 2, 2}));
  const int32_t none = TokenBatch::kNoTarget;
  EXPECT_EQ(batch.targets, (std::vector<int32_t>{none, none, 12, 2, 20, 2, none, none}));
}

// Data-parallel training: process r takes rows r, r + N, ...; together the
// processes hold every row once.
TEST(TrainData, ProcessesShareABatchsRowsInTurn) {
  Dataset data;
  for (int i = 0; i < 5; ++i)
    data.examples.push_back({{1, 10 + i, 2}, 1});
  TokenBatch batch = makeBatch(data, {0, 1, 2, 3, 4});
  TokenBatch first = rowsOfProcess(batch, 0, 2), second = rowsOfProcess(batch, 1, 2);
  EXPECT_EQ(first.rows, 3);
  EXPECT_EQ(second.rows, 2);
  EXPECT_EQ(first.columns, batch.columns);
  EXPECT_EQ(first.tokens, (std::vector<int32_t>{1, 10, 1, 12, 1, 14}));
  EXPECT_EQ(second.tokens, (std::vector<int32_t>{1, 11, 1, 13}));
  EXPECT_EQ(first.targetCount() + second.targetCount(), batch.targetCount());
  EXPECT_EQ(second.positions, batch.positions) << "tokens/s counts the whole batch";
  TokenBatch alone = rowsOfProcess(batch, 0, 1);
  EXPECT_EQ(alone.tokens, batch.tokens);
}

TEST(TrainData, OrderIsASeededPermutationPerEpoch) {
  std::vector<int64_t> order = epochOrder(50, 7, 0);
  std::set<int64_t> distinct(order.begin(), order.end());
  EXPECT_EQ(distinct.size(), 50u);
  EXPECT_EQ(*distinct.rbegin(), 49);
  EXPECT_EQ(order, epochOrder(50, 7, 0));
  EXPECT_NE(order, epochOrder(50, 7, 1));
  EXPECT_NE(order, epochOrder(50, 8, 0));

  Dataset data;
  for (int i = 0; i < 5; ++i)
    data.examples.push_back({{1, 3 + i, 2}, 1});
  BatchSampler sampler(data, 3, 7);
  DataPosition position;
  TokenBatch first = sampler.next(position);
  TokenBatch second = sampler.next(position);
  EXPECT_EQ(position.epoch, 1);
  EXPECT_EQ(position.cursor, 1);
  // Starting from a saved position gives the same batch as continuing.
  DataPosition saved = position;
  TokenBatch third = sampler.next(position);
  BatchSampler fresh(data, 3, 7);
  EXPECT_EQ(fresh.next(saved).tokens, third.tokens);
  // Every example once in the first epoch.
  std::multiset<int32_t> seen;
  for (int row = 0; row < 3; ++row)
    seen.insert(first.tokens[row * 2 + 1]);
  for (int row = 0; row < 2; ++row)
    seen.insert(second.tokens[row * 2 + 1]);
  EXPECT_EQ(seen, (std::multiset<int32_t>{3, 4, 5, 6, 7}));
}

// Length-grouped batches: still every example once an epoch, a function of
// (seed, epoch), and far less padding than plain shuffled batches.
TEST(TrainData, LengthGroupedBatchesPadLess) {
  Dataset data;
  for (int i = 0; i < 203; ++i) // lengths 3..202, scattered
    data.examples.push_back({std::vector<int32_t>(3 + (i * 37) % 200, 5), 1});
  auto padding = [&](const std::vector<int64_t> &order, int64_t batchSize) {
    int64_t padded = 0;
    for (size_t start = 0; start + batchSize <= order.size(); start += batchSize) {
      size_t longest = 0, sum = 0;
      for (size_t i = start; i < start + batchSize; ++i) {
        longest = std::max(longest, data.examples[order[i]].tokens.size());
        sum += data.examples[order[i]].tokens.size();
      }
      padded += static_cast<int64_t>(longest * batchSize - sum);
    }
    return padded;
  };
  std::vector<int64_t> grouped = lengthGroupedOrder(data, 8, 5, 3, 0);
  std::vector<int64_t> sorted = grouped;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> all(203);
  std::iota(all.begin(), all.end(), 0);
  EXPECT_EQ(sorted, all);
  EXPECT_EQ(grouped, lengthGroupedOrder(data, 8, 5, 3, 0));
  EXPECT_NE(grouped, lengthGroupedOrder(data, 8, 5, 3, 1));
  EXPECT_LT(padding(grouped, 8) * 4, padding(epochOrder(203, 3, 0), 8));
  EXPECT_EQ(lengthGroupedOrder(data, 8, 0, 3, 0), epochOrder(203, 3, 0));

  // The sampler resumes a grouped order like a plain one.
  BatchSampler sampler(data, 8, 3, 5);
  DataPosition position;
  for (int i = 0; i < 30; ++i)
    sampler.next(position);
  DataPosition saved = position;
  TokenBatch next = sampler.next(position);
  BatchSampler fresh(data, 8, 3, 5);
  EXPECT_EQ(fresh.next(saved).tokens, next.tokens);
}

TEST(TrainData, DataFilesOfADatagenFolder) {
  optlm::testing::TemporaryFolder scratch;
  const std::string &folder = scratch.path();
  writeLines(folder + "/shard-1-of-2.jsonl", {});
  writeLines(folder + "/shard-0-of-2.jsonl", {});
  writeLines(folder + "/manifest.json", {});
  EXPECT_EQ(dataFiles(folder, "train"), (std::vector<std::string>{folder + "/shard-0-of-2.jsonl",
                                                                  folder + "/shard-1-of-2.jsonl"}));
  EXPECT_TRUE(dataFiles(folder, "valid").empty());
  llvm::sys::fs::create_directories(folder + "/split");
  writeLines(folder + "/split/train.jsonl", {});
  writeLines(folder + "/split/valid.jsonl", {});
  EXPECT_EQ(dataFiles(folder, "train"), (std::vector<std::string>{folder + "/split/train.jsonl"}));
  EXPECT_EQ(dataFiles(folder, "valid"), (std::vector<std::string>{folder + "/split/valid.jsonl"}));
}

} // namespace
