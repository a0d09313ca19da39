//===- cmd_emulate.cpp - optlm emulate: predict the compiler with a model -===//
//
// Asks a model what a pipeline makes of a module (the optimized IR, or with
// --output asm the assembly) and what the result's instruction count and
// binary size are, then runs the real compiler and compares: exact match,
// BLEU, and the error of each predicted number. Exit code 0 when the model
// answered (however well), 1 when it could not be asked or the pipeline
// fails on the module, 2 for bad usage or input.
//
//===----------------------------------------------------------------------===//
#include "Command.h"
#include "ModelSourceFlags.h"
#include "TargetFlag.h"

#include "engine/Evaluator.h"
#include "eval/Bleu.h"
#include "eval/ItemScore.h"
#include "tasks/Emulator.h"
#include "tasks/ModelSource.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>


using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand Emulate("emulate", "Predict what a pipeline makes of a module with a model, "
                                  "and compare with the real compiler");

cl::opt<std::string> InputPath(cl::Positional, cl::desc("<FILE: .ll .bc .c .cpp>"),
                               cl::sub(Emulate), cl::cat(cli::optionCategory()));
cl::opt<std::string> PipelineText("p", cl::desc("The pipeline to emulate (any accepted form)"),
                                  cl::value_desc("pipeline"), cl::sub(Emulate),
                                  cl::cat(cli::optionCategory()));
cl::opt<std::string> OutputKind("output", cl::desc("What to predict: ir (default) or asm"),
                                cl::init("ir"), cl::sub(Emulate), cl::cat(cli::optionCategory()));
cl::opt<std::string> ModelPath("model", cl::desc("GGUF model to run locally"),
                               cl::value_desc("file.gguf"), cl::sub(Emulate),
                               cl::cat(cli::optionCategory()));
cl::opt<std::string> ServerUrl("server", cl::desc("OpenAI-compatible server to ask"),
                               cl::value_desc("url"), cl::sub(Emulate),
                               cl::cat(cli::optionCategory()));
cl::opt<std::string> ServerModel("server-model", cl::desc("Model to ask the server for"),
                                 cl::sub(Emulate), cl::cat(cli::optionCategory()));
cli::TargetFlag TargetOption(Emulate, cli::TargetFlag::Default::InputIR);
cl::opt<int> MaxTokens("max-tokens", cl::desc("Answer budget (default: what the context leaves)"),
                       cl::init(0), cl::sub(Emulate), cl::cat(cli::optionCategory()));
cl::opt<unsigned> Threads("threads", cl::desc("Threads of the local model (0: all)"), cl::init(0),
                          cl::sub(Emulate), cl::cat(cli::optionCategory()));
cl::opt<bool> Json("json", cl::desc("Print one JSON object"), cl::sub(Emulate),
                   cl::cat(cli::optionCategory()));

int runEmulate() {
  if (InputPath.empty())
    return optlm::cli::usageError(
        "no input file (usage: optlm emulate FILE.ll -p PIPELINE (--model "
        "M.gguf | --server URL))");
  if (PipelineText.empty())
    return optlm::cli::usageError("no pipeline (-p PIPELINE)");
  if (ModelPath.empty() == ServerUrl.empty())
    return optlm::cli::usageError("give exactly one of --model FILE.gguf and --server URL");
  if (OutputKind != "ir" && OutputKind != "asm")
    return optlm::cli::usageError("--output must be ir or asm");
  if (MaxTokens < 0)
    return optlm::cli::usageError("--max-tokens must not be negative");
  data::EmulationOutput output =
      OutputKind == "ir" ? data::EmulationOutput::IR : data::EmulationOutput::Assembly;
  Expected<Target> target = TargetOption.forInput(InputPath);
  if (!target)
    return optlm::cli::usageError(toString(target.takeError()));
  Expected<Pipeline> pipeline = Pipeline::parse(PipelineText);
  if (!pipeline)
    return optlm::cli::usageError(toString(pipeline.takeError()));
  Expected<LoadedModule> loaded = loadModuleFor(InputPath, *target);
  if (!loaded)
    return optlm::cli::usageError(toString(loaded.takeError()));

  auto model = optlm::cli::openModelSource(ModelPath, ServerUrl, ServerModel, Threads);
  if (!model)
    return optlm::cli::usageError(toString(model.takeError()));

  Expected<tasks::EmulationTruth> truth =
      tasks::emulationTruth(*loaded->module, *pipeline, output, *target);
  if (!truth)
    return optlm::cli::failure(toString(truth.takeError()));
  tasks::EmulateOptions options;
  options.target = *target;
  options.output = output;
  options.maxTokens = MaxTokens;
  Expected<tasks::EmulationPrediction> prediction =
      tasks::emulate(*loaded->module, *pipeline, *truth, **model, options);
  if (!prediction)
    return optlm::cli::failure(toString(prediction.takeError()));

  nlohmann::json report = {
      {"input", InputPath.getValue()},
      {"pipeline", pipeline->text()},
      {"model", (*model)->modelName()},
      {"output", OutputKind.getValue()},
      {"exact_match", tasks::outputsMatch(prediction->output, truth->output, output)},
      {"bleu", eval::sentenceBleu(tasks::normalizeOutput(prediction->output, output),
                                  tasks::normalizeOutput(truth->output, output))},
      {"instructions", truth->instructions},
      {"binary_size", truth->binarySize}};
  if (prediction->instructions) {
    report["predicted_instructions"] = *prediction->instructions;
    report["instructions_error_percent"] =
        eval::absolutePercentError(*prediction->instructions, truth->instructions);
  }
  if (prediction->binarySize) {
    report["predicted_binary_size"] = *prediction->binarySize;
    report["binary_size_error_percent"] = eval::absolutePercentError(*prediction->binarySize, truth->binarySize);
  }
  if (Json) {
    report["predicted"] = prediction->output;
    outs() << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return cli::ExitOk;
  }
  outs() << prediction->output << "\n";
  auto stated = [](const std::optional<uint64_t> &value) {
    return value ? std::to_string(*value) : std::string("not stated");
  };
  errs() << "exact match: " << (report["exact_match"].get<bool>() ? "yes" : "no") << ", BLEU "
         << format("%.4f", report["bleu"].get<double>()) << "\n"
         << "instruction count: predicted " << stated(prediction->instructions) << ", real "
         << truth->instructions << "\n"
         << "binary size: predicted " << stated(prediction->binarySize) << ", real "
         << truth->binarySize << " bytes\n";
  return cli::ExitOk;
}

cli::RegisterCommand Registration(Emulate, runEmulate);

} // namespace
