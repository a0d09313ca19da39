//===- TuneReport.h - what `optlm tune` prints -------------------*- C++ -*-===//
//
// One tuning run's result and bookkeeping, as text for people and as one
// JSON object for scripts (the benchmark and the resume test read it).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "codegen/CompileSettings.h"
#include "search/CandidateEvaluator.h"
#include "search/Tuner.h"

#include <nlohmann/json.hpp>

#include <string>

namespace optlm::search {

struct TuneReport {
  TuneResult result;
  EvaluationCounts counts;
  uint64_t cacheHits = 0;
  uint64_t codegenSkipped = 0;
  CompileAs compileAs = CompileAs::OptAndLlc; ///< how sizes were measured
};

TuneReport makeTuneReport(const TuneResult &result, const CandidateEvaluator &evaluator,
                          const EvaluationCounts &counts,
                          CompileAs compileAs = CompileAs::OptAndLlc);
nlohmann::json tuneReportJson(const TuneReport &report);
std::string tuneReportText(const TuneReport &report);

} // namespace optlm::search
