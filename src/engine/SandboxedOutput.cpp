//===- SandboxedOutput.cpp - optimize and write a unit in a child ----------===//
#include "engine/SandboxedOutput.h"

#include "codegen/ModuleWriter.h"
#include "engine/EvaluationPool.h"
#include "engine/Evaluator.h"
#include "engine/PartOptimizer.h"

namespace optlm {

sandbox::Limits sandboxedOutputLimits() {
  sandbox::Limits limits = EvaluationPoolOptions::defaultLimits();
  limits.memoryHeadroomBytes = uint64_t(4) << 30;
  return limits;
}

llvm::Error writeOptimizedUnit(const llvm::Module &module, const UnitPipeline &pipeline,
                               Target target, CompileAs compileAs, llvm::StringRef path,
                               const sandbox::Limits &limits) {
  const std::string text =
      std::visit([](const auto &unitPipeline) { return unitPipeline.text(); }, pipeline);
  const std::string output = path.str();
  // The child answers "ok", "E" and the evaluation's failure, or "W" and
  // the writer's message.
  sandbox::ProcessPool pool(1, limits, 1);
  const sandbox::JobOutcome outcome =
      pool.run(1,
               [&](size_t, sandbox::ChildChannel &) -> std::string {
                 llvm::Expected<OptimizedModule> optimized =
                     optimizeUnit(module, pipeline, target, compileAs);
                 if (!optimized) {
                   EvaluationResult failed = failedEvaluation(optimized.takeError(), text);
                   return "E" + outcomeName(failed.outcome).str() + "\n" + failed.message;
                 }
                 const CompileSettings settings = compileSettingsFor(module, compileAs);
                 if (llvm::Error error =
                         writeModule(*optimized->module, output, settings.relocation))
                   return "W" + llvm::toString(std::move(error));
                 return "ok";
               })
          .front();
  auto evaluationFailed = [](llvm::StringRef outcome, llvm::StringRef message) {
    return llvm::createStringError("evaluation failed (" + outcome + "): " + message);
  };
  if (outcome.end != sandbox::JobEnd::Finished) {
    const EvaluationResult failed = resultFromJob(outcome, text);
    return evaluationFailed(outcomeName(failed.outcome), failed.message);
  }
  llvm::StringRef answer = outcome.result;
  if (answer.consume_front("E")) {
    auto [outcomeText, message] = answer.split('\n');
    return evaluationFailed(outcomeText, message);
  }
  if (answer.consume_front("W"))
    return llvm::createStringError(answer);
  return llvm::Error::success();
}

} // namespace optlm
