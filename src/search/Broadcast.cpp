//===- Broadcast.cpp - the most popular lists, tried everywhere -------------===//
#include "search/Broadcast.h"

#include "llvm/ADT/StringMap.h"

#include <algorithm>

namespace optlm::search {

std::vector<PopularPipeline> mostFrequentPipelines(llvm::ArrayRef<TunedResult> tuned, size_t k) {
  const std::string ozText = Pipeline::level(OptLevel::Oz).text();
  std::map<std::string, size_t> counts;
  for (const TunedResult &result : tuned)
    if (result.pipeline != ozText)
      ++counts[result.pipeline];
  std::vector<PopularPipeline> popular;
  for (const auto &[pipeline, programs] : counts)
    popular.push_back({pipeline, programs});
  // counts is ordered by text, and stable_sort keeps that order among ties.
  std::stable_sort(
      popular.begin(), popular.end(),
      [](const PopularPipeline &a, const PopularPipeline &b) { return a.programs > b.programs; });
  if (popular.size() > k)
    popular.resize(k);
  return popular;
}

llvm::Expected<Relabel> relabelProgram(CandidateEvaluator &evaluator,
                                       llvm::ArrayRef<std::string> candidates,
                                       const std::optional<TunedResult> &current,
                                       const VerifyFunction &verify) {
  std::vector<Pipeline> pipelines{Pipeline::level(OptLevel::Oz)};
  for (const std::string &text : candidates) {
    auto pipeline = Pipeline::parse(text);
    if (!pipeline)
      return pipeline.takeError();
    pipelines.push_back(std::move(*pipeline));
  }
  auto results = evaluator.evaluate(pipelines);
  if (!results)
    return results.takeError();

  Relabel relabel;
  relabel.evaluations = pipelines.size();
  const EvaluationResult &oz = results->front();
  if (oz.outcome != Outcome::Ok || !oz.measurement)
    return llvm::createStringError("-Oz failed (" + outcomeName(oz.outcome).str() + ")");
  relabel.ozSize = oz.measurement->binarySize;
  relabel.beforePipeline = pipelines.front().text();
  relabel.beforeSize = relabel.ozSize;
  relabel.beforeVerified = true; // -Oz is the compiler's own pipeline
  if (current && current->binarySize < relabel.ozSize) {
    relabel.beforePipeline = current->pipeline;
    relabel.beforeSize = current->binarySize;
    relabel.beforeVerified = current->verified;
  }
  relabel.afterPipeline = relabel.beforePipeline;
  relabel.afterSize = relabel.beforeSize;
  relabel.afterVerified = relabel.beforeVerified;

  // Smallest first; only what beats the current label is worth verifying.
  std::vector<size_t> order;
  for (size_t i = 1; i < results->size(); ++i) {
    const EvaluationResult &one = (*results)[i];
    if (one.outcome == Outcome::Ok && one.measurement &&
        one.measurement->binarySize < relabel.beforeSize)
      order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return (*results)[a].measurement->binarySize < (*results)[b].measurement->binarySize;
  });
  for (size_t index : order) {
    bool verified = false;
    if (verify) {
      auto verdict = verify(pipelines[index]);
      if (!verdict)
        return verdict.takeError();
      if (!verdict->accepted)
        continue;
      verified = true;
    } else if (current && current->verified && relabel.beforePipeline == current->pipeline) {
      // Without verification, a list can only replace -Oz or an unverified
      // label: the store keeps a verified label over any unverified one.
      break;
    }
    relabel.afterPipeline = pipelines[index].text();
    relabel.afterSize = (*results)[index].measurement->binarySize;
    relabel.afterVerified = verified;
    relabel.improved = true;
    break;
  }
  return relabel;
}

} // namespace optlm::search
