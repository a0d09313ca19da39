//===- ComparisonTest.cpp - held-out scores and their intervals -----------===//
#include "flagmodel/Comparison.h"

#include "ir/ModuleFeatures.h"
#include "pipeline/Pipeline.h"

#include <gtest/gtest.h>

#include <numeric>

using namespace llvm;
using namespace optlm;
using namespace optlm::flagmodel;

namespace {

ShareInterval bootstrap(const std::vector<double> &reductions, const std::vector<double> &labels,
                        const std::vector<std::string> &groups,
                        const std::vector<double> &subtracted = {}, uint64_t seed = 0) {
  BootstrapInput input;
  input.reductionPercent = reductions;
  input.labelReductionPercent = labels;
  input.groups = groups;
  input.subtractedReductionPercent = subtracted;
  input.seed = seed;
  return packageBootstrap(input);
}

TEST(PackageBootstrap, DrawsPackagesWholeSoOnePackageHasNoSpread) {
  // The units differ, but every draw brings the one package with all of
  // them: a bootstrap over units would spread, this one must not.
  ShareInterval one = bootstrap({9, 0, 3}, {10, 10, 10}, {"p", "p", "p"});
  EXPECT_DOUBLE_EQ(one.share, 0.4);
  EXPECT_DOUBLE_EQ(one.low, 0.4);
  EXPECT_DOUBLE_EQ(one.high, 0.4);
}

TEST(PackageBootstrap, SpreadsBetweenThePackagesShares) {
  // Package a reaches 20% of the autotuner, b 80%: the interval lies
  // between them and holds the pooled share.
  ShareInterval two = bootstrap({1, 1, 4, 4}, {5, 5, 5, 5}, {"a", "a", "b", "b"});
  EXPECT_DOUBLE_EQ(two.share, 0.5);
  EXPECT_GE(two.low, 0.2);
  EXPECT_LT(two.low, 0.5);
  EXPECT_GT(two.high, 0.5);
  EXPECT_LE(two.high, 0.8);
  EXPECT_DOUBLE_EQ(two.aboveZero, 1.0);
}

TEST(PackageBootstrap, IsTheSameForASeed) {
  std::vector<double> reductions{1, 3, 0, 7, 2, 5}, labels{4, 4, 2, 9, 3, 6};
  std::vector<std::string> groups{"a", "b", "c", "d", "e", "f"};
  ShareInterval first = bootstrap(reductions, labels, groups, {}, 7);
  ShareInterval again = bootstrap(reductions, labels, groups, {}, 7);
  EXPECT_EQ(first.low, again.low);
  EXPECT_EQ(first.high, again.high);
  EXPECT_LT(first.low, first.high);
}

TEST(PackageBootstrap, ComparesTwoChoicesOnTheSameDraws) {
  std::vector<double> labels{10, 10, 10, 10};
  std::vector<std::string> groups{"a", "b", "c", "d"};
  // The same reductions: no difference in any draw.
  ShareInterval same = bootstrap({5, 1, 2, 8}, labels, groups, {5, 1, 2, 8});
  EXPECT_DOUBLE_EQ(same.share, 0);
  EXPECT_DOUBLE_EQ(same.low, 0);
  EXPECT_DOUBLE_EQ(same.high, 0);
  EXPECT_DOUBLE_EQ(same.aboveZero, 0);
  // Ahead on every unit: ahead in every draw, however far apart the
  // packages' own shares are.
  ShareInterval ahead = bootstrap({5, 1, 2, 9}, labels, groups, {4, 0, 1, 8});
  EXPECT_DOUBLE_EQ(ahead.share, 0.1);
  EXPECT_GT(ahead.low, 0);
  EXPECT_DOUBLE_EQ(ahead.aboveZero, 1.0);
  // Behind: the interval is below zero.
  ShareInterval behind = bootstrap({4, 0, 1, 8}, labels, groups, {5, 1, 2, 9});
  EXPECT_LT(behind.high, 0);
  EXPECT_DOUBLE_EQ(behind.aboveZero, 0);
}

TEST(CompareStrategies, EveryRowKeepsItsReductionPerModule) {
  const size_t features = moduleFeatureNames().size();
  FlagModel model;
  model.library = {cantFail(Pipeline::parse("sroa")).text(),
                   cantFail(Pipeline::parse("inline,globaldce")).text()};
  model.featureMean.assign(features, 0);
  model.featureScale.assign(features, 1);
  model.featureWeight.assign(features, 1);
  model.trainFeatures.assign(2 * features, 0);
  model.trainScores = {0.9f, 1.0f, 1.0f, 0.8f};
  model.neighbours = 1;
  model.proposals = 2;

  std::vector<MeasuredModule> modules(3);
  const std::vector<std::vector<float>> scores{{0.9f, 1.1f}, {1.2f, 0.7f}, {1.0f, 1.0f}};
  for (size_t m = 0; m < modules.size(); ++m) {
    modules[m].name = "m" + std::to_string(m);
    modules[m].group = "p" + std::to_string(m);
    modules[m].features.assign(features, 0);
    modules[m].scores = scores[m];
  }
  ComparisonInput input;
  input.model = &model;
  input.modules = modules;
  input.lists = model.library;
  const std::vector<double> labels{20, 40, 10};
  input.labelReductionPercent = labels;
  input.proposals = 2;
  input.randomDraws = 3;
  for (const StrategyScore &row : compareStrategies(input)) {
    ASSERT_EQ(row.moduleReductionPercent.size(), modules.size()) << row.name;
    const double sum =
        std::accumulate(row.moduleReductionPercent.begin(), row.moduleReductionPercent.end(), 0.0);
    EXPECT_NEAR(sum / modules.size(), row.reductionPercent, 1e-9) << row.name;
    for (double reduction : row.moduleReductionPercent)
      EXPECT_GE(reduction, 0) << row.name; // -Oz is the backup
  }
  // Both lists on every module: 10% on the first, 30% on the second.
  const StrategyScore whole = compareStrategies(input).back();
  EXPECT_NEAR(whole.moduleReductionPercent[0], 10, 1e-4);
  EXPECT_NEAR(whole.moduleReductionPercent[1], 30, 1e-4);
  EXPECT_NEAR(whole.moduleReductionPercent[2], 0, 1e-4);
}

} // namespace
