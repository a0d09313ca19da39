//===- Evaluator.cpp - one pipeline on one module, in this process --------===//
#include "engine/Evaluator.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/TargetMachines.h"
#include "engine/PassOptions.h"
#include "ir/DiagnosticCapture.h"
#include "ir/ModuleFacts.h"

#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/PassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/StandardInstrumentations.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace optlm {

char EvaluationError::ID = 0;

void EvaluationError::log(raw_ostream &stream) const {
  stream << outcomeName(TheOutcome) << ": " << Message;
}

std::error_code EvaluationError::convertToErrorCode() const { return inconvertibleErrorCode(); }

static Error evaluationError(Outcome outcome, const Twine &message) {
  return make_error<EvaluationError>(outcome, message.str());
}

Expected<ModuleTarget> moduleTargetFor(Target target) {
  Expected<std::string> layout = dataLayoutFor(targetTriple(target));
  if (!layout)
    return layout.takeError();
  return ModuleTarget{targetTriple(target).str(), std::move(*layout)};
}

Expected<LoadedModule> loadModuleFor(StringRef path, Target target) {
  Expected<ModuleTarget> moduleTarget = moduleTargetFor(target);
  if (!moduleTarget)
    return moduleTarget.takeError();
  return loadModule(path, *moduleTarget);
}

/// The name `default<Oz>` stands under when it means clang's -Oz pipeline.
static constexpr StringLiteral ClangOzName = "clang-default<Oz>";

/// `pipelineText` with each `default<Oz>` element (a whole element, at any
/// depth) renamed ClangOzName. PassBuilder's text parser builds
/// `default<Oz>` with SLP vectorization turned off whatever the builder was
/// given (as opt's -Oz always had it), so clang's pipeline needs a name of
/// its own, which runPipeline's parsing callback builds as clang does.
static std::string withClangOz(StringRef pipelineText) {
  static constexpr StringLiteral OptOz = "default<Oz>";
  std::string renamed;
  size_t copied = 0;
  for (size_t at = pipelineText.find(OptOz); at != StringRef::npos;
       at = pipelineText.find(OptOz, at + OptOz.size())) {
    StringRef before = pipelineText.take_front(at).rtrim();
    StringRef after = pipelineText.drop_front(at + OptOz.size()).ltrim();
    const bool startsElement = before.empty() || before.back() == ',' || before.back() == '(';
    const bool endsElement = after.empty() || after.front() == ',' || after.front() == ')';
    if (!startsElement || !endsElement)
      continue;
    renamed += pipelineText.slice(copied, at);
    renamed += ClangOzName;
    copied = at + OptOz.size();
  }
  renamed += pipelineText.drop_front(copied);
  return renamed;
}

/// Runs the pipeline the way opt-19's new-pass-manager driver does: the
/// target's TargetMachine and TargetLibraryInfo, opt's standard
/// instrumentations (which, among others, skip optnone functions), with
/// the one option of engine/PassOptions.h; `default<Oz>` is clang's -Oz
/// where `settings` ask for it.
static Error runPipeline(Module &module, StringRef pipelineText, TargetMachine &machine,
                         const CompileSettings &settings) {
  if (Error error = configurePassOptions())
    return evaluationError(Outcome::Fatal, toString(std::move(error)));
  LoopAnalysisManager loopAnalyses;
  FunctionAnalysisManager functionAnalyses;
  CGSCCAnalysisManager cgsccAnalyses;
  ModuleAnalysisManager moduleAnalyses;
  PassInstrumentationCallbacks instrumentationCallbacks;
  StandardInstrumentations instrumentations(module.getContext(),
                                            /*DebugLogging=*/false,
                                            /*VerifyEach=*/false);
  instrumentations.registerCallbacks(instrumentationCallbacks, &moduleAnalyses);

  PassBuilder builder(&machine, PipelineTuningOptions(), std::nullopt, &instrumentationCallbacks);
  TargetLibraryInfoImpl libraryInfo(Triple(module.getTargetTriple()));
  functionAnalyses.registerPass([&] { return TargetLibraryAnalysis(libraryInfo); });
  builder.registerModuleAnalyses(moduleAnalyses);
  builder.registerCGSCCAnalyses(cgsccAnalyses);
  builder.registerFunctionAnalyses(functionAnalyses);
  builder.registerLoopAnalyses(loopAnalyses);
  builder.crossRegisterProxies(loopAnalyses, functionAnalyses, cgsccAnalyses, moduleAnalyses);

  const std::string text =
      settings.clangOzPipeline ? withClangOz(pipelineText) : pipelineText.str();
  if (settings.clangOzPipeline) {
    // Clang's tuning at -Oz (clang's EmitAssemblyHelper): SLP vectorization
    // on, loop vectorization off, loop interleaving and unrolling on.
    builder.registerPipelineParsingCallback(
        [&](StringRef name, ModulePassManager &passes, ArrayRef<PassBuilder::PipelineElement>) {
          if (name != ClangOzName)
            return false;
          PipelineTuningOptions clangs;
          clangs.SLPVectorization = true;
          clangs.LoopVectorization = false;
          PassBuilder clangBuilder(&machine, clangs, std::nullopt, &instrumentationCallbacks);
          passes.addPass(clangBuilder.buildPerModuleDefaultPipeline(OptimizationLevel::Oz));
          return true;
        });
  }

  ModulePassManager passes;
  // PassBuilder rejects "module()", the empty pipeline's canonical text;
  // like opt with an empty -p, the empty pipeline runs no pass at all.
  StringRef trimmed = pipelineText.trim();
  bool emptyPipeline = trimmed.empty() || trimmed == "module()";
  if (!emptyPipeline)
    if (Error error = builder.parsePassPipeline(passes, text))
      return evaluationError(Outcome::InvalidPipeline, toString(std::move(error)));

  ScopedDiagnosticCapture diagnostics(module.getContext());
  passes.run(module, moduleAnalyses);
  if (!diagnostics.firstError().empty())
    return evaluationError(Outcome::Fatal, diagnostics.firstError());
  return Error::success();
}

Expected<OptimizedModule> optimizeModuleWithText(const Module &module, StringRef pipelineText,
                                                 Target target, const CompileSettings &settings) {
  Expected<std::unique_ptr<TargetMachine>> machine =
      createOptimizerTargetMachine(targetTriple(target), settings.relocation);
  if (!machine)
    return machine.takeError();

  // opt refuses a broken input before running anything; so does optlm,
  // also because the bitcode writer (which makes the copy) assumes valid IR.
  std::string report;
  raw_string_ostream reportStream(report);
  if (verifyModule(module, &reportStream))
    return evaluationError(Outcome::InvalidIR,
                           "input module is broken: " + StringRef(report).trim().split('\n').first);

  Expected<LoadedModule> copy = copyIntoNewContext(module);
  if (!copy)
    return evaluationError(Outcome::Fatal, "cannot copy the module: " + toString(copy.takeError()));
  OptimizedModule optimized;
  optimized.context = std::move(copy->context);
  optimized.module = std::move(copy->module);
  if (optimized.module->getTargetTriple() != targetTriple(target))
    retarget(*optimized.module, {targetTriple(target).str(),
                                 (*machine)->createDataLayout().getStringRepresentation()});

  if (Error error = runPipeline(*optimized.module, pipelineText, **machine, settings))
    return std::move(error);

  report.clear();
  if (verifyModule(*optimized.module, &reportStream))
    return evaluationError(Outcome::InvalidIR, StringRef(report).trim().split('\n').first);

  ModuleFacts facts = moduleFacts(*optimized.module);
  optimized.measurement.instructionCount = facts.instructionCount;
  optimized.measurement.basicBlockCount = facts.basicBlockCount;
  optimized.measurement.functionCount = facts.functionCount;
  optimized.measurement.irHash = moduleHash(*optimized.module);
  return std::move(optimized);
}

Expected<OptimizedModule> optimizeModule(const Module &module, const Pipeline &pipeline,
                                         Target target, const CompileSettings &settings) {
  return optimizeModuleWithText(module, pipeline.text(), target, settings);
}

Expected<ObjectSizes> measureObject(Module &module, Target target,
                                    std::optional<Reloc::Model> codegenRelocation) {
  // A fresh machine per object, as llc has: emitObject may set the module's
  // code model on it.
  Expected<std::unique_ptr<TargetMachine>> machine =
      createCodegenTargetMachine(targetTriple(target), codegenRelocation);
  if (!machine)
    return machine.takeError();
  Expected<SmallVector<char, 0>> object = emitObject(module, **machine);
  if (!object)
    return evaluationError(Outcome::Fatal, toString(object.takeError()));
  Expected<ObjectSizes> sizes = measureObjectSizes(StringRef(object->data(), object->size()));
  if (!sizes)
    return evaluationError(Outcome::Fatal, toString(sizes.takeError()));
  return sizes;
}

EvaluationResult measureOptimized(OptimizedModule &&optimized, Target target,
                                  StringRef pipelineText,
                                  std::optional<Reloc::Model> codegenRelocation) {
  Expected<ObjectSizes> sizes = measureObject(*optimized.module, target, codegenRelocation);
  optimized.module.reset();
  optimized.context.reset();
  if (!sizes)
    return failedEvaluation(sizes.takeError(), pipelineText);

  EvaluationResult result;
  result.outcome = Outcome::Ok;
  result.pipeline = pipelineText.str();
  Measurement measurement = std::move(optimized.measurement);
  measurement.binarySize = sizes->binarySize();
  measurement.textSize = sizes->text;
  measurement.dataSize = sizes->data;
  measurement.bssSize = sizes->bss;
  measurement.sections = std::move(sizes->sections);
  result.measurement = std::move(measurement);
  return result;
}

EvaluationResult failedEvaluation(Error error, StringRef pipelineText) {
  EvaluationResult result;
  result.pipeline = pipelineText.str();
  result.outcome = Outcome::Fatal;
  handleAllErrors(
      std::move(error),
      [&](const EvaluationError &failure) {
        result.outcome = failure.outcome();
        result.message = failure.detail();
      },
      [&](const ErrorInfoBase &other) { result.message = other.message(); });
  // Messages are one line; LLVM's may run on.
  result.message = StringRef(result.message).trim().split('\n').first.str();
  return result;
}

EvaluationResult evaluate(const Module &module, const Pipeline &pipeline, Target target) {
  std::string text = pipeline.text();
  Expected<OptimizedModule> optimized = optimizeModuleWithText(module, text, target);
  if (!optimized)
    return failedEvaluation(optimized.takeError(), text);
  return measureOptimized(std::move(*optimized), target, text);
}

} // namespace optlm
