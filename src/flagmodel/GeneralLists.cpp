//===- GeneralLists.cpp - pass lists searched for many modules at once -----===//
#include "flagmodel/GeneralLists.h"

#include "flagmodel/FlagModel.h"
#include "ir/ModuleFacts.h"
#include "pipeline/Pipeline.h"
#include "search/PoolEvaluator.h"
#include "search/Tuner.h"
#include "store/ResultsStore.h"

#include "llvm/ADT/Hashing.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <memory>

using namespace llvm;

namespace optlm::flagmodel {

namespace {

/// Scores a pipeline on every module at once, as one "size" the autotuner
/// can minimize: the sum over modules of min(best so far, size / -Oz size),
/// in millionths. Where a pipeline fails on a module, that module keeps its
/// best so far (as -Oz backs up a failed list in `optlm tune`). Two
/// pipelines are one candidate when they give the same IR on every module.
class CoverEvaluator final : public search::CandidateEvaluator {
public:
  static constexpr double kScale = 1e6;

  CoverEvaluator(ResultsStore *store, Target target, unsigned jobs)
      : Store(store), EvaluationTarget(target), Jobs(jobs) {}

  /// Adds a module; false (and nothing added) when its -Oz fails.
  Expected<bool> add(LoadedModule loaded) {
    auto member = std::make_unique<Member>();
    member->loaded = std::move(loaded);
    const Module &module = *member->loaded.module;
    member->pool = std::make_unique<search::PoolEvaluator>(module, EvaluationTarget, Jobs);
    member->recording = std::make_unique<search::RecordingEvaluator>(
        *member->pool, Store, moduleHash(module), EvaluationTarget);
    auto oz = member->recording->evaluate({Pipeline::level(OptLevel::Oz)});
    if (!oz)
      return oz.takeError();
    const EvaluationResult &result = oz->front();
    if (result.outcome != Outcome::Ok || !result.measurement || result.measurement->binarySize == 0)
      return false;
    member->ozSize = result.measurement->binarySize;
    Members.push_back(std::move(member));
    Best.push_back(1.0);
    return true;
  }

  size_t modules() const { return Members.size(); }

  /// size / -Oz size of each pipeline on each module, rows of pipelines;
  /// kFailedScore where it failed. `hashes`, when given, gets one hash per
  /// pipeline of the IR it gives on every module.
  Expected<std::vector<std::vector<float>>> scores(ArrayRef<Pipeline> pipelines,
                                                   std::vector<uint64_t> *hashes = nullptr) {
    std::vector<std::vector<float>> table(pipelines.size(), std::vector<float>(Members.size()));
    if (hashes)
      hashes->assign(pipelines.size(), 0);
    for (size_t m = 0; m < Members.size(); ++m) {
      auto results = Members[m]->recording->evaluate(pipelines);
      if (!results)
        return results.takeError();
      for (size_t p = 0; p < pipelines.size(); ++p) {
        const EvaluationResult &result = (*results)[p];
        const bool ok = result.outcome == Outcome::Ok && result.measurement;
        table[p][m] =
            ok ? float(double(result.measurement->binarySize) / double(Members[m]->ozSize))
               : kFailedScore;
        if (hashes)
          (*hashes)[p] = hash_combine((*hashes)[p], ok ? result.measurement->irHash : 0);
      }
    }
    return table;
  }

  Expected<std::vector<EvaluationResult>> evaluate(ArrayRef<Pipeline> pipelines) override {
    std::vector<uint64_t> hashes;
    auto table = scores(pipelines, &hashes);
    if (!table)
      return table.takeError();
    std::vector<EvaluationResult> results(pipelines.size());
    for (size_t p = 0; p < pipelines.size(); ++p) {
      results[p].pipeline = pipelines[p].text();
      Measurement measurement;
      measurement.binarySize = std::llround(cover((*table)[p]) * kScale);
      measurement.irHash = hashes[p];
      results[p].measurement = measurement;
    }
    return results;
  }

  /// The sum over modules of min(best so far, score).
  double cover(ArrayRef<float> scores) const {
    double sum = 0;
    for (size_t m = 0; m < Members.size(); ++m)
      sum += std::min(Best[m], double(scores[m]));
    return sum;
  }

  /// The cover so far, as the mean reduction against -Oz in percent.
  double reductionPercent() const {
    double sum = 0;
    for (double best : Best)
      sum += best;
    return Best.empty() ? 0 : (1 - sum / double(Best.size())) * 100;
  }

  /// A list joins the cover: each module's best so far takes its score.
  void take(ArrayRef<float> scores) {
    for (size_t m = 0; m < Members.size(); ++m)
      Best[m] = std::min(Best[m], double(scores[m]));
  }

private:
  struct Member {
    LoadedModule loaded;
    std::unique_ptr<search::PoolEvaluator> pool;
    std::unique_ptr<search::RecordingEvaluator> recording;
    uint64_t ozSize = 0;
  };
  ResultsStore *Store;
  Target EvaluationTarget;
  unsigned Jobs;
  std::vector<std::unique_ptr<Member>> Members;
  std::vector<double> Best; ///< per module, -Oz backs up: at most 1
};

void say(const GeneralListOptions &options, const Twine &line) {
  if (options.progress)
    *options.progress << line << "\n";
}

} // namespace

Expected<std::vector<std::string>>
searchGeneralLists(const data::Corpus &corpus, ArrayRef<data::CorpusEntry> modules,
                   ResultsStore *store, const GeneralListOptions &options, uint64_t &skipped) {
  CoverEvaluator evaluator(store, options.target, options.jobs);
  for (const data::CorpusEntry &entry : modules) {
    auto prompted = corpus.loadAsPrompted(entry);
    if (!prompted) {
      consumeError(prompted.takeError());
      ++skipped;
      continue;
    }
    Expected<bool> added = evaluator.add(std::move(prompted->module));
    if (!added)
      return added.takeError();
    skipped += !*added;
  }
  if (evaluator.modules() == 0)
    return createStringError("no module to search general lists on");

  std::vector<search::PassSequence> seeds;
  for (const std::string &text : options.seedLists) {
    auto sequence = listSequence(text);
    if (!sequence)
      return sequence.takeError();
    seeds.push_back(std::move(*sequence));
  }

  std::vector<std::string> found;
  for (size_t round = 0; round < options.lists; ++round) {
    search::TuneOptions tuneOptions;
    tuneOptions.strategy = "evolve";
    tuneOptions.budget = options.evaluationsPerList;
    tuneOptions.seed = options.seed + round;
    tuneOptions.seeds = seeds;
    auto tuned = search::tune(evaluator, search::builtinContext(tuneOptions.seed), tuneOptions);
    if (!tuned)
      return tuned.takeError();
    const std::string text = tuned->best.text();
    if (tuned->isOz || is_contained(found, text)) {
      say(options, "general list " + Twine(round + 1) + ": nothing adds to the " +
                       Twine(found.size()) + " before it");
      break;
    }
    auto scores = evaluator.scores({tuned->best});
    if (!scores)
      return scores.takeError();
    evaluator.take(scores->front());
    found.push_back(text);
    say(options, "general list " + Twine(round + 1) + " of " + Twine(options.lists) + " (" +
                     Twine(tuned->evaluations()) + " evaluations on " + Twine(evaluator.modules()) +
                     " modules): the cover " +
                     formatv("{0:F2}", evaluator.reductionPercent()).str() + "% under -Oz; " +
                     text);
  }
  return found;
}

} // namespace optlm::flagmodel
