//===- cmd_passlisteval.cpp - optlm passlisteval: do pass lists keep programs working? ===//
//
// Applies each pipeline to every program of a suite (the bundled programs
// and the generated csmith programs unless --suite says otherwise), builds,
// links and runs them, and compares stdout and exit code with the
// unoptimized build (see verify/PassListEval.h). Verdicts are cached in the
// results store under the suite's id.
//
// Exit codes: 0 every pipeline accepted, 1 some rejected, 2 usage or input
// errors, and errors that kept the check from running.
//
//===----------------------------------------------------------------------===//
#include "Command.h"
#include "TargetFlag.h"

#include "store/ResultsStore.h"
#include "verify/PassListEval.h"

#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand passListEvalCommand("passlisteval",
                                   "Check that pass pipelines keep a suite of programs working");

cl::list<std::string> PipelineTexts(cl::Positional, cl::desc("<PIPELINE>..."),
                                    cl::sub(passListEvalCommand), cl::cat(cli::optionCategory()));
cl::list<std::string> OptLevels("O", cl::Prefix,
                                cl::desc("A standard level as a pipeline: -O0 .. -O3 -Os -Oz "
                                         "(checked before the positional pipelines)"),
                                cl::value_desc("level"), cl::sub(passListEvalCommand),
                                cl::cat(cli::optionCategory()));
cl::list<std::string>
    SuiteDirectories("suite",
                     cl::desc("Folder of suite programs NAME.c (+ NAME.expected); repeatable "
                              "(default: the bundled programs and the generated csmith programs)"),
                     cl::value_desc("dir"), cl::sub(passListEvalCommand),
                     cl::cat(cli::optionCategory()));
cli::TargetFlag TargetOption(passListEvalCommand, cli::TargetFlag::Default::X86_64,
                             "AArch64 programs run under qemu-user");
cl::opt<std::string> StorePath("store",
                               cl::desc("Results store caching verdicts (default: $OPTLM_STORE "
                                        "or ~/.cache/optlm/results.sqlite)"),
                               cl::value_desc("path"), cl::sub(passListEvalCommand),
                               cl::cat(cli::optionCategory()));
cl::opt<bool> NoStore("no-store", cl::desc("Neither read nor record cached verdicts"),
                      cl::sub(passListEvalCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> Jobs("jobs", cl::desc("Parallel builds and runs (default: all cores)"),
                       cl::init(0), cl::sub(passListEvalCommand), cl::cat(cli::optionCategory()));
cl::opt<double> RunTimeout("run-timeout", cl::desc("Seconds a program may run (default 10)"),
                           cl::init(10), cl::sub(passListEvalCommand),
                           cl::cat(cli::optionCategory()));
cl::opt<double> CompileTimeout("compile-timeout",
                               cl::desc("Seconds one optimization and code generation may take "
                                        "(default 60)"),
                               cl::init(60), cl::sub(passListEvalCommand),
                               cl::cat(cli::optionCategory()));
cl::opt<bool> StopAtFirst("stop-at-first-failure",
                          cl::desc("Stop checking a pipeline once a program fails"),
                          cl::sub(passListEvalCommand), cl::cat(cli::optionCategory()));
cl::opt<bool> JsonOutput("json", cl::desc("Print one JSON object"), cl::sub(passListEvalCommand),
                         cl::cat(cli::optionCategory()));

std::optional<std::chrono::milliseconds> seconds(double value) {
  if (!(value > 0) || value > 24 * 3600)
    return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(value * 1000));
}

nlohmann::json verdictJson(const verify::Verdict &verdict) {
  nlohmann::json programs = nlohmann::json::array();
  for (const verify::ProgramOutcome &outcome : verdict.programs) {
    nlohmann::json entry = {{"program", outcome.program},
                            {"result", verify::failureName(outcome.failure).str()}};
    if (!outcome.message.empty())
      entry["message"] = outcome.message;
    programs.push_back(std::move(entry));
  }
  return {{"pipeline", verdict.pipeline},
          {"accepted", verdict.accepted},
          {"from_store", verdict.fromStore},
          {"summary", verdict.summary()},
          {"programs", std::move(programs)}};
}

void printText(const std::vector<verify::Verdict> &verdicts) {
  for (const verify::Verdict &verdict : verdicts) {
    outs() << verdict.pipeline << ": " << (verdict.accepted ? "accepted" : "rejected")
           << (verdict.fromStore ? " (cached)" : "") << "\n";
    for (const verify::ProgramOutcome &outcome : verdict.programs) {
      if (outcome.passed() || outcome.failure == verify::Failure::NotRun)
        continue;
      outs() << "  " << outcome.program << ": " << verify::failureName(outcome.failure);
      if (!outcome.message.empty())
        outs() << ": " << outcome.message;
      outs() << "\n";
    }
  }
}

int runPassListEval() {
  std::vector<std::string> texts;
  for (const std::string &level : OptLevels)
    texts.push_back("-O" + level);
  texts.insert(texts.end(), PipelineTexts.begin(), PipelineTexts.end());
  if (texts.empty())
    return optlm::cli::usageError(
        "no pipeline given (usage: optlm passlisteval PIPELINE... [--suite DIR]... "
        "[--target T] [--store PATH] [--jobs N] [--json])");
  Expected<Target> target = TargetOption.get();
  if (!target)
    return optlm::cli::usageError(toString(target.takeError()));
  std::optional<std::chrono::milliseconds> runLimit = seconds(RunTimeout);
  std::optional<std::chrono::milliseconds> compileLimit = seconds(CompileTimeout);
  if (!runLimit || !compileLimit)
    return optlm::cli::usageError("timeouts must be positive numbers of seconds");

  std::vector<Pipeline> pipelines;
  for (const std::string &text : texts) {
    Expected<Pipeline> pipeline = Pipeline::parse(text);
    if (!pipeline)
      return optlm::cli::usageError(toString(pipeline.takeError()));
    pipelines.push_back(std::move(*pipeline));
  }

  std::unique_ptr<ResultsStore> store;
  if (!NoStore) {
    Expected<std::unique_ptr<ResultsStore>> opened = ResultsStore::openOrDefault(StorePath);
    if (!opened)
      return optlm::cli::usageError(toString(opened.takeError()));
    store = std::move(*opened);
  }

  verify::PassListEvalOptions options;
  options.suiteDirectories.assign(SuiteDirectories.begin(), SuiteDirectories.end());
  options.target = *target;
  options.jobs = Jobs;
  options.run.timeout = *runLimit;
  options.compileTimeout = *compileLimit;
  options.store = store.get();
  options.stopAtFirstFailure = StopAtFirst;
  Expected<std::unique_ptr<verify::PassListEval>> eval =
      verify::PassListEval::create(std::move(options));
  if (!eval)
    return optlm::cli::usageError(toString(eval.takeError()));

  Expected<std::vector<verify::Verdict>> verdicts = (*eval)->evaluate(pipelines);
  if (!verdicts)
    return optlm::cli::usageError(toString(verdicts.takeError()));

  bool allAccepted = true;
  for (const verify::Verdict &verdict : *verdicts)
    allAccepted &= verdict.accepted;

  if (JsonOutput) {
    const verify::Suite &suite = (*eval)->suite();
    const verify::PassListEvalStatistics &stats = (*eval)->statistics();
    nlohmann::json verdictList = nlohmann::json::array();
    for (const verify::Verdict &verdict : *verdicts)
      verdictList.push_back(verdictJson(verdict));
    nlohmann::json object = {{"target", targetTriple(*target).str()},
                             {"suite",
                              {{"id", suite.id},
                               {"directories", suite.directories},
                               {"programs", suite.programs.size()}}},
                             {"all_accepted", allAccepted},
                             {"verdicts", std::move(verdictList)},
                             {"statistics",
                              {{"verdicts_from_store", stats.verdictsFromStore},
                               {"source_compilations", stats.sourceCompilations},
                               {"object_compilations", stats.objectCompilations},
                               {"program_runs", stats.programRuns}}}};
    outs() << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    printText(*verdicts);
  }
  return allAccepted ? cli::ExitOk : cli::ExitFailed;
}

cli::RegisterCommand registration(passListEvalCommand, runPassListEval);

} // namespace
