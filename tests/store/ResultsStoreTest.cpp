//===- ResultsStoreTest.cpp -----------------------------------------------===//
#include "store/ResultsStore.h"
#include "testing/Testing.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

using namespace optlm;
using namespace llvm;

namespace {

std::unique_ptr<ResultsStore> openOrDie(StringRef path) {
  Expected<std::unique_ptr<ResultsStore>> store = ResultsStore::open(path);
  if (!store) {
    ADD_FAILURE() << toString(store.takeError());
    return nullptr;
  }
  return std::move(*store);
}

EvaluationResult okResult(uint64_t size, uint64_t irHash) {
  EvaluationResult result;
  result.outcome = Outcome::Ok;
  result.pipeline = "module(function(sroa))";
  Measurement m;
  m.binarySize = size;
  m.textSize = size - 8;
  m.dataSize = 8;
  m.bssSize = 4;
  m.sections = {{".text", size - 8}, {".data", 8}, {".bss", 4}};
  m.instructionCount = 123;
  m.basicBlockCount = 17;
  m.functionCount = 5;
  m.irHash = irHash;
  result.measurement = m;
  return result;
}

TEST(ResultsStore, EvaluationRoundTripsEveryField) {
  auto store = openOrDie(":memory:");
  ASSERT_TRUE(store);
  EvaluationKey key{0xfedcba9876543210ULL, "module(function(sroa))", Target::AArch64};
  EvaluationResult original = okResult(1000, 0x8000000000000001ULL);
  ASSERT_FALSE(errorToBool(store->recordEvaluation(key, original)));

  Expected<std::optional<EvaluationResult>> found = store->findEvaluation(key);
  OPTLM_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  const EvaluationResult &r = **found;
  EXPECT_EQ(r.outcome, Outcome::Ok);
  EXPECT_TRUE(r.fromCache);
  ASSERT_TRUE(r.measurement);
  EXPECT_EQ(r.measurement->binarySize, 1000u);
  EXPECT_EQ(r.measurement->textSize, 992u);
  EXPECT_EQ(r.measurement->dataSize, 8u);
  EXPECT_EQ(r.measurement->bssSize, 4u);
  EXPECT_EQ(r.measurement->sections, original.measurement->sections);
  EXPECT_EQ(r.measurement->instructionCount, 123u);
  EXPECT_EQ(r.measurement->basicBlockCount, 17u);
  EXPECT_EQ(r.measurement->functionCount, 5u);
  EXPECT_EQ(r.measurement->irHash, 0x8000000000000001ULL);
}

TEST(ResultsStore, KeyDistinguishesModulePipelineAndTarget) {
  auto store = openOrDie(":memory:");
  ASSERT_TRUE(store);
  EvaluationKey key{1, "module(function(sroa))", Target::X86_64};
  ASSERT_FALSE(errorToBool(store->recordEvaluation(key, okResult(100, 1))));
  for (EvaluationKey other : {EvaluationKey{2, key.pipeline, Target::X86_64},
                              EvaluationKey{1, "module(function(gvn))", Target::X86_64},
                              EvaluationKey{1, key.pipeline, Target::AArch64}}) {
    Expected<std::optional<EvaluationResult>> found = store->findEvaluation(other);
    ASSERT_TRUE(bool(found));
    EXPECT_FALSE(found->has_value());
  }
}

TEST(ResultsStore, FailedOutcomesKeepTheirMessage) {
  auto store = openOrDie(":memory:");
  ASSERT_TRUE(store);
  EvaluationResult crash;
  crash.outcome = Outcome::Crash;
  crash.message = "SIGSEGV";
  EvaluationKey key{7, "module(function(codegenprepare))", Target::X86_64};
  ASSERT_FALSE(errorToBool(store->recordEvaluation(key, crash)));
  auto found = store->findEvaluation(key);
  ASSERT_TRUE(bool(found));
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->outcome, Outcome::Crash);
  EXPECT_EQ((*found)->message, "SIGSEGV");
  EXPECT_FALSE((*found)->measurement);
}

TEST(ResultsStore, TunedKeepsTheBetterResult) {
  auto store = openOrDie(":memory:");
  ASSERT_TRUE(store);
  TunedResult first{42, Target::X86_64,   "a.c", "module(function(sroa))", 900, 1000, "random", 100,
                    1,  /*verified=*/true};
  ASSERT_FALSE(errorToBool(store->recordTuned(first)));

  TunedResult smallerUnverified = first;
  smallerUnverified.binarySize = 800;
  smallerUnverified.verified = false;
  smallerUnverified.pipeline = "module(function(gvn))";
  ASSERT_FALSE(errorToBool(store->recordTuned(smallerUnverified)));
  auto found = store->findTuned(42, Target::X86_64);
  ASSERT_TRUE(bool(found));
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->binarySize, 900u) << "an unverified result must not replace a verified one";

  TunedResult smallerVerified = smallerUnverified;
  smallerVerified.verified = true;
  ASSERT_FALSE(errorToBool(store->recordTuned(smallerVerified)));
  found = store->findTuned(42, Target::X86_64);
  ASSERT_TRUE(bool(found));
  EXPECT_EQ((*found)->binarySize, 800u);
  EXPECT_EQ((*found)->pipeline, "module(function(gvn))");

  TunedResult larger = smallerVerified;
  larger.binarySize = 850;
  ASSERT_FALSE(errorToBool(store->recordTuned(larger)));
  found = store->findTuned(42, Target::X86_64);
  ASSERT_TRUE(bool(found));
  EXPECT_EQ((*found)->binarySize, 800u);

  auto all = store->allTuned();
  ASSERT_TRUE(bool(all));
  EXPECT_EQ(all->size(), 1u);
}

TEST(ResultsStore, VerdictsAreKeyedBySuite) {
  auto store = openOrDie(":memory:");
  ASSERT_TRUE(store);
  PassListVerdict verdict{"module(function(sroa))", Target::X86_64, "suite-a", true, "{}"};
  ASSERT_FALSE(errorToBool(store->recordVerdict(verdict)));
  auto found = store->findVerdict(verdict.pipeline, Target::X86_64, "suite-a");
  ASSERT_TRUE(bool(found));
  ASSERT_TRUE(found->has_value());
  EXPECT_TRUE((*found)->accepted);
  auto other = store->findVerdict(verdict.pipeline, Target::X86_64, "suite-b");
  ASSERT_TRUE(bool(other));
  EXPECT_FALSE(other->has_value());
}

TEST(ResultsStore, ListsThePipelinesWithAVerdictUnderOneSuite) {
  auto store = openOrDie(":memory:");
  ASSERT_TRUE(store);
  for (const PassListVerdict &verdict :
       {PassListVerdict{"module(function(sroa))", Target::X86_64, "suite-a", true, "{}"},
        PassListVerdict{"module(function(gvn))", Target::X86_64, "suite-a", false, "{}"},
        PassListVerdict{"module(function(dce))", Target::X86_64, "suite-b", true, "{}"},
        PassListVerdict{"module(function(adce))", Target::AArch64, "suite-a", true, "{}"}})
    ASSERT_FALSE(errorToBool(store->recordVerdict(verdict)));
  auto listed = store->pipelinesWithVerdict(Target::X86_64, "suite-a");
  ASSERT_TRUE(bool(listed));
  EXPECT_EQ(listed->size(), 2u);
  EXPECT_TRUE(listed->contains("module(function(sroa))"));
  EXPECT_TRUE(listed->contains("module(function(gvn))"));
}

TEST(ResultsStore, SurvivesReopening) {
  optlm::testing::TemporaryFolder dir;
  std::string path = dir.file("results.sqlite");
  EvaluationKey key{9, "module(function(sroa))", Target::X86_64};
  {
    auto store = openOrDie(path);
    ASSERT_TRUE(store);
    ASSERT_FALSE(errorToBool(store->recordEvaluation(key, okResult(500, 3))));
  }
  auto store = openOrDie(path);
  ASSERT_TRUE(store);
  auto found = store->findEvaluation(key);
  ASSERT_TRUE(bool(found));
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->measurement->binarySize, 500u);
}

// Several processes writing to one store at once lose nothing and corrupt
// nothing: each child writes its own evaluations in many small transactions
// while the others do the same.
TEST(ResultsStore, ConcurrentWritersFromSeveralProcesses) {
  optlm::testing::TemporaryFolder dir;
  std::string path = dir.file("shared.sqlite");
  { ASSERT_TRUE(openOrDie(path)); }
  constexpr int Writers = 4, PerWriter = 150;
  std::vector<pid_t> children;
  for (int w = 0; w < Writers; ++w) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      Expected<std::unique_ptr<ResultsStore>> store = ResultsStore::open(path);
      if (!store) {
        consumeError(store.takeError());
        _exit(3);
      }
      for (int i = 0; i < PerWriter; ++i) {
        EvaluationKey key{uint64_t(w), "module(function(p" + std::to_string(i) + "))",
                          Target::X86_64};
        if (Error err = (*store)->recordEvaluation(key, okResult(100 + i, i))) {
          consumeError(std::move(err));
          _exit(4);
        }
        // Every writer also competes for the same tuned row.
        TunedResult tuned{99,
                          Target::X86_64,
                          "shared.c",
                          key.pipeline,
                          uint64_t(1000 - w * PerWriter - i),
                          2000,
                          "random",
                          1,
                          0,
                          true};
        if (Error err = (*store)->recordTuned(tuned)) {
          consumeError(std::move(err));
          _exit(5);
        }
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  auto store = openOrDie(path);
  ASSERT_TRUE(store);
  auto stats = store->stats();
  OPTLM_ASSERT_OK(stats);
  EXPECT_EQ(stats->evaluations, uint64_t(Writers * PerWriter));
  EXPECT_EQ(stats->modules, uint64_t(Writers));
  auto tuned = store->findTuned(99, Target::X86_64);
  ASSERT_TRUE(bool(tuned));
  ASSERT_TRUE(tuned->has_value());
  EXPECT_EQ((*tuned)->binarySize, uint64_t(1000 - (Writers - 1) * PerWriter - (PerWriter - 1)))
      << "the smallest result written by any process must win";
}

TEST(ResultsStore, StatsSummarizeOutcomesAndReductions) {
  auto store = openOrDie(":memory:");
  ASSERT_TRUE(store);
  EvaluationResult crash;
  crash.outcome = Outcome::Crash;
  ASSERT_FALSE(errorToBool(store->recordEvaluation({1, "a", Target::X86_64}, okResult(10, 1))));
  ASSERT_FALSE(errorToBool(store->recordEvaluation({1, "b", Target::X86_64}, okResult(11, 2))));
  ASSERT_FALSE(errorToBool(store->recordEvaluation({2, "b", Target::X86_64}, crash)));
  ASSERT_FALSE(errorToBool(
      store->recordTuned({1, Target::X86_64, "x.c", "a", 90, 100, "random", 2, 0, true})));
  ASSERT_FALSE(errorToBool(
      store->recordTuned({2, Target::X86_64, "y.c", "b", 95, 100, "random", 2, 0, false})));
  auto stats = store->stats();
  ASSERT_TRUE(bool(stats));
  EXPECT_EQ(stats->evaluations, 3u);
  EXPECT_EQ(stats->modules, 2u);
  EXPECT_EQ(stats->pipelines, 2u);
  ASSERT_EQ(stats->evaluationsByOutcome.size(), 2u);
  EXPECT_EQ(stats->evaluationsByOutcome[0], (std::pair<std::string, uint64_t>("ok", 2)));
  EXPECT_EQ(stats->tunedResults, 2u);
  EXPECT_EQ(stats->verifiedTunedResults, 1u);
  EXPECT_NEAR(stats->meanReductionVsOzPercent, 7.5, 1e-9);
}

TEST(ResultsStore, OpenOrDefaultTakesTheGivenPathElseOptlmStore) {
  optlm::testing::TemporaryFolder dir;
  std::string fromEnvironment = dir.file("from-env.sqlite");
  std::string given = dir.file("given.sqlite");
  ASSERT_EQ(setenv("OPTLM_STORE", fromEnvironment.c_str(), 1), 0);
  auto byDefault = ResultsStore::openOrDefault("");
  auto explicitly = ResultsStore::openOrDefault(given);
  unsetenv("OPTLM_STORE");
  OPTLM_ASSERT_OK(byDefault);
  OPTLM_ASSERT_OK(explicitly);
  EXPECT_EQ((*byDefault)->path(), fromEnvironment);
  EXPECT_EQ((*explicitly)->path(), given);
  EXPECT_TRUE(sys::fs::exists(fromEnvironment));
  EXPECT_TRUE(sys::fs::exists(given));
}

TEST(ResultsStore, UnwritableLocationIsAnError) {
  Expected<std::unique_ptr<ResultsStore>> store =
      ResultsStore::open("/nonexistent-dir/sub/results.sqlite");
  ASSERT_FALSE(bool(store));
  EXPECT_NE(toString(store.takeError()).find("cannot open store"), std::string::npos);
}

} // namespace
