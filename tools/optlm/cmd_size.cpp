//===- cmd_size.cpp - optlm size: object size of a module after a pipeline ===//
//
// Loads FILE (.ll, .bc, .c, .cpp), applies a pipeline and reports what
// `opt-19 -p | llc-19 -filetype=obj | llvm-size-19` would: the binary size
// (.text + .data columns of llvm-size's Berkeley format), each allocatable
// section, and the IR counts. With no pipeline the input is measured as it
// is (the empty pipeline), which for clang's -Oz -disable-llvm-passes output
// is the unoptimized baseline.
//
//===----------------------------------------------------------------------===//
#include "Command.h"
#include "TargetFlag.h"

#include "engine/EvaluationPool.h"
#include "engine/Evaluator.h"
#include "pipeline/Pipeline.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand sizeCommand("size",
                           "Object size of a module after a pipeline, as llvm-size counts it");

cl::opt<std::string> InputPath(cl::Positional, cl::desc("<FILE: .ll .bc .c .cpp>"),
                               cl::sub(sizeCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string>
    PipelineText("p", cl::desc("Pipeline: new-pass-manager text, a flat list, or a level"),
                 cl::value_desc("pipeline"), cl::sub(sizeCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> OptLevel("O", cl::Prefix,
                              cl::desc("Standard pipeline: -O0 -O1 -O2 -O3 -Os -Oz"),
                              cl::value_desc("level"), cl::sub(sizeCommand),
                              cl::cat(cli::optionCategory()));
cli::TargetFlag TargetOption(sizeCommand, cli::TargetFlag::Default::InputIR);
cl::opt<bool> JsonOutput("json", cl::desc("Print one JSON object"), cl::sub(sizeCommand),
                         cl::cat(cli::optionCategory()));

/// The one place that decides where the evaluation runs.
/// In a sandboxed child: a pipeline that crashes, hangs or exhausts memory
/// in LLVM gives a typed outcome here instead of taking the tool down.
EvaluationResult evaluateForSize(const LoadedModule &loaded, const Pipeline &pipeline,
                                 Target target) {
  EvaluationPoolOptions options;
  options.jobs = 1;
  options.useCache = false;
  EvaluationPool pool(*loaded.module, options);
  return pool.evaluate(ArrayRef<Pipeline>(pipeline), target).front();
}

std::string hexHash(uint64_t hash) {
  std::string text;
  raw_string_ostream(text) << format_hex_no_prefix(hash, 16);
  return text;
}

void printJson(const EvaluationResult &result, Target target) {
  nlohmann::json object;
  object["input"] = InputPath.getValue();
  object["target"] = targetTriple(target).str();
  object["pipeline"] = result.pipeline;
  object["outcome"] = outcomeName(result.outcome).str();
  if (!result.message.empty())
    object["message"] = result.message;
  if (const std::optional<Measurement> &m = result.measurement) {
    object["binary_size"] = m->binarySize;
    object["text_size"] = m->textSize;
    object["data_size"] = m->dataSize;
    object["bss_size"] = m->bssSize;
    object["sections"] = m->sections;
    object["instruction_count"] = m->instructionCount;
    object["basic_block_count"] = m->basicBlockCount;
    object["function_count"] = m->functionCount;
    object["ir_hash"] = hexHash(m->irHash);
  }
  outs() << object.dump() << "\n";
}

void printText(const EvaluationResult &result, Target target) {
  const Measurement &m = *result.measurement;
  outs() << InputPath << " (" << targetTriple(target) << ", " << result.pipeline << ")\n";
  outs() << "  binary size  " << m.binarySize << " bytes (text " << m.textSize << " + data "
         << m.dataSize << "), bss " << m.bssSize << "\n";
  outs() << "  sections    ";
  for (const auto &[name, size] : m.sections)
    outs() << " " << name << " " << size;
  outs() << "\n  IR           " << m.instructionCount << " instructions, " << m.basicBlockCount
         << " basic blocks, " << m.functionCount << " functions\n";
  outs() << "  IR hash      " << hexHash(m.irHash) << "\n";
}

int runSize() {
  if (InputPath.empty())
    return optlm::cli::usageError("no input file (usage: optlm size FILE [-p PIPELINE | -O0..-Oz] "
                                  "[--target T] [--json])");
  if (!PipelineText.empty() && OptLevel.getNumOccurrences())
    return optlm::cli::usageError("give either -p or an -O level, not both");

  Expected<Target> target = TargetOption.forInput(InputPath);
  if (!target)
    return optlm::cli::usageError(toString(target.takeError()));

  Pipeline pipeline;
  if (OptLevel.getNumOccurrences() || !PipelineText.empty()) {
    std::string text = OptLevel.getNumOccurrences() ? "-O" + OptLevel : PipelineText.getValue();
    Expected<Pipeline> parsed = Pipeline::parse(text);
    if (!parsed)
      return optlm::cli::usageError(toString(parsed.takeError()));
    pipeline = std::move(*parsed);
  }

  Expected<LoadedModule> loaded = loadModuleFor(InputPath, *target);
  if (!loaded)
    return optlm::cli::usageError(toString(loaded.takeError()));

  EvaluationResult result = evaluateForSize(*loaded, pipeline, *target);
  if (JsonOutput)
    printJson(result, *target);
  if (result.outcome != Outcome::Ok) {
    errs() << "optlm size: error: evaluation failed (" << outcomeName(result.outcome)
           << "): " << result.message << "\n";
    return cli::ExitFailed;
  }
  if (!JsonOutput)
    printText(result, *target);
  return cli::ExitOk;
}

cli::RegisterCommand registration(sizeCommand, runSize);

} // namespace
