//===- EvaluationCacheTest.cpp - what is remembered, and how it comes back -===//
#include "engine/EvaluationCache.h"

#include "gtest/gtest.h"

using namespace optlm;

namespace {

EvaluationResult okResult(uint64_t size) {
  EvaluationResult result;
  result.outcome = Outcome::Ok;
  result.pipeline = "module(function(sroa))";
  Measurement measurement;
  measurement.binarySize = size;
  measurement.textSize = size - 8;
  measurement.dataSize = 8;
  measurement.sections = {{".text", size - 8}, {".data", 8}};
  measurement.instructionCount = 42;
  measurement.irHash = 0xfeedULL;
  result.measurement = measurement;
  return result;
}

} // namespace

TEST(EvaluationCache, RemembersByModulePipelineAndTarget) {
  EvaluationCache cache;
  EvaluationKey key{1, "module(function(sroa))", Target::X86_64};
  EXPECT_FALSE(cache.lookup(key));
  cache.insert(key, okResult(100));

  std::optional<EvaluationResult> hit = cache.lookup(key);
  ASSERT_TRUE(hit);
  EXPECT_TRUE(hit->fromCache);
  EXPECT_EQ(hit->measurement->binarySize, 100u);
  EXPECT_EQ(hit->measurement->sections.at(".data"), 8u);

  EXPECT_FALSE(cache.lookup({2, key.pipeline, Target::X86_64}));
  EXPECT_FALSE(cache.lookup({1, key.pipeline, Target::AArch64}));
  EXPECT_FALSE(cache.lookup({1, "module(function(sroa,gvn))", Target::X86_64}));
  EXPECT_EQ(cache.statistics().resultLookups, 5u);
  EXPECT_EQ(cache.statistics().resultHits, 1u);
}

TEST(EvaluationCache, ForgetsOutcomesThatDependOnLimits) {
  EvaluationCache cache;
  for (Outcome outcome : {Outcome::Timeout, Outcome::OutOfMemory}) {
    EvaluationResult result;
    result.outcome = outcome;
    EvaluationKey key{1, outcomeName(outcome).str(), Target::X86_64};
    cache.insert(key, result);
    EXPECT_FALSE(cache.lookup(key)) << outcomeName(outcome).str();
  }
  for (Outcome outcome :
       {Outcome::InvalidPipeline, Outcome::InvalidIR, Outcome::Crash, Outcome::Fatal}) {
    EvaluationResult result;
    result.outcome = outcome;
    result.message = "why";
    EvaluationKey key{1, outcomeName(outcome).str(), Target::X86_64};
    cache.insert(key, result);
    auto hit = cache.lookup(key);
    ASSERT_TRUE(hit) << outcomeName(outcome).str();
    EXPECT_EQ(hit->message, "why");
  }
  EXPECT_EQ(cache.statistics().resultEntries, 4u);
}

TEST(EvaluationCache, ObjectSizesAreKeyedByTargetAndIRHash) {
  EvaluationCache cache;
  ObjectMeasurement object = objectPart(*okResult(64).measurement);
  cache.insertObject(Target::X86_64, 7, object);
  EXPECT_EQ(cache.lookupObject(Target::X86_64, 7), object);
  EXPECT_FALSE(cache.lookupObject(Target::AArch64, 7));
  EXPECT_FALSE(cache.lookupObject(Target::X86_64, 8));
  EXPECT_EQ(cache.statistics().objectLookups, 3u);
  EXPECT_EQ(cache.statistics().objectHits, 1u);
  EXPECT_NE(cache.statisticsLine().find("object sizes 1/3 hits"), std::string::npos)
      << cache.statisticsLine();

  Measurement measurement;
  measurement.instructionCount = 9;
  applyObjectPart(measurement, object);
  EXPECT_EQ(measurement.binarySize, 64u);
  EXPECT_EQ(measurement.instructionCount, 9u);
  EXPECT_EQ(objectPart(measurement), object);

  cache.clear();
  EXPECT_FALSE(cache.lookupObject(Target::X86_64, 7));
  EXPECT_EQ(cache.statistics().objectLookups, 1u);
}
