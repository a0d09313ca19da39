//===- FlagModel.cpp - optlm's own flag-tuning model ----------------------===//
#include "flagmodel/FlagModel.h"

#include "flagmodel/ListSelection.h"
#include "ir/ModuleFeatures.h"
#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/GGUFWriter.h"
#include "pipeline/PassVocabulary.h"
#include "pipeline/Pipeline.h"
#include "verify/PassListEval.h"

#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace llvm;

namespace optlm::flagmodel {

namespace {

std::string key(StringRef name) { return (kArchitecture + "." + name).str(); }

Expected<std::vector<float>> tensorValues(const lm::GGUFFile &file, StringRef name,
                                          size_t expectedCount) {
  const lm::GGUFTensor *tensor = file.findTensor(name);
  if (!tensor)
    return createStringError("no tensor '%s'", name.str().c_str());
  if (tensor->type != lm::TensorType::F32)
    return createStringError("tensor '%s' is not F32", name.str().c_str());
  if (uint64_t(tensor->elementCount) != expectedCount)
    return createStringError("tensor '%s' holds %lld values, expected %zu", name.str().c_str(),
                             (long long)tensor->elementCount, expectedCount);
  std::vector<float> values(expectedCount);
  std::memcpy(values.data(), tensor->data, expectedCount * sizeof(float));
  return values;
}

Expected<FlagModel> readModel(const lm::GGUFFile &file, Target target) {
  auto architecture = file.getString("general.architecture");
  if (!architecture)
    return architecture.takeError();
  if (*architecture != kArchitecture)
    return createStringError("not an optlm flag-tuning model (architecture '%s', expected '%s')",
                             architecture->str().c_str(), kArchitecture.data());
  auto triple = file.getString(key("target"));
  if (!triple)
    return triple.takeError();
  if (*triple != targetTriple(target))
    return createStringError("made for target '%s', not '%s'", triple->str().c_str(),
                             targetTriple(target).str().c_str());
  auto features = file.getString(key("features"));
  if (!features)
    return features.takeError();
  if (*features != moduleFeaturesVersion())
    return createStringError("made with features '%s'; this optlm computes '%s'",
                             features->str().c_str(), moduleFeaturesVersion().str().c_str());
  auto vocabulary = file.getString(key("pass_vocabulary"));
  if (!vocabulary)
    return vocabulary.takeError();
  if (*vocabulary != passVocabularyTag())
    return createStringError("made for pass vocabulary %s; this optlm has %s",
                             vocabulary->str().c_str(), passVocabularyTag().c_str());

  FlagModel model;
  model.target = target;
  auto library = file.getStringArray(key("library"));
  if (!library)
    return library.takeError();
  model.library = std::move(*library);
  auto neighbours = file.getU32(key("neighbours"));
  if (!neighbours)
    return neighbours.takeError();
  model.neighbours = *neighbours;
  model.priorShare = file.f32Or(key("prior_share")).value_or(0.0f);
  const StringRef rowKind = file.stringOr(key("rows")).value_or("units");
  if (rowKind != "units" && rowKind != "parts")
    return createStringError("unknown kind of training rows '%s' (known: units, parts)",
                             rowKind.str().c_str());
  model.partRows = rowKind == "parts";
  auto proposals = file.getU32(key("proposals"));
  if (!proposals)
    return proposals.takeError();
  model.proposals = *proposals;
  auto chains = ChainPlan::parse(file.stringOr(key("chains")).value_or(""));
  if (!chains)
    return chains.takeError();
  model.chains = std::move(*chains);
  model.training = file.stringOr(key("training")).value_or("").str();
  model.verifiedSuite = file.stringOr(key("verified_suite")).value_or("").str();
  model.verifiedLlvm = file.stringOr(key("verified_llvm")).value_or("").str();

  const size_t featureCount = moduleFeatureNames().size();
  const lm::GGUFTensor *rows = file.findTensor("train_features");
  if (!rows)
    return createStringError("no tensor 'train_features'");
  if (rows->rowLength() != int64_t(featureCount))
    return createStringError("train_features rows hold %lld features, expected %zu",
                             (long long)rows->rowLength(), featureCount);
  const size_t rowCount = size_t(rows->rowCount());
  for (auto [name, target] : {std::pair{"feature_mean", &model.featureMean},
                              std::pair{"feature_scale", &model.featureScale},
                              std::pair{"feature_weight", &model.featureWeight}}) {
    auto values = tensorValues(file, name, featureCount);
    if (!values)
      return values.takeError();
    *target = std::move(*values);
  }
  auto trainFeatures = tensorValues(file, "train_features", rowCount * featureCount);
  if (!trainFeatures)
    return trainFeatures.takeError();
  model.trainFeatures = std::move(*trainFeatures);
  auto trainScores = tensorValues(file, "train_scores", rowCount * model.library.size());
  if (!trainScores)
    return trainScores.takeError();
  model.trainScores = std::move(*trainScores);
  if (Error error = model.validate())
    return std::move(error);
  return model;
}

} // namespace

std::string passVocabularyTag() {
  std::string names;
  for (const PassInfo &pass : PassVocabulary::builtin().passes())
    names += pass.name + ":" + passLevelName(pass.level).str() + "\n";
  char text[24];
  snprintf(text, sizeof text, "%016llx", (unsigned long long)xxh3_64bits(names));
  return text;
}

Error FlagModel::validate() const {
  const size_t features = moduleFeatureNames().size();
  if (featureMean.size() != features || featureScale.size() != features ||
      featureWeight.size() != features)
    return createStringError("the model has %zu features, this optlm computes %zu",
                             featureMean.size(), features);
  if (library.empty())
    return createStringError("the model's library of pass lists is empty");
  if (trainFeatures.size() % features != 0 || trainingModules() == 0)
    return createStringError("the model has no training modules");
  if (trainScores.size() != trainingModules() * library.size())
    return createStringError("the model's score table does not match its library");
  if (neighbours == 0 || proposals == 0)
    return createStringError("the model's neighbour and proposal counts must be positive");
  if (!chains.leavesListsIn(proposals))
    return createStringError("the model's chains (%s) leave no compilation for its own lists",
                             chains.text().c_str());
  if (!(priorShare >= 0 && priorShare <= 1))
    return createStringError("the model's prior share must be between 0 and 1");
  auto finite = [](ArrayRef<float> values) {
    return std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); });
  };
  if (!finite(featureMean) || !finite(featureScale) || !finite(featureWeight) ||
      !finite(trainFeatures) || !finite(trainScores))
    return createStringError("the model holds values that are not finite numbers");
  for (const std::string &text : library) {
    auto pipeline = Pipeline::parse(text);
    if (!pipeline)
      return createStringError("its library list '%s' does not parse: %s", text.c_str(),
                               toString(pipeline.takeError()).c_str());
    if (pipeline->text() != text)
      return createStringError("its library list '%s' is not in canonical form", text.c_str());
  }
  return Error::success();
}

Expected<FlagModel> FlagModel::load(StringRef path, Target target) {
  auto file = lm::GGUFFile::open(path);
  if (!file)
    return file.takeError(); // it names the file
  auto model = readModel(**file, target);
  if (!model)
    return createStringError("%s: %s", path.str().c_str(), toString(model.takeError()).c_str());
  return model;
}

Error FlagModel::save(StringRef path) const {
  if (Error error = validate())
    return error;
  lm::GGUFWriter writer;
  writer.set("general.architecture", StringRef(kArchitecture));
  writer.set("general.name", "optlm flag-tuning ranker");
  writer.set(key("target"), targetTriple(target));
  writer.set(key("features"), moduleFeaturesVersion());
  writer.set(key("feature_names"),
             lm::GGUFValue::array(lm::GGUFValueType::String, moduleFeatureNames().vec()));
  writer.set(key("pass_vocabulary"), passVocabularyTag());
  writer.set(key("library"), lm::GGUFValue::array(lm::GGUFValueType::String, library));
  writer.set(key("neighbours"), uint32_t(neighbours));
  writer.set(key("prior_share"), priorShare);
  if (partRows)
    writer.set(key("rows"), "parts");
  writer.set(key("proposals"), uint32_t(proposals));
  if (!chains.empty())
    writer.set(key("chains"), chains.text());
  writer.set(key("training"), training);
  if (!verifiedSuite.empty()) {
    writer.set(key("verified_suite"), verifiedSuite);
    writer.set(key("verified_llvm"), verifiedLlvm);
  }
  const int64_t features = int64_t(featureCount());
  const int64_t rows = int64_t(trainingModules());
  for (auto [name, values] :
       {std::pair{"feature_mean", &featureMean}, std::pair{"feature_scale", &featureScale},
        std::pair{"feature_weight", &featureWeight}})
    if (Error error =
            writer.addTensor(name, lm::TensorType::F32, {features}, ArrayRef<float>(*values)))
      return error;
  if (Error error = writer.addTensor("train_features", lm::TensorType::F32, {features, rows},
                                     ArrayRef<float>(trainFeatures)))
    return error;
  if (Error error = writer.addTensor("train_scores", lm::TensorType::F32,
                                     {int64_t(library.size()), rows}, ArrayRef<float>(trainScores)))
    return error;
  return writer.writeFile(path);
}

Expected<size_t> shareLibraryVerdicts(const FlagModel &model, ResultsStore &store) {
  return verify::recordAcceptedVerdicts(store, model.target, model.library,
                                        {model.verifiedSuite, model.verifiedLlvm});
}

std::vector<CompilationStage> FlagModel::stagesFor(size_t compilations, size_t usual) const {
  auto stage = [&](size_t budget) {
    return CompilationStage{libraryListsFor(budget), chainsFor(budget)};
  };
  if (compilations <= usual || usual == 0)
    return {stage(compilations)};
  return {stage(usual), stage(compilations - usual)};
}

std::vector<float> FlagModel::standardize(ArrayRef<float> features) const {
  std::vector<float> result(featureCount());
  for (size_t f = 0; f < result.size(); ++f)
    result[f] = (features[f] - featureMean[f]) * featureScale[f];
  return result;
}

/// The rows of the `count` smallest (distance, row) pairs, nearest first
/// (ties by row index).
static std::vector<size_t> closestRows(std::vector<std::pair<float, size_t>> distances,
                                       size_t count) {
  count = std::min(count, distances.size());
  std::partial_sort(distances.begin(), distances.begin() + count, distances.end());
  std::vector<size_t> rows;
  for (size_t i = 0; i < count; ++i)
    rows.push_back(distances[i].second);
  return rows;
}

std::vector<size_t> nearestRows(const FlagModel &model, ArrayRef<float> standardized, size_t count,
                                function_ref<bool(size_t)> allowed) {
  const size_t features = model.featureCount();
  std::vector<std::pair<float, size_t>> distances; // (distance, row): ties by index
  for (size_t row = 0; row < model.trainingModules(); ++row) {
    if (allowed && !allowed(row))
      continue;
    const float *x = &model.trainFeatures[row * features];
    float sum = 0;
    for (size_t f = 0; f < features; ++f) {
      const float d = standardized[f] - x[f];
      sum += model.featureWeight[f] * d * d;
    }
    distances.push_back({sum, row});
  }
  return closestRows(std::move(distances), count);
}

std::vector<size_t> followUpLists(const FlagModel &model, ArrayRef<size_t> tried,
                                  ArrayRef<float> observed, size_t neighbours, size_t count) {
  const ScoreTable table{model.trainScores, model.library.size()};
  std::vector<std::pair<float, size_t>> distances; // (distance, row): ties by index
  for (size_t row = 0; row < model.trainingModules(); ++row) {
    float sum = 0;
    for (size_t i = 0; i < tried.size(); ++i) {
      // Beyond -Oz's size only "worse" matters, not how much.
      const float d = std::min(1.05f, observed[i]) - std::min(1.05f, table.at(row, tried[i]));
      sum += d * d;
    }
    distances.push_back({sum, row});
  }
  return greedyCover(table, closestRows(std::move(distances), neighbours), {}, count, tried);
}

std::vector<size_t> chooseLists(const FlagModel &model, ArrayRef<size_t> near,
                                ArrayRef<size_t> priorRows, float priorShare, size_t count) {
  const ScoreTable table{model.trainScores, model.library.size()};
  if (priorShare <= 0 || priorRows.empty())
    return greedyCover(table, near, {}, count);
  std::vector<float> weight(model.trainingModules(), 0.0f);
  for (size_t row : priorRows)
    weight[row] += priorShare / float(priorRows.size());
  for (size_t row : near)
    weight[row] += (1 - priorShare) / float(near.size());
  std::vector<size_t> rows;
  std::vector<float> weights;
  for (size_t row = 0; row < weight.size(); ++row)
    if (weight[row] > 0) {
      rows.push_back(row);
      weights.push_back(weight[row]);
    }
  return greedyCover(table, rows, weights, count);
}

std::vector<std::string> FlagModel::propose(ArrayRef<float> features, size_t count) const {
  const std::vector<size_t> near = nearestRows(*this, standardize(features), neighbours);
  // The prior's rows are every training module; without a prior, none.
  std::vector<size_t> all(priorShare > 0 ? trainingModules() : 0);
  std::iota(all.begin(), all.end(), 0);
  std::vector<std::string> result;
  for (size_t list : chooseLists(*this, near, all, priorShare, count))
    result.push_back(library[list]);
  return result;
}

std::vector<std::string> FlagModel::propose(const Module &module, size_t count) const {
  return propose(moduleFeatures(module), count);
}

std::optional<std::string> FlagModel::inlinerFreeList() const {
  std::vector<size_t> rows(trainingModules());
  std::iota(rows.begin(), rows.end(), 0);
  if (std::optional<size_t> best = inlinerFreeListIndex(rows, listsThatInline()))
    return library[*best];
  return std::nullopt;
}

std::optional<size_t> FlagModel::inlinerFreeListIndex(ArrayRef<size_t> rows,
                                                      const std::vector<bool> &inlines) const {
  const ScoreTable table{trainScores, library.size()};
  std::optional<size_t> best;
  double bestMean = 0;
  for (size_t list = 0; list < library.size(); ++list) {
    if (inlines[list])
      continue;
    const size_t one[] = {list};
    const double mean = meanBestScore(table, rows, one);
    if (!best || mean < bestMean) {
      best = list;
      bestMean = mean;
    }
  }
  return best;
}

std::vector<bool> FlagModel::listsThatInline() const {
  std::vector<bool> inlines(library.size());
  for (size_t list = 0; list < library.size(); ++list)
    inlines[list] = runsInliner(library[list]);
  return inlines;
}

bool runsInliner(StringRef pipeline) {
  auto parsed = Pipeline::parse(pipeline);
  if (!parsed) {
    consumeError(parsed.takeError());
    return true;
  }
  return any_of(parsed->passNames(), [](StringRef name) { return name.contains("inline"); });
}

bool wantsInlinerFreeList(uint64_t inputInstructions, uint64_t ozInstructions,
                          ArrayRef<std::string> compiled) {
  return ozGrewTheIR(inputInstructions, ozInstructions) &&
         all_of(compiled, [](const std::string &pipeline) { return runsInliner(pipeline); });
}

Expected<std::vector<std::vector<const PassInfo *>>> proposalSequences(const FlagModel &model,
                                                                       const Module &module) {
  std::vector<std::vector<const PassInfo *>> sequences;
  for (const std::string &text : model.propose(module, model.proposals)) {
    auto passes = listSequence(text);
    if (!passes)
      return passes.takeError();
    sequences.push_back(std::move(*passes));
  }
  return sequences;
}

Expected<std::vector<const PassInfo *>> listSequence(StringRef list) {
  auto pipeline = Pipeline::parse(list);
  if (!pipeline)
    return pipeline.takeError();
  std::vector<const PassInfo *> passes;
  for (const std::string &name : pipeline->passNames()) {
    const PassInfo *pass = PassVocabulary::builtin().lookup(name);
    if (!pass)
      return createStringError("the list '%s' names '%s', which is not a pass of the vocabulary",
                               list.str().c_str(), name.c_str());
    passes.push_back(pass);
  }
  return passes;
}

} // namespace optlm::flagmodel
