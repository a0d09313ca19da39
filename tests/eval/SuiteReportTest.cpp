//===- SuiteReportTest.cpp - loading suites, writing reports --------------===//
#include "eval/Report.h"
#include "eval/Suite.h"
#include "eval/Svg.h"
#include "testing/Testing.h"

#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

using namespace optlm;
using namespace optlm::eval;
using nlohmann::json;

namespace {

const std::string kInputs = std::string(OPTLM_TEST_INPUTS) + "/tasks";

std::string errorOf(llvm::StringRef path, SuiteOptions options = {}) {
  auto items = loadSuite(path, options);
  if (items)
    return "loaded";
  return llvm::toString(items.takeError());
}

TEST(EvalSuite, ProgramFolderGivesEveryTaskEveryProgram) {
  SuiteOptions options;
  options.seed = 3;
  auto items = loadSuite(kInputs + "/suite", options);
  OPTLM_ASSERT_OK(items);
  ASSERT_EQ(items->size(), 6u);
  EXPECT_EQ((*items)[0].key(), "flagtune/maxof.ll");
  EXPECT_EQ((*items)[3].key(), "disasm/sumloop.ll");
  EXPECT_EQ((*items)[4].task, Task::Emulate);
  EXPECT_FALSE((*items)[4].pipeline.empty());
  // The emulation pipeline depends on the seed and the name only.
  EXPECT_EQ(emulationPipelineFor("maxof.ll", 3), (*items)[4].pipeline);
  EXPECT_EQ(emulationPipelineFor("maxof.ll", 3), emulationPipelineFor("maxof.ll", 3));
  options.limit = 1;
  options.tasks = {Task::Disasm};
  auto limited = loadSuite(kInputs + "/suite", options);
  ASSERT_TRUE(bool(limited));
  EXPECT_EQ(limited->size(), 1u);
}

TEST(EvalSuite, DatasetSplitRecords) {
  SuiteOptions options;
  auto items = loadSuite(kInputs + "/split.jsonl", options);
  OPTLM_ASSERT_OK(items);
  ASSERT_EQ(items->size(), 4u);
  const SuiteItem &flagtune = (*items)[0];
  EXPECT_EQ(flagtune.id, "maxof/flagtune/0");
  EXPECT_EQ(flagtune.labelPipeline, "function(sroa,instcombine,simplifycfg)");
  EXPECT_EQ(flagtune.input.rfind("; ModuleID = 'maxof.c'", 0), 0u);
  EXPECT_EQ((*items)[2].task, Task::Disasm);
  EXPECT_NE((*items)[2].reference.find("define dso_local i32 @max_of"), std::string::npos);
  EXPECT_EQ((*items)[3].pipeline, "module(function(sroa))");
}

TEST(EvalSuite, BadSuitesSayWhy) {
  optlm::testing::TemporaryFolder directory;
  EXPECT_EQ(errorOf(kInputs + "/nothing-here"), kInputs + "/nothing-here does not exist");
  EXPECT_NE(errorOf(directory.path()).find("holds no programs"), std::string::npos);
  EXPECT_NE(errorOf(directory.write("x.txt", "")).find("neither a directory"), std::string::npos);
  EXPECT_EQ(
      errorOf(directory.write("a.jsonl", "{\"task\": \"flagtune\"\n"))
          .substr(errorOf(directory.write("a.jsonl", "{\"task\": \"flagtune\"\n")).find(":1:")),
      ":1: not a JSON object");
  EXPECT_NE(
      errorOf(directory.write("b.jsonl", "{\"task\": \"sing\", \"prompt\": \"<code>x</code>\"}\n"))
          .find("unknown task 'sing'"),
      std::string::npos);
  EXPECT_NE(errorOf(directory.write("c.jsonl",
                                    "{\"task\": \"emulate\", \"prompt\": \"<code>x</code>\"}\n"))
                .find("metadata.pipeline"),
            std::string::npos);
  EXPECT_NE(errorOf(directory.write("d.jsonl", "\n\n")).find("no records"), std::string::npos);
  auto tasks = parseTaskList("flagtune,bogus");
  ASSERT_FALSE(bool(tasks));
  EXPECT_EQ(llvm::toString(tasks.takeError()),
            "unknown task 'bogus' (known: flagtune, disasm, emulate)");
}

TEST(EvalReport, WritesJsonMarkdownAndPlots) {
  optlm::testing::TemporaryFolder directory;
  std::vector<json> results = {{{"task", "flagtune"},
                                {"id", "a<b>.c"},
                                {"oz_size", 100},
                                {"final_size", 90},
                                {"model_size", 90},
                                {"best_known_size", 80},
                                {"winner", "solver"},
                                {"valid", true},
                                {"reduction_with_backup", 10.0},
                                {"reduction_without_backup", 10.0}},
                               {{"task", "flagtune"},
                                {"id", "b.c"},
                                {"oz_size", 100},
                                {"final_size", 100},
                                {"model_size", 120},
                                {"best_known_size", 100},
                                {"winner", "-Oz"},
                                {"valid", true},
                                {"reduction_with_backup", 0.0},
                                {"reduction_without_backup", -20.0}},
                               {{"task", "disasm"}, {"id", "c"}, {"skipped", "no answer"}}};
  auto report = writeReport(directory.path(), {"test", "suite", "x86_64"}, results);
  OPTLM_ASSERT_OK(report);
  const json &flagtune = (*report)["tasks"]["flagtune"];
  EXPECT_DOUBLE_EQ(flagtune["mean_reduction_with_backup_percent"].get<double>(), 5.0);
  EXPECT_DOUBLE_EQ(flagtune["mean_reduction_without_backup_percent"].get<double>(), -5.0);
  EXPECT_DOUBLE_EQ(flagtune["improved_percent"].get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(flagtune["regressed_percent"].get<double>(), 50.0);
  // 10 bytes of a potential of 20.
  EXPECT_DOUBLE_EQ(flagtune["potential_percent"].get<double>(), 50.0);
  EXPECT_EQ((*report)["tasks"]["disasm"]["unscored"], 1);
  for (const char *file :
       {"report.json", "report.md", "flagtune-per-program.svg", "flagtune-distribution.svg"}) {
    auto buffer = llvm::MemoryBuffer::getFile(directory.file(file));
    ASSERT_TRUE(bool(buffer)) << file;
    if (llvm::StringRef(file).ends_with(".svg")) {
      EXPECT_TRUE((*buffer)->getBuffer().starts_with("<svg xmlns="));
      EXPECT_TRUE((*buffer)->getBuffer().trim().ends_with("</svg>"));
      EXPECT_FALSE((*buffer)->getBuffer().contains("a<b>")) << "labels are escaped";
    }
  }
  std::string markdown = reportMarkdown(*report);
  EXPECT_NE(markdown.find("| potential_percent | 50.00 |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("![flagtune-per-program.svg](flagtune-per-program.svg)"),
            std::string::npos);
}

TEST(EvalSvg, HistogramCountsEveryFiniteValue) {
  std::string svg = histogramSvg("t", "u", {0.05, 0.15, 0.15, 5.0, -3.0}, 0, 1, 10);
  // Bars carry their count in a <title>: 2 in the first bin (0.05 and the
  // clamped -3), 2 in the second, 1 in the last (the clamped 5.0).
  EXPECT_NE(svg.find("0.00..0.10: 2.00"), std::string::npos) << svg;
  EXPECT_NE(svg.find("0.10..0.20: 2.00"), std::string::npos);
  EXPECT_NE(svg.find("0.90..1.00: 1.00"), std::string::npos);
}

} // namespace
