//===- CompareTest.cpp - the rule for "behaves the same" -------------------===//
#include "verify/BuildSteps.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

using namespace optlm::verify;
using ::testing::HasSubstr;

namespace {

RunResult exited(int code, std::string output) {
  RunResult run;
  run.exitCode = code;
  run.output = std::move(output);
  return run;
}

TEST(VerifyCompare, EqualRunsPass) {
  StepResult step = compareRuns(exited(0, "a\nb\n"), exited(0, "a\nb\n"));
  EXPECT_EQ(step.failure, Failure::None);
  // A program that exits non-zero passes as long as the reference did too.
  EXPECT_EQ(compareRuns(exited(2, "x"), exited(2, "x")).failure, Failure::None);
}

TEST(VerifyCompare, OutputDifferencesNameTheLine) {
  StepResult step = compareRuns(exited(0, "same\nright\n"), exited(0, "same\nwrong\n"));
  EXPECT_EQ(step.failure, Failure::WrongOutput);
  EXPECT_THAT(step.message, HasSubstr("line 2: got \"wrong\", expected \"right\""));

  StepResult empty = compareRuns(exited(0, "something\n"), exited(0, ""));
  EXPECT_EQ(empty.failure, Failure::WrongOutput);
  EXPECT_THAT(empty.message, HasSubstr("no output"));

  StepResult shorter = compareRuns(exited(0, "a\nb\n"), exited(0, "a\n"));
  EXPECT_EQ(shorter.failure, Failure::WrongOutput);
  EXPECT_THAT(shorter.message, HasSubstr("line 2: got (end of output)"));

  RunResult binary = exited(0, std::string("\x01\x02", 2));
  EXPECT_THAT(compareRuns(exited(0, "ok"), binary).message, HasSubstr("\\x01\\x02"));
}

TEST(VerifyCompare, ExitCodesSignalsAndTimeouts) {
  EXPECT_EQ(compareRuns(exited(0, "x"), exited(1, "x")).failure, Failure::WrongExitCode);

  RunResult crashed;
  crashed.signal = SIGSEGV;
  StepResult crash = compareRuns(exited(0, ""), crashed);
  EXPECT_EQ(crash.failure, Failure::RunCrash);
  EXPECT_THAT(crash.message, HasSubstr("SIGSEGV"));
  // The same signal as the reference is the same behaviour.
  EXPECT_EQ(compareRuns(crashed, crashed).failure, Failure::None);

  RunResult hung;
  hung.timedOut = true;
  EXPECT_EQ(compareRuns(exited(0, ""), hung).failure, Failure::RunTimeout);
}

TEST(VerifyCompare, FailureNamesRoundTrip) {
  for (Failure failure :
       {Failure::None, Failure::InvalidPipeline, Failure::Crash, Failure::Fatal, Failure::Timeout,
        Failure::OutOfMemory, Failure::InvalidIR, Failure::CodegenError, Failure::LinkError,
        Failure::RunTimeout, Failure::RunCrash, Failure::WrongExitCode, Failure::WrongOutput,
        Failure::NotRun})
    EXPECT_EQ(failureFromName(failureName(failure)), failure) << failureName(failure).str();
  EXPECT_FALSE(failureFromName("bogus").has_value());
  EXPECT_TRUE(isTimeLimited(Failure::Timeout));
  EXPECT_TRUE(isTimeLimited(Failure::RunTimeout));
  EXPECT_FALSE(isTimeLimited(Failure::Crash));
}

} // namespace
