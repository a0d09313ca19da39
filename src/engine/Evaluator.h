//===- Evaluator.h - one pipeline on one module, in this process -*- C++ -*-===//
//
// An evaluation is what `opt-19 -p PIPELINE | llc-19 -filetype=obj |
// llvm-size-19` computes, done in memory:
//   1. optimizeModule: copy the module into a context of its own (the
//      caller's is never changed; see copyIntoNewContext for why not
//      CloneModule), set it to the target, run the pipeline through PassBuilder with the
//      target machine opt would create (so TargetTransformInfo is the
//      target's), verify the result, and measure the IR (counts, hash);
//   2. measureOptimized: generate the object file and measure its sections.
// The stages are separate so that a caller holding sizes for known IR
// hashes (the evaluation pool) can skip stage 2.
//
// Nothing here aborts on a bad pipeline: PassBuilder's parse errors, the
// verifier's findings and the context's error diagnostics all become
// results. Passes that crash or call report_fatal_error still take the
// process down; isolating them is the sandbox's business.
//
// Ownership and threads: the input module is only read (written out as
// bitcode); each evaluation works in an LLVMContext of its own, which the
// OptimizedModule owns. Evaluations of one input may run on several threads
// as long as nothing modifies the input meanwhile.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "codegen/CompileSettings.h"
#include "codegen/ObjectSizes.h"
#include "engine/Evaluation.h"
#include "ir/ModuleLoader.h"
#include "pipeline/Pipeline.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>

namespace optlm {

/// An error that ends an evaluation with a specific outcome
/// (InvalidPipeline, InvalidIR or Fatal).
class EvaluationError : public llvm::ErrorInfo<EvaluationError> {
public:
  static char ID;
  EvaluationError(Outcome outcome, std::string message)
      : TheOutcome(outcome), Message(std::move(message)) {}

  Outcome outcome() const { return TheOutcome; }
  const std::string &detail() const { return Message; }
  void log(llvm::raw_ostream &stream) const override;
  std::error_code convertToErrorCode() const override;

private:
  Outcome TheOutcome;
  std::string Message;
};

/// Stage 1's product: the optimized clone and its IR measurements.
struct OptimizedModule {
  // Declared first: the module must be destroyed before its context.
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
  /// The IR fields and irHash are set; the object fields are zero.
  Measurement measurement;
};

/// The triple and data layout modules are given for a target.
llvm::Expected<ModuleTarget> moduleTargetFor(Target target);

/// loadModule for a target (see ir/ModuleLoader.h).
llvm::Expected<LoadedModule> loadModuleFor(llvm::StringRef path, Target target);

/// Stage 1. A module set to another target is retargeted in the clone.
/// The passes see a target machine with `settings.relocation` (nullopt:
/// opt's, the target's default), the model code will be generated with, as
/// clang's passes do, and `default<Oz>` is clang's -Oz pipeline where the
/// settings say so (codegen/CompileSettings.h).
llvm::Expected<OptimizedModule> optimizeModule(const llvm::Module &module, const Pipeline &pipeline,
                                               Target target, const CompileSettings &settings = {});

/// The same with pipeline text handed to PassBuilder unchecked (for
/// pipelines from outside the vocabulary; anything PassBuilder rejects is
/// an InvalidPipeline error).
llvm::Expected<OptimizedModule> optimizeModuleWithText(const llvm::Module &module,
                                                       llvm::StringRef pipelineText, Target target,
                                                       const CompileSettings &settings = {});

/// Object sizes of a module, consuming it (code generation rewrites IR),
/// generated with `codegenRelocation` (CompileSettings::relocation; nullopt: llc's
/// default for the target).
llvm::Expected<ObjectSizes>
measureObject(llvm::Module &module, Target target,
              std::optional<llvm::Reloc::Model> codegenRelocation = std::nullopt);

/// Stage 2: generates the object and completes the measurement.
EvaluationResult
measureOptimized(OptimizedModule &&optimized, Target target, llvm::StringRef pipelineText,
                 std::optional<llvm::Reloc::Model> codegenRelocation = std::nullopt);

/// The result of an evaluation that ended with this error: an
/// EvaluationError's outcome, Fatal for anything else.
EvaluationResult failedEvaluation(llvm::Error error, llvm::StringRef pipelineText);

/// Both stages.
EvaluationResult evaluate(const llvm::Module &module, const Pipeline &pipeline, Target target);

} // namespace optlm
