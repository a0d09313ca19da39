//===- Broadcast.cpp - the most popular lists, tried everywhere -------------===//
#include "search/Broadcast.h"

#include "pipeline/PartPipelines.h"
#include "search/PoolEvaluator.h"
#include "support/CacheFiles.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace optlm::search {

std::vector<PopularPipeline> mostFrequentPipelines(llvm::ArrayRef<TunedResult> tuned, size_t k) {
  const std::string ozText = Pipeline::level(OptLevel::Oz).text();
  std::map<std::string, size_t> counts;
  for (const TunedResult &result : tuned)
    // optlm cc's pipelines for each part of one unit are no list to try
    // on other programs.
    if (result.pipeline != ozText && !PartPipelines::isPartPipelinesText(result.pipeline))
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

TunedResult Relabel::storeRecord(uint64_t moduleHash, Target target, std::string source) const {
  TunedResult record;
  record.moduleHash = moduleHash;
  record.target = target;
  record.source = std::move(source);
  record.pipeline = afterPipeline;
  record.binarySize = afterSize;
  record.ozBinarySize = ozSize;
  record.strategy = "broadcast";
  record.evaluations = evaluations;
  record.verified = afterVerified;
  return record;
}

size_t BroadcastReport::improved() const {
  return std::count_if(programs.begin(), programs.end(),
                       [](const BroadcastProgram &program) { return program.relabel.improved; });
}

uint64_t BroadcastReport::evaluations() const {
  uint64_t total = 0;
  for (const BroadcastProgram &program : programs)
    total += program.relabel.evaluations;
  return total;
}

double BroadcastReport::meanReduction(uint64_t Relabel::*size) const {
  double sum = 0;
  for (const BroadcastProgram &program : programs)
    sum += reductionVsOzPercent(program.relabel.*size, program.relabel.ozSize);
  return programs.empty() ? 0 : sum / double(programs.size());
}

llvm::Expected<BroadcastReport> broadcast(llvm::MutableArrayRef<TuningInput> inputs,
                                          ResultsStore &store, const BroadcastSettings &settings) {
  BroadcastReport report;
  report.verified = bool(settings.verify);
  std::vector<std::optional<TunedResult>> labels;
  std::vector<TunedResult> labelled;
  for (const TuningInput &input : inputs) {
    auto label = store.findTuned(input.moduleHash, settings.target);
    if (!label)
      return label.takeError();
    if (*label)
      labelled.push_back(**label);
    labels.push_back(std::move(*label));
  }
  report.labelledBefore = labelled.size();
  report.top = mostFrequentPipelines(labelled, settings.top);
  std::vector<std::string> candidates;
  for (const PopularPipeline &entry : report.top)
    candidates.push_back(entry.pipeline);

  for (size_t i = 0; i < inputs.size(); ++i) {
    TuningInput &input = inputs[i];
    PoolEvaluator pool(*input.loaded.module, settings.target, settings.jobs);
    RecordingEvaluator evaluator(pool, &store, input.moduleHash, settings.target);
    auto relabel = relabelProgram(evaluator, candidates, labels[i], settings.verify);
    if (!relabel)
      return llvm::createStringError(input.path + ": " + llvm::toString(relabel.takeError()));
    if (relabel->improved) {
      if (llvm::Error error = store.recordTuned(
              relabel->storeRecord(input.moduleHash, settings.target, input.path)))
        return llvm::createStringError("cannot record the new label: " +
                                       llvm::toString(std::move(error)));
    }
    report.programs.push_back({input.path, input.moduleHash, std::move(*relabel)});
  }
  return report;
}

nlohmann::json broadcastReportJson(const BroadcastReport &report) {
  auto side = [](const std::string &pipeline, uint64_t size, bool verified, uint64_t ozSize) {
    return nlohmann::json{{"pipeline", pipeline},
                          {"binary_size", size},
                          {"verified", verified},
                          {"reduction_vs_oz_percent", reductionVsOzPercent(size, ozSize)}};
  };
  nlohmann::json programs = nlohmann::json::array();
  for (const BroadcastProgram &program : report.programs) {
    const Relabel &relabel = program.relabel;
    programs.push_back({{"path", program.path},
                        {"module_hash", hashToHex(program.moduleHash)},
                        {"oz_binary_size", relabel.ozSize},
                        {"before", side(relabel.beforePipeline, relabel.beforeSize,
                                        relabel.beforeVerified, relabel.ozSize)},
                        {"after", side(relabel.afterPipeline, relabel.afterSize,
                                       relabel.afterVerified, relabel.ozSize)},
                        {"improved", relabel.improved}});
  }
  nlohmann::json top = nlohmann::json::array();
  for (const PopularPipeline &entry : report.top)
    top.push_back({{"pipeline", entry.pipeline}, {"programs", entry.programs}});
  return {{"programs", report.programs.size()},
          {"labelled_before", report.labelledBefore},
          {"top", top},
          {"mean_reduction_vs_oz_percent_before", report.meanReduction(&Relabel::beforeSize)},
          {"mean_reduction_vs_oz_percent_after", report.meanReduction(&Relabel::afterSize)},
          {"programs_improved", report.improved()},
          {"evaluations", report.evaluations()},
          {"verification", report.verified},
          {"per_program", programs}};
}

std::string broadcastReportText(const BroadcastReport &report) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << "programs: " << report.programs.size() << " (" << report.labelledBefore
      << " with a tuned label), lists tried: " << report.top.size() << "\n";
  out << "mean size vs -Oz: " << llvm::format("%.2f", report.meanReduction(&Relabel::beforeSize))
      << "% smaller before, " << llvm::format("%.2f", report.meanReduction(&Relabel::afterSize))
      << "% after; " << report.improved() << " programs improved\n";
  return text;
}

} // namespace optlm::search
