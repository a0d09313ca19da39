//===- FlagTuneReport.h - what `optlm tune` prints for a model -*- C++ -*-===//
//
// A model-mode tuning run (a flag model or a language model proposing
// pipelines) as text for people and as one JSON object for scripts; the
// autotuner's counterpart is search/TuneReport.h.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "codegen/CompileSettings.h"
#include "engine/Evaluation.h"
#include "tasks/FlagTuner.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace optlm::tasks {

/// What the report says besides the result.
struct FlagTuneReportContext {
  std::string input; ///< the file tuned
  Target target = Target::X86_64;
  std::string model; ///< "optlm-flagrank:FILE", a model's or a server's name
  /// Time spent choosing (a flag model; unset for a language model).
  std::optional<double> modelSeconds;
  bool verified = true;                       ///< answers went through PassListEval
  CompileAs compileAs = CompileAs::OptAndLlc; ///< how sizes were measured
};

/// The candidates as JSON objects: answer, pipeline, binary_size, accepted,
/// problem. Answers longer than `answerLimit` characters are cut there (an
/// evaluation journal keeps thousands of them).
nlohmann::json candidatesJson(llvm::ArrayRef<ModelCandidate> candidates,
                              size_t answerLimit = std::string::npos);
nlohmann::json flagTuneReportJson(const FlagTuneResult &result,
                                  const FlagTuneReportContext &context);
std::string flagTuneReportText(const FlagTuneResult &result, const FlagTuneReportContext &context);

} // namespace optlm::tasks
