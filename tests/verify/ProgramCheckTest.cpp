//===- ProgramCheckTest.cpp - the tuned program against its reference ------===//
#include "verify/ProgramCheck.h"

#include "VerifyTestSupport.h"

#include "engine/Evaluator.h"
#include "testing/Testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace optlm;
using namespace optlm::verify;
using ::testing::HasSubstr;

namespace {

ProgramCheckOptions wordstatOptions() {
  ProgramCheckOptions options;
  options.arguments = {"the", "fox", "cat"};
  options.stdinPath = test::testInput("wordstat.input");
  options.run.timeout = std::chrono::seconds(10);
  return options;
}

TEST(VerifyProgramCheck, TheReferenceRunsWithTheGivenArgumentsAndStdin) {
  llvm::Expected<std::unique_ptr<ProgramCheck>> check =
      ProgramCheck::create(test::testInput("wordstat.c"), wordstatOptions());
  OPTLM_ASSERT_OK(check);
  const RunResult &reference = (*check)->reference();
  EXPECT_EQ(reference.output, "lines 3 distinct 12 longest 6\nthe: 5\nfox: 2\ncat: not found\n");
  // One argument is missing from the input: the program says so in its
  // exit code, which the check compares like the output.
  EXPECT_EQ(reference.exitCode, 1);
}

TEST(VerifyProgramCheck, AcceptsOzAndRejectsTheMiscompilingPipeline) {
  llvm::Expected<std::unique_ptr<ProgramCheck>> check =
      ProgramCheck::create(test::testInput("wordstat.c"), wordstatOptions());
  OPTLM_ASSERT_OK(check);

  llvm::Expected<CheckResult> oz = (*check)->check(Pipeline::level(OptLevel::Oz));
  OPTLM_ASSERT_OK(oz);
  EXPECT_TRUE(oz->accepted) << oz->summary();
  EXPECT_EQ(oz->candidate.output, (*check)->reference().output);

  // unify-loop-exits on the unoptimized IR: the built program segfaults.
  llvm::Expected<Pipeline> miscompiling = Pipeline::parse("function(unify-loop-exits)");
  ASSERT_TRUE(bool(miscompiling));
  llvm::Expected<CheckResult> bad = (*check)->check(*miscompiling);
  OPTLM_ASSERT_OK(bad);
  EXPECT_FALSE(bad->accepted);
  EXPECT_EQ(bad->outcome.failure, Failure::RunCrash) << bad->summary();
  EXPECT_THAT(bad->summary(), HasSubstr("rejected: run-crash"));
}

TEST(VerifyProgramCheck, ModulesOptimizedElsewhereAreRunAsTheyAre) {
  llvm::Expected<std::unique_ptr<ProgramCheck>> check =
      ProgramCheck::create(test::testInput("wordstat.c"), wordstatOptions());
  OPTLM_ASSERT_OK(check);
  auto program = loadModuleFor(test::testInput("wordstat.c"), Target::X86_64);
  OPTLM_ASSERT_OK(program);

  auto oz = optimizeModule(*program->module, Pipeline::level(OptLevel::Oz), Target::X86_64);
  OPTLM_ASSERT_OK(oz);
  llvm::Expected<CheckResult> good = (*check)->checkOptimized(*oz->module);
  OPTLM_ASSERT_OK(good);
  EXPECT_TRUE(good->accepted) << good->summary();
  EXPECT_EQ(good->candidate.output, (*check)->reference().output);

  // The module comes already broken (unify-loop-exits, as above): no
  // passes run on it, so the check sees the crash it was given.
  llvm::Expected<Pipeline> miscompiling = Pipeline::parse("function(unify-loop-exits)");
  ASSERT_TRUE(bool(miscompiling));
  auto broken = optimizeModule(*program->module, *miscompiling, Target::X86_64);
  OPTLM_ASSERT_OK(broken);
  llvm::Expected<CheckResult> bad = (*check)->checkOptimized(*broken->module);
  OPTLM_ASSERT_OK(bad);
  EXPECT_FALSE(bad->accepted);
  EXPECT_EQ(bad->outcome.failure, Failure::RunCrash) << bad->summary();
}

TEST(VerifyProgramCheck, DifferentStdinIsADifferentReference) {
  optlm::testing::TemporaryFolder scratch;
  ProgramCheckOptions options = wordstatOptions();
  options.stdinPath = scratch.write("other.txt", "cat cat\n");
  llvm::Expected<CheckResult> result =
      checkProgram(test::testInput("wordstat.c"), Pipeline::level(OptLevel::O2), options);
  OPTLM_ASSERT_OK(result);
  EXPECT_TRUE(result->accepted) << result->summary();
  EXPECT_EQ(result->candidate.output,
            "lines 1 distinct 1 longest 3\nthe: not found\nfox: not found\ncat: 2\n");
  EXPECT_EQ(result->candidate.exitCode, 2);
}

TEST(VerifyProgramCheck, ACompilerCrashIsARejectionNotAnError) {
  llvm::Expected<Pipeline> crashing = Pipeline::parse("function(codegenprepare)");
  ASSERT_TRUE(bool(crashing));
  llvm::Expected<CheckResult> result =
      checkProgram(test::testInput("wordstat.c"), *crashing, wordstatOptions());
  OPTLM_ASSERT_OK(result);
  EXPECT_FALSE(result->accepted);
  EXPECT_EQ(result->outcome.failure, Failure::Crash);
}

TEST(VerifyProgramCheck, InputsThatAreNotProgramsAreErrors) {
  optlm::testing::TemporaryFolder scratch;
  std::string library = scratch.write("library.c", "int twice(int x) { return 2 * x; }\n");
  llvm::Expected<std::unique_ptr<ProgramCheck>> noMain =
      ProgramCheck::create(library, ProgramCheckOptions());
  ASSERT_FALSE(bool(noMain));
  EXPECT_THAT(llvm::toString(noMain.takeError()), HasSubstr("defines no main function"));

  ProgramCheckOptions missingInput = wordstatOptions();
  missingInput.stdinPath = scratch.file("missing.txt");
  llvm::Expected<std::unique_ptr<ProgramCheck>> noStdin =
      ProgramCheck::create(test::testInput("wordstat.c"), missingInput);
  ASSERT_FALSE(bool(noStdin));
  EXPECT_THAT(llvm::toString(noStdin.takeError()), HasSubstr("missing.txt"));

  std::string forever = scratch.write("forever.c", "int main(void) { for (;;) {} }\n");
  ProgramCheckOptions quick;
  quick.run.timeout = std::chrono::milliseconds(300);
  llvm::Expected<std::unique_ptr<ProgramCheck>> hangs = ProgramCheck::create(forever, quick);
  ASSERT_FALSE(bool(hangs));
  EXPECT_THAT(llvm::toString(hangs.takeError()), HasSubstr("did not end within"));
}

TEST(VerifyProgramCheck, IRInputsWork) {
  // The tuner also takes .ll files: the check builds them the same way.
  optlm::testing::TemporaryFolder scratch;
  std::string program = scratch.write("exit7.ll", R"(
define i32 @main() {
  ret i32 7
}
)");
  ProgramCheckOptions options;
  llvm::Expected<CheckResult> result =
      checkProgram(program, Pipeline::level(OptLevel::Oz), options);
  OPTLM_ASSERT_OK(result);
  EXPECT_TRUE(result->accepted) << result->summary();
  EXPECT_EQ(result->candidate.exitCode, 7);
}

} // namespace
