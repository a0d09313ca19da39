//===- ProgramCheck.cpp - does the tuned program still behave? -------------===//
#include "verify/ProgramCheck.h"

#include "verify/BuildSteps.h"
#include "verify/PassListEval.h"

#include "engine/Evaluator.h"
#include "ir/ModuleLoader.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/Errc.h"
#include "llvm/Support/FileSystem.h"

namespace optlm::verify {

struct ProgramCheck::Workspace {
  std::string directory;
  LoadedModule program;
  uint64_t checks = 0;

  ~Workspace() {
    if (!directory.empty())
      llvm::sys::fs::remove_directories(directory, /*IgnoreErrors=*/true);
  }
};

bool definesMain(const llvm::Module &module) {
  const llvm::Function *main = module.getFunction("main");
  return main && !main->isDeclaration();
}

std::string CheckResult::summary() const {
  if (accepted)
    return "accepted";
  std::string text = "rejected: " + failureName(outcome.failure).str();
  if (!outcome.message.empty())
    text += " (" + outcome.message + ")";
  return text;
}

static BuildLimits buildLimits(const ProgramCheckOptions &options) {
  BuildLimits limits;
  limits.jobs = 1;
  limits.compileTimeout = options.compileTimeout;
  limits.compileMemoryHeadroomBytes = options.compileMemoryHeadroomBytes;
  limits.linkTimeout = options.linkTimeout;
  limits.run = options.run;
  return limits;
}

ProgramCheck::ProgramCheck(ProgramCheckOptions options)
    : Options(std::move(options)), Work(std::make_unique<Workspace>()) {}

ProgramCheck::~ProgramCheck() = default;

llvm::Expected<std::unique_ptr<ProgramCheck>> ProgramCheck::create(llvm::StringRef programPath,
                                                                   ProgramCheckOptions options) {
  if (llvm::Error error = checkTargetCanRun(options.target))
    return std::move(error);
  llvm::Expected<LoadedModule> loaded = loadModuleFor(programPath, options.target);
  if (!loaded)
    return loaded.takeError();
  return create(*loaded->module, std::move(options));
}

llvm::Expected<std::unique_ptr<ProgramCheck>> ProgramCheck::create(const llvm::Module &module,
                                                                   ProgramCheckOptions options) {
  if (llvm::Error error = checkTargetCanRun(options.target))
    return std::move(error);
  if (!definesMain(module))
    return llvm::createStringError(llvm::errc::invalid_argument,
                                   "'" + module.getModuleIdentifier() +
                                       "' defines no main function: the program check needs a "
                                       "program to run");
  if (!options.stdinPath.empty() && !llvm::sys::fs::is_regular_file(options.stdinPath))
    return llvm::createStringError(llvm::errc::no_such_file_or_directory,
                                   "stdin file '" + options.stdinPath + "' is not a readable file");
  std::unique_ptr<ProgramCheck> check(new ProgramCheck(std::move(options)));
  if (llvm::Error error = check->prepare(module))
    return std::move(error);
  return check;
}

llvm::Error ProgramCheck::prepare(const llvm::Module &module) {
  llvm::Expected<LoadedModule> copy = copyIntoNewContext(module);
  if (!copy)
    return copy.takeError();
  Work->program = std::move(*copy);
  llvm::SmallString<128> directory;
  if (std::error_code error = llvm::sys::fs::createUniqueDirectory("optlm-check", directory))
    return llvm::createStringError(error, "cannot create a temporary folder: " + error.message());
  Work->directory = directory.str().str();

  BuildLimits limits = buildLimits(Options);
  // A slow reference build is not the candidates' fault: its limit is generous.
  limits.compileTimeout =
      std::max(limits.compileTimeout, std::chrono::milliseconds(std::chrono::seconds(60)));
  Pipeline noPasses;
  ObjectJob object{Work->program.module.get(), &noPasses, Work->directory + "/reference.o"};
  StepResult built = buildObjects(object, Options.target, limits).front();
  if (built.failure != Failure::None)
    return llvm::createStringError(llvm::errc::invalid_argument,
                                   "the program's reference build (no passes) failed: " +
                                       failureName(built.failure) + " " + built.message);
  ExecJob exec{object.objectPath, Work->directory + "/reference", Options.arguments,
               Options.stdinPath};
  ExecResult ran = linkAndRun(exec, Options.target, limits).front();
  llvm::sys::fs::remove(object.objectPath);
  if (ran.link.failure != Failure::None)
    return llvm::createStringError(llvm::errc::invalid_argument,
                                   "the program's reference build does not link: " +
                                       ran.link.message);
  if (ran.run.timedOut)
    return llvm::createStringError(std::make_error_code(std::errc::timed_out),
                                   "the program's reference build did not end within " +
                                       std::to_string(Options.run.timeout.count()) +
                                       " ms: give it input that ends it, or a longer run limit");
  Reference = std::move(ran.run);
  return llvm::Error::success();
}

llvm::Expected<CheckResult> ProgramCheck::check(const Pipeline &pipeline) {
  return build(*Work->program.module, pipeline);
}

llvm::Expected<CheckResult> ProgramCheck::checkOptimized(const llvm::Module &optimized) {
  const Pipeline none;
  return build(optimized, none);
}

llvm::Expected<CheckResult> ProgramCheck::build(const llvm::Module &module,
                                                const Pipeline &pipeline) {
  BuildLimits limits = buildLimits(Options);
  CheckResult result;
  result.pipeline = pipeline.text();
  result.outcome.program = Work->program.module->getModuleIdentifier();
  std::string stem = Work->directory + "/candidate-" + std::to_string(Work->checks++);
  ObjectJob object{&module, &pipeline, stem + ".o"};
  StepResult step = buildObjects(object, Options.target, limits).front();
  if (step.failure == Failure::None) {
    ExecResult ran =
        linkAndRun(ExecJob{object.objectPath, stem, Options.arguments, Options.stdinPath},
                   Options.target, limits)
            .front();
    step = ran.link.failure != Failure::None ? ran.link : compareRuns(Reference, ran.run);
    result.candidate = std::move(ran.run);
  }
  llvm::sys::fs::remove(object.objectPath);
  result.outcome.failure = step.failure;
  result.outcome.message = step.message;
  result.accepted = step.failure == Failure::None;
  return result;
}

llvm::Expected<CheckResult> checkProgram(llvm::StringRef programPath, const Pipeline &pipeline,
                                         const ProgramCheckOptions &options) {
  llvm::Expected<std::unique_ptr<ProgramCheck>> check = ProgramCheck::create(programPath, options);
  if (!check)
    return check.takeError();
  return (*check)->check(pipeline);
}

} // namespace optlm::verify
