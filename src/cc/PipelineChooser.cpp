//===- PipelineChooser.cpp - which pipeline a translation unit gets -------===//
#include "cc/PipelineChooser.h"

#include "cc/Settings.h"

#include "flagmodel/FlagModel.h"
#include "flagmodel/ShippedModel.h"

#include "pipeline/PartPipelines.h"
#include "pipeline/Pipeline.h"
#include "search/Broadcast.h"
#include "search/PoolEvaluator.h"
#include "search/Tuner.h"
#include "search/Verification.h"
#include "store/ResultsStore.h"
#include "tasks/FlagTuner.h"
#include "verify/PassListEval.h"

#include "llvm/ADT/StringSet.h"

#include <algorithm>

using namespace llvm;

namespace optlm::cc {

PipelineSource::~PipelineSource() = default;

std::string ozPipelineText() { return Pipeline::level(OptLevel::Oz).text(); }

namespace {

class BroadcastSource final : public PipelineSource {
public:
  explicit BroadcastSource(unsigned k) : K(k) {}
  StringRef name() const override { return "broadcast"; }
  Expected<std::vector<std::string>> propose(const UnitContext &unit) override {
    if (!unit.store || K == 0)
      return std::vector<std::string>();
    // The store's verified labels for this target only: their lists passed
    // PassListEval for it.
    auto tuned = unit.store->allTuned();
    if (!tuned)
      return tuned.takeError();
    std::vector<TunedResult> verified;
    for (TunedResult &result : *tuned)
      if (result.verified && result.target == unit.target)
        verified.push_back(std::move(result));
    std::vector<std::string> lists;
    for (const search::PopularPipeline &popular : search::mostFrequentPipelines(verified, K))
      lists.push_back(popular.pipeline);
    return lists;
  }

private:
  unsigned K;
};

void recordLabel(const UnitContext &unit, const Choice &choice, StringRef strategy,
                 uint64_t evaluations, Choice &notesTo) {
  if (!unit.store || !choice.size || !choice.ozSize)
    return;
  TunedResult label;
  label.moduleHash = unit.moduleHash;
  label.target = unit.target;
  label.source = unit.source;
  label.pipeline = choice.pipeline;
  label.binarySize = *choice.size;
  label.ozBinarySize = *choice.ozSize;
  label.strategy = strategy.str();
  label.evaluations = evaluations;
  label.verified = true;
  if (Error error = unit.store->recordTuned(label))
    notesTo.notes.push_back("cannot record the result: " + toString(std::move(error)));
}

} // namespace

std::unique_ptr<PipelineSource> makeBroadcastSource(unsigned k) {
  return std::make_unique<BroadcastSource>(k);
}

std::vector<std::unique_ptr<PipelineSource>> defaultPipelineSources(const Settings &settings) {
  std::vector<std::unique_ptr<PipelineSource>> sources;
  sources.push_back(makeBroadcastSource(settings.broadcastLists));
  return sources;
}

PipelineChooser::PipelineChooser(ChooserOptions options,
                                 std::vector<std::unique_ptr<PipelineSource>> sources)
    : Options(std::move(options)), Sources(std::move(sources)) {}

PipelineChooser::~PipelineChooser() = default;

/// A proposal and the source that made it.
struct PipelineChooser::Proposal {
  std::string source;
  Pipeline pipeline;
};

/// The verifier tune mode uses: the chooser's own, or PassListEval with
/// verdicts cached in the unit's store. Made on first use (most units never
/// need one: no proposal beats -Oz, or the store knows).
class PipelineChooser::LazyVerifier {
public:
  LazyVerifier(const ChooserOptions &options, const UnitContext &unit)
      : Options(options), Unit(unit) {}

  /// The verifier, or an error saying why there is none.
  Expected<search::VerifyFunction &> get() {
    if (Verify)
      return Verify;
    if (Options.verifier) {
      Verify = [check = Options.verifier](const Pipeline &pipeline) -> Expected<search::Verdict> {
        Expected<bool> accepted = check(pipeline);
        if (!accepted)
          return accepted.takeError();
        return search::Verdict{*accepted, *accepted ? "" : "rejected by the verifier"};
      };
      return Verify;
    }
    search::VerificationSettings settings;
    settings.passListEval = true;
    settings.target = Unit.target;
    settings.jobs = Options.jobs;
    auto made = search::makeVerifier(settings, Unit.store);
    if (!made)
      return made.takeError();
    Verify = std::move(*made);
    return Verify;
  }

private:
  const ChooserOptions &Options;
  const UnitContext &Unit;
  search::VerifyFunction Verify;
};

bool PipelineChooser::chooseForced(Choice &choice) const {
  if (Options.forcedPipeline.empty())
    return false;
  Expected<UnitPipeline> forced = parseUnitPipeline(Options.forcedPipeline);
  if (!forced) {
    choice.notes.push_back("OPTLM_CC_PIPELINE: " + toString(forced.takeError()));
    return true;
  }
  choice.pipeline = std::visit([](const auto &pipeline) { return pipeline.text(); }, *forced);
  choice.isOz = choice.pipeline == ozPipelineText();
  choice.how = "forced";
  return true;
}

bool PipelineChooser::chooseStored(const UnitContext &unit, Choice &choice) const {
  if (!unit.store)
    return false;
  auto found = unit.store->findTuned(unit.moduleHash, unit.target);
  if (!found) {
    choice.notes.push_back("store: " + toString(found.takeError()));
    return false;
  }
  if (!*found || !(*found)->verified)
    return false;
  const TunedResult &stored = **found;
  // A stored result from a smaller search than asked for is not the answer.
  if (Options.budget && stored.evaluations < *Options.budget)
    return false;
  choice.pipeline = stored.pipeline;
  choice.isOz = stored.pipeline == ozPipelineText();
  choice.how = "store";
  choice.size = stored.binarySize;
  choice.ozSize = stored.ozBinarySize;
  return true;
}

std::optional<flagmodel::FlagModel> PipelineChooser::loadModel(const UnitContext &unit,
                                                               Choice &choice) const {
  if (!Options.model || Options.modelCompilations == 0)
    return std::nullopt;
  std::optional<std::string> path =
      Options.model->empty() ? flagmodel::findShippedModel(unit.target) : Options.model;
  if (!path)
    return std::nullopt; // none shipped for this target
  auto loaded = flagmodel::FlagModel::load(*path, unit.target);
  if (!loaded) {
    choice.notes.push_back("model: " + toString(loaded.takeError()));
    return std::nullopt;
  }
  // The library's verdicts came with the model; a store that cannot take
  // them only costs the suite's runs later.
  if (unit.store)
    consumeError(flagmodel::shareLibraryVerdicts(*loaded, *unit.store).takeError());
  return std::move(*loaded);
}

Choice PipelineChooser::choose(const UnitContext &unit) {
  Choice choice;
  choice.pipeline = ozPipelineText();
  if (chooseForced(choice))
    return choice;
  // 1. The store's verified label for exactly this IR.
  if (chooseStored(unit, choice))
    return choice;

  // 2. The model and the sources' candidates, measured against -Oz in the
  // sandbox.
  std::vector<Proposal> proposals;
  StringSet<> seen;
  seen.insert(ozPipelineText());
  for (const std::unique_ptr<PipelineSource> &source : Sources) {
    auto proposed = source->propose(unit);
    if (!proposed) {
      choice.notes.push_back(source->name().str() + ": " + toString(proposed.takeError()));
      continue;
    }
    for (const std::string &text : *proposed) {
      Expected<Pipeline> pipeline = Pipeline::parse(text);
      if (!pipeline) {
        consumeError(pipeline.takeError());
        continue;
      }
      if (seen.insert(pipeline->text()).second)
        proposals.push_back({source->name().str(), std::move(*pipeline)});
    }
  }
  std::optional<flagmodel::FlagModel> model = loadModel(unit, choice);
  if (!model && proposals.empty() && !Options.budget)
    return choice; // nothing to measure: -Oz, unmeasured

  LazyVerifier verifier(Options, unit);
  uint64_t evaluations = 0;
  if (!chooseAmongProposals(unit, model ? &*model : nullptr, proposals, verifier, choice,
                            evaluations))
    return choice;

  // 3. A search, when asked for and nothing known beats -Oz.
  if (choice.isOz && Options.budget) {
    search::PoolEvaluator pool(unit.module, unit.target, Options.jobs, unit.compileAs,
                               unit.moduleHash);
    search::RecordingEvaluator evaluator(pool, unit.store, unit.moduleHash, unit.target);
    if (chooseBySearch(unit, evaluator, verifier, choice, evaluations))
      return choice;
  }
  recordLabel(unit, choice, "cc:" + choice.how, evaluations, choice);
  return choice;
}

bool PipelineChooser::chooseAmongProposals(const UnitContext &unit,
                                           const flagmodel::FlagModel *model,
                                           ArrayRef<Proposal> proposals, LazyVerifier &verifier,
                                           Choice &choice, uint64_t &evaluations) const {
  // One home for measuring candidates against -Oz and verifying the best
  // first: the flag tuner `optlm tune` runs.
  tasks::FlagTuneOptions options;
  options.target = unit.target;
  options.compileAs = unit.compileAs;
  options.jobs = Options.jobs;
  options.perPart = Options.byParts;
  options.candidates = Options.modelCompilations;
  options.verify = [&verifier](const Pipeline &pipeline) -> Expected<search::Verdict> {
    auto verify = verifier.get();
    if (!verify)
      return verify.takeError();
    return (*verify)(pipeline);
  };
  // A chain is a new pipeline, and its first win costs a PassListEval
  // suite run (about a minute): a build that waits for one per unit is
  // ten times slower (docs/cc.md). Unless every chain is asked for, only
  // those the store holds an accepted verdict for are compiled.
  std::optional<std::string> suiteId;
  bool suiteRead = false;
  if (!Options.allChains)
    options.chainAllowed = [&](StringRef pipeline) {
      if (!unit.store)
        return false;
      if (!suiteRead) {
        suiteRead = true;
        if (auto origin = verify::defaultVerdictOrigin())
          suiteId = origin->suiteId;
        else
          choice.notes.push_back("the suite: " + toString(origin.takeError()));
      }
      if (!suiteId)
        return false;
      auto verdict = unit.store->findVerdict(pipeline, unit.target, *suiteId);
      if (!verdict) {
        choice.notes.push_back("store: " + toString(verdict.takeError()));
        return false;
      }
      return *verdict && (*verdict)->accepted;
    };
  std::vector<std::string> texts;
  for (const Proposal &proposal : proposals)
    texts.push_back(proposal.pipeline.text());
  Expected<tasks::FlagTuneResult> tuned = [&] {
    if (!model)
      return tasks::chooseAmongAnswers(unit.module, texts, options);
    options.alsoCompile = std::move(texts);
    double modelSeconds = 0;
    return tasks::tuneWithFlagModel(unit.module, *model, options, modelSeconds);
  }();
  if (!tuned) {
    choice.notes.push_back("evaluation: " + toString(tuned.takeError()));
    return false;
  }
  choice.ozSize = choice.size = tuned->ozSize;
  evaluations = tuned->compilations() + 1; // and -Oz
  for (const tasks::ModelCandidate &candidate : tuned->candidates)
    if (StringRef(candidate.problem).starts_with("rejected"))
      choice.notes.push_back(candidate.pipelineText() + " " + candidate.problem);
  if (!tuned->modelWon)
    return true;
  if (tuned->partPipelines) {
    // Only the model chooses for each part (the sources' lists are
    // compiled on the whole unit).
    choice.pipeline = tuned->partPipelines->text();
    choice.isOz = false;
    choice.size = tuned->binarySize;
    choice.how = "model";
    return true;
  }
  choice.pipeline = tuned->chosenPipeline.text();
  choice.isOz = false;
  choice.size = tuned->binarySize;
  // The model's lists and chains are the model's, even where a source
  // proposed the same list (broadcast re-proposes what the model found for
  // earlier units).
  choice.how = "model";
  const auto fromSource = llvm::find_if(proposals, [&](const Proposal &proposal) {
    return proposal.pipeline.text() == choice.pipeline;
  });
  if (fromSource == proposals.end())
    return true;
  // Asked only when a source's list won (a millisecond: features and choice).
  auto proposedByModel = [&] {
    for (const std::string &list : model->propose(unit.module, Options.modelCompilations)) {
      Expected<Pipeline> parsed = Pipeline::parse(list);
      if (parsed && parsed->text() == choice.pipeline)
        return true;
      if (!parsed)
        consumeError(parsed.takeError());
    }
    return false;
  };
  if (!model || !proposedByModel())
    choice.how = fromSource->source;
  return true;
}

bool PipelineChooser::chooseBySearch(const UnitContext &unit, search::CandidateEvaluator &evaluator,
                                     LazyVerifier &verifier, Choice &choice,
                                     uint64_t &evaluations) const {
  auto verify = verifier.get();
  if (!verify) {
    choice.notes.push_back("verification: " + toString(verify.takeError()));
    return false;
  }
  search::StrategyContext context = search::builtinContext();
  search::TuneOptions tuneOptions;
  tuneOptions.budget = *Options.budget;
  auto tuned = search::tune(evaluator, context, tuneOptions, *verify);
  if (!tuned) {
    choice.notes.push_back("search: " + toString(tuned.takeError()));
    return false;
  }
  evaluations += tuned->evaluations();
  if (!tuned->isOz && tuned->verified && tuned->binarySize < *choice.ozSize) {
    choice.pipeline = tuned->best.text();
    choice.isOz = false;
    choice.how = "search";
    choice.size = tuned->binarySize;
  }
  // The search's budget is spent either way: the store says so, and a
  // rebuild with the same budget is a lookup.
  recordLabel(unit, choice, "cc:" + choice.how, std::max(evaluations, *Options.budget), choice);
  return true;
}

} // namespace optlm::cc
