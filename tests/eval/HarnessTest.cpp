//===- HarnessTest.cpp - baselines, the oracle at 100% and -Oz at 0% ------===//
#include "eval/Harness.h"
#include "eval/Journal.h"
#include "eval/Metrics.h"

#include "TinyModel.h"
#include "engine/Evaluator.h"
#include "ir/ModuleFacts.h"
#include "store/ResultsStore.h"
#include "testing/Testing.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

using namespace optlm;
using namespace optlm::eval;
using nlohmann::json;

namespace {

const std::string kInputs = std::string(OPTLM_TEST_INPUTS) + "/tasks";

std::vector<SuiteItem> suite(const std::string &path, std::vector<Task> tasks) {
  SuiteOptions options;
  options.tasks = std::move(tasks);
  auto items = loadSuite(path, options);
  EXPECT_TRUE(bool(items)) << llvm::toString(items.takeError());
  return items ? std::move(*items) : std::vector<SuiteItem>();
}

json run(llvm::ArrayRef<SuiteItem> items, Solver solver, ResultsStore *store = nullptr,
         Journal *journal = nullptr) {
  HarnessOptions options;
  options.solver = solver;
  options.store = store;
  options.journal = journal;
  options.jobs = 2;
  auto results = runSuite(items, options);
  EXPECT_TRUE(bool(results)) << llvm::toString(results.takeError());
  return results ? summarize(*results) : json();
}

Solver baseline(llvm::StringRef name) { return llvm::cantFail(parseBaseline(name)); }

TEST(EvalHarness, BaselineNames) {
  EXPECT_EQ(baseline("-Oz").name(), "-Oz");
  EXPECT_EQ(baseline("oz").name(), "-Oz");
  EXPECT_EQ(baseline("autotune:25").name(), "autotune:25");
  EXPECT_EQ(baseline("oracle").name(), "oracle");
  for (const char *bad : {"autotune:0", "autotune:x", "autotune:", "O3", ""}) {
    auto solver = parseBaseline(bad);
    EXPECT_FALSE(bool(solver)) << bad;
    llvm::consumeError(solver.takeError());
  }
}

TEST(EvalHarness, OracleScoresAllOfThePotentialOnADatasetSplit) {
  auto items = suite(kInputs + "/split.jsonl", {Task::FlagTune, Task::Disasm, Task::Emulate});
  ASSERT_EQ(items.size(), 4u);
  json oracle = run(items, baseline("oracle"));
  EXPECT_EQ(oracle["flagtune"]["items"], 2);
  EXPECT_EQ(oracle["flagtune"]["items_with_potential"], 2);
  EXPECT_DOUBLE_EQ(oracle["flagtune"]["potential_percent"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(oracle["flagtune"]["improved_percent"].get<double>(), 100.0);
  EXPECT_GT(oracle["flagtune"]["mean_reduction_with_backup_percent"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(oracle["disasm"]["round_trip_percent"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(oracle["disasm"]["exact_match_percent"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(oracle["disasm"]["round_trip_bleu"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(oracle["emulate"]["exact_match_percent"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(oracle["emulate"]["binary_size_mape"].get<double>(), 0.0);

  json oz = run(items, baseline("-Oz"));
  EXPECT_DOUBLE_EQ(oz["flagtune"]["potential_percent"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(oz["flagtune"]["mean_reduction_with_backup_percent"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(oz["flagtune"]["improved_percent"].get<double>(), 0.0);
  EXPECT_EQ(oz["disasm"]["items"], 0);
  EXPECT_EQ(oz["disasm"]["unscored"], 1);
}

TEST(EvalHarness, OracleReadsTheStoresBestOnAProgramFolder) {
  auto store = llvm::cantFail(ResultsStore::open(":memory:"));
  auto items = suite(kInputs + "/suite", {Task::FlagTune});
  ASSERT_EQ(items.size(), 2u);
  // Record a known better pipeline for one program, as optlm tune would.
  auto maxof = llvm::cantFail(loadModuleFor(kInputs + "/suite/maxof.ll", Target::X86_64));
  Pipeline better = llvm::cantFail(Pipeline::parse("sroa,instcombine,simplifycfg"));
  EvaluationResult measured = evaluate(*maxof.module, better, Target::X86_64);
  EvaluationResult oz = evaluate(*maxof.module, Pipeline::level(OptLevel::Oz), Target::X86_64);
  ASSERT_LT(measured.measurement->binarySize, oz.measurement->binarySize);
  TunedResult tuned;
  tuned.moduleHash = moduleHash(*maxof.module);
  tuned.pipeline = better.text();
  tuned.binarySize = measured.measurement->binarySize;
  tuned.ozBinarySize = oz.measurement->binarySize;
  tuned.strategy = "test";
  ASSERT_FALSE(bool(store->recordTuned(tuned)));

  json oracle = run(items, baseline("oracle"), store.get());
  EXPECT_EQ(oracle["flagtune"]["items_with_potential"], 1);
  EXPECT_DOUBLE_EQ(oracle["flagtune"]["potential_percent"].get<double>(), 100.0);
  json ozScore = run(items, baseline("-Oz"), store.get());
  EXPECT_DOUBLE_EQ(ozScore["flagtune"]["potential_percent"].get<double>(), 0.0);

  // The autotuner records what it finds; the oracle then knows it too.
  json autotune = run(items, baseline("autotune:16"), store.get());
  EXPECT_GE(autotune["flagtune"]["mean_reduction_with_backup_percent"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(autotune["flagtune"]["regressed_percent"].get<double>(), 0.0);
  json after = run(items, baseline("oracle"), store.get());
  EXPECT_DOUBLE_EQ(after["flagtune"]["potential_percent"].get<double>(), 100.0);
}

TEST(EvalHarness, SplitAutotuneMeasuresTheSplitMethod) {
  auto items = suite(kInputs + "/suite", {Task::FlagTune});
  HarnessOptions options;
  options.solver = baseline("autotune:8");
  options.flagTune.alwaysSplit = true;
  options.jobs = 2;
  auto results = runSuite(items, options);
  OPTLM_ASSERT_OK(results);
  for (const json &result : *results) {
    ASSERT_FALSE(result.contains("error")) << result.dump();
    EXPECT_TRUE(result["split"].get<bool>());
    // The reassembled module has a size of its own, and the backup keeps
    // the result at -Oz or better.
    EXPECT_TRUE(result["valid"].get<bool>());
    EXPECT_LE(result["final_size"].get<uint64_t>(), result["oz_size"].get<uint64_t>());
    EXPECT_NE(result["explanation"].get<std::string>().find("functions"), std::string::npos);
  }
}

TEST(EvalHarness, JournaledItemsAreNotRunAgain) {
  optlm::testing::TemporaryFolder directory;
  std::string path = directory.file("journal.jsonl");
  auto items = suite(kInputs + "/split.jsonl", {Task::FlagTune});
  {
    auto journal = llvm::cantFail(Journal::open(path, "-Oz"));
    run(items, baseline("-Oz"), nullptr, journal.get());
  }
  // A line cut short by a crash is ignored.
  {
    std::error_code error;
    llvm::raw_fd_ostream out(path, error, llvm::sys::fs::OF_Append);
    out << "{\"key\": \"flagtune/cut";
  }
  auto journal = llvm::cantFail(Journal::open(path, "-Oz"));
  EXPECT_EQ(journal->resumed(), 2u);
  EXPECT_EQ(llvm::cantFail(Journal::open(path, "oracle"))->resumed(), 0u);
  HarnessOptions options;
  options.solver = baseline("-Oz");
  options.journal = journal.get();
  size_t resumed = 0;
  options.progress = [&](size_t, size_t, const SuiteItem &, const json &, bool fromJournal) {
    resumed += fromJournal;
  };
  auto results = runSuite(items, options);
  ASSERT_TRUE(bool(results));
  EXPECT_EQ(resumed, 2u);
  EXPECT_EQ((*results)[0]["key"], "flagtune/maxof/flagtune/0");
}

TEST(EvalHarness, AGarbageModelNeverLosesToOz) {
  auto items = suite(kInputs + "/split.jsonl", {Task::FlagTune, Task::Disasm});
  tasks::ModelSourceOptions sourceOptions;
  sourceOptions.modelPath = tasks::test::tinyModelPath();
  sourceOptions.threads = 1;
  auto model = llvm::cantFail(tasks::ModelSource::open(sourceOptions));
  Solver solver;
  solver.kind = SolverKind::Model;
  solver.model = model.get();
  HarnessOptions options;
  options.solver = solver;
  options.jobs = 2;
  auto results = runSuite(items, options);
  OPTLM_ASSERT_OK(results);
  for (const json &result : *results) {
    ASSERT_FALSE(result.contains("error")) << result.dump();
    if (result["task"] == "flagtune") {
      EXPECT_LE(result["final_size"].get<uint64_t>(), result["oz_size"].get<uint64_t>());
      EXPECT_GE(result["reduction_with_backup"].get<double>(), 0.0);
    } else {
      EXPECT_FALSE(result["round_trip"].get<bool>());
      EXPECT_FALSE(result["exact_match"].get<bool>());
      EXPECT_LT(result["bleu"].get<double>(), 0.5);
    }
  }
  json summary = summarize(*results);
  EXPECT_DOUBLE_EQ(summary["disasm"]["round_trip_percent"].get<double>(), 0.0);
  EXPECT_GE(summary["flagtune"]["mean_reduction_with_backup_percent"].get<double>(), 0.0);
}

} // namespace
