//===- ShardWriterTest.cpp - shards cut back to their journal on reopen ---===//
#include "data/ShardWriter.h"
#include "data/Manifest.h"

#include "TestSupport.h"
#include "testing/Testing.h"

#include "llvm/Support/raw_ostream.h"

#include <unistd.h>

using namespace optlm::data;
using namespace optlm::data::testing;

namespace {

ModuleRecords recordsOf(std::initializer_list<const char *> lines) {
  ModuleRecords records;
  for (const char *line : lines) {
    records.lines.push_back(line);
    ++records.recordsByTask["emulate"];
  }
  return records;
}

void appendRaw(const std::string &path, llvm::StringRef bytes) {
  std::error_code error;
  llvm::raw_fd_ostream stream(path, error, llvm::sys::fs::OF_Append);
  ASSERT_FALSE(error);
  stream << bytes;
}

} // namespace

TEST(DataShardWriter, AppendsRecordsAndJournal) {
  TemporaryFolder directory;
  auto shard = ShardWriter::open(directory.path(), "s");
  OPTLM_ASSERT_OK(shard);
  ASSERT_EQ(errorText(shard->append("m1", recordsOf({"{\"a\":1}", "{\"a\":2}"}))), "");
  ModuleRecords failed;
  failed.failures["module/crashed"] = 1;
  ASSERT_EQ(errorText(shard->append("m2", failed)), "");
  EXPECT_EQ(readFile(directory.file("s.jsonl")), "{\"a\":1}\n{\"a\":2}\n");
  auto journal = readJournal(directory.file("s.journal"));
  ASSERT_TRUE(bool(journal));
  ASSERT_EQ(journal->entries.size(), 2u);
  EXPECT_EQ(journal->entries[0].module, "m1");
  EXPECT_EQ(journal->entries[0].records, 2u);
  EXPECT_EQ(journal->entries[1].end, 16u);
  EXPECT_EQ(journal->entries[1].failures.at("module/crashed"), 1u);
}

TEST(DataShardWriter, ReopeningCutsWhatAKillLeftBehind) {
  TemporaryFolder directory;
  {
    auto shard = ShardWriter::open(directory.path(), "s");
    ASSERT_TRUE(bool(shard));
    ASSERT_EQ(errorText(shard->append("m1", recordsOf({"{\"a\":1}"}))), "");
  }
  // A kill after the records of m2 were written but before its journal
  // line was complete.
  appendRaw(directory.file("s.jsonl"), "{\"a\":2}\n{\"a\":3");
  appendRaw(directory.file("s.journal"), "{\"module\":\"m2\",\"en");
  auto shard = ShardWriter::open(directory.path(), "s");
  OPTLM_ASSERT_OK(shard);
  ASSERT_EQ(shard->finished().size(), 1u);
  EXPECT_EQ(readFile(directory.file("s.jsonl")), "{\"a\":1}\n");
  EXPECT_EQ(readFile(directory.file("s.journal")).find("m2"), std::string::npos);
  ASSERT_EQ(errorText(shard->append("m2", recordsOf({"{\"a\":2}"}))), "");
  EXPECT_EQ(readFile(directory.file("s.jsonl")), "{\"a\":1}\n{\"a\":2}\n");
}

TEST(DataShardWriter, ARecordsFileShorterThanItsJournalIsAnError) {
  TemporaryFolder directory;
  {
    auto shard = ShardWriter::open(directory.path(), "s");
    ASSERT_TRUE(bool(shard));
    ASSERT_EQ(errorText(shard->append("m1", recordsOf({"{\"a\":1}"}))), "");
  }
  ASSERT_EQ(::truncate(directory.file("s.jsonl").c_str(), 2), 0);
  EXPECT_FALSE(succeeded(ShardWriter::open(directory.path(), "s")));
}

TEST(DataShardWriter, ManifestListsThePopularPipelinesForBroadcast) {
  TemporaryFolder directory;
  auto shard = ShardWriter::open(directory.path(), "a");
  ASSERT_TRUE(bool(shard));
  const char *labels[] = {"module(sroa)", "module(gvn)",  "module(default<Oz>)", "module(gvn)",
                          "module(licm)", "module(sroa)", "module(gvn)"};
  int index = 0;
  for (const char *pipeline : labels) {
    ModuleRecords records;
    records.tunedPipeline = pipeline;
    ASSERT_EQ(errorText(shard->append("m" + std::to_string(index++), records)), "");
  }
  auto manifest = buildManifest(directory.path(), {}, 7);
  ASSERT_TRUE(bool(manifest));
  // Most often first, ties by text, -Oz left out.
  EXPECT_EQ((*manifest)["popular_pipelines"],
            nlohmann::json::parse(R"json([{"pipeline":"module(gvn)","programs":3},
                                      {"pipeline":"module(sroa)","programs":2},
                                      {"pipeline":"module(licm)","programs":1}])json"));
}

TEST(DataShardWriter, ManifestCountsAndChecksumsTheJournaledPart) {
  TemporaryFolder directory;
  {
    auto shard = ShardWriter::open(directory.path(), "a");
    ASSERT_TRUE(bool(shard));
    ASSERT_EQ(errorText(shard->append("m1", recordsOf({"{\"a\":1}", "{\"a\":2}"}))), "");
  }
  appendRaw(directory.file("a.jsonl"), "unjournaled tail");
  auto manifest = buildManifest(directory.path(), {{"seed", 1}}, 5);
  OPTLM_ASSERT_OK(manifest);
  EXPECT_EQ((*manifest)["records"], 2);
  EXPECT_EQ((*manifest)["corpus_modules"], 5);
  EXPECT_EQ((*manifest)["records_by_task"]["emulate"], 2);
  // sha256 of the 16 journaled bytes "{"a":1}\n{"a":2}\n".
  auto digest = fileSha256(directory.file("a.jsonl"), 16);
  ASSERT_TRUE(bool(digest));
  EXPECT_EQ((*manifest)["shards"][0]["sha256"], *digest);
  EXPECT_EQ(digest->size(), 64u);
}
