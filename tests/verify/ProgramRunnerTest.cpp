//===- ProgramRunnerTest.cpp - runs under limits ---------------------------===//
//
// The runner is what stands between verification and programs that hang,
// crash or flood their output: each of those must come back as a result,
// quickly, with nothing left running.
//
//===----------------------------------------------------------------------===//
#include "verify/ProgramRunner.h"

#include "VerifyTestSupport.h"
#include "testing/Testing.h"

#include "llvm/Support/FileSystem.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

using namespace optlm::verify;
using ::testing::HasSubstr;

namespace {

RunLimits quick() {
  RunLimits limits;
  limits.timeout = std::chrono::seconds(5);
  return limits;
}

TEST(VerifyProgramRunner, CapturesOutputAndExitCode) {
  llvm::Expected<RunResult> run =
      runProgram("/bin/sh", {"-c", "echo hello; echo oops >&2; exit 3"}, "", quick());
  OPTLM_ASSERT_OK(run);
  EXPECT_EQ(run->output, "hello\n");
  EXPECT_EQ(run->errorOutput, "oops\n");
  EXPECT_EQ(run->exitCode, 3);
  EXPECT_TRUE(run->exitedNormally());
  EXPECT_EQ(run->endDescription(), "exit 3");
}

TEST(VerifyProgramRunner, FeedsStdinFromAFileAndPassesArguments) {
  optlm::testing::TemporaryFolder scratch;
  std::string input = scratch.write("input.txt", "line one\nline two\n");
  llvm::Expected<RunResult> run =
      runProgram("/bin/sh", {"-c", "cat; echo \"$0 $1\"", "first", "second"}, input, quick());
  OPTLM_ASSERT_OK(run);
  EXPECT_EQ(run->output, "line one\nline two\nfirst second\n");
  EXPECT_EQ(run->exitCode, 0);
}

TEST(VerifyProgramRunner, EmptyStdinWhenNoFileIsGiven) {
  llvm::Expected<RunResult> run = runProgram("/bin/cat", {}, "", quick());
  OPTLM_ASSERT_OK(run);
  EXPECT_EQ(run->output, "");
  EXPECT_EQ(run->exitCode, 0);
}

TEST(VerifyProgramRunner, ReportsTheSignalThatEndedTheProgram) {
  llvm::Expected<RunResult> run = runProgram("/bin/sh", {"-c", "kill -SEGV $$"}, "", quick());
  OPTLM_ASSERT_OK(run);
  EXPECT_EQ(run->signal, SIGSEGV);
  EXPECT_FALSE(run->timedOut);
  EXPECT_FALSE(run->exitedNormally());
  EXPECT_EQ(run->endDescription(), "signal SIGSEGV");
}

TEST(VerifyProgramRunner, KillsAProgramAndItsChildrenAtTheTimeLimit) {
  RunLimits limits = quick();
  limits.timeout = std::chrono::milliseconds(300);
  // The background sleep holds stdout open: the runner must not wait for it.
  llvm::Expected<RunResult> run =
      runProgram("/bin/sh", {"-c", "sleep 30 & echo started; sleep 30"}, "", limits);
  OPTLM_ASSERT_OK(run);
  EXPECT_TRUE(run->timedOut);
  EXPECT_EQ(run->output, "started\n");
  EXPECT_LT(run->wallTime, std::chrono::seconds(10));
}

TEST(VerifyProgramRunner, KeepsOnlyTheOutputCapacity) {
  RunLimits limits = quick();
  limits.outputCapacity = 1000;
  llvm::Expected<RunResult> run =
      runProgram("/bin/sh", {"-c", "head -c 100000 /dev/zero"}, "", limits);
  OPTLM_ASSERT_OK(run);
  EXPECT_EQ(run->output.size(), 1000u);
  EXPECT_TRUE(run->outputTruncated);
  EXPECT_EQ(run->exitCode, 0);
}

// A compilation database's entries run in their own folders.
TEST(VerifyProgramRunner, RunsInTheGivenFolder) {
  optlm::testing::TemporaryFolder folder;
  llvm::Expected<RunResult> run =
      runProgram("/bin/sh", {"-c", "pwd >&2; exit 3"}, "", quick(), folder.path());
  OPTLM_ASSERT_OK(run);
  EXPECT_EQ(run->exitCode, 3);
  llvm::SmallString<128> real;
  ASSERT_FALSE(llvm::sys::fs::real_path(folder.path(), real));
  EXPECT_EQ(llvm::StringRef(run->errorOutput).trim(), real.str());

  llvm::Expected<RunResult> missing =
      runProgram("/bin/true", {}, "", quick(), "/nonexistent-optlm-folder");
  ASSERT_FALSE(bool(missing));
  EXPECT_THAT(llvm::toString(missing.takeError()), HasSubstr("/nonexistent-optlm-folder"));
}

TEST(VerifyProgramRunner, AMissingProgramOrStdinFileIsAnError) {
  llvm::Expected<RunResult> missing = runProgram("/nonexistent/program", {}, "", quick());
  ASSERT_FALSE(bool(missing));
  EXPECT_THAT(llvm::toString(missing.takeError()), HasSubstr("/nonexistent/program"));

  llvm::Expected<RunResult> noInput = runProgram("/bin/cat", {}, "/nonexistent/input", quick());
  ASSERT_FALSE(bool(noInput));
  EXPECT_THAT(llvm::toString(noInput.takeError()), HasSubstr("/nonexistent/input"));
}

} // namespace
