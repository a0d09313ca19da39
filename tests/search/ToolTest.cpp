//===- ToolTest.cpp - optlm tune and broadcast as a user runs them ----------===//
//
// Runs the real optlm binary as a child: usage errors, a tuning run killed
// with SIGKILL midway and resumed from the store, and broadcast relabelling
// a corpus.
//
//===----------------------------------------------------------------------===//
#include "store/ResultsStore.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <thread>

using namespace optlm;

namespace {

struct ToolRun {
  int exitCode = -1;
  std::string out;
  std::string err;
};

class TempDir {
public:
  TempDir() {
    llvm::SmallString<128> path;
    if (llvm::sys::fs::createUniqueDirectory("optlm-search-test", path))
      ADD_FAILURE() << "cannot create a temporary folder";
    Path = path.str().str();
  }
  ~TempDir() { llvm::sys::fs::remove_directories(Path); }
  std::string file(llvm::StringRef name) const { return Path + "/" + name.str(); }

private:
  std::string Path;
};

std::string readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

std::vector<llvm::StringRef> argv(const std::vector<std::string> &args) {
  std::vector<llvm::StringRef> out{OPTLM_TOOL_PATH};
  for (const std::string &arg : args)
    out.push_back(arg);
  return out;
}

ToolRun runTool(const TempDir &dir, const std::vector<std::string> &args) {
  const std::string outPath = dir.file("stdout"), errPath = dir.file("stderr");
  // Redirection does not truncate: start from no files.
  llvm::sys::fs::remove(outPath);
  llvm::sys::fs::remove(errPath);
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(outPath),
                                                llvm::StringRef(errPath)};
  ToolRun run;
  run.exitCode = llvm::sys::ExecuteAndWait(OPTLM_TOOL_PATH, argv(args), std::nullopt,
                                           redirects, /*SecondsToWait=*/300);
  run.out = readFile(outPath);
  run.err = readFile(errPath);
  return run;
}

nlohmann::json parseJson(const ToolRun &run) {
  auto json = nlohmann::json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(json.is_discarded()) << run.out << run.err;
  return json;
}

const std::string SmallProgram = std::string(OPTLM_TEST_INPUTS) + "/search/small.c";
const std::string Corpus = std::string(OPTLM_TEST_INPUTS) + "/search/corpus";

void expectUsageError(const TempDir &dir, const std::vector<std::string> &args,
                      llvm::StringRef command) {
  ToolRun run = runTool(dir, args);
  EXPECT_EQ(run.exitCode, 2) << run.err;
  EXPECT_NE(run.err.find(("optlm " + command + ": error:").str()), std::string::npos)
      << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}

TEST(TuneCli, UsageErrorsExitTwo) {
  TempDir dir;
  const std::string store = dir.file("store.sqlite");
  expectUsageError(dir, {"tune", dir.file("missing.c"), "--store", store}, "tune");
  expectUsageError(dir, {"tune"}, "tune");
  expectUsageError(dir, {"tune", SmallProgram, "--strategy", "annealing", "--store", store},
                   "tune");
  expectUsageError(dir, {"tune", SmallProgram, "--budget", "0", "--store", store}, "tune");
  expectUsageError(dir, {"tune", SmallProgram, "--time", "-3", "--store", store}, "tune");
  expectUsageError(dir, {"tune", SmallProgram, "--target", "sparc", "--store", store}, "tune");
  expectUsageError(dir, {"tune", SmallProgram, "-o", dir.file("out.exe"), "--store", store},
                   "tune");
  {
    std::error_code ec;
    llvm::raw_fd_ostream garbage(dir.file("broken.ll"), ec);
    garbage << "define i32 @f( {\n";
  }
  expectUsageError(dir, {"tune", dir.file("broken.ll"), "--store", store}, "tune");
  // A budget that is not a number is rejected by the option parser.
  ToolRun notNumber = runTool(dir, {"tune", SmallProgram, "--budget", "many"});
  EXPECT_EQ(notNumber.exitCode, 2);
}

TEST(BroadcastCli, UsageErrorsExitTwo) {
  TempDir dir;
  const std::string store = dir.file("store.sqlite");
  expectUsageError(dir, {"broadcast", dir.file("nowhere"), "--top", "3", "--store", store},
                   "broadcast");
  expectUsageError(dir, {"broadcast", Corpus, "--store", store}, "broadcast");
  expectUsageError(dir, {"broadcast", Corpus, "--top", "0", "--store", store}, "broadcast");
  expectUsageError(dir, {"broadcast", dir.file(""), "--top", "2", "--store", store},
                   "broadcast"); // an empty folder holds no programs
}

std::vector<std::string> tuneArgs(const std::string &store) {
  return {"tune",   SmallProgram, "--strategy", "random", "--budget", "128", "--seed", "5",
          "--jobs", "2",          "--no-verify", "--json", "--store", store};
}

uint64_t storedEvaluations(const std::string &path) {
  auto store = ResultsStore::open(path);
  if (!store) {
    llvm::consumeError(store.takeError());
    return 0;
  }
  auto stats = (*store)->stats();
  if (!stats) {
    llvm::consumeError(stats.takeError());
    return 0;
  }
  return stats->evaluations;
}

TEST(TuneCli, KilledRunResumesToTheSameResult) {
  TempDir dir;
  // The uninterrupted run, for reference.
  ToolRun reference = runTool(dir, tuneArgs(dir.file("reference.sqlite")));
  ASSERT_EQ(reference.exitCode, 0) << reference.err;
  const nlohmann::json expected = parseJson(reference);
  const uint64_t total = expected["evaluations"]["total"];
  ASSERT_EQ(expected["evaluations"]["new"].get<uint64_t>() +
                expected["evaluations"]["repeated"].get<uint64_t>(),
            total);

  // The same run, killed once part of its work is in the store.
  const std::string store = dir.file("resumed.sqlite");
  std::string errorMessage;
  const std::vector<std::string> args = tuneArgs(store);
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(""),
                                                llvm::StringRef("")};
  llvm::sys::ProcessInfo child =
      llvm::sys::ExecuteNoWait(OPTLM_TOOL_PATH, argv(args), std::nullopt, redirects);
  ASSERT_GT(child.Pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (storedEvaluations(store) < 40 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ::kill(child.Pid, SIGKILL);
  llvm::sys::Wait(child, std::nullopt);
  const uint64_t storedBefore = storedEvaluations(store);
  ASSERT_GE(storedBefore, 40u);
  ASSERT_LT(storedBefore, expected["evaluations"]["new"].get<uint64_t>())
      << "the run finished before it could be killed";

  ToolRun resumed = runTool(dir, args);
  ASSERT_EQ(resumed.exitCode, 0) << resumed.err;
  const nlohmann::json again = parseJson(resumed);
  EXPECT_EQ(again["pipeline"], expected["pipeline"]);
  EXPECT_EQ(again["binary_size"], expected["binary_size"]);
  EXPECT_EQ(again["evaluations"]["total"], expected["evaluations"]["total"]);
  // Every stored evaluation is reused, none is evaluated again.
  EXPECT_EQ(again["evaluations"]["from_store"].get<uint64_t>(), storedBefore);
  EXPECT_EQ(again["evaluations"]["new"].get<uint64_t>() + storedBefore,
            expected["evaluations"]["new"].get<uint64_t>());

  // A third run with the same seed evaluates nothing.
  ToolRun third = runTool(dir, args);
  ASSERT_EQ(third.exitCode, 0) << third.err;
  const nlohmann::json last = parseJson(third);
  EXPECT_EQ(last["evaluations"]["new"], 0);
  EXPECT_EQ(last["pipeline"], expected["pipeline"]);
}

TEST(BroadcastCli, RelabelsProgramsThatAPopularListImproves) {
  TempDir dir;
  const std::string store = dir.file("store.sqlite");
  // A label for small.c only.
  ToolRun tuned = runTool(dir, {"tune", Corpus + "/small.c", "--budget", "96", "--seed", "1",
                                "--jobs", "2", "--no-verify", "--json", "--store", store});
  ASSERT_EQ(tuned.exitCode, 0) << tuned.err;
  const nlohmann::json label = parseJson(tuned);
  ASSERT_FALSE(label["is_oz"].get<bool>()) << "tuning found nothing smaller than -Oz";

  ToolRun first = runTool(dir, {"broadcast", Corpus, "--top", "1", "--no-verify", "--json",
                                "--jobs", "2", "--store", store});
  ASSERT_EQ(first.exitCode, 0) << first.err;
  const nlohmann::json summary = parseJson(first);
  EXPECT_EQ(summary["programs"], 4);
  EXPECT_EQ(summary["labelled_before"], 1);
  ASSERT_EQ(summary["top"].size(), 1u);
  EXPECT_EQ(summary["top"][0]["pipeline"], label["pipeline"]);
  bool sawCopy = false;
  for (const nlohmann::json &program : summary["per_program"]) {
    const uint64_t before = program["before"]["binary_size"];
    const uint64_t after = program["after"]["binary_size"];
    EXPECT_LE(after, before) << program.dump();
    EXPECT_LE(before, program["oz_binary_size"].get<uint64_t>()) << program.dump();
    const std::string name = llvm::sys::path::filename(program["path"].get<std::string>()).str();
    if (name == "small_copy.c") {
      // The same code under another name: the list found for small.c
      // carries over, and the copy gets it as its label.
      sawCopy = true;
      EXPECT_TRUE(program["improved"].get<bool>());
      EXPECT_EQ(program["after"]["pipeline"], label["pipeline"]);
      EXPECT_EQ(program["after"]["binary_size"], label["binary_size"]);
    }
    if (name == "small.c")
      EXPECT_FALSE(program["improved"].get<bool>());
  }
  EXPECT_TRUE(sawCopy);
  EXPECT_GE(summary["programs_improved"].get<int>(), 1);
  EXPECT_GE(summary["mean_reduction_vs_oz_percent_after"].get<double>(),
            summary["mean_reduction_vs_oz_percent_before"].get<double>());

  // The new labels are in the store: a second broadcast starts from them.
  ToolRun second = runTool(dir, {"broadcast", Corpus, "--top", "1", "--no-verify", "--json",
                                 "--jobs", "2", "--store", store});
  ASSERT_EQ(second.exitCode, 0) << second.err;
  const nlohmann::json again = parseJson(second);
  EXPECT_EQ(again["programs_improved"], 0);
  EXPECT_GE(again["labelled_before"].get<int>(), 2);
}

} // namespace
