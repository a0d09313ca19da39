//===- Disassembler.cpp - assembly to LLVM-IR with a model, round-tripped -===//
#include "tasks/Disassembler.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/TargetMachines.h"
#include "data/Prompts.h"
#include "engine/Evaluator.h"
#include "tasks/AnswerParser.h"
#include "tasks/AssemblyNormalizer.h"

#include "sandbox/ProcessPool.h"

#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

namespace optlm::tasks {

RoundTrip checkRoundTrip(StringRef assembly, StringRef ir, Target target) {
  RoundTrip trip;
  Expected<ModuleTarget> moduleTarget = moduleTargetFor(target);
  if (!moduleTarget) {
    trip.problem = toString(moduleTarget.takeError());
    return trip;
  }
  Expected<LoadedModule> loaded =
      parseModule(MemoryBufferRef(ir, "answer.ll"), InputKind::IRText, *moduleTarget);
  if (!loaded) {
    trip.problem = "the IR does not parse or verify: " + toString(loaded.takeError());
    return trip;
  }
  trip.parses = true;
  // Valid IR can still make the code generator give up for good ("Cannot
  // select" is a fatal error): a model's IR is compiled in a sandboxed
  // child, whose first byte says whether the rest is assembly or an error.
  sandbox::Limits limits;
  limits.timeout = std::chrono::seconds(60);
  limits.memoryHeadroomBytes = uint64_t(2) << 30;
  sandbox::ProcessPool pool(1, limits);
  std::vector<sandbox::JobOutcome> outcomes =
      pool.run(1, [&](size_t, sandbox::ChildChannel &) -> std::string {
        auto machine = createCodegenTargetMachine(moduleTarget->triple);
        if (!machine)
          return "E" + toString(machine.takeError());
        Expected<std::string> recompiled = emitAssembly(*loaded->module, **machine);
        if (!recompiled)
          return "E" + toString(recompiled.takeError());
        return "A" + *recompiled;
      });
  const sandbox::JobOutcome &outcome = outcomes.front();
  if (outcome.end != sandbox::JobEnd::Finished || outcome.result.empty()) {
    trip.problem = ("the code generator failed on the IR (" + sandbox::jobEndName(outcome.end) +
                    "): " + outcome.message)
                       .str();
    return trip;
  }
  if (outcome.result.front() == 'E') {
    trip.problem = "the IR does not compile: " + outcome.result.substr(1);
    return trip;
  }
  trip.compiles = true;
  trip.assembly = outcome.result.substr(1);
  trip.matches = normalizeAssembly(trip.assembly) == normalizeAssembly(assembly);
  if (!trip.matches)
    trip.problem = "the IR compiles to different assembly";
  return trip;
}

Expected<DisassemblyResult> disassemble(StringRef assembly, ModelSource &model,
                                        const DisassembleOptions &options) {
  Expected<lm::GenerationResult> answer =
      model.askWithinContext(data::disassemblyPrompt(assembly), options.maxTokens, "the assembly");
  if (!answer)
    return answer.takeError();
  DisassemblyResult result;
  result.answer = answer->text;
  result.truncated = answer->finish == lm::FinishReason::Length;
  result.ir = extractCode(answer->text);
  result.roundTrip = checkRoundTrip(assembly, result.ir, options.target);
  return result;
}

} // namespace optlm::tasks
