//===- Emulator.h - predicting the compiler's output with a model -*- C++ -*-===//
//
// LLM Compiler's emulation task: given IR and a pipeline, the model predicts
// the optimized IR (or the assembly) and the result's instruction count and
// binary size. The truth comes from the real compiler: the pipeline runs
// first in the engine's sandbox (so a pass that crashes is reported, not
// suffered), then here to print what it produced.
//
// Exact match compares the texts after dropping what carries no code: IR
// comment lines (";"), the source_filename line, blank lines and trailing
// spaces for IR; normalizeAssembly for assembly.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "data/Prompts.h"
#include "engine/Evaluation.h"
#include "pipeline/Pipeline.h"
#include "tasks/ModelSource.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace optlm::tasks {

/// What the compiler really does.
struct EmulationTruth {
  uint64_t inputInstructions = 0;
  uint64_t inputBinarySize = 0;
  std::string output; ///< optimized IR or its assembly
  uint64_t instructions = 0;
  uint64_t binarySize = 0;
};

/// Errors: the pipeline fails on the module (crash, invalid IR ...).
llvm::Expected<EmulationTruth> emulationTruth(const llvm::Module &module, const Pipeline &pipeline,
                                              data::EmulationOutput output, Target target);

/// What the compiler prints for the module after the pipeline (IR, or its
/// assembly), in this process: only for a pipeline known to run (one that
/// emulationTruth ran in the sandbox, or no passes at all).
llvm::Expected<std::string> emulationOutput(const llvm::Module &module, const Pipeline &pipeline,
                                            data::EmulationOutput output, Target target);

struct EmulationPrediction {
  std::string answer; ///< as generated
  std::string output; ///< the code in the answer
  std::optional<uint64_t> instructions;
  std::optional<uint64_t> binarySize;
};

EmulationPrediction readEmulationAnswer(llvm::StringRef answer);

/// The text a comparison sees (see above).
std::string normalizeOutput(llvm::StringRef text, data::EmulationOutput output);
bool outputsMatch(llvm::StringRef predicted, llvm::StringRef actual, data::EmulationOutput output);

struct EmulateOptions {
  Target target = Target::X86_64;
  data::EmulationOutput output = data::EmulationOutput::IR;
  /// Answer budget; 0: whatever the context leaves after the prompt.
  int maxTokens = 0;
};

/// Asks the model. Errors: the prompt does not fit, the model cannot be asked.
llvm::Expected<EmulationPrediction> emulate(const llvm::Module &module, const Pipeline &pipeline,
                                            const EmulationTruth &truth, ModelSource &model,
                                            const EmulateOptions &options);

} // namespace optlm::tasks
