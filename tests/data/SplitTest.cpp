//===- SplitTest.cpp - no source program in two splits --------------------===//
#include "data/Split.h"
#include "data/ShardWriter.h"

#include "TestSupport.h"
#include "testing/Testing.h"

#include <map>
#include <set>

using namespace optlm::data;
using namespace optlm::data::testing;

namespace {

/// A datagen-like folder: two shards, 40 programs with 1 to 5 records each.
void writeShards(const std::string &directory) {
  auto first = ShardWriter::open(directory, "a");
  auto second = ShardWriter::open(directory, "b");
  ASSERT_TRUE(first && second);
  for (int program = 0; program < 40; ++program) {
    ModuleRecords records;
    for (int record = 0; record <= program % 5; ++record)
      records.lines.push_back("{\"task\":\"emulate\",\"metadata\":{\"source\":\"p" +
                              std::to_string(program) + ".c\"},\"n\":" + std::to_string(record) +
                              "}");
    ShardWriter &shard = program % 2 ? *second : *first;
    ASSERT_EQ(errorText(shard.append("m" + std::to_string(program), records)), "");
  }
}

std::map<std::string, std::string> splitOfEachSource(const std::string &directory,
                                                     size_t &records) {
  std::map<std::string, std::string> splitOf;
  records = 0;
  for (const char *split : {"train", "valid", "test"}) {
    for (const std::string &line : lines(readFile(directory + "/split/" + split + ".jsonl"))) {
      auto record = nlohmann::json::parse(line);
      const std::string source = record["metadata"]["source"];
      auto [it, inserted] = splitOf.emplace(source, split);
      EXPECT_EQ(it->second, split) << source << " is in two splits";
      ++records;
    }
  }
  return splitOf;
}

TEST(CorpusSplit, KeepsAPackageTogetherAndFollowsTheSeed) {
  CorpusEntry a, b;
  a.package = b.package = "zlib";
  a.source = "adler32.c";
  b.source = "inflate.c";
  EXPECT_EQ(splitGroup(a), "zlib");
  EXPECT_EQ(splitGroup(a), splitGroup(b));
  CorpusEntry loose;
  loose.source = "csmith:7";
  EXPECT_EQ(splitGroup(loose), "csmith:7");

  // Over many groups the share is close to the one asked for, the same
  // seed gives the same answer, another seed another split.
  size_t heldOut = 0, differs = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string group = "package-" + std::to_string(i);
    const bool first = isHeldOut(group, 0.2, 1);
    EXPECT_EQ(first, isHeldOut(group, 0.2, 1));
    heldOut += first;
    differs += first != isHeldOut(group, 0.2, 2);
    EXPECT_FALSE(isHeldOut(group, 0.0, 1));
  }
  EXPECT_NEAR(double(heldOut) / 2000, 0.2, 0.03);
  EXPECT_GT(differs, 100u);
}

} // namespace

TEST(DataSplit, EveryProgramInExactlyOneSplit) {
  TemporaryFolder directory;
  writeShards(directory.path());
  SplitOptions options;
  options.directory = directory.path();
  options.seed = 3;
  auto summary = splitDataset(options);
  OPTLM_ASSERT_OK(summary);
  size_t records = 0;
  auto splitOf = splitOfEachSource(directory.path(), records);
  EXPECT_EQ(splitOf.size(), 40u);
  EXPECT_EQ(records, 120u); // 8 * (1+2+3+4+5)
  const uint64_t train = (*summary)["splits"]["train"]["records"];
  const uint64_t valid = (*summary)["splits"]["valid"]["records"];
  const uint64_t test = (*summary)["splits"]["test"]["records"];
  EXPECT_EQ(train + valid + test, 120u);
  // Whole programs of at most 5 records: each share within a program or two.
  EXPECT_NEAR(double(train), 96, 10);
  EXPECT_NEAR(double(valid), 12, 10);
  EXPECT_GT(test, 0u);

  // The same seed gives the same files; another seed another assignment.
  const std::string before = readFile(directory.file("split/train.jsonl"));
  ASSERT_TRUE(bool(splitDataset(options)));
  EXPECT_EQ(readFile(directory.file("split/train.jsonl")), before);
  options.seed = 4;
  ASSERT_TRUE(bool(splitDataset(options)));
  EXPECT_NE(readFile(directory.file("split/train.jsonl")), before);
}

TEST(DataSplit, BadFractionsAndFoldersAreErrors) {
  TemporaryFolder directory;
  SplitOptions options;
  options.directory = directory.path();
  options.train = 0.9;
  EXPECT_NE(errorText(checkSplitOptions(options)), "");
  options.train = -0.2;
  options.valid = 0.6;
  options.test = 0.6;
  EXPECT_NE(errorText(checkSplitOptions(options)), "");
  options = SplitOptions();
  options.directory = directory.path();
  EXPECT_FALSE(succeeded(splitDataset(options))); // no shards
}

TEST(DataSplit, ARecordWithoutSourceIsAnErrorNamingIt) {
  TemporaryFolder directory;
  {
    auto shard = ShardWriter::open(directory.path(), "a");
    ASSERT_TRUE(bool(shard));
    ModuleRecords records;
    records.lines = {"{\"metadata\":{\"source\":\"x\"}}", "{\"metadata\":{}}"};
    ASSERT_EQ(errorText(shard->append("m", records)), "");
  }
  SplitOptions options;
  options.directory = directory.path();
  auto summary = splitDataset(options);
  ASSERT_FALSE(bool(summary));
  EXPECT_NE(llvm::toString(summary.takeError()).find("a.jsonl:2"), std::string::npos);
}
