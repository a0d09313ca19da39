//===- CandidateEvaluator.cpp - the store in front of the engine ------------===//
#include "search/CandidateEvaluator.h"

#include "store/ResultsStore.h"

namespace optlm::search {

llvm::Expected<std::vector<ScoredSequence>> measureSequences(CandidateEvaluator &evaluator,
                                                             std::vector<PassSequence> sequences) {
  std::vector<Pipeline> pipelines;
  pipelines.reserve(sequences.size());
  for (const PassSequence &passes : sequences)
    pipelines.push_back(Pipeline::fromPasses(passes));
  auto results = evaluator.evaluate(pipelines);
  if (!results)
    return results.takeError();
  std::vector<ScoredSequence> scored(sequences.size());
  for (size_t i = 0; i < sequences.size(); ++i) {
    scored[i].passes = std::move(sequences[i]);
    const EvaluationResult &result = (*results)[i];
    if (result.outcome == Outcome::Ok && result.measurement) {
      scored[i].binarySize = result.measurement->binarySize;
      scored[i].irHash = result.measurement->irHash;
    }
  }
  return scored;
}

RecordingEvaluator::RecordingEvaluator(CandidateEvaluator &engine, ResultsStore *store,
                                       uint64_t moduleHash, Target target)
    : Engine(engine), Store(store), ModuleHash(moduleHash), EvaluationTarget(target) {}

llvm::Expected<std::vector<EvaluationResult>>
RecordingEvaluator::evaluate(llvm::ArrayRef<Pipeline> pipelines) {
  std::vector<EvaluationResult> results(pipelines.size());
  std::vector<std::string> texts;
  texts.reserve(pipelines.size());
  std::vector<size_t> missing;          // indices still to evaluate
  llvm::StringMap<size_t> missingIndex; // text -> position in `toEvaluate`
  std::vector<Pipeline> toEvaluate;

  for (size_t i = 0; i < pipelines.size(); ++i) {
    texts.push_back(pipelines[i].text());
    const std::string &text = texts.back();
    if (auto seen = Seen.find(text); seen != Seen.end()) {
      results[i] = seen->second;
      ++Counts.repeated;
      continue;
    }
    if (missingIndex.count(text)) {
      missing.push_back(i);
      ++Counts.repeated;
      continue;
    }
    if (Store) {
      auto stored = Store->findEvaluation({ModuleHash, text, EvaluationTarget});
      if (!stored)
        return stored.takeError();
      if (*stored) {
        results[i] = std::move(**stored);
        Seen[text] = results[i];
        ++Counts.fromStore;
        continue;
      }
    }
    missingIndex[text] = toEvaluate.size();
    toEvaluate.push_back(pipelines[i]);
    missing.push_back(i);
  }

  if (!toEvaluate.empty()) {
    auto fresh = Engine.evaluate(toEvaluate);
    if (!fresh)
      return fresh.takeError();
    if (fresh->size() != toEvaluate.size())
      return llvm::createStringError("the engine returned " + std::to_string(fresh->size()) +
                                     " results for " + std::to_string(toEvaluate.size()) +
                                     " pipelines");
    Counts.fresh += toEvaluate.size();
    std::vector<std::pair<EvaluationKey, EvaluationResult>> records;
    records.reserve(toEvaluate.size());
    for (size_t k = 0; k < toEvaluate.size(); ++k) {
      EvaluationResult &result = (*fresh)[k];
      result.fromCache = false;
      records.push_back(
          {EvaluationKey{ModuleHash, toEvaluate[k].text(), EvaluationTarget}, result});
      Seen[records.back().first.pipeline] = result;
    }
    if (Store)
      if (llvm::Error error = Store->recordEvaluations(records))
        return std::move(error);
    for (size_t i : missing)
      results[i] = Seen[texts[i]];
  }

  Counts.requested += pipelines.size();
  for (const EvaluationResult &result : results)
    ++Counts.outcomes[outcomeName(result.outcome).str()];
  return results;
}

} // namespace optlm::search
