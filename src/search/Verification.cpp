//===- Verification.cpp - PassListEval and the program check for tuning -----===//
#include "search/Verification.h"

#include "store/ResultsStore.h"

#include "verify/PassListEval.h"
#include "verify/ProgramCheck.h"

#include <memory>

namespace optlm::search {

llvm::Expected<Verifiers> makeVerifiers(const VerificationSettings &settings, ResultsStore *store) {
  if (!settings.passListEval && !settings.programCheck)
    return Verifiers();
  // Both checkers are built now, not at the first candidate, so that a
  // program without main or a target that cannot run here is reported
  // before any search time is spent. The function owns them.
  std::shared_ptr<verify::PassListEval> suite;
  if (settings.passListEval) {
    verify::PassListEvalOptions options;
    options.target = settings.target;
    options.jobs = settings.jobs;
    options.store = store;
    // Tuning needs accepted or rejected, not every program's story.
    options.stopAtFirstFailure = true;
    auto created = verify::PassListEval::create(std::move(options));
    if (!created)
      return created.takeError();
    suite = std::move(*created);
  }
  std::shared_ptr<verify::ProgramCheck> program;
  if (settings.programCheck) {
    verify::ProgramCheckOptions options;
    options.target = settings.target;
    options.arguments = settings.runArgs;
    options.stdinPath = settings.stdinPath;
    auto created = verify::ProgramCheck::create(settings.programPath, std::move(options));
    if (!created)
      return created.takeError();
    program = std::move(*created);
  }
  Verifiers verifiers;
  if (program)
    verifiers.optimized = [program](const llvm::Module &module) -> llvm::Expected<Verdict> {
      auto checked = program->checkOptimized(module);
      if (!checked)
        return checked.takeError();
      if (!checked->accepted)
        return Verdict{false, "program check " + checked->summary(), true};
      return Verdict{true, ""};
    };
  verifiers.pipeline = [suite, program](const Pipeline &pipeline) -> llvm::Expected<Verdict> {
    if (program) {
      // The program check runs one program: cheaper than the suite, and
      // it catches what the suite may not exercise.
      auto checked = program->check(pipeline);
      if (!checked)
        return checked.takeError();
      if (!checked->accepted)
        return Verdict{false, "program check " + checked->summary(), true};
    }
    if (suite) {
      auto verdict = suite->evaluate(pipeline);
      if (!verdict)
        return verdict.takeError();
      if (!verdict->accepted)
        return Verdict{false, "PassListEval " + verdict->summary()};
    }
    return Verdict{true, ""};
  };
  return verifiers;
}

llvm::Expected<VerifyFunction> makeVerifier(const VerificationSettings &settings,
                                            ResultsStore *store) {
  llvm::Expected<Verifiers> made = makeVerifiers(settings, store);
  if (!made)
    return made.takeError();
  return std::move(made->pipeline);
}

} // namespace optlm::search
