//===- PassBuilderAcceptanceTest.cpp - LLVM accepts every canonical text --===//
//
// The canonical text is handed to PassBuilder by the engine, so this checks
// it in-process against LLVM 19's own parser, for every vocabulary pass and
// for random flat lists drawn (with a fixed seed) from the search space.
//
//===----------------------------------------------------------------------===//
#include "pipeline/Pipeline.h"
#include "testing/Testing.h"

#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"

#include <gtest/gtest.h>

#include <random>

using namespace optlm;

namespace {

std::string passBuilderError(const std::string &text) {
  llvm::PassBuilder builder;
  llvm::ModulePassManager passes;
  if (llvm::Error error = builder.parsePassPipeline(passes, text))
    return llvm::toString(std::move(error));
  return "";
}

/// Checks the two promises of the canonical text: LLVM accepts it, and it
/// parses back to the same pipeline.
void expectCanonical(const Pipeline &pipeline) {
  std::string text = pipeline.text();
  EXPECT_EQ(passBuilderError(text), "") << text;
  llvm::Expected<Pipeline> reparsed = Pipeline::parse(text);
  ASSERT_TRUE(bool(reparsed)) << text << ": " << llvm::toString(reparsed.takeError());
  EXPECT_EQ(*reparsed, pipeline) << text;
  EXPECT_EQ(reparsed->text(), text);
}

TEST(PassBuilderAcceptance, EveryVocabularyPassAlone) {
  for (const PassInfo &info : PassVocabulary::builtin().passes()) {
    SCOPED_TRACE(info.name);
    Pipeline pipeline = Pipeline::fromPasses({&info});
    expectCanonical(pipeline);
    llvm::Expected<Pipeline> parsed = Pipeline::parse(info.name);
    OPTLM_ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, pipeline);
    EXPECT_EQ(parsed->passNames(), std::vector<std::string>{info.name});
  }
}

TEST(PassBuilderAcceptance, RandomFlatListsFromTheSearchSpace) {
  std::vector<const PassInfo *> space = PassVocabulary::builtin().searchSpace();
  ASSERT_FALSE(space.empty());
  std::mt19937 random(20240702);
  for (int trial = 0; trial < 200; ++trial) {
    size_t length = 1 + random() % 50;
    std::vector<const PassInfo *> passes;
    std::string dashed, commas;
    for (size_t i = 0; i < length; ++i) {
      const PassInfo *info = space[random() % space.size()];
      passes.push_back(info);
      dashed += " -" + info->name;
      commas += (i ? "," : "") + info->name;
    }
    Pipeline pipeline = Pipeline::fromPasses(passes);
    SCOPED_TRACE(pipeline.text());
    expectCanonical(pipeline);
    EXPECT_EQ(pipeline.size(), length);
    // The same list written as a model would gives the same pipeline.
    llvm::Expected<Pipeline> fromDashes = Pipeline::parse(dashed);
    llvm::Expected<Pipeline> fromCommas = Pipeline::parse(commas);
    ASSERT_TRUE(fromDashes && fromCommas);
    EXPECT_EQ(*fromDashes, pipeline);
    EXPECT_EQ(*fromCommas, pipeline);
    EXPECT_EQ(fromCommas->flatText(), commas);
  }
}

TEST(PassBuilderAcceptance, StandardLevelsAndMixedPipelines) {
  for (OptLevel level :
       {OptLevel::O0, OptLevel::O1, OptLevel::O2, OptLevel::O3, OptLevel::Os, OptLevel::Oz})
    expectCanonical(Pipeline::level(level));
  for (const char *input : {"default<Oz>,globaldce", "inline,sroa,globaldce,licm,indvars,gvn",
                            "cgscc(inline,sroa)", "function(sroa,licm),module(globaldce)",
                            "simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond>",
                            "instcombine<max-iterations=3>", "function(loop(loop-mssa(licm)))"}) {
    llvm::Expected<Pipeline> pipeline = Pipeline::parse(input);
    if (!pipeline) {
      // Only the last input is invalid; everything else must pass.
      EXPECT_STREQ(input, "function(loop(loop-mssa(licm)))");
      llvm::consumeError(pipeline.takeError());
      continue;
    }
    SCOPED_TRACE(input);
    expectCanonical(*pipeline);
  }
}

TEST(PassBuilderAcceptance, LLVMAloneWouldGuessWrong) {
  // Why optlm nests flat lists itself: PassBuilder guesses the nesting
  // from the first name and rejects this list, which optlm accepts.
  EXPECT_NE(passBuilderError("sroa,globaldce,licm"), "");
  llvm::Expected<Pipeline> pipeline = Pipeline::parse("sroa,globaldce,licm");
  ASSERT_TRUE(bool(pipeline));
  EXPECT_EQ(passBuilderError(pipeline->text()), "");
}

} // namespace
