//===- PipelineChooserTest.cpp - store, sources, search, -Oz --------------===//
#include "cc/PipelineChooser.h"

#include "engine/Evaluator.h"
#include "flagmodel/FlagModel.h"
#include "flagmodel/ShippedModel.h"
#include "ir/ModuleFacts.h"
#include "store/ResultsStore.h"
#include "tasks/FlagTuner.h"
#include "verify/PassListEval.h"

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

/// strings.c and what `optlm tune --whole-module` makes of it with the
/// shipped model (every chain allowed): a chain wins there (4,316 bytes with
/// LLVM 19, against 4,368 for the model's best list).
struct StringsUnit {
  LoadedModule loaded;
  std::optional<flagmodel::FlagModel> model;
  tasks::FlagTuneResult tuned;
};

StringsUnit tunedStrings() {
  StringsUnit unit;
  auto loaded = loadModuleFor(OPTLM_EXAMPLE_PROGRAMS "/strings.c", Target::X86_64);
  EXPECT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  unit.loaded = std::move(*loaded);
  std::optional<std::string> path = flagmodel::findShippedModel(Target::X86_64);
  EXPECT_TRUE(path.has_value());
  auto model = flagmodel::FlagModel::load(*path, Target::X86_64);
  EXPECT_TRUE(bool(model)) << llvm::toString(model.takeError());
  unit.model = std::move(*model);
  tasks::FlagTuneOptions tune;
  tune.perPart = false;
  tune.candidates = 0; // the model's own count, 10, as the chooser's default
  double modelSeconds = 0;
  auto tuned = tasks::tuneWithFlagModel(*unit.loaded.module, *unit.model, tune, modelSeconds);
  EXPECT_TRUE(bool(tuned)) << llvm::toString(tuned.takeError());
  unit.tuned = std::move(*tuned);
  for (const std::string &list :
       unit.model->propose(*unit.loaded.module, unit.model->libraryProposals()))
    EXPECT_NE(cantFail(Pipeline::parse(list)).text(), unit.tuned.chosenPipeline.text())
        << "a library list won: these tests want a unit where a chain wins";
  return unit;
}

/// With every chain allowed, the chooser tunes a unit as `optlm tune
/// --whole-module` does: the model's library lists, then chains of the best
/// so far.
TEST(CcPipelineChooser, WithEveryChainTheModelTunesAsOptlmTuneDoes) {
  StringsUnit strings = tunedStrings();
  auto store = ResultsStore::open(":memory:");
  ASSERT_TRUE(bool(store));
  ChooserOptions options = acceptingAll();
  options.model = ""; // the shipped one
  options.allChains = true;
  Choice choice = PipelineChooser(options, {})
                      .choose({*strings.loaded.module, Target::X86_64, store->get(), "strings.c"});
  ASSERT_EQ(choice.how, "model");
  ASSERT_TRUE(choice.size && choice.ozSize);
  EXPECT_EQ(choice.pipeline, strings.tuned.chosenPipeline.text());
  EXPECT_EQ(*choice.size, strings.tuned.binarySize);
  EXPECT_EQ(*choice.ozSize, strings.tuned.ozSize);
}

/// By default a chain is compiled only when the store holds an accepted
/// verdict for it (a new one would cost the build a suite run); otherwise
/// the model's next library lists take its compilations.
TEST(CcPipelineChooser, ByDefaultOnlyChainsWithAnAcceptedVerdictAreCompiled) {
  StringsUnit strings = tunedStrings();
  const llvm::Module &module = *strings.loaded.module;
  ChooserOptions options = acceptingAll();
  options.model = "";

  auto empty = ResultsStore::open(":memory:");
  ASSERT_TRUE(bool(empty));
  Choice choice =
      PipelineChooser(options, {}).choose({module, Target::X86_64, empty->get(), "strings.c"});
  ASSERT_EQ(choice.how, "model");
  std::vector<std::string> lists;
  for (const std::string &list : strings.model->propose(module, 10))
    lists.push_back(cantFail(Pipeline::parse(list)).text());
  EXPECT_TRUE(llvm::is_contained(lists, choice.pipeline)) << choice.pipeline;
  auto stored = (*empty)->findTuned(moduleHash(module), Target::X86_64);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->evaluations, 11u); // -Oz and the model's 10 lists

  auto withVerdict = ResultsStore::open(":memory:");
  ASSERT_TRUE(bool(withVerdict));
  auto origin = verify::defaultVerdictOrigin();
  ASSERT_TRUE(bool(origin)) << llvm::toString(origin.takeError());
  auto recorded = verify::recordAcceptedVerdicts(**withVerdict, Target::X86_64,
                                                 {strings.tuned.chosenPipeline.text()}, *origin);
  ASSERT_TRUE(recorded && *recorded == 1);
  choice = PipelineChooser(options, {})
               .choose({module, Target::X86_64, withVerdict->get(), "strings.c"});
  EXPECT_EQ(choice.pipeline, strings.tuned.chosenPipeline.text());
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
