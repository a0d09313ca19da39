//===- TestSupport.h - shared helpers of the search tests --------*- C++ -*-===//
#pragma once

#include "pipeline/PassVocabulary.h"
#include "search/CandidateEvaluator.h"
#include "search/OzSequence.h"
#include "search/SearchStrategy.h"
#include "search/TuningInput.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optlm::search::testing {

inline std::string inputPath(const std::string &relative) {
  return std::string(OPTLM_TEST_INPUTS) + "/search/" + relative;
}

inline TuningInput loadInput(const std::string &relative) {
  auto input = loadTuningInput(inputPath(relative), Target::X86_64);
  if (!input) {
    ADD_FAILURE() << llvm::toString(input.takeError());
    return {};
  }
  return std::move(*input);
}

inline StrategyContext defaultContext(uint64_t seed) {
  StrategyContext context;
  context.searchSpace = PassVocabulary::builtin().searchSpace();
  context.ozSequence = flatStandardSequence(OptLevel::Oz, PassVocabulary::builtin());
  context.seed = seed;
  return context;
}

/// Passes batches through to the real evaluator and keeps the order in
/// which pipelines were asked for, to compare evaluation sequences.
class SequenceLog final : public CandidateEvaluator {
public:
  explicit SequenceLog(CandidateEvaluator &inner) : Inner(inner) {}
  llvm::Expected<std::vector<EvaluationResult>>
  evaluate(llvm::ArrayRef<Pipeline> pipelines) override {
    for (const Pipeline &pipeline : pipelines)
      Texts.push_back(pipeline.text());
    return Inner.evaluate(pipelines);
  }
  std::vector<std::string> Texts;

private:
  CandidateEvaluator &Inner;
};

} // namespace optlm::search::testing
