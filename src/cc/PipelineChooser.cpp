//===- PipelineChooser.cpp - which pipeline a translation unit gets -------===//
#include "cc/PipelineChooser.h"

#include "cc/Settings.h"

#include "flagmodel/FlagModel.h"
#include "flagmodel/ShippedModel.h"

#include "pipeline/PassVocabulary.h"
#include "pipeline/Pipeline.h"
#include "search/Broadcast.h"
#include "search/OzSequence.h"
#include "search/PoolEvaluator.h"
#include "search/Tuner.h"
#include "search/Verification.h"
#include "store/ResultsStore.h"

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

namespace {

/// optlm's flag-tuning model, loaded on first use (a build that never
/// compiles for a target never reads its model).
class FlagModelSource final : public PipelineSource {
public:
  FlagModelSource(std::string path, unsigned lists) : Path(std::move(path)), Lists(lists) {}
  StringRef name() const override { return "model"; }
  Expected<std::vector<std::string>> propose(const UnitContext &unit) override {
    if (!Model || Model->target != unit.target) {
      Model.reset();
      std::optional<std::string> path =
          Path.empty() ? flagmodel::findShippedModel(unit.target) : std::optional(Path);
      if (!path)
        return std::vector<std::string>(); // none shipped for this target
      auto loaded = flagmodel::FlagModel::load(*path, unit.target);
      if (!loaded)
        return loaded.takeError();
      Model = std::move(*loaded);
      // The library's verdicts came with the model; a store that cannot
      // take them only costs the suite's runs later.
      if (unit.store)
        consumeError(flagmodel::shareLibraryVerdicts(*Model, *unit.store).takeError());
    }
    return Model->propose(unit.module, Lists);
  }

private:
  std::string Path;
  unsigned Lists;
  std::optional<flagmodel::FlagModel> Model;
};

} // namespace

std::unique_ptr<PipelineSource> makeFlagModelSource(std::string path, unsigned lists) {
  return std::make_unique<FlagModelSource>(std::move(path), lists);
}

std::unique_ptr<PipelineSource> makeBroadcastSource(unsigned k) {
  return std::make_unique<BroadcastSource>(k);
}

std::vector<std::unique_ptr<PipelineSource>> defaultPipelineSources(const Settings &settings) {
  std::vector<std::unique_ptr<PipelineSource>> sources;
  // optlm's own flag-tuning model first: its lists are the best guess for
  // a unit nobody has tuned yet.
  if (settings.model != "off" && settings.modelLists > 0)
    sources.push_back(makeFlagModelSource(settings.model, settings.modelLists));
  sources.push_back(makeBroadcastSource(settings.broadcastLists));
  return sources;
}

PipelineChooser::PipelineChooser(ChooserOptions options,
                                 std::vector<std::unique_ptr<PipelineSource>> sources)
    : Options(std::move(options)), Sources(std::move(sources)) {}

PipelineChooser::~PipelineChooser() = default;

Choice PipelineChooser::choose(const UnitContext &unit) {
  Choice choice;
  choice.pipeline = ozPipelineText();

  if (!Options.forcedPipeline.empty()) {
    Expected<Pipeline> forced = Pipeline::parse(Options.forcedPipeline);
    if (!forced) {
      choice.notes.push_back("OPTLM_CC_PIPELINE: " + toString(forced.takeError()));
      return choice;
    }
    choice.pipeline = forced->text();
    choice.isOz = choice.pipeline == ozPipelineText();
    choice.how = "forced";
    return choice;
  }

  // 1. The store's verified label for exactly this IR.
  std::optional<TunedResult> stored;
  if (unit.store) {
    auto found = unit.store->findTuned(unit.moduleHash, unit.target);
    if (!found)
      choice.notes.push_back("store: " + toString(found.takeError()));
    else if (*found && (*found)->verified)
      stored = **found;
  }
  if (stored && (!Options.budget || stored->evaluations >= *Options.budget)) {
    choice.pipeline = stored->pipeline;
    choice.isOz = stored->pipeline == ozPipelineText();
    choice.how = "store";
    choice.size = stored->binarySize;
    choice.ozSize = stored->ozBinarySize;
    return choice;
  }

  // 2. Candidates from the sources, measured against -Oz in the sandbox.
  std::vector<std::pair<std::string, std::string>> proposals; // (source, canonical text)
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
        proposals.emplace_back(source->name().str(), pipeline->text());
    }
  }
  if (proposals.empty() && !Options.budget)
    return choice; // nothing to measure: -Oz, unmeasured

  search::PoolEvaluator pool(unit.module, unit.target, Options.jobs, unit.relocation);
  search::RecordingEvaluator evaluator(pool, unit.store, unit.moduleHash, unit.target);
  std::vector<Pipeline> batch = {Pipeline::level(OptLevel::Oz)};
  for (const auto &proposal : proposals)
    batch.push_back(cantFail(Pipeline::parse(proposal.second)));
  auto results = evaluator.evaluate(batch);
  if (!results) {
    choice.notes.push_back("evaluation: " + toString(results.takeError()));
    return choice;
  }
  const EvaluationResult &oz = (*results)[0];
  if (oz.outcome != Outcome::Ok || !oz.measurement) {
    choice.notes.push_back("-Oz did not evaluate (" + outcomeName(oz.outcome).str() +
                           "): " + oz.message);
    return choice;
  }
  choice.ozSize = choice.size = oz.measurement->binarySize;
  uint64_t evaluations = batch.size();

  // Smallest first; verified one by one until one passes.
  std::vector<size_t> smaller;
  for (size_t index = 1; index < results->size(); ++index) {
    const EvaluationResult &result = (*results)[index];
    if (result.outcome == Outcome::Ok && result.measurement &&
        result.measurement->binarySize < *choice.ozSize)
      smaller.push_back(index);
  }
  // Ties keep the sources' order.
  std::sort(smaller.begin(), smaller.end(), [&](size_t a, size_t b) {
    return std::make_pair((*results)[a].measurement->binarySize, a) <
           std::make_pair((*results)[b].measurement->binarySize, b);
  });
  search::VerifyFunction verify;
  auto makeVerify = [&]() -> bool {
    if (verify)
      return true;
    if (Options.verifier) {
      verify = [check = Options.verifier](const Pipeline &pipeline)
          -> Expected<search::Verdict> {
        Expected<bool> accepted = check(pipeline);
        if (!accepted)
          return accepted.takeError();
        return search::Verdict{*accepted, *accepted ? "" : "rejected by the verifier"};
      };
      return true;
    }
    search::VerificationSettings settings;
    settings.passListEval = true;
    settings.target = unit.target;
    settings.jobs = Options.jobs;
    auto made = search::makeVerifier(settings, unit.store);
    if (!made) {
      choice.notes.push_back("verification: " + toString(made.takeError()));
      return false;
    }
    verify = std::move(*made);
    return true;
  };
  for (size_t index : smaller) {
    if (!makeVerify())
      break;
    const Pipeline &candidate = batch[index];
    auto verdict = verify(candidate);
    if (!verdict) {
      choice.notes.push_back("verification: " + toString(verdict.takeError()));
      break;
    }
    if (!verdict->accepted) {
      choice.notes.push_back(proposals[index - 1].second + " rejected: " + verdict->reason);
      continue;
    }
    choice.pipeline = candidate.text();
    choice.isOz = false;
    choice.how = proposals[index - 1].first;
    choice.size = (*results)[index].measurement->binarySize;
    break;
  }

  // 3. A search, when asked for and nothing known beats -Oz.
  if (choice.isOz && Options.budget && makeVerify()) {
    search::StrategyContext context;
    context.searchSpace = PassVocabulary::builtin().searchSpace();
    context.ozSequence = search::flatStandardSequence(OptLevel::Oz, PassVocabulary::builtin());
    search::TuneOptions tuneOptions;
    tuneOptions.budget = *Options.budget;
    auto tuned = search::tune(evaluator, context, tuneOptions, verify);
    if (!tuned) {
      choice.notes.push_back("search: " + toString(tuned.takeError()));
    } else {
      evaluations += tuned->evaluations();
      if (!tuned->isOz && tuned->verified && tuned->binarySize < *choice.ozSize) {
        choice.pipeline = tuned->best.text();
        choice.isOz = false;
        choice.how = "search";
        choice.size = tuned->binarySize;
      }
      // The search's budget is spent either way: the store says so, and a
      // rebuild with the same budget is a lookup.
      recordLabel(unit, choice, "cc:" + choice.how, std::max(evaluations, *Options.budget),
                  choice);
      return choice;
    }
  }
  recordLabel(unit, choice, "cc:" + choice.how, evaluations, choice);
  return choice;
}

} // namespace optlm::cc
