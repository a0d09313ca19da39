//===- CommandTest.cpp - optlm eval, disasm, emulate, tune --model end to end -===//
//
// Runs the built optlm tool as a user would: with the baselines, with a tiny
// random-weight model (garbage answers: clean fallback, exit codes, never
// worse than -Oz), through `optlm serve` on a free local port, resuming a
// report folder, and with bad usage.
//
//===----------------------------------------------------------------------===//
#include "TinyModel.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>

using nlohmann::json;

namespace {

const std::string kInputs = std::string(OPTLM_TEST_INPUTS) + "/tasks";

std::string readFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false, /*IsVolatile=*/true);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

struct ToolRun {
  int exitCode = -1;
  std::string out, err;
};

/// A fresh folder per test, removed at the end.
class EvalCommand : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("optlm-eval-cli", directory_));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(directory_); }

  std::string path(llvm::StringRef name) const {
    llvm::SmallString<128> full(directory_);
    llvm::sys::path::append(full, name);
    return full.str().str();
  }

  ToolRun optlm(std::vector<std::string> args) {
    // Fresh files per run: a redirect does not truncate an existing file.
    ++runs_;
    std::string out = path("stdout-" + std::to_string(runs_) + ".txt");
    std::string err = path("stderr-" + std::to_string(runs_) + ".txt");
    std::vector<llvm::StringRef> argv = {OPTLM_TOOL_PATH};
    for (const std::string &arg : args)
      argv.push_back(arg);
    std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(out),
                                                  llvm::StringRef(err)};
    ToolRun run;
    run.exitCode = llvm::sys::ExecuteAndWait(OPTLM_TOOL_PATH, argv, std::nullopt, redirects, 300);
    run.out = readFile(out);
    run.err = readFile(err);
    return run;
  }

  json reportJson(llvm::StringRef folder) {
    return json::parse(readFile(path(folder) + "/report.json"), nullptr, false);
  }

  llvm::SmallString<128> directory_;
  int runs_ = 0;
};

TEST_F(EvalCommand, BaselinesOnADatasetSplit) {
  ToolRun oracle = optlm({"eval", kInputs + "/split.jsonl", "--baseline", "oracle", "-o",
                          path("oracle"), "--store", path("store.sqlite"), "--jobs", "2"});
  ASSERT_EQ(oracle.exitCode, 0) << oracle.err;
  json report = reportJson("oracle");
  ASSERT_FALSE(report.is_discarded());
  EXPECT_EQ(report["solver"], "oracle");
  EXPECT_DOUBLE_EQ(report["tasks"]["flagtune"]["potential_percent"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(report["tasks"]["disasm"]["round_trip_percent"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(report["tasks"]["emulate"]["exact_match_percent"].get<double>(), 100.0);
  EXPECT_NE(oracle.err.find("[4/4] emulate/maxof/emulate/0: exact"), std::string::npos)
      << oracle.err;
  for (const char *file : {"report.md", "flagtune-per-program.svg", "disasm-bleu.svg",
                           "emulate-size-error.svg", "journal.jsonl"})
    EXPECT_TRUE(llvm::sys::fs::exists(path("oracle") + "/" + file)) << file;

  ToolRun oz = optlm({"eval", kInputs + "/split.jsonl", "--baseline", "-Oz", "--tasks",
                      "flagtune", "-o", path("oz"), "--store", path("store.sqlite")});
  ASSERT_EQ(oz.exitCode, 0) << oz.err;
  EXPECT_DOUBLE_EQ(reportJson("oz")["tasks"]["flagtune"]["potential_percent"].get<double>(), 0.0);

  // Again into the same folder: everything comes from the journal.
  ToolRun again = optlm({"eval", kInputs + "/split.jsonl", "--baseline", "-Oz", "--tasks",
                         "flagtune", "-o", path("oz"), "--store", path("store.sqlite")});
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_NE(again.err.find("resuming: 2 result(s) already in the journal"), std::string::npos)
      << again.err;
  EXPECT_NE(again.err.find("(journal)"), std::string::npos);
}

TEST_F(EvalCommand, OracleOnADatasetFromTheFactory) {
  // optlm corpus + optlm datagen make a split; its labels are the truth the
  // harness scores against, so the oracle must get everything right.
  ToolRun corpus = optlm({"corpus", "add", kInputs + "/suite", "--corpus", path("corpus")});
  ASSERT_EQ(corpus.exitCode, 0) << corpus.err;
  ToolRun datagen = optlm({"datagen", path("corpus"), "-o", path("dataset"), "--tune-budget",
                           "16", "--no-verify", "--jobs", "2", "--emulate-samples", "2"});
  ASSERT_EQ(datagen.exitCode, 0) << datagen.err;
  ToolRun oracle = optlm({"eval", path("dataset") + "/shard-0-of-1.jsonl", "--baseline",
                          "oracle", "-o", path("oracle"), "--store", path("store.sqlite"),
                          "--jobs", "2"});
  ASSERT_EQ(oracle.exitCode, 0) << oracle.err;
  json report = reportJson("oracle");
  EXPECT_EQ(report["tasks"]["flagtune"]["items"], 2);
  EXPECT_EQ(report["tasks"]["flagtune"]["unscored"], 0);
  EXPECT_DOUBLE_EQ(report["tasks"]["disasm"]["round_trip_percent"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(report["tasks"]["disasm"]["exact_match_percent"].get<double>(), 100.0);
  EXPECT_EQ(report["tasks"]["emulate"]["items"], 4);
  EXPECT_DOUBLE_EQ(report["tasks"]["emulate"]["exact_match_percent"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(report["tasks"]["emulate"]["binary_size_mape"].get<double>(), 0.0);
  if (!report["tasks"]["flagtune"]["potential_percent"].is_null())
    EXPECT_DOUBLE_EQ(report["tasks"]["flagtune"]["potential_percent"].get<double>(), 100.0);
}

TEST_F(EvalCommand, ATinyModelOnTheThreeTasks) {
  ToolRun run = optlm({"eval", kInputs + "/split.jsonl", "--model",
                       optlm::tasks::test::tinyModelPath(), "--threads", "1", "-o",
                       path("model"), "--store", path("store.sqlite"), "--jobs", "2"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  json report = reportJson("model");
  EXPECT_EQ(report["solver"], "model:tiny-task-llama");
  const json &flagtune = report["tasks"]["flagtune"];
  EXPECT_EQ(flagtune["items"], 2);
  EXPECT_GE(flagtune["mean_reduction_with_backup_percent"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(report["tasks"]["disasm"]["round_trip_percent"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(report["tasks"]["emulate"]["exact_match_percent"].get<double>(), 0.0);
  for (const json &item : report["items"])
    if (item["task"] == "flagtune")
      EXPECT_LE(item["final_size"].get<uint64_t>(), item["oz_size"].get<uint64_t>());
}

TEST_F(EvalCommand, TuneWithAGarbageModelSaysItFellBack) {
  ToolRun run = optlm({"tune", kInputs + "/tiny.ll", "--model", optlm::tasks::test::tinyModelPath(),
                       "--threads", "1", "--candidates", "2", "--no-verify", "--json", "--store",
                       path("store.sqlite"), "--jobs", "2", "-o", path("tuned.ll")});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  json report = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  EXPECT_EQ(report["candidates"].size(), 2u);
  EXPECT_LE(report["binary_size"].get<uint64_t>(), report["oz_binary_size"].get<uint64_t>());
  if (report["winner"] == "-Oz") {
    EXPECT_EQ(report["pipeline"], "module(default<Oz>)");
    EXPECT_EQ(report["explanation"].get<std::string>().rfind("-Oz backup", 0), 0u);
  }
  EXPECT_TRUE(llvm::sys::fs::exists(path("tuned.ll")));
}

TEST_F(EvalCommand, DisasmAndEmulateWithAGarbageModel) {
  ToolRun disasm = optlm({"disasm", kInputs + "/maxof-oz.s", "--model",
                          optlm::tasks::test::tinyModelPath(), "--threads", "1", "--reference",
                          kInputs + "/maxof-oz.ll", "--max-tokens", "200", "--json"});
  EXPECT_EQ(disasm.exitCode, 1) << disasm.err;
  json report = json::parse(disasm.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << disasm.out;
  EXPECT_FALSE(report["round_trip"].get<bool>());
  EXPECT_FALSE(report["exact_match"].get<bool>());
  EXPECT_TRUE(report.contains("bleu"));

  ToolRun emulate = optlm({"emulate", kInputs + "/tiny.ll", "-p", "sroa", "--model",
                           optlm::tasks::test::tinyModelPath(), "--threads", "1", "--max-tokens",
                           "100"});
  EXPECT_EQ(emulate.exitCode, 0) << emulate.err;
  EXPECT_NE(emulate.err.find("exact match: no"), std::string::npos) << emulate.err;
  EXPECT_NE(emulate.err.find("instruction count: predicted "), std::string::npos);
}

TEST_F(EvalCommand, ThroughOptlmServe) {
  // `optlm serve --port 0` prints its address; stop it with SIGTERM.
  std::string out = path("serve.out"), err = path("serve.err");
  std::vector<llvm::StringRef> argv = {OPTLM_TOOL_PATH, "serve", "--model",
                                       optlm::tasks::test::tinyModelPath(), "--port", "0",
                                       "--threads", "1"};
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(out),
                                                llvm::StringRef(err)};
  llvm::sys::ProcessInfo server =
      llvm::sys::ExecuteNoWait(OPTLM_TOOL_PATH, argv, std::nullopt, redirects);
  ASSERT_GT(server.Pid, 0);
  std::string url;
  for (int i = 0; i < 1500 && url.empty(); ++i) {
    std::string printed = readFile(out);
    size_t at = printed.find("listening on ");
    size_t end = at == std::string::npos ? at : printed.find_first_of(" \n", at + 13);
    if (end != std::string::npos)
      url = printed.substr(at + 13, end - at - 13);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(url.empty()) << readFile(err);
  ToolRun tune = optlm({"tune", kInputs + "/tiny.ll", "--server", url, "--no-verify", "--json",
                        "--store", path("store.sqlite"), "--jobs", "2"});
  ToolRun eval = optlm({"eval", kInputs + "/split.jsonl", "--server", url, "--tasks", "flagtune",
                        "-o", path("served"), "--store", path("store.sqlite"), "--jobs", "2"});
  ToolRun disasm = optlm({"disasm", kInputs + "/maxof-oz.s", "--server", url, "--reference",
                          kInputs + "/maxof-oz.ll", "--max-tokens", "200", "--json"});
  ToolRun emulate = optlm({"emulate", kInputs + "/tiny.ll", "-p", "sroa", "--server", url,
                           "--max-tokens", "100"});
  ::kill(server.Pid, SIGTERM);
  llvm::sys::Wait(server, 30);
  ASSERT_EQ(tune.exitCode, 0) << tune.err;
  json report = json::parse(tune.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << tune.out;
  EXPECT_TRUE(report["constraint_applied"].get<bool>());
  EXPECT_LE(report["binary_size"].get<uint64_t>(), report["oz_binary_size"].get<uint64_t>());
  ASSERT_EQ(eval.exitCode, 0) << eval.err;
  EXPECT_EQ(reportJson("served")["tasks"]["flagtune"]["items"], 2);
  // The server's garbage answers fail the round trip, as the local model's do.
  EXPECT_EQ(disasm.exitCode, 1) << disasm.err;
  json disassembly = json::parse(disasm.out, nullptr, false);
  ASSERT_FALSE(disassembly.is_discarded()) << disasm.out;
  EXPECT_FALSE(disassembly["round_trip"].get<bool>());
  EXPECT_TRUE(disassembly.contains("bleu"));
  EXPECT_EQ(emulate.exitCode, 0) << emulate.err;
  EXPECT_NE(emulate.err.find("exact match: no"), std::string::npos) << emulate.err;
}

TEST_F(EvalCommand, UsageErrors) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"eval"}, "optlm eval: error: no suite"},
      {{"eval", kInputs + "/suite"}, "optlm eval: error: no report folder"},
      {{"eval", kInputs + "/suite", "-o", path("r"), "--baseline", "-Oz", "--server",
        "http://127.0.0.1:1"},
       "optlm eval: error: give at most one of --model, --server and --baseline"},
      {{"eval", kInputs + "/suite", "-o", path("r"), "--baseline", "best"},
       "optlm eval: error: unknown baseline 'best'"},
      {{"eval", kInputs + "/suite", "-o", path("r"), "--baseline", "oracle", "--tasks", "x"},
       "optlm eval: error: unknown task 'x'"},
      {{"eval", path("none"), "-o", path("r"), "--baseline", "oracle"},
       "does not exist"},
      {{"eval", kInputs + "/suite", "-o", path("r"), "--baseline", "oracle", "--verify"},
       "optlm eval: error: --verify checks a model's answers"},
      {{"disasm"}, "optlm disasm: error: no input file"},
      {{"disasm", kInputs + "/maxof-oz.s"},
       "optlm disasm: error: give exactly one of --model FILE.gguf and --server URL"},
      {{"disasm", path("missing.s"), "--model", "m.gguf"}, "optlm disasm: error: cannot read"},
      {{"disasm", kInputs + "/maxof-oz.s", "--model", path("missing.gguf")},
       "optlm disasm: error:"},
      {{"emulate", kInputs + "/tiny.ll", "--model", "m.gguf"},
       "optlm emulate: error: no pipeline"},
      {{"emulate", kInputs + "/tiny.ll", "-p", "no-such-pass", "--model", "m.gguf"},
       "optlm emulate: error:"},
      {{"emulate", kInputs + "/tiny.ll", "-p", "sroa", "--model", "m.gguf", "--output", "obj"},
       "optlm emulate: error: --output must be ir or asm"},
      {{"tune", kInputs + "/tiny.ll", "--model", "m.gguf", "--candidates", "0"},
       "optlm tune: error: --candidates must be at least 1"},
      {{"tune", kInputs + "/tiny.ll", "--model", "m.gguf", "--server", "http://127.0.0.1:1"},
       "optlm tune: error: give either --model or --server, not both"},
  };
  for (const Case &c : cases) {
    ToolRun run = optlm(c.args);
    EXPECT_EQ(run.exitCode, 2) << c.args.front() << ": " << run.err;
    EXPECT_NE(run.err.find(c.message), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
}

} // namespace
