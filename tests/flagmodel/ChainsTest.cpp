//===- ChainsTest.cpp - the best proposals so far, one after the other ----===//
#include "flagmodel/Chains.h"

#include "pipeline/Pipeline.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

using namespace llvm;
using namespace optlm;
using namespace optlm::flagmodel;

namespace {

std::string canonical(StringRef text) { return cantFail(Pipeline::parse(text)).text(); }

TEST(Chains, APlanReadsRoundsAndFormsAndWritesThemBack) {
  auto plan = ChainPlan::parse("AB,BA/ABC");
  OPTLM_ASSERT_OK(plan);
  ASSERT_EQ(plan->rounds.size(), 2u);
  EXPECT_EQ(plan->rounds[0], (std::vector<std::string>{"AB", "BA"}));
  EXPECT_EQ(plan->rounds[1], (std::vector<std::string>{"ABC"}));
  EXPECT_EQ(plan->count(), 3u);
  EXPECT_EQ(plan->text(), "AB,BA/ABC");

  auto none = ChainPlan::parse("");
  ASSERT_TRUE(bool(none));
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(none->count(), 0u);
  EXPECT_EQ(none->text(), "");
}

TEST(Chains, AFormIsTwoToFourRanks) {
  for (const char *bad : {"A", "ABCDE", "AB,", "ab", "AK", "AB//BA", "A-B"}) {
    auto plan = ChainPlan::parse(bad);
    ASSERT_FALSE(bool(plan)) << bad;
    std::string message = toString(plan.takeError());
    EXPECT_NE(message.find("two to four letters"), std::string::npos) << message;
  }
}

TEST(Chains, FormsJoinTheRankedPipelinesInOrder) {
  const std::string best = canonical("sroa,instcombine");
  const std::string second = canonical("simplifycfg");
  const std::string third = canonical("inline");
  std::vector<std::string> chained = chainedPipelines({best, second, third}, {"AB", "BA", "CA"});
  // One pipeline after the other, not merged into one pass manager: each
  // runs over the whole module before the next starts.
  EXPECT_EQ(chained, (std::vector<std::string>{
                         "module(function(sroa,instcombine<no-verify-fixpoint>),"
                         "function(simplifycfg))",
                         "module(function(simplifycfg),function(sroa,instcombine<no-verify-"
                         "fixpoint>))",
                         "module(cgscc(inline),function(sroa,instcombine<no-verify-fixpoint>))"}));
}

TEST(Chains, MissingRanksRepeatsAndKnownPipelinesAreLeftOut) {
  const std::string best = canonical("sroa");
  const std::string second = canonical("function(sroa),function(sroa)");
  // AA is the second pipeline, compiled already; AC names a rank there is
  // not; the second AB repeats the first.
  EXPECT_EQ(chainedPipelines({best, second}, {"AA", "AC", "AB", "AB"}),
            (std::vector<std::string>{"module(function(sroa),function(sroa),function(sroa))"}));
  EXPECT_TRUE(chainedPipelines({best}, {"AB", "BA"}).empty());
}

TEST(Chains, APlanLeavesListsOnlyWhenItCostsLessThanTheBudget) {
  ChainPlan plan = cantFail(ChainPlan::parse("AB,BA"));
  EXPECT_FALSE(plan.leavesListsIn(2));
  EXPECT_TRUE(plan.leavesListsIn(3));
  EXPECT_TRUE(ChainPlan().leavesListsIn(1));
  EXPECT_FALSE(ChainPlan().leavesListsIn(0));
}

TEST(Chains, RanksAreSmallestFirstTiesInCompileOrderFailuresLeftOut) {
  std::vector<std::optional<int>> sizes = {7, std::nullopt, 5, 7, 5};
  EXPECT_EQ(smallestFirst<int>(sizes), (std::vector<size_t>{2, 4, 0, 3}));
  EXPECT_TRUE(smallestFirst<int>(std::vector<std::optional<int>>{std::nullopt}).empty());
}

// Each round ranks again with what the earlier rounds compiled; a round with
// nothing new compiles nothing; an error stops the rounds.
TEST(Chains, RoundsRankAgainAfterEachCompilation) {
  const std::string first = canonical("sroa"), second = canonical("simplifycfg");
  std::vector<std::pair<int, std::string>> compiled = {{10, first}, {9, second}};
  auto ranked = [&] {
    std::vector<std::optional<int>> sizes;
    for (const auto &entry : compiled)
      sizes.push_back(entry.first);
    std::vector<std::string> pipelines;
    for (size_t index : smallestFirst<int>(sizes))
      pipelines.push_back(compiled[index].second);
    return pipelines;
  };
  std::vector<std::vector<std::string>> calls;
  auto compile = [&](ArrayRef<std::string> pipelines) {
    calls.emplace_back(pipelines.begin(), pipelines.end());
    for (const std::string &pipeline : pipelines)
      compiled.push_back({static_cast<int>(8 - compiled.size()), pipeline});
    return Error::success();
  };
  // Round 2's A is round 1's AB (the smallest by then), its B the second
  // list.
  ChainPlan plan = cantFail(ChainPlan::parse("AB/AB/AB"));
  ASSERT_FALSE(bool(compileChains(plan, ranked, compile)));
  ASSERT_EQ(calls.size(), 3u);
  const std::string ab = chainedPipelines({second, first}, {"AB"})[0];
  EXPECT_EQ(calls[0], (std::vector<std::string>{ab}));
  EXPECT_EQ(calls[1], chainedPipelines({ab, second, first}, {"AB"}));
  // Five pipelines compiled: a tenth rank names none.
  calls.clear();
  ASSERT_FALSE(bool(compileChains(cantFail(ChainPlan::parse("AJ")), ranked, compile)));
  EXPECT_TRUE(calls.empty());

  calls.clear();
  auto failing = [&](ArrayRef<std::string>) -> Error {
    calls.emplace_back();
    return createStringError(inconvertibleErrorCode(), "the pool broke");
  };
  Error error = compileChains(plan, ranked, failing);
  ASSERT_TRUE(bool(error));
  EXPECT_EQ(toString(std::move(error)), "the pool broke");
  EXPECT_EQ(calls.size(), 1u);
}

} // namespace
