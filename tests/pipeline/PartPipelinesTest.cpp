//===- PartPipelinesTest.cpp - a pipeline for each part, as text ----------===//
#include "pipeline/PartPipelines.h"

#include "llvm/Support/Error.h"

#include <gtest/gtest.h>

using namespace optlm;

namespace {

PartPipelines twoParts() {
  PartPipelines plan;
  plan.maxParts = 32;
  plan.parts.push_back(Pipeline::level(OptLevel::Oz));
  plan.parts.push_back(llvm::cantFail(Pipeline::parse("sroa,simplifycfg<switch-range-to-icmp>")));
  return plan;
}

std::string errorOf(llvm::StringRef text) {
  auto parsed = PartPipelines::parse(text);
  if (parsed)
    return "(parsed)";
  return llvm::toString(parsed.takeError());
}

TEST(PartPipelines, TextParsesBackToTheSamePlan) {
  const PartPipelines plan = twoParts();
  const std::string text = plan.text();
  EXPECT_EQ(text, "parts<32>: " + plan.parts[0].text() + " | " + plan.parts[1].text());
  EXPECT_TRUE(PartPipelines::isPartPipelinesText(text));
  auto parsed = PartPipelines::parse(text);
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_EQ(*parsed, plan);
  // Any form Pipeline::parse reads is a part's pipeline.
  auto flat = PartPipelines::parse("parts<8>: -Oz | sroa,gvn");
  ASSERT_TRUE(bool(flat)) << llvm::toString(flat.takeError());
  EXPECT_EQ(flat->maxParts, 8u);
  EXPECT_EQ(flat->parts[0], Pipeline::level(OptLevel::Oz));
  EXPECT_EQ(flat->parts[1].text(), "module(function(sroa,gvn))");
}

// A reader that expects one pass list meets an error, not a wrong list.
TEST(PartPipelines, IsNoPassList) {
  auto asPipeline = Pipeline::parse(twoParts().text());
  ASSERT_FALSE(bool(asPipeline));
  llvm::consumeError(asPipeline.takeError());
  EXPECT_FALSE(PartPipelines::isPartPipelinesText("module(function(sroa))"));
}

TEST(PartPipelines, MalformedTextIsAnErrorThatSaysWhere) {
  EXPECT_NE(errorOf("sroa,gvn").find("not a pipeline for each part"), std::string::npos);
  EXPECT_NE(errorOf("parts<>: sroa").find("part count"), std::string::npos);
  EXPECT_NE(errorOf("parts<x>: sroa").find("part count"), std::string::npos);
  EXPECT_NE(errorOf("parts<4> sroa").find("part count"), std::string::npos);
  EXPECT_NE(errorOf("parts<4>:  ").find("names no pipeline"), std::string::npos);
  const std::string unknown = errorOf("parts<4>: sroa | no-such-pass");
  EXPECT_NE(unknown.find("part 2's pipeline"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("no-such-pass"), std::string::npos) << unknown;
  EXPECT_NE(errorOf("parts<4>: sroa | | gvn").find("part 2's pipeline"), std::string::npos);
}

// What optlm cc and `optlm opt -p` read: either form.
TEST(PartPipelines, AUnitPipelineIsEitherForm) {
  auto one = parseUnitPipeline("sroa,gvn");
  ASSERT_TRUE(bool(one)) << llvm::toString(one.takeError());
  ASSERT_TRUE(std::holds_alternative<Pipeline>(*one));
  EXPECT_EQ(std::get<Pipeline>(*one).text(), "module(function(sroa,gvn))");
  auto parts = parseUnitPipeline(twoParts().text());
  ASSERT_TRUE(bool(parts)) << llvm::toString(parts.takeError());
  ASSERT_TRUE(std::holds_alternative<PartPipelines>(*parts));
  EXPECT_EQ(std::get<PartPipelines>(*parts), twoParts());
  auto neither = parseUnitPipeline("parts<2>: sroa | nonsense");
  ASSERT_FALSE(bool(neither));
  EXPECT_NE(llvm::toString(neither.takeError()).find("part 2's pipeline"), std::string::npos);
  auto unknown = parseUnitPipeline("nonsense");
  ASSERT_FALSE(bool(unknown));
  llvm::consumeError(unknown.takeError());
}

} // namespace
