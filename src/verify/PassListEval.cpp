//===- PassListEval.cpp - reject pass lists that break programs ------------===//
#include "verify/PassListEval.h"
#include "verify/TargetRunner.h"

#include "verify/BuildSteps.h"

#include "engine/Evaluator.h"
#include "ir/ModuleLoader.h"
#include "store/ResultsStore.h"

#include "llvm/Support/Errc.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <nlohmann/json.hpp>

#include <map>
#include <unistd.h>

namespace optlm::verify {

struct PassListEval::Workspace {
  std::string directory;
  std::vector<LoadedModule> modules; ///< per suite program
  std::vector<RunResult> references; ///< per suite program
  bool prepared = false;
  uint64_t batches = 0;

  ~Workspace() {
    if (!directory.empty())
      llvm::sys::fs::remove_directories(directory, /*IgnoreErrors=*/true);
  }
};

llvm::Error checkTargetCanRun(Target target) {
  llvm::Expected<TargetRunner> runner = targetRunner(target);
  return runner ? llvm::Error::success() : runner.takeError();
}

static constexpr std::chrono::milliseconds ReferenceCompileTimeout{std::chrono::seconds(60)};

static BuildLimits buildLimits(const PassListEvalOptions &options) {
  BuildLimits limits;
  limits.jobs = options.jobs;
  limits.compileTimeout = options.compileTimeout;
  limits.compileMemoryHeadroomBytes = options.compileMemoryHeadroomBytes;
  limits.linkTimeout = options.linkTimeout;
  limits.run = options.run;
  return limits;
}

const ProgramOutcome *Verdict::firstFailure() const {
  for (const ProgramOutcome &outcome : programs)
    if (!outcome.passed() && outcome.failure != Failure::NotRun)
      return &outcome;
  return nullptr;
}

std::string Verdict::summary() const {
  if (accepted)
    return "accepted (" + std::to_string(programs.size()) + " programs)";
  const ProgramOutcome *first = firstFailure();
  if (!first)
    return "rejected";
  std::string text = "rejected: " + first->program + ": " + failureName(first->failure).str();
  if (!first->message.empty())
    text += " (" + first->message + ")";
  size_t others = 0;
  for (const ProgramOutcome &outcome : programs)
    if (&outcome != first && !outcome.passed() && outcome.failure != Failure::NotRun)
      ++others;
  if (others)
    text += "; " + std::to_string(others) + " other program" + (others == 1 ? "" : "s") + " failed";
  return text;
}

std::string verdictDetailsJson(const Verdict &verdict) {
  nlohmann::json programs = nlohmann::json::array();
  for (const ProgramOutcome &outcome : verdict.programs) {
    nlohmann::json entry = {{"program", outcome.program},
                            {"result", failureName(outcome.failure).str()}};
    if (!outcome.message.empty())
      entry["message"] = outcome.message;
    programs.push_back(std::move(entry));
  }
  return nlohmann::json{{"programs", programs}}.dump(-1, ' ', false,
                                                     nlohmann::json::error_handler_t::replace);
}

VerdictOrigin verdictOrigin(const Suite &suite) { return {suite.id, resultsVersion().str()}; }

llvm::Expected<VerdictOrigin> defaultVerdictOrigin() {
  llvm::Expected<Suite> suite = loadSuite(defaultSuiteDirectories());
  if (!suite)
    return suite.takeError();
  return verdictOrigin(*suite);
}

llvm::Expected<size_t> recordAcceptedVerdicts(ResultsStore &store, Target target,
                                              llvm::ArrayRef<std::string> pipelines,
                                              const VerdictOrigin &origin) {
  if (origin.suiteId.empty() || origin.llvmVersion != resultsVersion())
    return 0;
  // Only lists without a verdict under that suite need the suite itself
  // (reading its files to compare ids): a warm store costs lookups only.
  llvm::Expected<llvm::StringSet<>> known = store.pipelinesWithVerdict(target, origin.suiteId);
  if (!known)
    return known.takeError();
  std::vector<std::string> missing;
  for (const std::string &pipeline : pipelines)
    if (!known->contains(pipeline))
      missing.push_back(pipeline);
  if (missing.empty())
    return 0;
  llvm::Expected<Suite> suite = loadSuite(defaultSuiteDirectories());
  if (!suite) {
    // Without a suite nothing can be verified anyway; PassListEval says why.
    llvm::consumeError(suite.takeError());
    return 0;
  }
  if (suite->id != origin.suiteId)
    return 0;
  for (const std::string &pipeline : missing) {
    Verdict verdict;
    verdict.pipeline = pipeline;
    verdict.target = target;
    verdict.suiteId = suite->id;
    verdict.accepted = true;
    for (const SuiteProgram &program : suite->programs)
      verdict.programs.push_back({program.name, Failure::None, ""});
    PassListVerdict record{pipeline, target, suite->id, true, verdictDetailsJson(verdict)};
    if (llvm::Error error = store.recordVerdict(record))
      return std::move(error);
  }
  return missing.size();
}

llvm::Expected<std::vector<ProgramOutcome>> programOutcomesFromJson(llvm::StringRef details) {
  auto malformed = [] {
    return llvm::createStringError(llvm::errc::invalid_argument,
                                   "malformed PassListEval details in the results store");
  };
  nlohmann::json parsed = nlohmann::json::parse(details.begin(), details.end(), nullptr,
                                                /*allow_exceptions=*/false);
  if (!parsed.is_object() || !parsed.contains("programs") || !parsed["programs"].is_array())
    return malformed();
  std::vector<ProgramOutcome> outcomes;
  for (const nlohmann::json &entry : parsed["programs"]) {
    if (!entry.is_object() || !entry.contains("program") || !entry["program"].is_string() ||
        !entry.contains("result") || !entry["result"].is_string())
      return malformed();
    std::optional<Failure> failure = failureFromName(entry["result"].get<std::string>());
    if (!failure)
      return malformed();
    ProgramOutcome outcome;
    outcome.program = entry["program"].get<std::string>();
    outcome.failure = *failure;
    if (entry.contains("message") && entry["message"].is_string())
      outcome.message = entry["message"].get<std::string>();
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

PassListEval::PassListEval(PassListEvalOptions options, Suite suite)
    : Options(std::move(options)), TheSuite(std::move(suite)), Work(std::make_unique<Workspace>()) {
}

PassListEval::~PassListEval() = default;

llvm::Expected<std::unique_ptr<PassListEval>> PassListEval::create(PassListEvalOptions options) {
  if (llvm::Error error = checkTargetCanRun(options.target))
    return std::move(error);
  if (options.suiteDirectories.empty())
    options.suiteDirectories = defaultSuiteDirectories();
  llvm::Expected<Suite> suite = loadSuite(options.suiteDirectories);
  if (!suite)
    return suite.takeError();
  return std::unique_ptr<PassListEval>(new PassListEval(std::move(options), std::move(*suite)));
}

llvm::Error PassListEval::prepare() {
  if (Work->prepared)
    return llvm::Error::success();
  llvm::SmallString<128> directory;
  if (std::error_code error = llvm::sys::fs::createUniqueDirectory("optlm-passlisteval", directory))
    return llvm::createStringError(error, "cannot create a temporary folder: " + error.message());
  Work->directory = directory.str().str();
  BuildLimits limits = buildLimits(Options);
  const std::vector<SuiteProgram> &programs = TheSuite.programs;

  // 1. Unoptimized IR, as LLM Compiler's inputs were made.
  std::vector<SourceJob> sources;
  for (const SuiteProgram &program : programs)
    sources.push_back({program.sourcePath, Work->directory + "/" + program.name + ".bc"});
  std::vector<std::string> compileErrors = compileSources(sources, Options.target, limits);
  Statistics.sourceCompilations += sources.size();
  for (size_t i = 0; i < programs.size(); ++i)
    if (!compileErrors[i].empty())
      return llvm::createStringError(llvm::errc::invalid_argument,
                                     "suite program '" + programs[i].name +
                                         "' does not compile: " + compileErrors[i]);
  Work->modules.clear();
  for (const SourceJob &source : sources) {
    llvm::Expected<LoadedModule> loaded = loadModuleFor(source.bitcodePath, Options.target);
    if (!loaded)
      return loaded.takeError();
    Work->modules.push_back(std::move(*loaded));
  }

  // 2. References: the same IR with no passes. Their limit is generous
  // whatever the candidates get: a slow reference is not a verdict.
  Pipeline noPasses;
  limits.compileTimeout = std::max(limits.compileTimeout, ReferenceCompileTimeout);
  std::vector<ObjectJob> objects;
  for (size_t i = 0; i < programs.size(); ++i)
    objects.push_back({Work->modules[i].module.get(), &noPasses,
                       Work->directory + "/reference-" + programs[i].name + ".o"});
  std::vector<StepResult> built = buildObjects(objects, Options.target, limits);
  Statistics.objectCompilations += objects.size();
  std::vector<ExecJob> runs;
  for (size_t i = 0; i < programs.size(); ++i) {
    if (built[i].failure != Failure::None)
      return llvm::createStringError(llvm::errc::invalid_argument,
                                     "suite program '" + programs[i].name +
                                         "': the reference build failed: " +
                                         failureName(built[i].failure) + " " + built[i].message);
    runs.push_back(
        {objects[i].objectPath, Work->directory + "/reference-" + programs[i].name, {}, ""});
  }
  std::vector<ExecResult> ran = linkAndRun(runs, Options.target, limits);
  Statistics.programRuns += runs.size();
  Work->references.clear();
  for (size_t i = 0; i < programs.size(); ++i) {
    llvm::sys::fs::remove(runs[i].objectPath);
    const SuiteProgram &program = programs[i];
    auto suiteError = [&](const llvm::Twine &what) {
      return llvm::createStringError(llvm::errc::invalid_argument,
                                     "suite program '" + program.name + "': " + what);
    };
    if (ran[i].link.failure != Failure::None)
      return suiteError("the reference does not link: " + ran[i].link.message);
    const RunResult &reference = ran[i].run;
    if (!reference.exitedNormally())
      return suiteError("the reference build " + reference.endDescription() +
                        " (a suite program must end by itself within the run limit)");
    if (reference.outputTruncated)
      return suiteError("the reference prints more than the output limit");
    if (program.expectedOutput) {
      if (reference.output != *program.expectedOutput)
        return suiteError("the reference output differs from " + program.name + ".expected: " +
                          describeDifference(*program.expectedOutput, reference.output));
      if (reference.exitCode != 0)
        return suiteError("the reference exits with " + std::to_string(reference.exitCode) +
                          ", a program with a .expected file must exit 0");
    }
    Work->references.push_back(reference);
  }
  Work->prepared = true;
  return llvm::Error::success();
}

namespace {
/// One (pipeline, program) pair of a batch.
struct Pair {
  size_t pipeline;
  size_t program;
};
} // namespace

llvm::Expected<std::vector<Verdict>>
PassListEval::evaluateUncached(llvm::ArrayRef<Pipeline> pipelines) {
  if (llvm::Error error = prepare())
    return std::move(error);
  BuildLimits limits = buildLimits(Options);
  const std::vector<SuiteProgram> &programs = TheSuite.programs;

  std::vector<Verdict> verdicts(pipelines.size());
  for (size_t p = 0; p < pipelines.size(); ++p) {
    verdicts[p].pipeline = pipelines[p].text();
    verdicts[p].target = Options.target;
    verdicts[p].suiteId = TheSuite.id;
    for (const SuiteProgram &program : programs)
      verdicts[p].programs.push_back({program.name, Failure::NotRun, ""});
  }

  auto runPairs = [&](llvm::ArrayRef<Pair> pairs) {
    uint64_t batch = Work->batches++;
    std::vector<ObjectJob> objects;
    for (const Pair &pair : pairs)
      objects.push_back({Work->modules[pair.program].module.get(), &pipelines[pair.pipeline],
                         Work->directory + "/b" + std::to_string(batch) + "-p" +
                             std::to_string(pair.pipeline) + "-" + programs[pair.program].name +
                             ".o"});
    std::vector<StepResult> built = buildObjects(objects, Options.target, limits);
    Statistics.objectCompilations += objects.size();
    std::vector<ExecJob> runs;
    std::vector<size_t> runOf;
    for (size_t i = 0; i < pairs.size(); ++i) {
      ProgramOutcome &outcome = verdicts[pairs[i].pipeline].programs[pairs[i].program];
      if (built[i].failure != Failure::None) {
        outcome.failure = built[i].failure;
        outcome.message = built[i].message;
        llvm::sys::fs::remove(objects[i].objectPath);
        continue;
      }
      llvm::StringRef objectPath = objects[i].objectPath;
      runs.push_back({objectPath.str(), objectPath.drop_back(2).str(), {}, ""});
      runOf.push_back(i);
    }
    std::vector<ExecResult> ran = linkAndRun(runs, Options.target, limits);
    Statistics.programRuns += runs.size();
    for (size_t r = 0; r < runs.size(); ++r) {
      llvm::sys::fs::remove(runs[r].objectPath);
      const Pair &pair = pairs[runOf[r]];
      ProgramOutcome &outcome = verdicts[pair.pipeline].programs[pair.program];
      StepResult step = ran[r].link.failure != Failure::None
                            ? ran[r].link
                            : compareRuns(Work->references[pair.program], ran[r].run);
      outcome.failure = step.failure;
      outcome.message = step.message;
    }
  };

  if (Options.stopAtFirstFailure) {
    size_t chunk = Options.jobs ? Options.jobs : std::max<long>(1, ::sysconf(_SC_NPROCESSORS_ONLN));
    for (size_t p = 0; p < pipelines.size(); ++p) {
      for (size_t begin = 0; begin < programs.size(); begin += chunk) {
        std::vector<Pair> pairs;
        for (size_t i = begin; i < std::min(programs.size(), begin + chunk); ++i)
          pairs.push_back({p, i});
        runPairs(pairs);
        if (verdicts[p].firstFailure())
          break;
      }
    }
  } else {
    std::vector<Pair> pairs;
    for (size_t p = 0; p < pipelines.size(); ++p)
      for (size_t i = 0; i < programs.size(); ++i)
        pairs.push_back({p, i});
    runPairs(pairs);
  }

  for (Verdict &verdict : verdicts)
    verdict.accepted = !verdict.firstFailure();
  return verdicts;
}

llvm::Expected<Verdict> PassListEval::evaluate(const Pipeline &pipeline) {
  llvm::Expected<std::vector<Verdict>> verdicts = evaluate(llvm::ArrayRef(pipeline));
  if (!verdicts)
    return verdicts.takeError();
  return std::move(verdicts->front());
}

llvm::Expected<std::vector<Verdict>> PassListEval::evaluate(llvm::ArrayRef<Pipeline> pipelines) {
  Statistics.verdictsRequested += pipelines.size();
  std::vector<std::optional<Verdict>> answers(pipelines.size());
  // Pipelines with the same canonical text are evaluated once.
  std::map<std::string, size_t> firstOfText;
  std::vector<Pipeline> pending;
  std::vector<size_t> pendingOf(pipelines.size(), SIZE_MAX);
  for (size_t i = 0; i < pipelines.size(); ++i) {
    std::string text = pipelines[i].text();
    if (Options.store) {
      llvm::Expected<std::optional<PassListVerdict>> stored =
          Options.store->findVerdict(text, Options.target, TheSuite.id);
      if (!stored)
        return stored.takeError();
      if (*stored) {
        llvm::Expected<std::vector<ProgramOutcome>> outcomes =
            programOutcomesFromJson((*stored)->details);
        if (outcomes) {
          Verdict verdict;
          verdict.pipeline = text;
          verdict.target = Options.target;
          verdict.suiteId = TheSuite.id;
          verdict.accepted = (*stored)->accepted;
          verdict.programs = std::move(*outcomes);
          verdict.fromStore = true;
          answers[i] = std::move(verdict);
          ++Statistics.verdictsFromStore;
          continue;
        }
        // A record this version cannot read is evaluated again.
        llvm::consumeError(outcomes.takeError());
      }
    }
    auto [it, inserted] = firstOfText.try_emplace(text, pending.size());
    if (inserted)
      pending.push_back(pipelines[i]);
    pendingOf[i] = it->second;
  }

  if (!pending.empty()) {
    llvm::Expected<std::vector<Verdict>> fresh = evaluateUncached(pending);
    if (!fresh)
      return fresh.takeError();
    for (const Verdict &verdict : *fresh) {
      if (!Options.store)
        continue;
      // A verdict a time limit decided would be wrong to reuse under
      // another limit or on a less loaded machine.
      bool decidedByTimeLimit = false, decidedOtherwise = false;
      for (const ProgramOutcome &outcome : verdict.programs) {
        if (isTimeLimited(outcome.failure))
          decidedByTimeLimit = true;
        else if (!outcome.passed() && outcome.failure != Failure::NotRun)
          decidedOtherwise = true;
      }
      if (decidedByTimeLimit && !decidedOtherwise)
        continue;
      PassListVerdict record{verdict.pipeline, verdict.target, verdict.suiteId, verdict.accepted,
                             verdictDetailsJson(verdict)};
      if (llvm::Error error = Options.store->recordVerdict(record))
        return std::move(error);
    }
    for (size_t i = 0; i < pipelines.size(); ++i)
      if (pendingOf[i] != SIZE_MAX)
        answers[i] = (*fresh)[pendingOf[i]];
  }

  std::vector<Verdict> verdicts;
  for (std::optional<Verdict> &answer : answers)
    verdicts.push_back(std::move(*answer));
  return verdicts;
}

} // namespace optlm::verify
