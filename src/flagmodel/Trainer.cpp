//===- Trainer.cpp - the flag-tuning model from labels --------------------===//
#include "flagmodel/Trainer.h"

#include "flagmodel/GeneralLists.h"
#include "flagmodel/ListSelection.h"
#include "ir/ModuleFeatures.h"
#include "pipeline/PassVocabulary.h"
#include "pipeline/Pipeline.h"
#include "search/OzSequence.h"
#include "store/ResultsStore.h"
#include "support/AtomicFile.h"
#include "verify/PassListEval.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>

using namespace llvm;

namespace optlm::flagmodel {

namespace {

/// A seeded shuffle that does not depend on the standard library's
/// algorithm (std::shuffle's is unspecified): Fisher-Yates over mt19937_64.
template <typename T> void seededShuffle(std::vector<T> &items, uint64_t seed) {
  std::mt19937_64 engine(seed);
  for (size_t i = items.size(); i > 1; --i)
    std::swap(items[i - 1], items[engine() % i]);
}

unsigned foldOf(StringRef group, unsigned folds, uint64_t seed) {
  return unsigned(xxh3_64bits((std::to_string(seed) + "/fold/" + group).str()) % folds);
}

void say(raw_ostream *progress, const Twine &line) {
  if (progress)
    *progress << "train: " << line << "\n";
}

void say(const TrainOptions &options, const Twine &line) { say(options.progress, line); }

/// The results store at `path`, or none when no path is given.
Expected<std::unique_ptr<ResultsStore>> openStoreIfNamed(StringRef path) {
  if (path.empty())
    return std::unique_ptr<ResultsStore>();
  return ResultsStore::open(path);
}

/// PassListEval's verdict on one library list (canonical text).
Expected<verify::Verdict> checkList(verify::PassListEval &checker, StringRef list) {
  auto pipeline = Pipeline::parse(list);
  if (!pipeline)
    return pipeline.takeError();
  return checker.evaluate(*pipeline);
}

/// Notes in the model where its library was verified (suite and LLVM).
void recordVerifiedOn(FlagModel &model, const verify::PassListEval &checker) {
  const verify::VerdictOrigin origin = verify::verdictOrigin(checker.suite());
  model.verifiedSuite = origin.suiteId;
  model.verifiedLlvm = origin.llvmVersion;
}

/// PassListEval as the library needs it: accepted or rejected, each list
/// once per store.
Expected<std::unique_ptr<verify::PassListEval>> libraryChecker(Target target, unsigned jobs,
                                                               ResultsStore *store) {
  verify::PassListEvalOptions evalOptions;
  evalOptions.target = target;
  evalOptions.jobs = jobs;
  evalOptions.store = store;
  evalOptions.stopAtFirstFailure = true;
  return verify::PassListEval::create(std::move(evalOptions));
}

/// The library's checker when options ask for one (verifyLibrary), else none.
Expected<std::unique_ptr<verify::PassListEval>> checkerIfAsked(const TrainOptions &options,
                                                               ResultsStore *store) {
  if (!options.verifyLibrary)
    return std::unique_ptr<verify::PassListEval>();
  return libraryChecker(options.target, options.jobs, store);
}

/// Whether `list` may join a library of `librarySize` lists: accepted by
/// `checker` (none: not checked). A rejection is counted and said, naming
/// the list as `name`.
Expected<bool> passesForLibrary(verify::PassListEval *checker, StringRef list, const Twine &name,
                                size_t librarySize, const TrainOptions &options,
                                TrainReport &report) {
  if (!checker)
    return true;
  auto verdict = checkList(*checker, list);
  if (!verdict)
    return verdict.takeError();
  if (!verdict->accepted) {
    ++report.rejectedByVerification;
    say(options, "PassListEval rejects " + name + ": " + verdict->summary());
    return false;
  }
  say(options, "library list " + Twine(librarySize + 1) + " passes PassListEval");
  return true;
}

/// `indices` of `modules` (ascending), the labelled ones first, each kind in
/// a seeded order.
std::vector<size_t> labelledFirstOrder(const std::vector<data::CorpusEntry> &modules,
                                       ArrayRef<size_t> indices, const StringMap<Label> &labels,
                                       uint64_t seed) {
  std::vector<size_t> labelled, others;
  for (size_t i : indices)
    (labels.count(modules[i].name) ? labelled : others).push_back(i);
  seededShuffle(labelled, seed);
  seededShuffle(others, seed);
  labelled.insert(labelled.end(), others.begin(), others.end());
  return labelled;
}

/// The modules at `chosen`, in corpus order.
std::vector<data::CorpusEntry> modulesAt(const std::vector<data::CorpusEntry> &modules,
                                         std::vector<size_t> chosen) {
  llvm::sort(chosen);
  std::vector<data::CorpusEntry> sample;
  for (size_t i : chosen)
    sample.push_back(modules[i]);
  return sample;
}

/// At most `count` of `modules`: the labelled ones, then a seeded sample of
/// the others (the labelled ones too, sampled, if they alone are more), in
/// corpus order.
std::vector<data::CorpusEntry> labelledFirstSample(const std::vector<data::CorpusEntry> &modules,
                                                   const StringMap<Label> &labels, size_t count,
                                                   uint64_t seed) {
  std::vector<size_t> all(modules.size());
  std::iota(all.begin(), all.end(), 0);
  std::vector<size_t> chosen = labelledFirstOrder(modules, all, labels, seed);
  chosen.resize(std::min(count, chosen.size()));
  return modulesAt(modules, std::move(chosen));
}

/// `count` modules taken from the packages in turn (in a seeded order), one
/// from each package with any left per round; each package's in
/// labelledFirstOrder: a sample of every package where a plain one is
/// mostly its two or three largest.
std::vector<data::CorpusEntry> packageBalancedSample(const std::vector<data::CorpusEntry> &modules,
                                                     const StringMap<Label> &labels, size_t count,
                                                     uint64_t seed) {
  std::map<std::string, std::vector<size_t>> indicesOf; // by package, sorted
  for (size_t i = 0; i < modules.size(); ++i)
    indicesOf[modules[i].package].push_back(i);
  std::vector<std::vector<size_t>> queues;
  for (const auto &[package, indices] : indicesOf)
    queues.push_back(labelledFirstOrder(modules, indices, labels, seed));
  seededShuffle(queues, seed);
  std::vector<size_t> chosen;
  for (size_t depth = 0; chosen.size() < count; ++depth) {
    const size_t before = chosen.size();
    for (const std::vector<size_t> &queue : queues)
      if (depth < queue.size() && chosen.size() < count)
        chosen.push_back(queue[depth]);
    if (chosen.size() == before)
      break;
  }
  return modulesAt(modules, std::move(chosen));
}

/// A model of the options' target, compilations and chains, before its
/// library and rows.
FlagModel unfilledModel(const TrainOptions &options) {
  FlagModel model;
  model.target = options.target;
  model.proposals = options.proposals;
  model.chains = options.chains;
  return model;
}

/// The library: the greedy cover of the candidates on a seeded sample of
/// labelled modules, each list checked by PassListEval when asked for (and
/// where suite programs can run), until `librarySize` lists are accepted.
/// The model it returns has its library and where it was verified.
Expected<FlagModel> selectLibrary(const data::Corpus &corpus, ArrayRef<data::CorpusEntry> labelled,
                                  ArrayRef<std::string> candidates, ResultsStore *store,
                                  const MeasureOptions &measure, const TrainOptions &options,
                                  TrainReport &report) {
  std::vector<data::CorpusEntry> sample(labelled.begin(), labelled.end());
  seededShuffle(sample, options.seed);
  if (sample.size() > options.candidateModules)
    sample.resize(options.candidateModules);
  say(options, "measuring " + Twine(candidates.size()) + " candidates on " + Twine(sample.size()) +
                   " modules");
  auto sampled = measureModules(corpus, sample, candidates, store, measure, report.skippedModules);
  if (!sampled)
    return sampled.takeError();
  std::vector<float> sampleScores;
  for (const MeasuredModule &row : *sampled)
    sampleScores.insert(sampleScores.end(), row.scores.begin(), row.scores.end());
  const ScoreTable sampleTable{sampleScores, candidates.size()};
  std::vector<size_t> allSampleRows(sampled->size());
  std::iota(allSampleRows.begin(), allSampleRows.end(), 0);
  std::vector<size_t> order = greedyCover(sampleTable, allSampleRows, {}, candidates.size());

  auto passListEval = checkerIfAsked(options, store);
  if (!passListEval)
    return passListEval.takeError();
  FlagModel model = unfilledModel(options);
  for (size_t index : order) {
    if (model.library.size() == options.librarySize)
      break;
    Expected<bool> passes =
        passesForLibrary(passListEval->get(), candidates[index], "candidate " + Twine(index),
                         model.library.size(), options, report);
    if (!passes)
      return passes.takeError();
    if (*passes)
      model.library.push_back(candidates[index]);
  }
  if (*passListEval)
    recordVerifiedOn(model, **passListEval);
  return model;
}

/// verifyLibrary with verdicts cached in `store` (may be null).
Error verifyWholeLibrary(FlagModel &model, ResultsStore *store, unsigned jobs,
                         raw_ostream *progress) {
  auto checker = libraryChecker(model.target, jobs, store);
  if (!checker)
    return checker.takeError();
  for (size_t index = 0; index < model.library.size(); ++index) {
    auto verdict = checkList(**checker, model.library[index]);
    if (!verdict)
      return verdict.takeError();
    // The size table holds every list: a rejected one cannot just go.
    if (!verdict->accepted)
      return createStringError("library list %zu (%s) is rejected by PassListEval: %s", index + 1,
                               model.library[index].c_str(), verdict->summary().c_str());
    say(progress, "library list " + Twine(index + 1) + " of " + Twine(model.library.size()) +
                      " passes PassListEval" + (verdict->fromStore ? " (stored verdict)" : ""));
  }
  recordVerifiedOn(model, **checker);
  return Error::success();
}

/// The library of an existing model, with where it was verified; checked
/// again when options ask for verification and it was not verified on this
/// machine's suite with this LLVM.
Expected<FlagModel> libraryOf(const TrainOptions &options, ResultsStore *store) {
  auto source = FlagModel::load(options.libraryFrom, options.target);
  if (!source)
    return source.takeError();
  FlagModel model = unfilledModel(options);
  model.library = std::move(source->library);
  model.verifiedSuite = std::move(source->verifiedSuite);
  model.verifiedLlvm = std::move(source->verifiedLlvm);
  say(options, "library of " + Twine(model.library.size()) + " lists from " + options.libraryFrom);
  if (!options.verifyLibrary)
    return model;
  // Verdicts made on another suite or LLVM do not speak for this machine's,
  // on which any list added later is checked.
  auto here = verify::defaultVerdictOrigin();
  if (!here)
    return here.takeError();
  if (verify::VerdictOrigin{model.verifiedSuite, model.verifiedLlvm} != *here)
    if (Error error = verifyWholeLibrary(model, store, options.jobs, options.progress))
      return std::move(error);
  return model;
}

} // namespace

Error verifyLibrary(FlagModel &model, StringRef storePath, unsigned jobs, raw_ostream *progress) {
  auto store = openStoreIfNamed(storePath);
  if (!store)
    return store.takeError();
  return verifyWholeLibrary(model, store->get(), jobs, progress);
}

double crossValidate(const FlagModel &model, ArrayRef<unsigned> foldOfRow, unsigned neighbours,
                     float priorShare, unsigned proposals, ArrayRef<uint8_t> ozGrewRow) {
  const ScoreTable table{model.trainScores, model.library.size()};
  const size_t rows = model.trainingModules();
  if (rows == 0)
    return 0;
  const unsigned folds =
      foldOfRow.empty() ? 1 : *std::max_element(foldOfRow.begin(), foldOfRow.end()) + 1;
  // What a module of each fold may learn from: the other folds.
  std::vector<std::vector<size_t>> others(folds);
  for (unsigned fold = 0; fold < folds; ++fold)
    for (size_t row = 0; row < rows; ++row)
      if (foldOfRow[row] != fold)
        others[fold].push_back(row);
  // Without neighbours the choice is the same for a whole fold: the fixed set.
  const bool fixed = neighbours == 0 || priorShare >= 1;
  std::vector<std::vector<size_t>> fixedSets(folds);
  if (fixed)
    for (unsigned fold = 0; fold < folds; ++fold)
      fixedSets[fold] = greedyCover(table, others[fold], {}, proposals);
  // The inliner-free slot: each fold's list, and which lists inline.
  const bool slot = any_of(ozGrewRow, [](uint8_t grew) { return grew != 0; });
  std::vector<std::optional<size_t>> inlinerFree(folds);
  std::vector<bool> inlines;
  if (slot) {
    inlines = model.listsThatInline();
    for (unsigned fold = 0; fold < folds; ++fold)
      inlinerFree[fold] = model.inlinerFreeListIndex(others[fold], inlines);
  }
  double sum = 0;
  for (size_t row = 0; row < rows; ++row) {
    std::vector<size_t> chosen;
    if (fixed) {
      chosen = fixedSets[foldOfRow[row]];
    } else {
      ArrayRef<float> x(&model.trainFeatures[row * model.featureCount()], model.featureCount());
      std::vector<size_t> near = nearestRows(
          model, x, neighbours, [&](size_t other) { return foldOfRow[other] != foldOfRow[row]; });
      chosen = chooseLists(model, near, others[foldOfRow[row]], priorShare, proposals);
    }
    const std::optional<size_t> freeList = slot ? inlinerFree[foldOfRow[row]] : std::nullopt;
    if (freeList && ozGrewRow[row] && !chosen.empty() &&
        all_of(chosen, [&](size_t list) { return inlines[list]; }))
      chosen.back() = *freeList;
    const size_t one[] = {row};
    sum += meanBestScore(table, one, chosen);
  }
  return reductionVsOzPercent(sum / double(rows));
}

namespace {

/// The corpus's modules of the target, split by package, and the candidate
/// lists mined from the training split's labels.
struct TrainingSplit {
  std::vector<data::CorpusEntry> training, labelled;
  std::vector<std::string> candidates;
  StringMap<Label> labels;
};

Expected<TrainingSplit> splitAndMine(const data::Corpus &corpus, const TrainOptions &options,
                                     TrainReport &report) {
  auto labels = readLabels(options.labelSources, options.target);
  if (!labels)
    return labels.takeError();
  // Said so rather than as "nothing to learn" after the corpus was read.
  if (labels->empty() && options.libraryFrom.empty())
    return createStringError("the labels hold no flagtune record for %s (`optlm datagen --tasks "
                             "flagtune` writes them)",
                             targetTriple(options.target).str().c_str());
  // Labels of other builds name modules this corpus lacks: only their
  // lists serve, as candidates measured here like the rest. A pass list is
  // IR to IR, so another target's labels are read as well: their lists are
  // measured and verified on this target like any other. None may come
  // from a package this split holds out: a record that names its package
  // is judged by it (another target's build of a held-out package shares
  // no module name with this corpus), an older one by its module.
  StringMap<Label> foreign;
  if (!options.candidateLabelSources.empty()) {
    auto read = readLabels(options.candidateLabelSources, std::nullopt);
    if (!read)
      return read.takeError();
    foreign = std::move(*read);
  }
  TrainingSplit data;
  data.labels = std::move(*labels);
  std::vector<Label> trainingLabels;
  double labelReduction = 0;
  size_t labelsInCorpus = 0;
  for (const data::CorpusEntry &entry : corpus.entries()) {
    if (entry.triple != targetTriple(options.target))
      continue;
    labelsInCorpus += data.labels.count(entry.name);
    if (isHeldOut(splitGroup(entry), options.heldOutShare, options.seed)) {
      if (foreign.count(entry.name))
        return createStringError("candidate labels name held-out module %s (package %s): "
                                 "its lists would leak into the model",
                                 entry.name.c_str(), splitGroup(entry).c_str());
      ++report.heldOutModules;
      continue;
    }
    data.training.push_back(entry);
    auto label = data.labels.find(entry.name);
    if (label == data.labels.end())
      continue;
    data.labelled.push_back(entry);
    labelReduction += label->second.reductionPercent();
    trainingLabels.push_back(label->second);
  }
  report.trainingModules = data.training.size();
  report.unmatchedLabels = data.labels.size() - labelsInCorpus;
  if (report.unmatchedLabels)
    say(options, Twine(report.unmatchedLabels) + " of " + Twine(data.labels.size()) +
                     " label records name no module of the corpus (labels of another build "
                     "of it?); they are not used");
  report.labelledModules = data.labelled.size();
  report.labelReductionPercent = data.labelled.empty() ? 0 : labelReduction / data.labelled.size();

  std::vector<Label> foreignLabels;
  for (const auto &entry : foreign)
    foreignLabels.push_back(entry.getValue());
  llvm::sort(foreignLabels, [](const Label &a, const Label &b) { return a.module < b.module; });
  for (const Label &label : foreignLabels)
    if (!label.package.empty() && isHeldOut(label.package, options.heldOutShare, options.seed))
      return createStringError("candidate labels name module %s of held-out package %s: "
                               "its lists would leak into the model",
                               label.module.c_str(), label.package.c_str());

  // Labels need not be verified: the library's lists are, later, and
  // PassListEval is the labelling's most expensive step. After the labels
  // come the runners-up of every labelled module's search, in text order.
  std::vector<std::string> &candidates = data.candidates;
  candidates = mostFrequentLabels(trainingLabels, SIZE_MAX);
  for (std::string &list : mostFrequentLabels(foreignLabels, SIZE_MAX))
    if (!is_contained(candidates, list))
      candidates.push_back(std::move(list));
  std::set<std::string> runnersUp;
  for (ArrayRef<Label> labels : {ArrayRef<Label>(trainingLabels), ArrayRef<Label>(foreignLabels)})
    for (const Label &label : labels)
      for (size_t i = 0; i < label.runnersUp.size() && i < options.runnersUpPerModule; ++i)
        if (!is_contained(candidates, label.runnersUp[i]))
          runnersUp.insert(label.runnersUp[i]);
  const size_t mined = runnersUp.size();
  candidates.insert(candidates.end(), runnersUp.begin(), runnersUp.end());
  size_t ozVariants = 0;
  if (options.ozVariants) {
    const search::PassSequence oz =
        search::flatStandardSequence(OptLevel::Oz, PassVocabulary::builtin());
    std::vector<search::PassSequence> variants{oz};
    for (size_t left = 0; left < oz.size(); ++left) {
      variants.push_back(oz);
      variants.back().erase(variants.back().begin() + left);
    }
    for (const search::PassSequence &variant : variants) {
      std::string text = Pipeline::fromPasses(variant).text();
      if (!is_contained(candidates, text)) {
        candidates.push_back(std::move(text));
        ++ozVariants;
      }
    }
  }
  if (candidates.size() > options.maxCandidates)
    candidates.resize(options.maxCandidates);
  report.candidates = candidates.size();
  if (candidates.empty() && options.libraryFrom.empty())
    return createStringError("no label smaller than -Oz among the %zu labelled "
                             "training modules (%zu label records name no module of the "
                             "corpus): nothing to learn",
                             data.labelled.size(), report.unmatchedLabels);
  say(options,
      Twine(data.training.size()) + " training modules (" + Twine(data.labelled.size()) +
          " labelled, " + Twine(report.heldOutModules) + " held out), " + Twine(candidates.size()) +
          " candidate lists (" +
          (foreignLabels.empty() ? std::string()
                                 : std::to_string(foreignLabels.size()) + " candidate labels, ") +
          Twine(mined) + " runners-up" +
          (options.ozVariants ? ", " + Twine(ozVariants) + " -Oz variants)" : Twine(")")));
  return data;
}

/// The training rows, standardized by their own mean and spread, with the
/// cross-validation fold of each: folds of packages, so that a module never
/// learns from its own; with a single package there is nothing else to
/// learn from, and the folds are of modules (which flatters the score: say
/// so).
std::vector<unsigned> storeTrainingRows(FlagModel &model, ArrayRef<MeasuredModule> rows,
                                        const TrainOptions &options) {
  const size_t featureCount = moduleFeatureNames().size();
  model.featureMean.assign(featureCount, 0);
  model.featureScale.assign(featureCount, 0);
  model.featureWeight.assign(featureCount, 1);
  for (const MeasuredModule &row : rows)
    for (size_t f = 0; f < featureCount; ++f)
      model.featureMean[f] += row.features[f] / float(rows.size());
  for (const MeasuredModule &row : rows)
    for (size_t f = 0; f < featureCount; ++f) {
      const float d = row.features[f] - model.featureMean[f];
      model.featureScale[f] += d * d / float(rows.size());
    }
  for (float &scale : model.featureScale)
    scale = scale > 1e-12f ? 1.0f / std::sqrt(scale) : 0.0f;

  StringSet<> groups;
  for (const MeasuredModule &row : rows)
    groups.insert(row.group);
  const bool foldByModule = groups.size() < 2;
  if (foldByModule)
    say(options, "one package only: cross-validation folds are of modules, not packages");
  std::vector<unsigned> folds;
  for (const MeasuredModule &row : rows) {
    std::vector<float> standardized = model.standardize(row.features);
    model.trainFeatures.insert(model.trainFeatures.end(), standardized.begin(), standardized.end());
    model.trainScores.insert(model.trainScores.end(), row.scores.begin(), row.scores.end());
    folds.push_back(
        foldOf(foldByModule ? row.name : row.group, std::max(1u, options.folds), options.seed));
  }
  return folds;
}

/// The neighbour count and the prior's share, by cross-validation over the
/// folds; ties go to the earlier choice (less prior, fewer neighbours).
/// Every choice without neighbours (or with the whole prior) is the fixed
/// set, the same for each neighbour count: validated once.
void chooseByCrossValidation(FlagModel &model, ArrayRef<unsigned> folds,
                             ArrayRef<uint8_t> ozGrewRow, const TrainOptions &options,
                             TrainReport &report) {
  std::optional<double> fixedSetReduction;
  auto validate = [&](unsigned neighbours, float priorShare) {
    if (neighbours != 0 && priorShare < 1)
      return crossValidate(model, folds, neighbours, priorShare, model.libraryProposals(),
                           ozGrewRow);
    if (!fixedSetReduction)
      fixedSetReduction = crossValidate(model, folds, 0, 0, model.libraryProposals(), ozGrewRow);
    return *fixedSetReduction;
  };
  double best = -1e9;
  for (float priorShare : options.priorShareChoices)
    for (unsigned neighbours : options.neighbourChoices) {
      const double reduction = validate(neighbours, priorShare);
      report.crossValidation.push_back({neighbours, priorShare, reduction});
      say(options, "cross-validation: " + Twine(neighbours) + " neighbours, prior share " +
                       formatv("{0:F2}", priorShare).str() + ": " +
                       formatv("{0:F2}", reduction).str() + "% vs -Oz");
      if (reduction > best + 1e-9) {
        best = reduction;
        model.neighbours = neighbours;
        model.priorShare = priorShare;
      }
    }
  report.fixedSetReductionPercent = validate(0, 0);
}

/// The general-list searches on a package-balanced sample of the training
/// modules, starting from the first of `best` (TrainOptions::generalLists).
Expected<std::vector<std::string>>
generalListsFor(const data::Corpus &corpus, const TrainingSplit &data, ArrayRef<std::string> best,
                ResultsStore *store, const TrainOptions &options, TrainReport &report) {
  std::vector<data::CorpusEntry> sample =
      packageBalancedSample(data.training, data.labels, options.generalListModules, options.seed);
  GeneralListOptions search;
  search.target = options.target;
  search.lists = options.generalLists;
  search.evaluationsPerList = options.generalListEvaluations;
  search.seedLists.assign(best.begin(),
                          best.begin() + std::min(best.size(), options.generalListSeeds));
  search.seed = options.seed;
  search.jobs = options.jobs;
  search.progress = options.progress;
  say(options, "searching " + Twine(options.generalLists) + " general lists on " +
                   Twine(sample.size()) + " training modules, " +
                   Twine(options.generalListEvaluations) + " evaluations each");
  return searchGeneralLists(corpus, sample, store, search, report.skippedModules);
}

/// Appends the lists `model` lacks to its library, each checked by
/// PassListEval first when options ask for it (a rejected one is left out).
Error addToLibrary(FlagModel &model, ArrayRef<std::string> lists, ResultsStore *store,
                   const TrainOptions &options, TrainReport &report) {
  auto passListEval = checkerIfAsked(options, store);
  if (!passListEval)
    return passListEval.takeError();
  const size_t before = model.library.size();
  for (const std::string &list : lists) {
    if (is_contained(model.library, list))
      continue;
    Expected<bool> passes = passesForLibrary(passListEval->get(), list, "a general list",
                                             model.library.size(), options, report);
    if (!passes)
      return passes.takeError();
    if (*passes)
      model.library.push_back(list);
  }
  // Where the rest was verified no longer speaks for lists nobody checked.
  if (model.library.size() > before && !*passListEval) {
    model.verifiedSuite.clear();
    model.verifiedLlvm.clear();
  }
  return Error::success();
}

} // namespace

Expected<FlagModel> trainFlagModel(const TrainOptions &options, TrainReport &report) {
  if (!options.chains.leavesListsIn(options.proposals))
    return createStringError("the chains (%s) leave none of the %u compilations for the "
                             "library's lists",
                             options.chains.text().c_str(), options.proposals);
  auto corpus = data::Corpus::open(options.corpusDirectory, /*create=*/false);
  if (!corpus)
    return corpus.takeError();
  auto opened = openStoreIfNamed(options.storePath);
  if (!opened)
    return opened.takeError();
  std::unique_ptr<ResultsStore> store = std::move(*opened);
  auto data = splitAndMine(*corpus, options, report);
  if (!data)
    return data.takeError();

  MeasureOptions measure;
  measure.target = options.target;
  measure.jobs = options.jobs;
  measure.progress = options.progress;
  std::optional<FlagModel> withLibrary;
  if (!options.libraryFrom.empty()) {
    auto library = libraryOf(options, store.get());
    if (!library)
      return library.takeError();
    withLibrary = std::move(*library);
  }
  if (options.generalLists) {
    auto general =
        generalListsFor(*corpus, *data, withLibrary ? withLibrary->library : data->candidates,
                        store.get(), options, report);
    if (!general)
      return general.takeError();
    report.generalLists = *general;
    if (!withLibrary) {
      std::vector<std::string> candidates = *general;
      StringSet<> seen;
      for (const std::string &list : candidates)
        seen.insert(list);
      for (std::string &list : data->candidates)
        if (seen.insert(list).second)
          candidates.push_back(std::move(list));
      data->candidates = std::move(candidates);
    } else if (Error error = addToLibrary(*withLibrary, *general, store.get(), options, report))
      return std::move(error);
  }
  if (!withLibrary) {
    auto selected = selectLibrary(*corpus, data->labelled, data->candidates, store.get(), measure,
                                  options, report);
    if (!selected)
      return selected.takeError();
    withLibrary = std::move(*selected);
  }
  FlagModel model = std::move(*withLibrary);
  model.partRows = options.partRows;
  measure.parts = options.partRows;
  std::vector<data::CorpusEntry> &training = data->training;
  if (options.maxTrainingModules && training.size() > options.maxTrainingModules)
    training =
        options.balancePackages
            ? packageBalancedSample(training, data->labels, options.maxTrainingModules,
                                    options.seed)
            : labelledFirstSample(training, data->labels, options.maxTrainingModules, options.seed);
  say(options, "library of " + Twine(model.library.size()) + " lists; measuring it on " +
                   Twine(training.size()) + " training modules");

  // The size table of every training module (or part).
  auto rows =
      measureModules(*corpus, training, model.library, store.get(), measure, report.skippedModules);
  if (!rows)
    return rows.takeError();
  if (rows->empty())
    return createStringError("no training module could be measured");
  if (!options.sizeTablePath.empty())
    if (Error error = writeSizeTable(options.sizeTablePath, model.library, *rows))
      return std::move(error);
  std::vector<unsigned> folds = storeTrainingRows(model, *rows, options);
  std::vector<uint8_t> ozGrewRow;
  if (options.inlinerFreeSlot) {
    for (const MeasuredModule &row : *rows)
      ozGrewRow.push_back(ozGrewTheIR(row.inputInstructions, row.ozInstructions));
    say(options, "cross-validation with the inliner-free slot (-Oz grew the IR of " +
                     Twine(count(ozGrewRow, 1)) + " of " + Twine(rows->size()) + " rows)");
  }
  chooseByCrossValidation(model, folds, ozGrewRow, options, report);
  {
    const ScoreTable table{model.trainScores, model.library.size()};
    std::vector<size_t> allLists(model.library.size()), allRows(model.trainingModules());
    std::iota(allLists.begin(), allLists.end(), 0);
    std::iota(allRows.begin(), allRows.end(), 0);
    report.libraryCeilingPercent = reductionVsOzPercent(meanBestScore(table, allRows, allLists));
  }
  say(options, "fixed set of " + Twine(model.libraryProposals()) + ": " +
                   formatv("{0:F2}", report.fixedSetReductionPercent).str() +
                   "%; library ceiling " + formatv("{0:F2}", report.libraryCeilingPercent).str() +
                   "%; labels " + formatv("{0:F2}", report.labelReductionPercent).str() + "%");
  model.training =
      (Twine(model.trainingModules()) +
       (options.partRows ? " parts of " + Twine(training.size()) + " modules" : Twine(" modules")) +
       " of the training split (seed " + Twine(options.seed) + ", held-out share " +
       formatv("{0:F2}", options.heldOutShare).str() + ") of corpus '" +
       sys::path::filename(options.corpusDirectory) + "'" +
       (!model.verifiedSuite.empty() ? "; lists verified by PassListEval" : "; lists not verified"))
          .str();
  if (Error error = model.validate())
    return std::move(error);
  return model;
}

} // namespace optlm::flagmodel
