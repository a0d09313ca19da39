//===- cmd_opt.cpp - optlm opt: apply a pipeline and write the result -----===//
//
// Applies a pipeline to FILE exactly as `optlm size` does and writes the
// optimized module in the form OUT's extension names: .ll (IR text), .bc
// (bitcode), .o (object file) or .s (assembly), for the chosen target. The
// pipeline may also be one for each part of the module, as `optlm tune
// --json` ("part_pipelines") and optlm cc's build log write it
// (pipeline/PartPipelines.h). With --as-clang the module is optimized and
// its code generated as optlm cc measures and makes a build's objects
// (codegen/CompileSettings.h), so a decision in cc's log can be reproduced
// to the byte. The pipeline is the user's and may crash LLVM: it runs in a
// sandboxed child (engine/SandboxedOutput.h), and a crash is an error
// naming it, with OUT left as it was.
//
//===----------------------------------------------------------------------===//
#include "Command.h"
#include "CompileAsFlag.h"
#include "TargetFlag.h"

#include "codegen/ModuleWriter.h"
#include "engine/Evaluator.h"
#include "engine/SandboxedOutput.h"
#include "pipeline/PartPipelines.h"
#include "pipeline/Pipeline.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand optCommand("opt", "Apply a pipeline and write the module (.ll .bc .o .s)");

cl::opt<std::string> InputPath(cl::Positional, cl::desc("<FILE: .ll .bc .c .cpp>"),
                               cl::sub(optCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string>
    PipelineText("p", cl::desc("Pipeline: new-pass-manager text, a flat list, or a level"),
                 cl::value_desc("pipeline"), cl::sub(optCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> OptLevel("O", cl::Prefix,
                              cl::desc("Standard pipeline: -O0 -O1 -O2 -O3 -Os -Oz"),
                              cl::value_desc("level"), cl::sub(optCommand),
                              cl::cat(cli::optionCategory()));
cli::TargetFlag TargetOption(optCommand, cli::TargetFlag::Default::InputIR);
cli::CompileAsFlag CompileAsOption(optCommand);
cl::opt<std::string> OutputPath("o", cl::desc("Output file; its extension picks the form"),
                                cl::value_desc("OUT.ll|OUT.bc|OUT.o|OUT.s"), cl::sub(optCommand),
                                cl::cat(cli::optionCategory()));

int runOpt() {
  if (InputPath.empty())
    return optlm::cli::usageError(
        "no input file (usage: optlm opt FILE -p PIPELINE [--target T] -o OUT)");
  if (OutputPath.empty())
    return optlm::cli::usageError("no output file (-o OUT.ll, OUT.bc, OUT.o or OUT.s)");
  if (Expected<OutputKind> kind = outputKindFromPath(OutputPath); !kind)
    return optlm::cli::usageError(toString(kind.takeError()));
  if (PipelineText.empty() == !OptLevel.getNumOccurrences())
    return optlm::cli::usageError("give a pipeline: -p PIPELINE or an -O level (one of them)");

  Expected<optlm::Target> target = TargetOption.forInput(InputPath);
  if (!target)
    return optlm::cli::usageError(toString(target.takeError()));
  std::string text = OptLevel.getNumOccurrences() ? "-O" + OptLevel : PipelineText.getValue();
  Expected<UnitPipeline> pipeline = parseUnitPipeline(text);
  if (!pipeline)
    return optlm::cli::usageError(toString(pipeline.takeError()));

  Expected<LoadedModule> loaded = loadModuleFor(InputPath, *target);
  if (!loaded)
    return optlm::cli::usageError(toString(loaded.takeError()));

  if (Error error = writeOptimizedUnit(*loaded->module, *pipeline, *target, CompileAsOption.get(),
                                       OutputPath))
    return optlm::cli::failure(toString(std::move(error)));
  return cli::ExitOk;
}

cli::RegisterCommand registration(optCommand, runOpt);

} // namespace
