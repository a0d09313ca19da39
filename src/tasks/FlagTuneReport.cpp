//===- FlagTuneReport.cpp - what `optlm tune` prints for a model ----------===//
#include "tasks/FlagTuneReport.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace optlm::tasks {

using nlohmann::json;

static json sizeOrNull(const std::optional<uint64_t> &size) {
  return size ? json(*size) : json(nullptr);
}

json candidatesJson(llvm::ArrayRef<ModelCandidate> candidates, size_t answerLimit) {
  json list = json::array();
  for (const ModelCandidate &candidate : candidates)
    list.push_back({{"answer", candidate.answer.substr(0, answerLimit)},
                    {"pipeline", candidate.pipelineText()},
                    {"binary_size", sizeOrNull(candidate.binarySize)},
                    {"accepted", candidate.accepted},
                    {"problem", candidate.problem}});
  return list;
}

json flagTuneReportJson(const FlagTuneResult &result, const FlagTuneReportContext &context) {
  json report = {
      {"input", context.input},
      {"target", targetTriple(context.target).str()},
      {"compiled_as", compileAsName(context.compileAs)},
      {"model", context.model},
      {"model_seconds", context.modelSeconds ? json(*context.modelSeconds) : json(nullptr)},
      {"oz_binary_size", result.ozSize},
      {"winner", result.modelWon ? "model" : "-Oz"},
      {"pipeline", result.pipeline},
      {"binary_size", result.binarySize},
      {"reduction_vs_oz_percent", result.reductionPercent()},
      {"model_binary_size", sizeOrNull(result.modelSize)},
      {"model_pipeline", result.modelPipeline},
      {"explanation", result.explanation},
      {"verified", context.verified},
      {"constraint_applied", result.constraintApplied},
      {"split", result.split},
      {"split_by", result.splitBy},
      // What `optlm opt -p` and optlm cc apply to make the parts' result again.
      {"part_pipelines", result.partPipelines ? json(result.partPipelines->text()) : json(nullptr)},
      {"candidates", candidatesJson(result.candidates)}};
  json functions = json::array();
  for (const PartTuning &function : result.functions)
    functions.push_back({{"function", function.function},
                         {"pipeline", function.pipeline.text()},
                         {"from_model", function.fromModel},
                         {"oz_binary_size", function.ozSize},
                         {"binary_size", function.binarySize},
                         {"candidates", candidatesJson(function.candidates)}});
  report["functions"] = std::move(functions);
  return report;
}

std::string flagTuneReportText(const FlagTuneResult &result, const FlagTuneReportContext &context) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << context.input << " (" << targetTriple(context.target)
      << (context.compileAs == CompileAs::Clang ? ", as clang compiles it" : "") << ", model "
      << context.model << ")\n"
      << "  " << result.explanation << "\n"
      << "  -Oz       " << result.ozSize << " bytes\n"
      << "  chosen    " << result.pipeline << "\n"
      << "            " << result.binarySize << " bytes ("
      << llvm::format("%+.2f", result.reductionPercent()) << "% vs -Oz)"
      << (context.verified ? "" : ", not verified") << "\n";
  for (size_t i = 0; i < result.candidates.size(); ++i) {
    const ModelCandidate &candidate = result.candidates[i];
    out << "  answer " << i + 1 << "  "
        << (candidate.pipeline ? candidate.pipeline->text() : "(no pipeline)");
    if (candidate.binarySize)
      out << ", " << *candidate.binarySize << " bytes";
    out << (candidate.accepted ? ", accepted" : "");
    if (!candidate.problem.empty())
      out << " (" << candidate.problem << ")";
    out << "\n";
  }
  for (const PartTuning &function : result.functions)
    out << "  " << result.splitBy << " " << function.function << ": " << function.pipeline.text()
        << ", " << function.binarySize << " bytes (-Oz " << function.ozSize << ")\n";
  return text;
}

} // namespace optlm::tasks
