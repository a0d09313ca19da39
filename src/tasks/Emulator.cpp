//===- Emulator.cpp - predicting the compiler's output with a model -------===//
#include "tasks/Emulator.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/TargetMachines.h"
#include "engine/EvaluationPool.h"
#include "engine/Evaluator.h"
#include "ir/ModuleFacts.h"
#include "tasks/AnswerParser.h"
#include "tasks/AssemblyNormalizer.h"
#include "tasks/FlagTuner.h"

#include "llvm/ADT/SmallVector.h"

using namespace llvm;

namespace optlm::tasks {

Expected<EmulationTruth> emulationTruth(const Module &module, const Pipeline &pipeline,
                                        data::EmulationOutput output, Target target) {
  EvaluationPoolOptions poolOptions;
  poolOptions.jobs = 1;
  EvaluationPool pool(module, poolOptions);
  std::vector<EvaluationResult> results = pool.evaluate({Pipeline(), pipeline}, target);
  for (const EvaluationResult &result : results)
    if (result.outcome != Outcome::Ok)
      return createStringError("the pipeline %s fails on this module (%s): %s",
                               result.pipeline.c_str(), outcomeName(result.outcome).str().c_str(),
                               result.message.c_str());
  EmulationTruth truth;
  truth.inputInstructions = results[0].measurement->instructionCount;
  truth.inputBinarySize = results[0].measurement->binarySize;
  truth.instructions = results[1].measurement->instructionCount;
  truth.binarySize = results[1].measurement->binarySize;
  // The sandbox ran this pipeline to the end: running it here is safe.
  Expected<std::string> text = emulationOutput(module, pipeline, output, target);
  if (!text)
    return text.takeError();
  truth.output = std::move(*text);
  return truth;
}

Expected<std::string> emulationOutput(const Module &module, const Pipeline &pipeline,
                                      data::EmulationOutput output, Target target) {
  Expected<OptimizedModule> optimized = optimizeModule(module, pipeline, target);
  if (!optimized)
    return optimized.takeError();
  if (output == data::EmulationOutput::IR)
    return moduleText(*optimized->module);
  auto machine = createCodegenTargetMachine(targetTriple(target));
  if (!machine)
    return machine.takeError();
  return emitAssembly(*optimized->module, **machine);
}

EmulationPrediction readEmulationAnswer(StringRef answer) {
  EmulationPrediction prediction;
  prediction.answer = answer.str();
  prediction.output = extractCode(answer);
  ReportedNumbers numbers = parseReportedNumbers(answer);
  prediction.instructions = numbers.instructionCount;
  prediction.binarySize = numbers.binarySize;
  return prediction;
}

std::string normalizeOutput(StringRef text, data::EmulationOutput output) {
  if (output == data::EmulationOutput::Assembly)
    return normalizeAssembly(text);
  std::string out;
  SmallVector<StringRef, 0> lines;
  text.split(lines, '\n');
  for (StringRef line : lines) {
    line = line.rtrim(" \t\r");
    if (line.trim().empty() || line.ltrim().starts_with(";") || line.starts_with("source_filename"))
      continue;
    out += line;
    out += '\n';
  }
  return out;
}

bool outputsMatch(StringRef predicted, StringRef actual, data::EmulationOutput output) {
  return normalizeOutput(predicted, output) == normalizeOutput(actual, output);
}

Expected<EmulationPrediction> emulate(const Module &module, const Pipeline &pipeline,
                                      const EmulationTruth &truth, ModelSource &model,
                                      const EmulateOptions &options) {
  std::string prompt =
      data::emulationPrompt(moduleText(module), pipeline.text(), truth.inputInstructions,
                            truth.inputBinarySize, options.output);
  Expected<lm::GenerationResult> answer =
      model.askWithinContext(std::move(prompt), options.maxTokens, "the input");
  if (!answer)
    return answer.takeError();
  return readEmulationAnswer(answer->text);
}

} // namespace optlm::tasks
