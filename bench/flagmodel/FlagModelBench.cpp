//===- FlagModelBench.cpp - the flag-tuning model on held-out packages ------===//
//
// Measures the model's library and the most frequent training labels on
// every held-out module of the corpus (the packages the training split left
// out, by the same seed and share), then scores the model and the baselines
// on that table (flagmodel/Comparison.h) against the autotuner's labels of
// the same modules, and prints a Markdown table. The model with its
// chains (pipelines made of its best proposals, flagmodel/Chains.h)
// compiles those per module, as `optlm tune` does. Also times the model
// itself (features and choice) per module. Every share comes with its
// interval under a package bootstrap; `--compare A.jsonl,B.jsonl` instead
// compares two models' --per-module files unit by unit.
//
//===----------------------------------------------------------------------===//
#include "engine/EvaluationPool.h"
#include "flagmodel/Comparison.h"
#include "flagmodel/FlagModel.h"
#include "flagmodel/TrainingData.h"
#include "search/Verification.h"
#include "store/ResultsStore.h"
#include "tasks/FlagTuner.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include <nlohmann/json.hpp>

using namespace llvm;
using namespace optlm;
using namespace optlm::flagmodel;

static cl::OptionCategory BenchCategory("optlm-bench-flagmodel options");
static cl::opt<std::string> CorpusDir("corpus", cl::desc("Corpus"), cl::init(""),
                                      cl::cat(BenchCategory));
static cl::list<std::string> LabelsDirs("labels",
                                        cl::desc("datagen --tasks flagtune output folders"),
                                        cl::CommaSeparated, cl::cat(BenchCategory));
static cl::opt<std::string> StorePath("store", cl::desc("Results store"), cl::init(""),
                                      cl::cat(BenchCategory));
static cl::opt<std::string> ModelPath("model", cl::desc("The trained model"), cl::init(""),
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

static cl::opt<std::string> SizeTablePath(
    "size-table",
    cl::desc("Also write the held-out units' size table (every list's size over -Oz's, "
             "features), as `optlm train --size-table` writes the training units'"),
    cl::init(""), cl::cat(BenchCategory));

static cl::opt<std::string>
    ChainsOption("chains",
                 cl::desc("The chains to score the model with (flagmodel/Chains.h, e.g. "
                          "AB,BA/AB; default: the model's own)"),
                 cl::init(""), cl::cat(BenchCategory));

static cl::opt<bool> PerPart(
    "per-part",
    cl::desc("Also score the model as `optlm tune` runs it, part by part where a module has "
             "separately compilable parts (ir/ModulePartitioner.h)"),
    cl::init(false), cl::cat(BenchCategory));

static cl::opt<unsigned> WholeUnitCandidates(
    "whole-unit-candidates",
    cl::desc("With --per-part: compilations spent on the whole unit before the parts "
             "(default: optlm tune's)"),
    cl::init(unsigned(tasks::FlagTuneOptions().wholeUnitCandidates)), cl::cat(BenchCategory));

static cl::opt<unsigned> MaxParts("max-parts",
                                  cl::desc("With --per-part: at most about this many parts a unit"),
                                  cl::init(unsigned(tasks::FlagTuneOptions().maxParts)),
                                  cl::cat(BenchCategory));

static cl::opt<unsigned> PartFirstLists(
    "part-first-lists",
    cl::desc("With --per-part: each part compiles this many proposals first and the model "
             "chooses the rest by what they gave (0: all at once; default: optlm tune's)"),
    cl::init(unsigned(tasks::FlagTuneOptions().partFirstLists)), cl::cat(BenchCategory));

static cl::opt<bool> ProbeParts(
    "probe-parts",
    cl::desc("With --per-part: the parts compile the whole unit's first proposal first, and "
             "where they lose to the whole unit under it the rest goes to the whole unit"),
    cl::init(tasks::FlagTuneOptions().probeParts), cl::cat(BenchCategory));

static cl::opt<bool> InlinerFreeSlot(
    "inliner-free-slot",
    cl::desc("With --per-part: where -Oz grows a unit's or part's IR and none of its lists is "
             "free of inliners, the model's inliner-free list takes the last chain's place"),
    cl::init(tasks::FlagTuneOptions().inlinerFreeSlot), cl::cat(BenchCategory));

static cl::opt<bool> PartChains(
    "part-chains",
    cl::desc("With --per-part: compile the model's chains (false: its next library lists in "
             "their place, as optlm cc does where its store holds no verdict for a chain)"),
    cl::init(true), cl::cat(BenchCategory));

static cl::opt<bool> VerifyProposals(
    "verify",
    cl::desc("With --per-part: check what wins as optlm tune does, with PassListEval (the "
             "model's verdicts shared into --store first, new ones cached there), so that a "
             "chain the suite rejects counts for nothing (=false: nothing verified)"),
    cl::init(true), cl::cat(BenchCategory));

static cl::opt<bool> LabelsMeasuredAgain(
    "labels-measured-again",
    cl::desc("Measure each held-out label's pipeline with this engine instead of taking the "
             "size its search recorded (labels searched by another engine: before the "
             "forty-seventh session the IR outliner matched branches)"),
    cl::init(false), cl::cat(BenchCategory));

static cl::list<std::string> CompareFiles(
    "compare",
    cl::desc("A.jsonl,B.jsonl: compare two models' --per-module files of the same held-out "
             "modules (with chains where measured), no measuring"),
    cl::CommaSeparated, cl::cat(BenchCategory));
static cl::opt<unsigned> Draws("bootstrap-draws",
                               cl::desc("Package bootstrap draws behind each interval"),
                               cl::init(2000), cl::cat(BenchCategory));

static int fail(const Twine &message) {
  errs() << "optlm-bench-flagmodel: " << message << "\n";
  return 1;
}

/// "[low-high]" in percent, the interval's level left to the header.
static std::string interval(const ShareInterval &value) {
  return formatv("{0:F0}-{1:F0}%", 100 * value.low, 100 * value.high).str();
}

/// Adds one module's best score (size / -Oz's, -Oz as backup) to a row
/// measured here rather than by compareStrategies.
static void addModuleScore(StrategyScore &row, float score, size_t modules, double &reductionSum) {
  double reduction = reductionVsOzPercent(std::min(1.0f, score));
  reductionSum += reduction;
  row.moduleReductionPercent.push_back(reduction);
  row.reductionPercent += reduction / modules;
  row.reductionNoBackupPercent += reductionVsOzPercent(score) / modules;
  row.modulesImproved += score < 1.0f;
}

/// The per-module means of such a row, once every module is in.
static void finishRow(StrategyScore &row, double compilations, double reductionSum,
                      ArrayRef<double> labelReduction) {
  double labelSum = 0;
  for (double value : labelReduction)
    labelSum += value;
  row.compilations = compilations / std::max<size_t>(1, labelReduction.size());
  row.shareOfAutotuner = labelSum > 0 ? reductionSum / labelSum : 0;
}

/// One line of a --per-module file: what --compare needs of it.
struct PerModuleLine {
  std::string package;
  double autotuner = 0, chosen = 0;
};

/// The row of a --per-module line that --compare reads: the model as
/// `optlm tune` runs it, part by part (files of --per-part runs), else with
/// its chains, else its lists alone (files of older runs).
static const char *chosenRow(const nlohmann::json &line) {
  for (const char *row : {"per_part_percent", "chains_percent"})
    if (line.contains(row))
      return row;
  return "model_percent";
}

static Expected<std::map<std::string, PerModuleLine>> readPerModule(StringRef path,
                                                                    std::string &row) {
  auto buffer = MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return createStringError(buffer.getError(), "cannot read %s", path.str().c_str());
  std::map<std::string, PerModuleLine> lines;
  SmallVector<StringRef> rows;
  (*buffer)->getBuffer().split(rows, '\n', -1, false);
  for (size_t i = 0; i < rows.size(); ++i) {
    auto json = nlohmann::json::parse(rows[i].begin(), rows[i].end(), nullptr, false);
    const char *chosen = chosenRow(json);
    if (!json.is_object() || !json.contains("module") || !json["module"].is_string() ||
        !json.contains("package") || !json["package"].is_string() ||
        !json.contains("autotuner_percent") || !json["autotuner_percent"].is_number() ||
        !json.contains(chosen) || !json[chosen].is_number())
      return createStringError(inconvertibleErrorCode(),
                               "%s:%zu: not a --per-module line of this benchmark",
                               path.str().c_str(), i + 1);
    if (i == 0)
      row = chosen;
    if (row != chosen)
      return createStringError(inconvertibleErrorCode(),
                               "%s:%zu: has %s where the first line has %s: lines of two runs",
                               path.str().c_str(), i + 1, chosen, row.c_str());
    lines[json["module"].get<std::string>()] = {json["package"].get<std::string>(),
                                                json["autotuner_percent"].get<double>(),
                                                std::max(0.0, json[chosen].get<double>())};
  }
  return lines;
}

/// --compare: both models' shares on the modules the two files share, and
/// the interval of their difference on the same package draws.
static int compareFiles() {
  if (CompareFiles.size() != 2)
    return fail("--compare takes two --per-module files, A.jsonl,B.jsonl");
  std::string firstRow, secondRow;
  auto first = readPerModule(CompareFiles[0], firstRow);
  if (!first)
    return fail(toString(first.takeError()));
  auto second = readPerModule(CompareFiles[1], secondRow);
  if (!second)
    return fail(toString(second.takeError()));
  std::vector<double> a, b, labels;
  std::vector<std::string> groups, modules;
  for (const auto &[module, line] : *first) {
    auto other = second->find(module);
    if (other == second->end())
      continue;
    modules.push_back(module);
    a.push_back(line.chosen);
    b.push_back(other->second.chosen);
    labels.push_back(line.autotuner);
    groups.push_back(line.package);
  }
  if (a.empty())
    return fail("the two files share no module");
  std::set<std::string> packages(groups.begin(), groups.end());
  BootstrapInput input;
  input.labelReductionPercent = labels;
  input.groups = groups;
  input.draws = Draws;
  input.seed = Seed;
  input.reductionPercent = a;
  const ShareInterval shareA = packageBootstrap(input);
  input.reductionPercent = b;
  const ShareInterval shareB = packageBootstrap(input);
  input.reductionPercent = a;
  input.subtractedReductionPercent = b;
  const ShareInterval difference = packageBootstrap(input);
  outs() << a.size() << " modules of " << packages.size() << " packages in both files ("
         << first->size() << " and " << second->size() << " in each)\n\n"
         << "| file | share of autotuner | 90% interval (packages drawn again) |\n|---|---|---|\n"
         << "| " << CompareFiles[0] << " | " << formatv("{0:F0}%", 100 * shareA.share) << " | "
         << interval(shareA) << " |\n"
         << "| " << CompareFiles[1] << " | " << formatv("{0:F0}%", 100 * shareB.share) << " | "
         << interval(shareB) << " |\n"
         << "| difference (first less second) | " << formatv("{0:F1}", 100 * difference.share)
         << " points | "
         << formatv("{0:F1} to {1:F1} points", 100 * difference.low, 100 * difference.high)
         << "; the first ahead in " << formatv("{0:F0}%", 100 * difference.aboveZero)
         << " of draws |\n";
  outs() << "\nrows compared: " << firstRow << " and " << secondRow
         << (firstRow == secondRow ? "" : " (not the same row: runs of different modes)") << "\n";
  // A few units whose -Oz output a list shrinks by half can make most of a
  // difference (docs/benchmarks.md, twenty-sixth session): name them.
  const double labelSum = std::accumulate(labels.begin(), labels.end(), 0.0);
  std::vector<size_t> order(a.size());
  std::iota(order.begin(), order.end(), 0);
  llvm::sort(order, [&](size_t x, size_t y) {
    const double dx = std::abs(a[x] - b[x]), dy = std::abs(a[y] - b[y]);
    return dx != dy ? dx > dy : modules[x] < modules[y];
  });
  order.resize(std::min<size_t>(order.size(), 5));
  outs() << "\n| unit | package | autotuner | first | second | points of the difference |\n"
         << "|---|---|---|---|---|---|\n";
  for (size_t i : order)
    outs() << "| " << modules[i] << " | " << groups[i] << " | "
           << formatv("{0:F2}% | {1:F2}% | {2:F2}% | ", labels[i], a[i], b[i])
           << formatv("{0:F1}", labelSum > 0 ? 100 * (a[i] - b[i]) / labelSum : 0.0) << " |\n";
  return 0;
}

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(BenchCategory);
  cl::ParseCommandLineOptions(argc, argv, "the flag-tuning model on held-out packages\n");
  if (!CompareFiles.empty())
    return compareFiles();
  if (ModelPath.empty() || CorpusDir.empty() || LabelsDirs.empty())
    return fail("--model, --corpus and --labels are needed (or --compare A.jsonl,B.jsonl)");
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
  if (!SizeTablePath.empty())
    if (Error error = writeSizeTable(SizeTablePath, lists, *measured))
      return fail(toString(std::move(error)));
  std::vector<double> labelReduction;
  double labelEvaluations = 0;
  for (const MeasuredModule &row : *measured) {
    const Label &label = labels->find(row.name)->second;
    labelEvaluations += double(label.searchEvaluations) / double(measured->size());
    if (!LabelsMeasuredAgain) {
      labelReduction.push_back(label.reductionPercent());
      continue;
    }
    // The label's list on the unit with this engine, against the -Oz the
    // table measured; a search falls back to -Oz, so never below it.
    const data::CorpusEntry &entry =
        *find_if(heldOut, [&](const data::CorpusEntry &e) { return e.name == row.name; });
    auto loaded = corpus->loadAsPrompted(entry);
    if (!loaded)
      return fail(toString(loaded.takeError()));
    auto pipeline = Pipeline::parse(label.pipeline);
    if (!pipeline)
      return fail(row.name + ": " + toString(pipeline.takeError()));
    EvaluationPoolOptions poolOptions;
    poolOptions.jobs = 1;
    EvaluationPool pool(*loaded->module.module, poolOptions);
    const EvaluationResult result = pool.evaluate({*pipeline}, *target).front();
    const uint64_t size = result.outcome == Outcome::Ok && result.measurement
                              ? std::min(result.measurement->binarySize, row.ozSize)
                              : row.ozSize;
    labelReduction.push_back(reductionVsOzPercent(size, row.ozSize));
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
  // The model as both rows below run it: --chains in place of its own.
  FlagModel asRun = *model;
  asRun.chains = chains;
  // Per module: the smallest score with chains and its pipeline.
  std::map<std::string, std::pair<float, std::string>> chainedBest;
  if (!chains.empty()) {
    // The same compilations spent as tune spends them on a whole unit: the
    // first proposals, then pipelines made of the best ones so far, and
    // beyond the model's own count the same again (FlagModel::stagesFor),
    // measured per module.
    MeasureOptions quiet = measure;
    quiet.progress = nullptr;
    const std::vector<CompilationStage> stages = asRun.stagesFor(Proposals, model->proposals);
    const size_t listsInAll = libraryListsIn(stages);
    StrategyScore row;
    row.name = "model";
    for (const CompilationStage &stage : stages) {
      row.name +=
          formatv("{0} {1} lists", &stage == &stages.front() ? "," : ", then", stage.lists).str();
      if (!stage.chains.empty())
        row.name += ", then chains " + stage.chains.text();
    }
    double reductionSum = 0, compilations = 0;
    for (const MeasuredModule &module : *measured) {
      const data::CorpusEntry &entry =
          *find_if(heldOut, [&](const data::CorpusEntry &e) { return e.name == module.name; });
      std::vector<std::pair<float, std::string>> tried;
      const std::vector<std::string> proposed = model->propose(module.features, listsInAll);
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
      ArrayRef<std::string> untried = proposed;
      for (const CompilationStage &stage : stages) {
        for (const std::string &pipeline : untried.take_front(stage.lists))
          tried.push_back({module.scores[find(lists, pipeline) - lists.begin()], pipeline});
        untried = untried.drop_front(std::min(stage.lists, untried.size()));
        if (Error error = compileChains(stage.chains, ranked, compile))
          return fail(toString(std::move(error)));
      }
      compilations += tried.size();
      auto bestTried = std::min_element(tried.begin(), tried.end());
      float best = bestTried->first;
      chainedBest[module.name] = {best, bestTried->second};
      addModuleScore(row, best, measured->size(), reductionSum);
    }
    finishRow(row, compilations, reductionSum, labelReduction);
    auto afterModelRows = std::find_if(rows.begin() + 1, rows.end(), [](const StrategyScore &r) {
      return !StringRef(r.name).starts_with("model, ");
    });
    rows.insert(afterModelRows, row);
  }

  // Per module: the score of `optlm tune` part by part (tasks/FlagTuner.h).
  std::map<std::string, float> perPartScore;
  if (PerPart) {
    StrategyScore row;
    row.name = formatv("model as `optlm tune` runs it: {0} on the whole unit, the rest on each of "
                       "at most about {1} parts",
                       unsigned(WholeUnitCandidates), unsigned(MaxParts))
                   .str();
    if (PartFirstLists)
      row.name += formatv(" ({0} first, the rest by what they gave)", unsigned(PartFirstLists));
    if (ProbeParts)
      row.name += ", the whole unit's first proposal tried on the parts first";
    if (!PartChains)
      row.name += ", no chains (the next library lists instead)";
    if (!VerifyProposals)
      row.name += ", not verified";
    if (ChainsOption.getNumOccurrences())
      row.name += ", chains " + (chains.empty() ? std::string("none") : chains.text());
    search::VerifyFunction verify;
    if (VerifyProposals) {
      if (store)
        if (Expected<size_t> shared = shareLibraryVerdicts(*model, *store); !shared)
          return fail(toString(shared.takeError()));
      search::VerificationSettings settings;
      settings.target = *target;
      settings.jobs = Jobs;
      auto verifier = search::makeVerifier(settings, store.get());
      if (!verifier)
        return fail(toString(verifier.takeError()));
      verify = std::move(*verifier);
    }
    double reductionSum = 0, compilations = 0;
    size_t partitioned = 0;
    for (const MeasuredModule &module : *measured) {
      const data::CorpusEntry &entry =
          *find_if(heldOut, [&](const data::CorpusEntry &e) { return e.name == module.name; });
      auto prompted = corpus->loadAsPrompted(entry);
      if (!prompted)
        return fail(toString(prompted.takeError()));
      tasks::FlagTuneOptions options;
      options.target = *target;
      options.candidates = Proposals;
      options.wholeUnitCandidates = WholeUnitCandidates;
      options.maxParts = MaxParts;
      options.partFirstLists = PartFirstLists;
      options.probeParts = ProbeParts;
      options.inlinerFreeSlot = InlinerFreeSlot;
      if (!PartChains)
        options.chainAllowed = [](StringRef) { return false; };
      options.jobs = Jobs;
      options.verify = verify;
      double seconds = 0;
      auto tuned = tasks::tuneWithFlagModel(*prompted->module.module, asRun, options, seconds);
      if (!tuned)
        return fail(module.name + ": " + toString(tuned.takeError()));
      partitioned += tuned->split;
      compilations += tuned->compilations();
      // The tune's own -Oz is the same compilation as the table's.
      float score =
          tuned->modelSize ? float(double(*tuned->modelSize) / double(tuned->ozSize)) : 1.0f;
      perPartScore[module.name] = score;
      addModuleScore(row, score, measured->size(), reductionSum);
      errs() << "tuned " << perPartScore.size() << "/" << measured->size() << " modules ("
             << (tuned->split ? tuned->functions.size() : 1) << " part(s))\n";
    }
    finishRow(row, compilations, reductionSum, labelReduction);
    errs() << partitioned << " of " << measured->size() << " modules tuned part by part\n";
    rows.push_back(row);
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
      if (auto parts = perPartScore.find(row.name); parts != perPartScore.end())
        line["per_part_percent"] = reductionVsOzPercent(std::min(1.0f, parts->second));
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
         << (model->partRows ? " training parts, " : " training modules, ") << model->neighbours
         << " neighbours, prior share " << format("%.2f", model->priorShare) << "\n\n";
  std::vector<std::string> groups;
  for (const MeasuredModule &row : *measured)
    groups.push_back(row.group);
  outs() << "| choice | compilations | vs -Oz (with -Oz backup) | without backup | share of "
            "autotuner | 90% interval (packages drawn again) | improved |\n"
            "|---|---|---|---|---|---|---|\n";
  for (const StrategyScore &row : rows) {
    BootstrapInput bootstrap;
    bootstrap.reductionPercent = row.moduleReductionPercent;
    bootstrap.labelReductionPercent = labelReduction;
    bootstrap.groups = groups;
    bootstrap.draws = Draws;
    bootstrap.seed = Seed;
    outs() << "| " << row.name << " | " << format("%.1f", row.compilations) << " | "
           << format("%.2f%%", row.reductionPercent) << " | "
           << format("%.2f%%", row.reductionNoBackupPercent) << " | "
           << format("%.0f%%", 100 * row.shareOfAutotuner) << " | "
           << interval(packageBootstrap(bootstrap)) << " | " << row.modulesImproved << "/"
           << measured->size() << " |\n";
  }
  outs() << "| autotuner labels (evolve) | " << format("%.0f", labelEvaluations) << " | "
         << format("%.2f%%", meanLabel) << " | | 100% | | |\n\n";
  outs() << "model time (features of a loaded module excluded, choice only): "
         << format("%.3f", 1000 * modelSeconds / std::max<size_t>(1, measured->size()))
         << " ms per module\n";
  return 0;
}
