//===- ChainsTest.cpp - the best proposals so far, one after the other ----===//
#include "flagmodel/Chains.h"

#include "pipeline/Pipeline.h"

#include <gtest/gtest.h>

using namespace llvm;
using namespace optlm;
using namespace optlm::flagmodel;

namespace {

std::string canonical(StringRef text) { return cantFail(Pipeline::parse(text)).text(); }

TEST(Chains, APlanReadsRoundsAndFormsAndWritesThemBack) {
  auto plan = ChainPlan::parse("AB,BA/ABC");
  ASSERT_TRUE(bool(plan)) << toString(plan.takeError());
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

} // namespace
