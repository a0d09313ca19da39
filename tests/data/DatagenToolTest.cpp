//===- DatagenToolTest.cpp - optlm corpus/datagen/split end to end --------===//
//
// These tests run the real optlm tool (and mpirun): corpora from a folder,
// from the compile_commands.json of examples/project and from csmith; all
// three tasks; a run killed with SIGKILL and restarted; an MPI run; every
// flag-tuning label's size checked by `optlm size`. Budgets are small so the
// suite stays within a couple of minutes on two cores.
//
//===----------------------------------------------------------------------===//
#include "data/Manifest.h"
#include "data/Prompts.h"

#include "TestSupport.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <set>
#include <thread>

using namespace optlm::data;
using namespace optlm::data::testing;

namespace {

/// Every record line of a datagen folder, shard by shard in name order.
std::vector<std::string> recordLines(const std::string &directory) {
  std::vector<std::string> all;
  auto names = shardNames(directory);
  EXPECT_TRUE(bool(names));
  if (!names)
    return all;
  for (const std::string &name : *names)
    for (std::string &line : lines(readFile(directory + "/" + name + ".jsonl")))
      all.push_back(std::move(line));
  return all;
}

std::vector<std::string> sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

nlohmann::json readJson(const std::string &path) {
  return nlohmann::json::parse(readFile(path), nullptr, false);
}

void expectOk(const ToolRun &run) {
  EXPECT_EQ(run.exitCode, 0) << run.out << run.err;
}

std::vector<std::string> datagenArguments(const std::string &corpus, const std::string &output,
                                          std::vector<std::string> extra) {
  std::vector<std::string> arguments = {"datagen",       corpus, "-o", output,
                                        "--tune-budget", "20",   "--emulate-samples", "1",
                                        "--jobs",        "2"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  return arguments;
}

/// Checks what every record must have, and returns the records by task.
std::map<std::string, std::vector<nlohmann::json>>
checkRecords(const std::vector<std::string> &recordText) {
  std::map<std::string, std::vector<nlohmann::json>> byTask;
  std::set<std::string> ids;
  for (const std::string &line : recordText) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(record.is_discarded()) << line.substr(0, 200);
    if (record.is_discarded())
      continue;
    const std::string prompt = record["prompt"];
    EXPECT_TRUE(llvm::StringRef(prompt).starts_with("[INST] ")) << prompt.substr(0, 80);
    EXPECT_TRUE(llvm::StringRef(prompt).ends_with(" [/INST]"));
    EXPECT_TRUE(ids.insert(record["id"].get<std::string>()).second) << "duplicate id";
    const nlohmann::json &metadata = record["metadata"];
    for (const char *field : {"source", "target", "module", "pipeline", "input_instructions",
                              "input_binary_size", "output_instructions",
                              "output_binary_size"})
      EXPECT_TRUE(metadata.contains(field)) << field;
    byTask[record["task"]].push_back(std::move(record));
  }
  return byTask;
}

/// The label's size is what `optlm size` reports for the prompt's IR and
/// the label's pipeline.
void confirmFlagTuningSizes(const std::vector<nlohmann::json> &records,
                            const TemporaryDirectory &scratch) {
  int index = 0;
  for (const nlohmann::json &record : records) {
    auto label = parseFlagTuningLabel(record["label"].get<std::string>());
    ASSERT_TRUE(bool(label)) << llvm::toString(label.takeError());
    const std::string prompt = record["prompt"];
    auto ir = codeBlock(prompt);
    ASSERT_TRUE(bool(ir));
    const std::string path = scratch / ("prompt" + std::to_string(index++) + ".ll");
    {
      std::error_code error;
      llvm::raw_fd_ostream file(path, error);
      file << *ir;
    }
    ToolRun size = runTool({"size", path, "-p", label->pipeline, "--target",
                            record["metadata"]["target"].get<std::string>(), "--json"});
    ASSERT_EQ(size.exitCode, 0) << size.err;
    nlohmann::json measured = nlohmann::json::parse(size.out, nullptr, false);
    ASSERT_FALSE(measured.is_discarded()) << size.out;
    EXPECT_EQ(measured["binary_size"].get<uint64_t>(), label->binarySize)
        << record["metadata"]["source"] << " " << label->pipeline;
    EXPECT_EQ(record["metadata"]["output_binary_size"].get<uint64_t>(), label->binarySize);
    EXPECT_LE(label->binarySize, record["metadata"]["oz_binary_size"].get<uint64_t>());
  }
}

} // namespace

TEST(DataDatagenTool, FolderCorpusGivesAllTasksForBothTargets) {
  TemporaryDirectory work;
  const std::string corpus = work / "corpus", output = work / "out";
  ToolRun add = runTool({"corpus", "add", inputPath("programs/adder.c"),
                         inputPath("programs/swap.ll"), "--corpus", corpus, "--targets",
                         "x86_64,aarch64", "--license", "Apache-2.0"});
  expectOk(add);
  EXPECT_NE(add.out.find("added 4"), std::string::npos) << add.out;

  ToolRun datagen = runTool(datagenArguments(corpus, output, {"--seed", "7"}));
  expectOk(datagen);
  const nlohmann::json manifest = readJson(output + "/manifest.json");
  EXPECT_EQ(manifest["failures"], nlohmann::json::object()) << manifest.dump();
  EXPECT_EQ(manifest["modules_done"], 4);
  EXPECT_EQ(manifest["records_by_task"]["flagtune"], 4);
  EXPECT_EQ(manifest["records_by_task"]["emulate"], 4);
  EXPECT_EQ(manifest["records_by_task"]["disasm"], 4);
  for (const auto &shard : manifest["shards"]) {
    auto digest = fileSha256(output + "/" + shard["file"].get<std::string>(),
                             shard["bytes"].get<uint64_t>());
    ASSERT_TRUE(bool(digest));
    EXPECT_EQ(shard["sha256"], *digest);
  }

  auto byTask = checkRecords(recordLines(output));
  for (const nlohmann::json &record : byTask["disasm"]) {
    const std::string prompt = record["prompt"];
    const bool aarch64 = record["metadata"]["target"] == "aarch64-unknown-linux-gnu";
    // clang -S style assembly of the right instruction set; the label is IR.
    EXPECT_NE(prompt.find(aarch64 ? "x0" : "%rdi"), std::string::npos) << prompt;
    EXPECT_NE(record["label"].get<std::string>().find("define "), std::string::npos);
    EXPECT_EQ(record["metadata"]["pipeline"], "module(default<Oz>)");
  }
  for (const nlohmann::json &record : byTask["emulate"]) {
    const std::string prompt = record["prompt"];
    EXPECT_NE(prompt.find("when optimized using opt -p 'module("), std::string::npos);
    const uint64_t passes = record["metadata"]["passes"];
    EXPECT_GE(passes, 1u);
    EXPECT_LE(passes, 50u);
  }
  for (const nlohmann::json &record : byTask["flagtune"]) {
    EXPECT_EQ(record["metadata"]["license"], "Apache-2.0");
    // Both targets are verified: AArch64 programs run under qemu-user.
    EXPECT_EQ(record["metadata"]["verification"], "passlisteval") << record["metadata"].dump();
    EXPECT_TRUE(record["metadata"]["verified"].get<bool>());
  }
  confirmFlagTuningSizes(byTask["flagtune"], work);

  // Splits by source program: both targets of one file go together.
  ToolRun split = runTool({"split", output, "--train", "0.5", "--valid", "0.25", "--test",
                           "0.25", "--seed", "1"});
  expectOk(split);
  std::map<std::string, std::string> splitOf;
  size_t records = 0;
  for (const char *name : {"train", "valid", "test"})
    for (const std::string &line : lines(readFile(output + "/split/" + name + ".jsonl"))) {
      auto record = nlohmann::json::parse(line);
      auto [it, inserted] = splitOf.emplace(record["metadata"]["source"], name);
      EXPECT_EQ(it->second, name);
      ++records;
    }
  EXPECT_EQ(records, 12u);
  EXPECT_EQ(splitOf.size(), 2u);
}

TEST(DataDatagenTool, CompileCommandsOfTheExampleProject) {
  TemporaryDirectory work;
  const std::string build = work / "build", corpus = work / "corpus", output = work / "out";
  ToolRun configure = runProgram({OPTLM_CMAKE, "-S", std::string(OPTLM_SOURCE_DIR) +
                                  "/examples/project", "-B", build,
                                  "-DCMAKE_C_COMPILER=clang-19",
                                  "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"});
  ASSERT_EQ(configure.exitCode, 0) << configure.out << configure.err;
  ToolRun add = runTool({"corpus", "add", "--compile-commands", build + "/compile_commands.json",
                         "--corpus", corpus, "--license", "MIT"});
  expectOk(add);
  EXPECT_NE(add.out.find("added 3,"), std::string::npos) << add.out << add.err;

  ToolRun list = runTool({"corpus", "list", "--corpus", corpus, "--json"});
  expectOk(list);
  std::set<std::string> files;
  for (const std::string &line : lines(list.out)) {
    auto entry = nlohmann::json::parse(line);
    EXPECT_EQ(entry["origin"], "compile-commands");
    files.insert(llvm::sys::path::filename(entry["source"].get<std::string>()).str());
  }
  EXPECT_EQ(files, (std::set<std::string>{"crc16.c", "main.c", "ringbuf.c"}));

  expectOk(runTool(datagenArguments(corpus, output, {"--no-verify"})));
  auto byTask = checkRecords(recordLines(output));
  EXPECT_EQ(byTask["flagtune"].size(), 3u);
  EXPECT_EQ(byTask["emulate"].size(), 3u);
  EXPECT_EQ(byTask["disasm"].size(), 3u);
  // The build's define reached the compiler: ringbuf's modulo is by 64.
  bool sawCapacity = false;
  for (const nlohmann::json &record : byTask["disasm"])
    sawCapacity |= record["label"].get<std::string>().find("63") != std::string::npos;
  EXPECT_TRUE(sawCapacity);
  confirmFlagTuningSizes(byTask["flagtune"], work);
}

TEST(DataDatagenTool, CsmithCorpusGivesAllTasks) {
  TemporaryDirectory work;
  const std::string corpus = work / "corpus", output = work / "out";
  ToolRun add = runTool({"corpus", "add", "--csmith", "1:2", "--corpus", corpus});
  expectOk(add);
  EXPECT_NE(add.out.find("added 2,"), std::string::npos) << add.out << add.err;
  expectOk(runTool(datagenArguments(corpus, output, {"--no-verify"})));
  auto byTask = checkRecords(recordLines(output));
  EXPECT_EQ(byTask["flagtune"].size(), 2u);
  EXPECT_EQ(byTask["emulate"].size(), 2u);
  EXPECT_EQ(byTask["disasm"].size(), 2u);
  std::set<std::string> sources;
  for (const nlohmann::json &record : byTask["disasm"]) {
    sources.insert(record["metadata"]["source"].get<std::string>());
    EXPECT_EQ(record["metadata"]["license"], "csmith-generated");
  }
  EXPECT_EQ(sources, (std::set<std::string>{"csmith:1", "csmith:2"}));
  confirmFlagTuningSizes(byTask["flagtune"], work);
}

TEST(DataDatagenTool, AKilledRunRestartsToTheSameRecords) {
  TemporaryDirectory work;
  const std::string corpus = work / "corpus";
  expectOk(runTool({"corpus", "add", inputPath("programs"), "--corpus", corpus}));
  const std::vector<std::string> options = {"--no-verify", "--seed", "5"};

  expectOk(runTool(datagenArguments(corpus, work / "whole", options)));

  // The same run, killed as soon as its first module is journaled, so the
  // second one is in flight (its children too).
  std::vector<std::string> argv = datagenArguments(corpus, work / "killed", options);
  argv.insert(argv.begin(), toolPath());
  std::vector<llvm::StringRef> arguments(argv.begin(), argv.end());
  std::optional<llvm::StringRef> quiet[] = {llvm::StringRef(""), llvm::StringRef(""),
                                            llvm::StringRef("")};
  llvm::sys::ProcessInfo process =
      llvm::sys::ExecuteNoWait(toolPath(), arguments, std::nullopt, quiet);
  ASSERT_GT(process.Pid, 0);
  const std::string journal = work / "killed/shard-0-of-1.journal";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (lines(readFile(journal)).empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(process.Pid, SIGKILL);
  llvm::sys::Wait(process, std::nullopt);
  const size_t journaled = lines(readFile(journal)).size();
  EXPECT_GE(journaled, 1u);
  EXPECT_LT(journaled, 3u) << "the run finished before it could be killed";
  EXPECT_FALSE(llvm::sys::fs::exists(work / "killed/manifest.json"));

  ToolRun resumed = runTool(datagenArguments(corpus, work / "killed", options));
  expectOk(resumed);
  EXPECT_NE(resumed.out.find("done before"), std::string::npos);
  EXPECT_EQ(readFile(work / "killed/shard-0-of-1.jsonl"),
            readFile(work / "whole/shard-0-of-1.jsonl"));
  EXPECT_EQ(readJson(work / "killed/manifest.json")["shards"],
            readJson(work / "whole/manifest.json")["shards"]);

  // Once finished, running again makes nothing new.
  ToolRun again = runTool(datagenArguments(corpus, work / "killed", options));
  expectOk(again);
  EXPECT_NE(again.out.find("made 0 records"), std::string::npos) << again.out;
}

TEST(DataDatagenTool, ShardsAndMpiGiveTheSingleProcessRecords) {
  TemporaryDirectory work;
  const std::string corpus = work / "corpus";
  expectOk(runTool({"corpus", "add", inputPath("programs"), "--corpus", corpus}));
  const std::vector<std::string> options = {"--no-verify", "--seed", "11"};
  expectOk(runTool(datagenArguments(corpus, work / "single", options)));
  const std::vector<std::string> single = sorted(recordLines(work / "single"));
  ASSERT_EQ(single.size(), 9u);

  // Two independent processes, one shard each, into one folder.
  for (const char *shard : {"0/2", "1/2"}) {
    std::vector<std::string> sharded = options;
    sharded.insert(sharded.end(), {"--shard", shard});
    expectOk(runTool(datagenArguments(corpus, work / "sharded", sharded)));
  }
  EXPECT_EQ(sorted(recordLines(work / "sharded")), single);
  EXPECT_EQ(readJson(work / "sharded/manifest.json")["records"], 9);

#ifdef OPTLM_MPIEXEC
  std::vector<std::string> mpirun = {OPTLM_MPIEXEC, "--oversubscribe", "--allow-run-as-root",
                                     "-np", "3", toolPath()};
  for (const std::string &argument : datagenArguments(corpus, work / "mpi", options))
    mpirun.push_back(argument);
  ToolRun mpi = runProgram(mpirun);
  ASSERT_EQ(mpi.exitCode, 0) << mpi.out << mpi.err;
  EXPECT_EQ(sorted(recordLines(work / "mpi")), single);
  const nlohmann::json manifest = readJson(work / "mpi/manifest.json");
  EXPECT_EQ(manifest["records"], 9);
  // Rank 0 hands out work; ranks 1 and 2 write the shards.
  std::set<std::string> files;
  for (const auto &shard : manifest["shards"])
    files.insert(shard["file"].get<std::string>());
  EXPECT_TRUE(files.count("mpi-rank-1.jsonl") || files.count("mpi-rank-2.jsonl"));
  EXPECT_EQ(files.count("mpi-rank-0.jsonl"), 0u);
#else
  GTEST_SKIP() << "built without MPI";
#endif
}

TEST(DataDatagenTool, BroadcastNeverMakesALabelWorse) {
  TemporaryDirectory work;
  const std::string corpus = work / "corpus";
  expectOk(runTool({"corpus", "add", inputPath("programs"), "--corpus", corpus}));
  const std::vector<std::string> options = {"--tasks", "flagtune", "--no-verify"};
  expectOk(runTool(datagenArguments(corpus, work / "first", options)));
  // The first run's manifest lists its popular labels for the next one.
  EXPECT_TRUE(readJson(work / "first/manifest.json")["popular_pipelines"].is_array());

  // Candidates from a fixed manifest, so that the test does not depend on
  // what a 20-evaluation search happens to find.
  const std::string manifest = inputPath("broadcast-manifest.json");
  std::vector<std::string> broadcast = options;
  broadcast.insert(broadcast.end(), {"--broadcast-from", manifest});
  expectOk(runTool(datagenArguments(corpus, work / "second", broadcast)));

  std::map<std::string, uint64_t> before;
  auto first = checkRecords(recordLines(work / "first"));
  for (const nlohmann::json &record : first["flagtune"])
    before[record["metadata"]["module"].get<std::string>()] =
        record["metadata"]["output_binary_size"].get<uint64_t>();
  auto after = checkRecords(recordLines(work / "second"))["flagtune"];
  ASSERT_EQ(after.size(), before.size());
  for (const nlohmann::json &record : after) {
    const uint64_t size = record["metadata"]["output_binary_size"];
    const uint64_t earlier = before[record["metadata"]["module"].get<std::string>()];
    EXPECT_LE(size, earlier);
    // A label changes only when a candidate beat it.
    EXPECT_EQ(record["metadata"]["broadcast"].get<bool>(), size < earlier);
  }
  confirmFlagTuningSizes(after, work);
  EXPECT_EQ(readJson(work / "second/datagen.json")["broadcast"].size(), 3u);

  ToolRun bad = runTool(datagenArguments(corpus, work / "third",
                                         {"--broadcast-from", inputPath("programs/adder.c")}));
  EXPECT_EQ(bad.exitCode, 2) << bad.err;
}

TEST(DataDatagenTool, TokenCountsWithAModelsVocabulary) {
  TemporaryDirectory work;
  const std::string corpus = work / "corpus", output = work / "out";
  expectOk(runTool({"corpus", "add", inputPath("programs/swap.ll"), "--corpus", corpus}));
  const std::string model = std::string(OPTLM_TEST_INPUTS) + "/gguf/tiny-llama-q8_0.gguf";
  expectOk(runTool(datagenArguments(corpus, output,
                                    {"--tasks", "emulate,disasm", "--tokenizer", model})));
  auto byTask = checkRecords(recordLines(output));
  ASSERT_EQ(byTask["disasm"].size(), 1u);
  for (const auto &[task, records] : byTask)
    for (const nlohmann::json &record : records) {
      // BOS plus at least one token per few characters of text.
      EXPECT_GT(record["metadata"]["prompt_tokens"].get<uint64_t>(),
                record["prompt"].get<std::string>().size() / 8);
      EXPECT_GT(record["metadata"]["label_tokens"].get<uint64_t>(), 0u);
    }
  EXPECT_EQ(readJson(output + "/datagen.json")["tokenizer"], "tiny-llama-q8_0.gguf");
}

TEST(DataDatagenTool, BadRequestsAreUsageErrors) {
  TemporaryDirectory work;
  const std::string corpus = work / "corpus";
  auto expectUsage = [](const ToolRun &run, llvm::StringRef prefix) {
    EXPECT_EQ(run.exitCode, 2) << run.out << run.err;
    EXPECT_TRUE(llvm::StringRef(run.err).starts_with(prefix)) << run.err;
    EXPECT_EQ(lines(run.err).size(), 1u) << run.err;
  };
  expectUsage(runTool({"corpus"}), "optlm corpus: error:");
  expectUsage(runTool({"corpus", "remove"}), "optlm corpus: error:");
  expectUsage(runTool({"corpus", "add", "--corpus", corpus}), "optlm corpus: error:");
  expectUsage(runTool({"corpus", "add", "--csmith", "5:1", "--corpus", corpus}),
              "optlm corpus: error:");
  expectUsage(runTool({"corpus", "add", "x.c", "--targets", "mips", "--corpus", corpus}),
              "optlm corpus: error:");
  expectUsage(runTool({"corpus", "list", "--corpus", work / "none"}), "optlm corpus: error:");

  // Nothing compiles: the corpus exists but is empty, and that failed.
  ToolRun nothing = runTool({"corpus", "add", inputPath("bad/broken.c"), "--corpus", corpus});
  EXPECT_EQ(nothing.exitCode, 1) << nothing.out << nothing.err;
  EXPECT_NE(nothing.out.find("compile-error 1"), std::string::npos) << nothing.out;

  expectUsage(runTool({"datagen"}), "optlm datagen: error:");
  expectUsage(runTool({"datagen", corpus}), "optlm datagen: error:");
  expectUsage(runTool({"datagen", work / "none", "-o", work / "out"}), "optlm datagen: error:");
  expectUsage(runTool({"datagen", corpus, "-o", work / "out", "--tasks", "compile"}),
              "optlm datagen: error:");
  expectUsage(runTool({"datagen", corpus, "-o", work / "out", "--shard", "2/2"}),
              "optlm datagen: error:");
  expectUsage(runTool({"datagen", corpus, "-o", work / "out", "--tune-budget", "0"}),
              "optlm datagen: error:");
  expectUsage(runTool({"datagen", corpus, "-o", work / "out", "--tokenizer",
                       inputPath("programs/adder.c")}),
              "optlm datagen: error:");
  // An empty corpus makes an empty dataset; resuming it with another seed
  // would mix two datasets in one folder.
  expectOk(runTool({"datagen", corpus, "-o", work / "out", "--seed", "1"}));
  expectUsage(runTool({"datagen", corpus, "-o", work / "out", "--seed", "2"}),
              "optlm datagen: error:");

  expectUsage(runTool({"split"}), "optlm split: error:");
  expectUsage(runTool({"split", work / "out", "--train", "0.9"}), "optlm split: error:");
  expectUsage(runTool({"split", work / "out"}), "optlm split: error:"); // no records at all
}
