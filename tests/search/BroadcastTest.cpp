//===- BroadcastTest.cpp - the lists most often best ----------------------===//
#include "search/Broadcast.h"

#include "pipeline/PartPipelines.h"

#include <gtest/gtest.h>

using namespace optlm;
using namespace optlm::search;

namespace {

TunedResult labelled(std::string pipeline) {
  TunedResult result;
  result.pipeline = std::move(pipeline);
  return result;
}

TEST(Broadcast, TheMostFrequentBestListsFirstWithoutOzOrPlansForParts) {
  const std::string oz = Pipeline::level(OptLevel::Oz).text();
  const std::string gvn = "module(function(gvn))", sroa = "module(function(sroa))",
                    dce = "module(globaldce)";
  PartPipelines plan;
  plan.maxParts = 32;
  plan.parts = {Pipeline::level(OptLevel::Oz), Pipeline::level(OptLevel::Oz)};
  // Three units' plans for their parts, more than any list: no one list.
  std::vector<TunedResult> tuned = {labelled(sroa),        labelled(oz),          labelled(gvn),
                                    labelled(sroa),        labelled(oz),          labelled(dce),
                                    labelled(oz),          labelled(plan.text()), labelled(gvn),
                                    labelled(plan.text()), labelled(plan.text())};
  std::vector<PopularPipeline> popular = mostFrequentPipelines(tuned, 8);
  ASSERT_EQ(popular.size(), 3u);
  // Ties in text order.
  EXPECT_EQ(popular[0].pipeline, gvn);
  EXPECT_EQ(popular[0].programs, 2u);
  EXPECT_EQ(popular[1].pipeline, sroa);
  EXPECT_EQ(popular[2].pipeline, dce);
  EXPECT_EQ(popular[2].programs, 1u);
  EXPECT_EQ(mostFrequentPipelines(tuned, 1).size(), 1u);
}

} // namespace
