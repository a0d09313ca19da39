//===- cmd_eval.cpp - optlm eval: a model or a baseline over a suite ------===//
//
//   optlm eval SUITE [--model M.gguf | --server URL | --baseline NAME]
//              [--tasks flagtune,disasm,emulate] -o REPORT_DIR
// With none of the three, optlm's shipped flag-tuning model is scored; a
// --model file of that kind (optlm train --task flagtune) is scored the
// same way: it answers flag tuning only.
// SUITE is a directory of programs or a dataset split (.jsonl). Results are
// journaled per item in REPORT_DIR/journal.jsonl, so an interrupted run
// started again with the same arguments carries on where it stopped. The
// report (report.json, report.md, SVG plots) is written at the end.
//
//===----------------------------------------------------------------------===//
#include "Command.h"
#include "ModelSourceFlags.h"
#include "TargetFlag.h"

#include "flagmodel/FlagModel.h"
#include "flagmodel/ShippedModel.h"

#include "eval/Harness.h"
#include "eval/ItemScore.h"
#include "eval/Journal.h"
#include "eval/Report.h"
#include "search/Verification.h"
#include "store/ResultsStore.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <unistd.h>

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand Eval("eval", "Score a model or a baseline on the three tasks over a suite");

cl::opt<std::string> SuitePath(cl::Positional, cl::desc("<SUITE: directory or .jsonl>"),
                               cl::sub(Eval), cl::cat(cli::optionCategory()));
cl::opt<std::string> ModelPath("model", cl::desc("GGUF model to run locally"),
                               cl::value_desc("file.gguf"), cl::sub(Eval),
                               cl::cat(cli::optionCategory()));
cl::opt<std::string> ServerUrl("server", cl::desc("OpenAI-compatible server to ask"),
                               cl::value_desc("url"), cl::sub(Eval),
                               cl::cat(cli::optionCategory()));
cl::opt<std::string> ServerModel("server-model", cl::desc("Model to ask the server for"),
                                 cl::sub(Eval), cl::cat(cli::optionCategory()));
cl::opt<std::string> Baseline("baseline", cl::desc("-Oz, autotune:N, oracle or unchanged"),
                              cl::value_desc("name"), cl::sub(Eval),
                              cl::cat(cli::optionCategory()));
cl::opt<std::string> TaskList("tasks", cl::desc("Comma-separated: flagtune,disasm,emulate"),
                              cl::init("flagtune,disasm,emulate"), cl::sub(Eval),
                              cl::cat(cli::optionCategory()));
cl::opt<std::string> ReportDir("o", cl::desc("Report folder"), cl::value_desc("dir"), cl::sub(Eval),
                               cl::cat(cli::optionCategory()));
cli::TargetFlag TargetOption(Eval, cli::TargetFlag::Default::X86_64, "for directory suites");
cl::opt<uint64_t> Seed("seed", cl::desc("Seed of sampling, search and emulation pipelines"),
                       cl::init(0), cl::sub(Eval), cl::cat(cli::optionCategory()));
cl::opt<unsigned> Candidates("candidates", cl::desc("Flag-tuning answers per program"), cl::init(1),
                             cl::sub(Eval), cl::cat(cli::optionCategory()));
cl::opt<unsigned> Limit("limit", cl::desc("At most this many items per task (0: all)"), cl::init(0),
                        cl::sub(Eval), cl::cat(cli::optionCategory()));
cl::opt<std::string> StorePath("store", cl::desc("Results store (default: optlm's usual one)"),
                               cl::sub(Eval), cl::cat(cli::optionCategory()));
cl::opt<unsigned> Jobs("jobs", cl::desc("Parallel evaluations (0: one per core)"), cl::init(0),
                       cl::sub(Eval), cl::cat(cli::optionCategory()));
cl::opt<unsigned> Threads("threads", cl::desc("Threads of the local model (0: all)"), cl::init(0),
                          cl::sub(Eval), cl::cat(cli::optionCategory()));
cl::opt<bool> NoSplit("no-split", cl::desc("Do not split inputs longer than the context"),
                      cl::sub(Eval), cl::cat(cli::optionCategory()));
cl::opt<bool> Verify("verify",
                     cl::desc("Check the model's flag-tuning answers with PassListEval "
                              "before using them"),
                     cl::sub(Eval), cl::cat(cli::optionCategory()));
cl::opt<bool> AlwaysSplit("always-split",
                          cl::desc("Tune every function on its own prompt, whatever the size"),
                          cl::sub(Eval), cl::cat(cli::optionCategory()));

/// The solver the options name, with what it points to.
struct ChosenSolver {
  eval::Solver solver;
  std::unique_ptr<tasks::ModelSource> model;
  std::unique_ptr<flagmodel::FlagModel> flagModel;
};

/// optlm's own flag-tuning model is --model's file when it is one, else the
/// shipped one when no solver is named. Every error is a usage error.
Expected<ChosenSolver> chooseSolver(int solvers, Target target) {
  ChosenSolver chosen;
  std::string flagModelPath;
  if (!ModelPath.empty() && flagmodel::isFlagModelFile(ModelPath))
    flagModelPath = ModelPath;
  else if (solvers == 0) {
    std::optional<std::string> shipped = flagmodel::findShippedModel(target);
    if (!shipped)
      return createStringError("no model given and none shipped for " + targetTriple(target) +
                               ": give --model, --server or --baseline");
    flagModelPath = *shipped;
  }
  if (!flagModelPath.empty()) {
    auto loaded = flagmodel::FlagModel::load(flagModelPath, target);
    if (!loaded)
      return loaded.takeError();
    chosen.flagModel = std::make_unique<flagmodel::FlagModel>(std::move(*loaded));
    chosen.solver.kind = eval::SolverKind::FlagModel;
    chosen.solver.flagModel = chosen.flagModel.get();
    chosen.solver.flagModelName = sys::path::filename(flagModelPath).str();
  } else if (!Baseline.empty()) {
    Expected<eval::Solver> solver = eval::parseBaseline(Baseline);
    if (!solver)
      return solver.takeError();
    chosen.solver = *solver;
  } else {
    auto opened = optlm::cli::openModelSource(ModelPath, ServerUrl, ServerModel, Threads);
    if (!opened)
      return opened.takeError();
    chosen.model = std::move(*opened);
    chosen.solver.kind = eval::SolverKind::Model;
    chosen.solver.model = chosen.model.get();
  }
  return chosen;
}

int runEval() {
  if (SuitePath.empty())
    return optlm::cli::usageError(
        "no suite (usage: optlm eval SUITE (--model M.gguf | --server URL | "
        "--baseline NAME) [--tasks LIST] -o REPORT_DIR)");
  if (ReportDir.empty())
    return optlm::cli::usageError("no report folder (-o REPORT_DIR)");
  int solvers = !ModelPath.empty() + !ServerUrl.empty() + !Baseline.empty();
  if (solvers > 1)
    return optlm::cli::usageError("give at most one of --model, --server and --baseline");
  if (Candidates == 0)
    return optlm::cli::usageError("--candidates must be at least 1");
  if (NoSplit && AlwaysSplit)
    return optlm::cli::usageError("--no-split and --always-split contradict each other");
  Expected<std::vector<eval::Task>> tasks = eval::parseTaskList(TaskList);
  if (!tasks)
    return optlm::cli::usageError(toString(tasks.takeError()));
  Expected<Target> target = TargetOption.get();
  if (!target)
    return optlm::cli::usageError(toString(target.takeError()));

  eval::SuiteOptions suiteOptions;
  suiteOptions.tasks = *tasks;
  suiteOptions.target = *target;
  suiteOptions.seed = Seed;
  suiteOptions.limit = Limit;
  Expected<std::vector<eval::SuiteItem>> items = eval::loadSuite(SuitePath, suiteOptions);
  if (!items)
    return optlm::cli::usageError(toString(items.takeError()));

  auto chosen = chooseSolver(solvers, *target);
  if (!chosen)
    return optlm::cli::usageError(toString(chosen.takeError()));
  eval::HarnessOptions options;
  options.solver = chosen->solver;

  auto store = ResultsStore::openOrDefault(StorePath);
  if (!store)
    return optlm::cli::usageError("cannot open the results store: " + toString(store.takeError()));
  if (std::error_code error = sys::fs::create_directories(ReportDir))
    return optlm::cli::usageError("cannot create " + ReportDir + ": " + error.message());
  SmallString<256> journalPath(ReportDir);
  sys::path::append(journalPath, "journal.jsonl");
  auto journal = eval::Journal::open(journalPath, options.solver.name());
  if (!journal)
    return optlm::cli::failure(toString(journal.takeError()));

  options.seed = Seed;
  options.jobs = Jobs;
  options.store = store->get();
  options.journal = journal->get();
  // The flag model proposes its own number of lists unless told.
  options.flagTune.candidates =
      chosen->flagModel && !Candidates.getNumOccurrences() ? 0 : unsigned(Candidates);
  options.flagTune.splitLongInputs = !NoSplit;
  options.flagTune.alwaysSplit = AlwaysSplit;
  if (Verify) {
    if (options.solver.kind != eval::SolverKind::Model &&
        options.solver.kind != eval::SolverKind::FlagModel)
      return optlm::cli::usageError(
          "--verify checks a model's answers: use it with --model or --server");
    // optlm's own model comes with its library's verdicts: the store takes
    // them (as optlm tune's does) instead of a suite run per winning list.
    if (chosen->flagModel)
      if (Expected<size_t> shared = flagmodel::shareLibraryVerdicts(*chosen->flagModel, **store);
          !shared)
        return optlm::cli::failure("the results store: " + toString(shared.takeError()));
    search::VerificationSettings settings;
    settings.target = *target;
    settings.jobs = Jobs;
    auto verifier = search::makeVerifier(settings, store->get());
    if (!verifier)
      return optlm::cli::usageError(toString(verifier.takeError()));
    options.flagTune.verify = std::move(*verifier);
  }
  const bool live = isatty(STDERR_FILENO);
  if ((*journal)->resumed())
    errs() << "resuming: " << (*journal)->resumed() << " result(s) already in the journal\n";
  options.progress = [&](size_t done, size_t total, const eval::SuiteItem &item,
                         const nlohmann::json &result, bool resumed) {
    errs() << (live ? "\r\033[K" : "") << "[" << done << "/" << total << "] " << item.key() << ": "
           << (resumed ? "(journal) " : "") << optlm::eval::outcomeInWords(result).substr(0, 160)
           << "\n";
  };
  Expected<std::vector<nlohmann::json>> results = eval::runSuite(*items, options);
  if (!results)
    return optlm::cli::failure(toString(results.takeError()));

  eval::ReportInfo info{options.solver.name(), SuitePath.getValue(), targetTriple(*target).str()};
  Expected<nlohmann::json> report = eval::writeReport(ReportDir, info, *results);
  if (!report)
    return optlm::cli::failure(toString(report.takeError()));
  // The summary tables; plots and items are in the files.
  std::string markdown = eval::reportMarkdown(*report);
  outs() << markdown.substr(0, markdown.find("## Plots"));
  outs() << "report: " << ReportDir << "/report.md\n";
  return cli::ExitOk;
}

cli::RegisterCommand Registration(Eval, runEval);

} // namespace
