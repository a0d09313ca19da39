//===- PipelineChooserTest.cpp - store, sources, search, -Oz --------------===//
#include "cc/PipelineChooser.h"

#include "engine/Evaluator.h"
#include "flagmodel/FlagModel.h"
#include "flagmodel/ShippedModel.h"
#include "ir/ModuleFacts.h"
#include "store/ResultsStore.h"
#include "tasks/FlagTuner.h"

#include <gtest/gtest.h>

using namespace optlm;
using namespace optlm::cc;

namespace {

// Smaller than -Oz on text.c (327 bytes against 357 with LLVM 19).
constexpr const char *GoodList = "sroa,simplifycfg,instcombine,sccp";

struct Unit {
  LoadedModule loaded;
  uint64_t hash = 0;
  std::unique_ptr<ResultsStore> store;

  UnitContext context() { return {*loaded.module, Target::X86_64, store.get(), "text.c"}; }
};

Unit loadUnit() {
  Unit unit;
  auto loaded = loadModuleFor(OPTLM_TEST_INPUTS "/cc-projects/make/text.c", Target::X86_64);
  EXPECT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  unit.loaded = std::move(*loaded);
  unit.hash = moduleHash(*unit.loaded.module);
  auto store = ResultsStore::open(":memory:");
  EXPECT_TRUE(bool(store));
  unit.store = std::move(*store);
  return unit;
}

/// A source that proposes fixed lists.
class FixedSource final : public PipelineSource {
public:
  explicit FixedSource(std::vector<std::string> lists) : Lists(std::move(lists)) {}
  llvm::StringRef name() const override { return "fixed"; }
  llvm::Expected<std::vector<std::string>> propose(const UnitContext &) override {
    ++Calls;
    return Lists;
  }
  std::vector<std::string> Lists;
  int Calls = 0;
};

ChooserOptions acceptingAll() {
  ChooserOptions options;
  options.verifier = [](const Pipeline &) -> llvm::Expected<bool> { return true; };
  return options;
}

std::vector<std::unique_ptr<PipelineSource>> sources(std::unique_ptr<PipelineSource> source) {
  std::vector<std::unique_ptr<PipelineSource>> list;
  list.push_back(std::move(source));
  return list;
}

TEST(CcPipelineChooser, NothingKnownIsOzUnmeasured) {
  Unit unit = loadUnit();
  PipelineChooser chooser(acceptingAll(), sources(makeBroadcastSource(4)));
  Choice choice = chooser.choose(unit.context());
  EXPECT_TRUE(choice.isOz);
  EXPECT_EQ(choice.how, "oz");
  EXPECT_EQ(choice.pipeline, ozPipelineText());
  EXPECT_FALSE(choice.size);
}

/// A source's candidate that beats -Oz and passes verification is chosen,
/// and recorded, so that the next build of this IR is a store hit.
TEST(CcPipelineChooser, ASourcesVerifiedCandidateIsChosenAndRecorded) {
  Unit unit = loadUnit();
  auto source =
      std::make_unique<FixedSource>(std::vector<std::string>{"not a pipeline", "-O0", GoodList});
  PipelineChooser chooser(acceptingAll(), sources(std::move(source)));
  Choice choice = chooser.choose(unit.context());
  EXPECT_FALSE(choice.isOz);
  EXPECT_EQ(choice.how, "fixed");
  EXPECT_EQ(choice.pipeline, cantFail(Pipeline::parse(GoodList)).text());
  ASSERT_TRUE(choice.size && choice.ozSize);
  EXPECT_LT(*choice.size, *choice.ozSize);

  auto stored = unit.store->findTuned(unit.hash, Target::X86_64);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->pipeline, choice.pipeline);
  EXPECT_TRUE((*stored)->verified);
  EXPECT_EQ((*stored)->strategy, "cc:fixed");

  auto again = std::make_unique<FixedSource>(std::vector<std::string>{GoodList});
  FixedSource &asked = *again;
  PipelineChooser second(acceptingAll(), sources(std::move(again)));
  Choice hit = second.choose(unit.context());
  EXPECT_EQ(hit.how, "store");
  EXPECT_EQ(hit.pipeline, choice.pipeline);
  EXPECT_EQ(asked.Calls, 0); // a store hit asks no source
}

TEST(CcPipelineChooser, ARejectedCandidateIsNotUsed) {
  Unit unit = loadUnit();
  ChooserOptions options;
  options.verifier = [](const Pipeline &) -> llvm::Expected<bool> { return false; };
  PipelineChooser chooser(
      options, sources(std::make_unique<FixedSource>(std::vector<std::string>{GoodList})));
  Choice choice = chooser.choose(unit.context());
  EXPECT_TRUE(choice.isOz);
  ASSERT_TRUE(choice.size && choice.ozSize);
  EXPECT_EQ(*choice.size, *choice.ozSize);
  ASSERT_FALSE(choice.notes.empty());
  EXPECT_NE(choice.notes[0].find("rejected"), std::string::npos) << choice.notes[0];
  // -Oz is recorded as the answer for this IR.
  auto stored = unit.store->findTuned(unit.hash, Target::X86_64);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->pipeline, ozPipelineText());
}

/// Broadcast proposes the lists the store's verified labels name most.
TEST(CcPipelineChooser, BroadcastProposesTheStoresPopularVerifiedLists) {
  Unit unit = loadUnit();
  TunedResult label;
  label.moduleHash = 0xaa;
  label.pipeline = cantFail(Pipeline::parse(GoodList)).text();
  label.binarySize = 1;
  label.ozBinarySize = 2;
  label.verified = true;
  ASSERT_FALSE(bool(unit.store->recordTuned(label)));
  PipelineChooser chooser(acceptingAll(), sources(makeBroadcastSource(4)));
  Choice choice = chooser.choose(unit.context());
  EXPECT_EQ(choice.how, "broadcast");
  EXPECT_EQ(choice.pipeline, label.pipeline);
}

/// With a budget and nothing known, the autotuner searches (verified by the
/// chooser's verifier) and its answer is used and recorded.
TEST(CcPipelineChooser, ABudgetSearches) {
  Unit unit = loadUnit();
  ChooserOptions options = acceptingAll();
  options.budget = 64;
  PipelineChooser chooser(options, {});
  Choice choice = chooser.choose(unit.context());
  EXPECT_EQ(choice.how, "search");
  ASSERT_TRUE(choice.size && choice.ozSize);
  EXPECT_LT(*choice.size, *choice.ozSize);
  auto stored = unit.store->findTuned(unit.hash, Target::X86_64);
  ASSERT_TRUE(stored && *stored);
  EXPECT_GE((*stored)->evaluations, 64u);
  // The same budget again: the store's answer.
  EXPECT_EQ(PipelineChooser(options, {}).choose(unit.context()).how, "store");
}

/// With optlm's flag-tuning model the chooser tunes a unit as `optlm tune
/// --whole-module` does: the model's library lists, then chains of the best
/// so far. On strings.c a chain wins (4,316 bytes with LLVM 19 and the
/// shipped model, against 4,368 for its best list), which the model's lists
/// alone would miss.
TEST(CcPipelineChooser, TheModelTunesAsOptlmTuneDoesChainsIncluded) {
  auto loaded = loadModuleFor(OPTLM_EXAMPLE_PROGRAMS "/strings.c", Target::X86_64);
  ASSERT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  const llvm::Module &module = *loaded->module;
  auto store = ResultsStore::open(":memory:");
  ASSERT_TRUE(bool(store));
  ChooserOptions options = acceptingAll();
  options.model = ""; // the shipped one
  Choice choice =
      PipelineChooser(options, {}).choose({module, Target::X86_64, store->get(), "strings.c"});
  ASSERT_EQ(choice.how, "model");
  ASSERT_TRUE(choice.size && choice.ozSize);

  std::optional<std::string> path = flagmodel::findShippedModel(Target::X86_64);
  ASSERT_TRUE(path.has_value());
  auto model = flagmodel::FlagModel::load(*path, Target::X86_64);
  ASSERT_TRUE(bool(model)) << llvm::toString(model.takeError());
  tasks::FlagTuneOptions tune;
  tune.perPart = false;
  tune.candidates = 0; // the model's own count, 10, as the chooser's default
  double modelSeconds = 0;
  auto tuned = tasks::tuneWithFlagModel(module, *model, tune, modelSeconds);
  ASSERT_TRUE(bool(tuned)) << llvm::toString(tuned.takeError());
  EXPECT_EQ(choice.pipeline, tuned->chosenPipeline.text());
  EXPECT_EQ(*choice.size, tuned->binarySize);
  EXPECT_EQ(*choice.ozSize, tuned->ozSize);
  for (const std::string &list : model->propose(module, model->libraryProposals()))
    EXPECT_NE(cantFail(Pipeline::parse(list)).text(), choice.pipeline)
        << "a library list won: this test wants a unit where a chain wins";
}

/// Beside the model, the sources' proposals are compiled and ranked with its
/// lists: on text.c no list of the shipped model beats -Oz (357 bytes), and
/// the source's does (327).
TEST(CcPipelineChooser, TheSourcesProposalsCompeteWithTheModels) {
  Unit unit = loadUnit();
  ChooserOptions options = acceptingAll();
  options.model = "";
  PipelineChooser chooser(
      options, sources(std::make_unique<FixedSource>(std::vector<std::string>{GoodList})));
  Choice choice = chooser.choose(unit.context());
  EXPECT_EQ(choice.how, "fixed");
  EXPECT_EQ(choice.pipeline, cantFail(Pipeline::parse(GoodList)).text());
  auto stored = unit.store->findTuned(unit.hash, Target::X86_64);
  ASSERT_TRUE(stored && *stored);
  // -Oz, the model's 8 lists, the source's and 2 chains.
  EXPECT_EQ((*stored)->evaluations, 12u);
}

TEST(CcPipelineChooser, AForcedPipelineIsUsedAsItIs) {
  Unit unit = loadUnit();
  ChooserOptions options;
  options.forcedPipeline = "codegenprepare";
  Choice choice = PipelineChooser(options, {}).choose(unit.context());
  EXPECT_EQ(choice.how, "forced");
  EXPECT_EQ(choice.pipeline, "module(function(codegenprepare))");
}

} // namespace
