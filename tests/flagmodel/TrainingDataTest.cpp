//===- TrainingDataTest.cpp - split by package, labels from datagen -------===//
#include "flagmodel/TrainingData.h"
#include "testing/Testing.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace llvm;
using namespace optlm;
using namespace optlm::flagmodel;

namespace {

using optlm::testing::TemporaryFolder;

void writeLines(const std::string &path, ArrayRef<std::string> lines) {
  std::error_code error;
  raw_fd_ostream out(path, error);
  for (const std::string &line : lines)
    out << line << "\n";
}

std::string record(StringRef task, StringRef module, StringRef triple, uint64_t size,
                   StringRef package = "") {
  nlohmann::json metadata = {
      {"module", module.str()},
      {"target", triple.str()},
      {"pipeline", "module(function(sroa))"},
      {"output_binary_size", size},
      {"oz_binary_size", 100},
      {"verified", true},
      {"search_evaluations", 40},
      {"runners_up", nlohmann::json::array(
                         {{{"pipeline", "module(function(gvn))"}, {"binary_size", size + 1}}})}};
  if (!package.empty())
    metadata["package"] = package.str();
  return nlohmann::json{
      {"task", task.str()}, {"prompt", "p"}, {"label", "l"}, {"metadata", metadata}}
      .dump();
}

TEST(TrainingData, LabelsAreTheFlagtuneRecordsOfTheTarget) {
  TemporaryFolder dir;
  writeLines(dir.file("shard-0-of-1.jsonl"),
             {record("flagtune", "aaaa", "x86_64-unknown-linux-gnu", 90),
              record("emulate", "aaaa", "x86_64-unknown-linux-gnu", 70),
              record("flagtune", "bbbb", "aarch64-unknown-linux-gnu", 80, "zlib"), ""});
  writeLines(dir.file("notes.txt"), {"not a shard"});
  auto labels = readLabels({dir.path()}, Target::X86_64);
  OPTLM_ASSERT_OK(labels);
  ASSERT_EQ(labels->size(), 1u);
  const Label &label = labels->lookup("aaaa");
  EXPECT_EQ(label.binarySize, 90u);
  EXPECT_EQ(label.ozSize, 100u);
  EXPECT_TRUE(label.verified);
  EXPECT_DOUBLE_EQ(label.reductionPercent(), 10.0);
  EXPECT_EQ(label.runnersUp, (std::vector<std::string>{"module(function(gvn))"}));
  auto arm = readLabels({dir.path()}, Target::AArch64);
  ASSERT_TRUE(bool(arm));
  EXPECT_EQ(arm->size(), 1u);
  EXPECT_EQ(arm->lookup("bbbb").binarySize, 80u);
  // Candidate lists come from every target's labels.
  auto every = readLabels({dir.path()}, std::nullopt);
  OPTLM_ASSERT_OK(every);
  EXPECT_EQ(every->size(), 2u);
  EXPECT_EQ(every->lookup("aaaa").binarySize, 90u);
  EXPECT_EQ(every->lookup("bbbb").binarySize, 80u);
  // The package, where a record names it, is what a split by package
  // judges a candidate label by.
  EXPECT_EQ(every->lookup("bbbb").package, "zlib");
  EXPECT_EQ(every->lookup("aaaa").package, "");
}

TEST(TrainingData, SeveralFoldersKeepTheSmallerLabel) {
  TemporaryFolder first, second;
  writeLines(first.file("shard-0-of-1.jsonl"),
             {record("flagtune", "aaaa", "x86_64-unknown-linux-gnu", 90),
              record("flagtune", "bbbb", "x86_64-unknown-linux-gnu", 95)});
  writeLines(second.file("shard-0-of-1.jsonl"),
             {record("flagtune", "aaaa", "x86_64-unknown-linux-gnu", 85),
              record("flagtune", "bbbb", "x86_64-unknown-linux-gnu", 99)});
  auto labels = readLabels({first.path(), second.path()}, Target::X86_64);
  OPTLM_ASSERT_OK(labels);
  EXPECT_EQ(labels->lookup("aaaa").binarySize, 85u);
  EXPECT_EQ(labels->lookup("bbbb").binarySize, 95u);
}

TEST(TrainingData, ALabelFileIsReadAloneWithoutTheRestOfItsFolder) {
  TemporaryFolder dir;
  writeLines(dir.file("train-evolve300.jsonl"),
             {record("flagtune", "aaaa", "x86_64-unknown-linux-gnu", 90)});
  writeLines(dir.file("heldout-evolve1000.jsonl"),
             {record("flagtune", "bbbb", "x86_64-unknown-linux-gnu", 80)});
  auto labels = readLabels({dir.file("train-evolve300.jsonl")}, Target::X86_64);
  OPTLM_ASSERT_OK(labels);
  ASSERT_EQ(labels->size(), 1u);
  EXPECT_EQ(labels->lookup("aaaa").binarySize, 90u);
  writeLines(dir.file("notes.txt"), {"not labels"});
  auto notLabels = readLabels({dir.file("notes.txt")}, Target::X86_64);
  ASSERT_FALSE(bool(notLabels));
  EXPECT_NE(toString(notLabels.takeError()).find("notes.txt"), std::string::npos);
}

TEST(TrainingData, ABrokenShardLineIsAnErrorNamingIt) {
  TemporaryFolder dir;
  writeLines(dir.file("shard-0-of-1.jsonl"),
             {record("flagtune", "aaaa", "x86_64-unknown-linux-gnu", 90),
              "{\"task\":\"flagtune\", truncated"});
  auto labels = readLabels({dir.path()}, Target::X86_64);
  ASSERT_FALSE(bool(labels));
  std::string message = toString(labels.takeError());
  EXPECT_NE(message.find("shard-0-of-1.jsonl:2"), std::string::npos) << message;
  auto missing = readLabels({dir.file("nothing-here")}, Target::X86_64);
  ASSERT_FALSE(bool(missing));
  EXPECT_NE(toString(missing.takeError()).find("not a datagen output folder or a .jsonl file"),
            std::string::npos);
}

} // namespace
