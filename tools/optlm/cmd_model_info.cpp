//===- cmd_model_info.cpp - optlm model-info: describe a GGUF model -------===//
//
// Validates a GGUF file with the same reader the runtime uses and reports its
// architecture, size and hyper-parameters, so a model can be checked before
// it is loaded.
//
//===----------------------------------------------------------------------===//
#include "Command.h"

#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/ModelInfo.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace {

cl::SubCommand modelInfoCommand("model-info",
                                "Describe a GGUF model: architecture, shape, types, vocabulary");

cl::opt<std::string> ModelPath(cl::Positional, cl::desc("<model.gguf>"), cl::sub(modelInfoCommand),
                               cl::cat(optlm::cli::optionCategory()));
cl::opt<bool> JsonOutput("json", cl::desc("Print one JSON object"), cl::sub(modelInfoCommand),
                         cl::cat(optlm::cli::optionCategory()));
cl::opt<bool> ListTensors("tensors", cl::desc("List every tensor (name, type, dims, bytes)"),
                          cl::sub(modelInfoCommand), cl::cat(optlm::cli::optionCategory()));

int runModelInfo() {
  if (ModelPath.empty()) {
    return optlm::cli::usageError(
        "no model file given (usage: optlm model-info FILE.gguf [--json] [--tensors])");
  }
  auto file = optlm::lm::GGUFFile::open(ModelPath);
  if (!file) {
    return optlm::cli::usageError(toString(file.takeError()));
  }
  optlm::lm::ModelSummary summary = optlm::lm::summarizeModel(**file);
  if (JsonOutput)
    optlm::lm::printModelSummaryJson(outs(), summary, **file, ListTensors);
  else
    optlm::lm::printModelSummary(outs(), summary, **file, ListTensors);
  outs().flush();
  return optlm::cli::ExitOk;
}

optlm::cli::RegisterCommand registration(modelInfoCommand, runModelInfo);

} // namespace
