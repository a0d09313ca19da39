//===- FlagModelBench.cpp - the flag-tuning model on held-out packages ------===//
//
// Measures the model's library and the most frequent training labels on
// every held-out module of the corpus (the packages the training split left
// out, by the same seed and share), then scores the model and the baselines
// on that table (flagmodel/Comparison.h) against the autotuner's labels of
// the same modules, and prints a Markdown table. The model with its
// chains (pipelines made of its best proposals, flagmodel/Chains.h)
// compiles those per module, as `optlm tune` does. Also times the model
// itself (features and choice) per module.
//
//===----------------------------------------------------------------------===//
#include "flagmodel/Comparison.h"
#include "flagmodel/FlagModel.h"
#include "flagmodel/TrainingData.h"
#include "store/ResultsStore.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <numeric>

#include <nlohmann/json.hpp>

using namespace llvm;
using namespace optlm;
using namespace optlm::flagmodel;

static cl::OptionCategory BenchCategory("optlm-bench-flagmodel options");
static cl::opt<std::string> CorpusDir("corpus", cl::desc("Corpus"), cl::Required,
                                      cl::cat(BenchCategory));
static cl::list<std::string> LabelsDirs("labels",
                                        cl::desc("datagen --tasks flagtune output folders"),
                                        cl::OneOrMore, cl::CommaSeparated, cl::cat(BenchCategory));
static cl::opt<std::string> StorePath("store", cl::desc("Results store"), cl::init(""),
                                      cl::cat(BenchCategory));
static cl::opt<std::string> ModelPath("model", cl::desc("The trained model"), cl::Required,
                                      cl::cat(BenchCategory));
static cl::opt<std::string> TargetName("target", cl::init("x86_64"), cl::cat(BenchCategory));
static cl::opt<uint64_t> Seed("seed", cl::desc("The training run's seed"), cl::init(0),
                              cl::cat(BenchCategory));
static cl::opt<double> HeldOutShare("held-out-share", cl::init(0.2), cl::cat(BenchCategory));
static cl::opt<unsigned> Proposals("proposals", cl::init(10), cl::cat(BenchCategory));
static cl::opt<unsigned> Jobs("jobs", cl::init(0), cl::cat(BenchCategory));
static cl::opt<unsigned> MaxModules("max-modules", cl::desc("At most this many held-out modules"),
                                    cl::init(0), cl::cat(BenchCategory));

static cl::opt<std::string> PerModulePath(
    "per-module",
    cl::desc("Also write one JSON line per held-out module: its package, the "
             "autotuner's reduction, the best list's, the model's and with its chains"),
    cl::init(""), cl::cat(BenchCategory));

static cl::opt<std::string>
    ChainsOption("chains",
                 cl::desc("The chains to score the model with (flagmodel/Chains.h, e.g. "
                          "AB,BA/AB; default: the model's own)"),
                 cl::init(""), cl::cat(BenchCategory));

static int fail(const Twine &message) {
  errs() << "optlm-bench-flagmodel: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(BenchCategory);
  cl::ParseCommandLineOptions(argc, argv, "the flag-tuning model on held-out packages\n");
  auto target = parseTarget(TargetName);
  if (!target)
    return fail(toString(target.takeError()));
  auto model = FlagModel::load(ModelPath, *target);
  if (!model)
    return fail(toString(model.takeError()));
  auto corpus = data::Corpus::open(CorpusDir, false);
  if (!corpus)
    return fail(toString(corpus.takeError()));
  std::vector<std::string> labelFolders(LabelsDirs.begin(), LabelsDirs.end());
  auto labels = readLabels(labelFolders, *target);
  if (!labels)
    return fail(toString(labels.takeError()));
  std::unique_ptr<ResultsStore> store;
  if (!StorePath.empty()) {
    auto opened = ResultsStore::open(StorePath);
    if (!opened)
      return fail(toString(opened.takeError()));
    store = std::move(*opened);
  }

  // Held-out modules with a label; the training labels' frequencies.
  std::vector<data::CorpusEntry> heldOut;
  std::vector<Label> trainingLabels;
  StringSet<> heldOutGroups;
  for (const data::CorpusEntry &entry : corpus->entries()) {
    if (entry.triple != targetTriple(*target))
      continue;
    auto label = labels->find(entry.name);
    if (label == labels->end())
      continue;
    if (isHeldOut(splitGroup(entry), HeldOutShare, Seed)) {
      heldOut.push_back(entry);
      heldOutGroups.insert(splitGroup(entry));
    } else {
      trainingLabels.push_back(label->second);
    }
  }
  if (MaxModules && heldOut.size() > MaxModules)
    heldOut.resize(MaxModules);
  std::vector<std::string> mostFrequent = mostFrequentLabels(trainingLabels, Proposals);
  std::vector<std::string> lists = model->library;
  for (const std::string &list : mostFrequent)
    if (!is_contained(lists, list))
      lists.push_back(list);

  MeasureOptions measure;
  measure.target = *target;
  measure.jobs = Jobs;
  measure.progress = &errs();
  uint64_t skipped = 0;
  auto measured = measureModules(*corpus, heldOut, lists, store.get(), measure, skipped);
  if (!measured)
    return fail(toString(measured.takeError()));
  std::vector<double> labelReduction;
  double labelEvaluations = 0;
  for (const MeasuredModule &row : *measured) {
    const Label &label = labels->find(row.name)->second;
    labelReduction.push_back(label.reductionPercent());
    labelEvaluations += double(label.searchEvaluations) / double(measured->size());
  }

  // The model's own time per module: features and choice, no compilation.
  double modelSeconds = 0;
  for (const MeasuredModule &row : *measured) {
    const auto start = std::chrono::steady_clock::now();
    (void)model->propose(row.features, Proposals);
    modelSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  ComparisonInput input;
  input.model = &*model;
  input.modules = *measured;
  input.lists = lists;
  input.mostFrequent = mostFrequent;
  input.labelReductionPercent = labelReduction;
  input.proposals = Proposals;
  input.seed = Seed;
  std::vector<StrategyScore> rows = compareStrategies(input);

  ChainPlan chains = model->chains;
  if (ChainsOption.getNumOccurrences()) {
    auto plan = ChainPlan::parse(ChainsOption);
    if (!plan)
      return fail(toString(plan.takeError()));
    chains = std::move(*plan);
  }
  // Per module: the smallest score with chains and its pipeline.
  std::map<std::string, std::pair<float, std::string>> chainedBest;
  if (!chains.empty()) {
    // The same compilations spent as tune spends them: the first proposals,
    // then pipelines made of the best ones so far, measured per module.
    MeasureOptions quiet = measure;
    quiet.progress = nullptr;
    FlagModel planned = *model;
    planned.chains = chains;
    const size_t leading = planned.libraryListsFor(Proposals);
    const ChainPlan plan = planned.chainsFor(Proposals);
    StrategyScore row;
    row.name = ("model, " + Twine(leading) + " lists, then chains " + chains.text()).str();
    double reductionSum = 0, compilations = 0;
    for (const MeasuredModule &module : *measured) {
      const data::CorpusEntry &entry =
          *find_if(heldOut, [&](const data::CorpusEntry &e) { return e.name == module.name; });
      std::vector<std::pair<float, std::string>> tried;
      for (const std::string &pipeline : model->propose(module.features, leading))
        tried.push_back({module.scores[find(lists, pipeline) - lists.begin()], pipeline});
      auto ranked = [&] {
        std::vector<std::optional<float>> scores;
        for (const auto &[score, pipeline] : tried)
          scores.push_back(score < kFailedScore ? std::optional(score) : std::nullopt);
        std::vector<std::string> pipelines;
        for (size_t index : smallestFirst<float>(scores))
          pipelines.push_back(tried[index].second);
        return pipelines;
      };
      auto compile = [&](ArrayRef<std::string> pipelines) -> Error {
        uint64_t skippedHere = 0;
        auto again =
            measureModules(*corpus, ArrayRef(entry), pipelines, store.get(), quiet, skippedHere);
        if (!again)
          return again.takeError();
        for (const MeasuredModule &m : *again)
          for (size_t k = 0; k < pipelines.size(); ++k)
            tried.push_back({m.scores[k], pipelines[k]});
        return Error::success();
      };
      if (Error error = compileChains(plan, ranked, compile))
        return fail(toString(std::move(error)));
      compilations += tried.size();
      auto bestTried = std::min_element(tried.begin(), tried.end());
      float best = bestTried->first;
      chainedBest[module.name] = {best, bestTried->second};
      double reduction = reductionVsOzPercent(std::min(1.0f, best));
      reductionSum += reduction;
      row.reductionPercent += reduction / measured->size();
      row.reductionNoBackupPercent += reductionVsOzPercent(best) / measured->size();
      row.modulesImproved += best < 1.0f;
    }
    row.compilations = compilations / measured->size();
    double labelSum = 0;
    for (double value : labelReduction)
      labelSum += value;
    row.shareOfAutotuner = labelSum > 0 ? reductionSum / labelSum : 0;
    auto afterModelRows = std::find_if(rows.begin() + 1, rows.end(), [](const StrategyScore &r) {
      return !StringRef(r.name).starts_with("model, ");
    });
    rows.insert(afterModelRows, row);
  }

  if (!PerModulePath.empty()) {
    std::error_code error;
    raw_fd_ostream out(PerModulePath, error);
    if (error)
      return fail("cannot write " + PerModulePath + ": " + error.message());
    for (size_t i = 0; i < measured->size(); ++i) {
      const MeasuredModule &row = (*measured)[i];
      auto best = std::min_element(row.scores.begin(), row.scores.end());
      float chosenBest = 1.0f; // -Oz is the backup
      for (const std::string &pipeline : model->propose(row.features, Proposals))
        chosenBest = std::min(chosenBest, row.scores[find(lists, pipeline) - lists.begin()]);
      nlohmann::json line = {{"module", row.name},
                             {"package", row.group},
                             {"oz_size", row.ozSize},
                             {"autotuner_percent", labelReduction[i]},
                             {"best_list_percent", reductionVsOzPercent(std::min(1.0f, *best))},
                             {"best_list", lists[best - row.scores.begin()]},
                             {"model_percent", reductionVsOzPercent(chosenBest)}};
      if (auto chained = chainedBest.find(row.name); chained != chainedBest.end()) {
        line["chains_percent"] = reductionVsOzPercent(std::min(1.0f, chained->second.first));
        line["chains_best"] = chained->second.second;
      }
      out << line.dump() << "\n";
    }
  }

  double meanLabel = 0;
  for (double value : labelReduction)
    meanLabel += value / std::max<size_t>(1, labelReduction.size());
  outs() << "held-out: " << measured->size() << " modules of " << heldOutGroups.size()
         << " packages (" << skipped << " skipped), target " << targetTriple(*target)
         << "; model: " << model->library.size() << " lists, " << model->trainingModules()
         << " training modules, " << model->neighbours << " neighbours, prior share "
         << format("%.2f", model->priorShare) << "\n\n";
  outs() << "| choice | compilations | vs -Oz (with -Oz backup) | without backup | share of "
            "autotuner | improved |\n|---|---|---|---|---|---|\n";
  for (const StrategyScore &row : rows)
    outs() << "| " << row.name << " | " << format("%.1f", row.compilations) << " | "
           << format("%.2f%%", row.reductionPercent) << " | "
           << format("%.2f%%", row.reductionNoBackupPercent) << " | "
           << format("%.0f%%", 100 * row.shareOfAutotuner) << " | " << row.modulesImproved << "/"
           << measured->size() << " |\n";
  outs() << "| autotuner labels (evolve) | " << format("%.0f", labelEvaluations) << " | "
         << format("%.2f%%", meanLabel) << " | | 100% | |\n\n";
  outs() << "model time (features of a loaded module excluded, choice only): "
         << format("%.3f", 1000 * modelSeconds / std::max<size_t>(1, measured->size()))
         << " ms per module\n";
  return 0;
}
