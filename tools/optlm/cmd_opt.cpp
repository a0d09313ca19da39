//===- cmd_opt.cpp - optlm opt: apply a pipeline and write the result -----===//
//
// Applies a pipeline to FILE exactly as `optlm size` does and writes the
// optimized module in the form OUT's extension names: .ll (IR text), .bc
// (bitcode), .o (object file) or .s (assembly), for the chosen target.
//
//===----------------------------------------------------------------------===//
#include "Command.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/TargetMachines.h"
#include "engine/Evaluator.h"
#include "pipeline/Pipeline.h"

#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand optCommand("opt", "Apply a pipeline and write the module (.ll .bc .o .s)");

cl::opt<std::string> inputPath(cl::Positional, cl::desc("<FILE: .ll .bc .c .cpp>"),
                               cl::sub(optCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> pipelineText("p",
                                  cl::desc("Pipeline: new-pass-manager text, a flat list, or a level"),
                                  cl::value_desc("pipeline"), cl::sub(optCommand),
                                  cl::cat(cli::optionCategory()));
cl::opt<std::string> optLevel("O", cl::Prefix,
                              cl::desc("Standard pipeline: -O0 -O1 -O2 -O3 -Os -Oz"),
                              cl::value_desc("level"), cl::sub(optCommand),
                              cl::cat(cli::optionCategory()));
cl::opt<std::string> targetName("target", cl::desc("x86_64 (default) or aarch64, or their triples"),
                                cl::init("x86_64"), cl::sub(optCommand),
                                cl::cat(cli::optionCategory()));
cl::opt<std::string> outputPath("o", cl::desc("Output file; its extension picks the form"),
                                cl::value_desc("OUT.ll|OUT.bc|OUT.o|OUT.s"), cl::sub(optCommand),
                                cl::cat(cli::optionCategory()));

enum class OutputKind { IRText, Bitcode, Object, Assembly };

std::optional<OutputKind> outputKind(StringRef path) {
  StringRef extension = sys::path::extension(path);
  if (extension == ".ll")
    return OutputKind::IRText;
  if (extension == ".bc")
    return OutputKind::Bitcode;
  if (extension == ".o")
    return OutputKind::Object;
  if (extension == ".s")
    return OutputKind::Assembly;
  return std::nullopt;
}

/// The bytes of the requested form; consumes the module for .o and .s.
Expected<std::string> render(Module &module, OutputKind kind, optlm::Target target) {
  std::string bytes;
  raw_string_ostream stream(bytes);
  switch (kind) {
  case OutputKind::IRText:
    module.print(stream, nullptr);
    return bytes;
  case OutputKind::Bitcode:
    WriteBitcodeToFile(module, stream);
    return bytes;
  case OutputKind::Object:
  case OutputKind::Assembly:
    break;
  }
  Expected<std::unique_ptr<TargetMachine>> machine =
      createCodegenTargetMachine(targetTriple(target));
  if (!machine)
    return machine.takeError();
  if (kind == OutputKind::Assembly)
    return emitAssembly(module, **machine);
  Expected<SmallVector<char, 0>> object = emitObject(module, **machine);
  if (!object)
    return object.takeError();
  return std::string(object->begin(), object->end());
}

int runOpt() {
  if (inputPath.empty())
    return optlm::cli::usageError("no input file (usage: optlm opt FILE -p PIPELINE [--target T] -o OUT)");
  if (outputPath.empty())
    return optlm::cli::usageError("no output file (-o OUT.ll, OUT.bc, OUT.o or OUT.s)");
  std::optional<OutputKind> kind = outputKind(outputPath);
  if (!kind)
    return optlm::cli::usageError("cannot tell the output form from '" + outputPath +
                      "' (expected .ll, .bc, .o or .s)");
  if (pipelineText.empty() == !optLevel.getNumOccurrences())
    return optlm::cli::usageError("give a pipeline: -p PIPELINE or an -O level (one of them)");

  Expected<optlm::Target> target = parseTarget(targetName);
  if (!target)
    return optlm::cli::usageError(toString(target.takeError()));
  std::string text = optLevel.getNumOccurrences() ? "-O" + optLevel : pipelineText.getValue();
  Expected<Pipeline> pipeline = Pipeline::parse(text);
  if (!pipeline)
    return optlm::cli::usageError(toString(pipeline.takeError()));

  Expected<LoadedModule> loaded = loadModuleFor(inputPath, *target);
  if (!loaded)
    return optlm::cli::usageError(toString(loaded.takeError()));

  Expected<OptimizedModule> optimized = optimizeModule(*loaded->module, *pipeline, *target);
  if (!optimized) {
    EvaluationResult failure = failedEvaluation(optimized.takeError(), pipeline->text());
    return optlm::cli::failure("evaluation failed (" + outcomeName(failure.outcome) + "): " + failure.message);
  }
  Expected<std::string> bytes = render(*optimized->module, *kind, *target);
  if (!bytes)
    return optlm::cli::failure(toString(bytes.takeError()));

  std::error_code error;
  ToolOutputFile output(outputPath, error, sys::fs::OF_None);
  if (error)
    return optlm::cli::usageError("cannot write '" + outputPath + "': " + error.message());
  output.os() << *bytes;
  output.os().close();
  if (output.os().has_error()) {
    output.os().clear_error();
    return optlm::cli::failure("cannot write '" + outputPath + "'");
  }
  output.keep();
  return cli::ExitOk;
}

cli::RegisterCommand registration(optCommand, runOpt);

} // namespace
