//===- CliTest.cpp - optlm passlisteval, end to end ------------------------===//
//
// Runs the built tool on a small suite: 0 when every pipeline is accepted,
// 1 when one is rejected (with the program and reason in the output), 2 and
// one line on stderr for bad usage or input.
//
//===----------------------------------------------------------------------===//
#include "VerifyTestSupport.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace optlm::verify;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

struct ToolRun {
  int status = -1;
  std::string out, err;
};

std::string readFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

class VerifyCliTest : public ::testing::Test {
protected:
  void SetUp() override {
    Suite = Scratch.folder("suite");
    test::copyBundled(Suite, {"bits", "sorting"});
  }

  ToolRun run(std::vector<std::string> arguments) {
    std::vector<llvm::StringRef> argv = {OPTLM_TOOL_PATH, "passlisteval"};
    for (const std::string &argument : arguments)
      argv.push_back(argument);
    std::string out = Scratch.file("stdout"), err = Scratch.file("stderr");
    llvm::sys::fs::remove(out);
    llvm::sys::fs::remove(err);
    std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(out),
                                                  llvm::StringRef(err)};
    ToolRun result;
    result.status = llvm::sys::ExecuteAndWait(OPTLM_TOOL_PATH, argv, std::nullopt, redirects, 300);
    result.out = readFile(out);
    result.err = readFile(err);
    return result;
  }

  test::ScratchFolder Scratch;
  std::string Suite;
};

TEST_F(VerifyCliTest, ExitCodesFollowTheVerdicts) {
  std::string store = Scratch.file("store.sqlite");
  ToolRun accepted = run({"-Oz", "--suite", Suite, "--store", store, "--jobs", "2"});
  EXPECT_EQ(accepted.status, 0) << accepted.err;
  EXPECT_THAT(accepted.out, HasSubstr("module(default<Oz>): accepted"));

  ToolRun rejected = run({"-Oz", "unify-loop-exits", "--suite", Suite, "--store", store,
                          "--jobs", "2", "--json"});
  EXPECT_EQ(rejected.status, 1) << rejected.err;
  nlohmann::json report = nlohmann::json::parse(rejected.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << rejected.out;
  EXPECT_EQ(report["all_accepted"], false);
  ASSERT_EQ(report["verdicts"].size(), 2u);
  // -Oz comes from the store this time; the new pipeline is evaluated.
  EXPECT_EQ(report["verdicts"][0]["accepted"], true);
  EXPECT_EQ(report["verdicts"][0]["from_store"], true);
  EXPECT_EQ(report["verdicts"][1]["pipeline"], "module(function(unify-loop-exits))");
  EXPECT_EQ(report["verdicts"][1]["accepted"], false);
  bool sortingFailed = false;
  for (const nlohmann::json &program : report["verdicts"][1]["programs"])
    if (program["program"] == "sorting")
      sortingFailed = program["result"] == "wrong-output";
  EXPECT_TRUE(sortingFailed) << rejected.out;
  EXPECT_EQ(report["statistics"]["verdicts_from_store"], 1);
  EXPECT_EQ(report["suite"]["programs"], 2);

  ToolRun text = run({"unify-loop-exits", "--suite", Suite, "--store", store});
  EXPECT_EQ(text.status, 1);
  EXPECT_THAT(text.out, HasSubstr("module(function(unify-loop-exits)): rejected (cached)"));
  EXPECT_THAT(text.out, HasSubstr("  sorting: wrong-output: line"));
}

TEST_F(VerifyCliTest, UsageAndInputErrorsExitWithTwo) {
  struct Case {
    std::vector<std::string> arguments;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"--suite", Suite, "--no-store"}, "no pipeline given"},
      {{"not-a-pass", "--suite", Suite, "--no-store"}, "not-a-pass"},
      {{"-Oz", "--suite", Scratch.file("missing"), "--no-store"}, "is not a directory"},
      {{"-Oz", "--suite", Suite, "--target", "sparc", "--no-store"}, "sparc"},
      {{"-Oz", "--suite", Suite, "--run-timeout", "0", "--no-store"}, "timeouts must be positive"},
  };
  for (const Case &c : cases) {
    ToolRun result = run(c.arguments);
    EXPECT_EQ(result.status, 2) << c.message << "\n" << result.err;
    EXPECT_THAT(result.err, StartsWith("optlm passlisteval: error: ")) << c.message;
    EXPECT_THAT(result.err, HasSubstr(c.message));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
}

} // namespace
