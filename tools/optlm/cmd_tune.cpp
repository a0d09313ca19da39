//===- cmd_tune.cpp - optlm tune: find the smallest pass list ---------------===//
//
// optlm tune FILE [--candidates K] [--check]
//
// Asks optlm's own flag-tuning model (flagmodel/ShippedModel.h) for a few
// pass lists, compiles them and its chains of the best ones
// (flagmodel/Chains.h), and keeps the smallest verified one, -Oz as backup. Without a
// shipped model for the target, the autotuner searches instead.
//
// optlm tune FILE [--budget N | --time SECONDS] [--strategy NAME] ...
//
// Loads the program, evaluates -Oz and the strategy's proposals through the
// sandboxed pool (every evaluation looked up in and recorded to the results
// store), minimizes and verifies the best, records the label, and prints it.
// The shipped model's proposals are the search's first candidates.
//
// optlm tune FILE (--model M.gguf | --server URL) [--candidates K]
//
// Asks a model instead (tasks/FlagTuner.h): LLM Compiler's prompt, answers
// held to valid pass lists where the backend can, each answer applied in the
// sandbox and verified like the autotuner's candidates, and the smaller of
// the best accepted answer and -Oz kept ("-Oz backup"). Modules longer than
// the model's context are tuned function by function.
//
//===----------------------------------------------------------------------===//
#include "Command.h"
#include "CompileAsFlag.h"
#include "ModelSourceFlags.h"
#include "TargetFlag.h"

#include "codegen/ModuleWriter.h"
#include "engine/SandboxedOutput.h"
#include "flagmodel/FlagModel.h"
#include "flagmodel/ShippedModel.h"
#include "search/PoolEvaluator.h"
#include "search/TuneReport.h"
#include "search/Tuner.h"
#include "search/TuningInput.h"
#include "search/Verification.h"
#include "store/ResultsStore.h"
#include "tasks/FlagTuneReport.h"
#include "tasks/FlagTuner.h"
#include "tasks/ModelSource.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

using namespace llvm;

namespace {

cl::SubCommand Tune("tune", "Find the pass list that gives the smallest binary");

cl::opt<std::string> InputPath(cl::Positional, cl::desc("FILE"), cl::sub(Tune),
                               cl::cat(optlm::cli::optionCategory()));
cl::opt<uint64_t> Budget("budget", cl::desc("Search evaluations to spend (default 1000)"),
                         cl::sub(Tune), cl::cat(optlm::cli::optionCategory()));
cl::opt<double> TimeLimit("time", cl::desc("Stop searching after this many seconds"),
                          cl::value_desc("SECONDS"), cl::sub(Tune),
                          cl::cat(optlm::cli::optionCategory()));
cl::opt<std::string> StrategyName("strategy", cl::desc("random | evolve (default)"),
                                  cl::init(optlm::search::defaultStrategyName().str()),
                                  cl::sub(Tune), cl::cat(optlm::cli::optionCategory()));
optlm::cli::TargetFlag TargetOption(Tune, optlm::cli::TargetFlag::Default::InputIR);
cl::opt<uint64_t> Seed("seed", cl::desc("Seed of the search (default 0)"), cl::init(0),
                       cl::sub(Tune), cl::cat(optlm::cli::optionCategory()));
cl::opt<std::string> StorePath("store", cl::desc("Results store (default: the user's cache)"),
                               cl::value_desc("PATH"), cl::sub(Tune),
                               cl::cat(optlm::cli::optionCategory()));
cl::opt<bool> NoVerify("no-verify", cl::desc("Do not check candidates with PassListEval"),
                       cl::sub(Tune), cl::cat(optlm::cli::optionCategory()));
cl::opt<bool> NoMinimize("no-minimize", cl::desc("Keep the best list as found"), cl::sub(Tune),
                         cl::cat(optlm::cli::optionCategory()));
cl::opt<bool> Check("check",
                    cl::desc("Also run the program (it must define main) and reject "
                             "lists that change its output or exit code"),
                    cl::sub(Tune), cl::cat(optlm::cli::optionCategory()));
cl::list<std::string> RunArgs("run-args", cl::desc("Arguments for --check's runs"),
                              cl::CommaSeparated, cl::sub(Tune),
                              cl::cat(optlm::cli::optionCategory()));
cl::opt<std::string> StdinPath("stdin", cl::desc("Standard input for --check's runs"),
                               cl::value_desc("FILE"), cl::sub(Tune),
                               cl::cat(optlm::cli::optionCategory()));
cl::opt<std::string> OutputPath("o", cl::desc("Write the optimized program (.ll .bc .o .s)"),
                                cl::value_desc("OUT"), cl::sub(Tune),
                                cl::cat(optlm::cli::optionCategory()));
cl::opt<bool> Json("json", cl::desc("Print one JSON object"), cl::sub(Tune),
                   cl::cat(optlm::cli::optionCategory()));
cl::opt<unsigned> Jobs("jobs", cl::desc("Parallel evaluations (default: every core)"), cl::init(0),
                       cl::sub(Tune), cl::cat(optlm::cli::optionCategory()));

cl::opt<std::string> ModelPath("model", cl::desc("Ask this GGUF model instead of searching"),
                               cl::value_desc("file.gguf"), cl::sub(Tune),
                               cl::cat(optlm::cli::optionCategory()));
cl::opt<std::string> ServerUrl("server",
                               cl::desc("Ask this OpenAI-compatible server instead of searching"),
                               cl::value_desc("url"), cl::sub(Tune),
                               cl::cat(optlm::cli::optionCategory()));
cl::opt<std::string> ServerModel("server-model", cl::desc("Model to ask the server for"),
                                 cl::sub(Tune), cl::cat(optlm::cli::optionCategory()));
cl::opt<unsigned> Candidates("candidates",
                             cl::desc("With a model: answers to sample, the best verified is "
                                      "kept (default 1, greedy); with optlm's flag-tuning "
                                      "model: compilations, its chains included (default: "
                                      "the model's own count; more spend that count first, "
                                      "then more lists and chains)"),
                             cl::init(1), cl::sub(Tune), cl::cat(optlm::cli::optionCategory()));
cl::opt<unsigned> Threads("threads", cl::desc("Threads of the local model (0: all)"), cl::init(0),
                          cl::sub(Tune), cl::cat(optlm::cli::optionCategory()));
cl::opt<bool> WholeModule(
    "whole-module",
    cl::desc("With optlm's flag-tuning model: compile its proposals on the whole module only, "
             "not on each group of functions that could be a file of its own"),
    cl::sub(Tune), cl::cat(optlm::cli::optionCategory()));
cl::opt<bool> ProbeParts(
    "probe-parts",
    cl::desc("With optlm's flag-tuning model, part by part: the parts first compile the whole "
             "unit's first proposal, and where they lose to the whole unit under it the rest "
             "goes to the whole unit"),
    cl::init(optlm::tasks::FlagTuneOptions().probeParts), cl::sub(Tune),
    cl::cat(optlm::cli::optionCategory()));
cl::opt<bool> InlinerFreeSlot(
    "inliner-free-slot",
    cl::desc("With optlm's flag-tuning model: where -Oz grows the IR of the unit (or a part) "
             "and none of its lists is free of inliners, the model's inliner-free list takes "
             "the last chain's compilation (=false: never)"),
    cl::init(optlm::tasks::FlagTuneOptions().inlinerFreeSlot), cl::sub(Tune),
    cl::cat(optlm::cli::optionCategory()));
cl::opt<unsigned> MaxParts(
    "max-parts",
    cl::desc("With optlm's flag-tuning model, part by part: gather a unit's groups of functions "
             "into about this many parts at most (0: every group a part of its own)"),
    cl::init(optlm::tasks::FlagTuneOptions().maxParts), cl::sub(Tune),
    cl::cat(optlm::cli::optionCategory()));
optlm::cli::CompileAsFlag CompileAsOption(Tune);
cl::opt<bool> NoSplit("no-split",
                      cl::desc("With a model: do not split modules longer than its context"),
                      cl::sub(Tune), cl::cat(optlm::cli::optionCategory()));

/// One line, rewritten in place: what a person watching needs to know.
void showProgress(const optlm::search::TuneProgress &progress) {
  const double rate = progress.seconds > 0 ? progress.evaluations / progress.seconds : 0;
  const double vsOz = optlm::reductionVsOzPercent(progress.bestSize, progress.ozSize);
  errs() << "\r\033[K" << progress.phase << ": " << progress.evaluations;
  if (progress.phase == "search" && progress.budget != UINT64_MAX)
    errs() << "/" << progress.budget;
  errs() << " evaluations, best " << progress.bestSize << " bytes (" << format("%+.2f", vsOz)
         << "% vs -Oz), " << format("%.1f", rate) << " eval/s";
}

/// Whether the command line asks for the autotuner's search.
bool searchRequested() {
  return Budget.getNumOccurrences() || TimeLimit.getNumOccurrences() ||
         StrategyName.getNumOccurrences() || NoMinimize;
}

/// A flag model's library comes verified: a fresh store takes its verdicts
/// instead of running PassListEval again for each proposal.
Error shareVerdicts(const optlm::flagmodel::FlagModel &model, optlm::ResultsStore &store) {
  Expected<size_t> shared = optlm::flagmodel::shareLibraryVerdicts(model, store);
  if (!shared)
    return createStringError("the results store: %s", toString(shared.takeError()).c_str());
  return Error::success();
}

/// --target, else the input IR's own target (targetForInput).
Expected<optlm::Target> chosenTarget() { return TargetOption.forInput(InputPath); }

/// The verifier --no-verify and --check ask for (PassListEval, the program's
/// own run, both or neither: an empty function).
Expected<optlm::search::Verifiers> verifiersFromOptions(optlm::Target target,
                                                        optlm::ResultsStore *store) {
  if (NoVerify && !Check)
    return optlm::search::Verifiers();
  optlm::search::VerificationSettings settings;
  settings.passListEval = !NoVerify;
  settings.programCheck = Check;
  settings.programPath = InputPath;
  settings.runArgs.assign(RunArgs.begin(), RunArgs.end());
  settings.stdinPath = StdinPath;
  settings.target = target;
  settings.jobs = Jobs;
  return optlm::search::makeVerifiers(settings, store);
}

/// What both ways of tuning load once their own options are checked; every
/// error here is a usage error.
struct TuneSetup {
  optlm::Target target = optlm::Target::X86_64;
  optlm::search::TuningInput input;
  std::unique_ptr<optlm::ResultsStore> store;
  optlm::search::VerifyFunction verify;
  optlm::search::OptimizedCheckFunction checkOptimized;
};

Expected<TuneSetup> loadTuneSetup() {
  using namespace optlm;
  if (!Check && (RunArgs.getNumOccurrences() || StdinPath.getNumOccurrences()))
    return createStringError("--run-args and --stdin need --check");
  if (!StdinPath.empty() && !sys::fs::is_regular_file(StdinPath))
    return createStringError("cannot read --stdin file '" + StdinPath + "'");
  TuneSetup setup;
  auto target = chosenTarget();
  if (!target)
    return target.takeError();
  setup.target = *target;
  if (!OutputPath.empty())
    if (auto kind = outputKindFromPath(OutputPath); !kind)
      return kind.takeError();
  auto input = search::loadTuningInput(InputPath, setup.target, CompileAsOption.get());
  if (!input)
    return input.takeError();
  setup.input = std::move(*input);
  auto store = ResultsStore::openOrDefault(StorePath);
  if (!store)
    return createStringError("cannot open the results store: " + toString(store.takeError()));
  setup.store = std::move(*store);
  auto verifier = verifiersFromOptions(setup.target, setup.store.get());
  if (!verifier)
    return verifier.takeError();
  setup.verify = std::move(verifier->pipeline);
  setup.checkOptimized = std::move(verifier->optimized);
  return setup;
}

/// `optlm tune FILE --model M.gguf | --server URL`, and `optlm tune FILE`
/// with optlm's own flag-tuning model (`flagModelPath`: --model's file when
/// it is one, or the shipped model): see the file comment.
int runModelTune(std::string flagModelPath) {
  using namespace optlm;
  if (!ModelPath.empty() && !ServerUrl.empty())
    return optlm::cli::usageError("give either --model or --server, not both");
  if (searchRequested())
    return optlm::cli::usageError("--budget, --time, --strategy and --no-minimize belong to the "
                                  "autotuner, not to --model or --server");
  if (Candidates.getNumOccurrences() && Candidates == 0)
    return optlm::cli::usageError("--candidates must be at least 1");
  const bool flagModel = !flagModelPath.empty();
  auto setup = loadTuneSetup();
  if (!setup)
    return optlm::cli::usageError(toString(setup.takeError()));
  const Target target = setup->target;
  search::TuningInput &input = setup->input;
  ResultsStore &store = *setup->store;

  tasks::FlagTuneOptions options;
  options.target = target;
  // The flag model proposes its own number of lists unless told.
  options.candidates = flagModel && !Candidates.getNumOccurrences() ? 0 : Candidates;
  options.seed = Seed;
  options.jobs = Jobs;
  options.splitLongInputs = !NoSplit;
  options.perPart = !WholeModule;
  options.probeParts = ProbeParts;
  options.inlinerFreeSlot = InlinerFreeSlot;
  options.maxParts = MaxParts;
  options.compileAs = input.compileAs;
  options.verify = std::move(setup->verify);
  options.checkOptimized = std::move(setup->checkOptimized);

  const bool live = isatty(STDERR_FILENO);
  auto showStep = [&](StringRef step) {
    if (live)
      errs() << "\r\033[K" << step;
  };
  std::string modelName;
  std::optional<double> modelSeconds;
  Expected<tasks::FlagTuneResult> result = createStringError("no model");
  if (flagModel) {
    auto model = flagmodel::FlagModel::load(flagModelPath, target);
    if (!model)
      return optlm::cli::usageError(toString(model.takeError()));
    if (Error error = shareVerdicts(*model, store))
      return optlm::cli::failure(toString(std::move(error)));
    modelName =
        std::string(flagmodel::kArchitecture) + ":" + sys::path::filename(flagModelPath).str();
    double seconds = 0;
    consumeError(result.takeError());
    result = tasks::tuneWithFlagModel(*input.loaded.module, *model, options, seconds, showStep);
    modelSeconds = seconds;
  } else {
    if (WholeModule)
      return optlm::cli::usageError("--whole-module needs optlm's flag-tuning model, not a "
                                    "language model");
    auto model = optlm::cli::openModelSource(ModelPath, ServerUrl, ServerModel, Threads);
    if (!model)
      return optlm::cli::usageError(toString(model.takeError()));
    modelName = (*model)->modelName();
    consumeError(result.takeError());
    result = tasks::tuneWithModel(*input.loaded.module, **model, options, showStep);
  }
  if (live)
    errs() << "\r\033[K";
  if (!result)
    return optlm::cli::failure(toString(result.takeError()));

  // A whole-module answer that won is a label like the autotuner's.
  if (std::optional<TunedResult> label =
          result->storeRecord(input.moduleHash, target, InputPath, "model:" + modelName, Seed,
                              /*verified=*/!NoVerify || Check))
    if (Error error = store.recordTuned(*label))
      return optlm::cli::failure("cannot record the result: " + toString(std::move(error)));
  if (!OutputPath.empty()) {
    // The pipeline ran in the sandbox already; it is applied in a child
    // again all the same, as every optimized program a user asks for is.
    Error written = result->splitModule
                        ? writeOptimizedUnit(*result->splitModule->module, Pipeline(), target,
                                             input.compileAs, OutputPath)
                        : writeOptimizedUnit(*input.loaded.module, result->chosenPipeline, target,
                                             input.compileAs, OutputPath);
    if (written)
      return optlm::cli::failure(toString(std::move(written)));
  }

  tasks::FlagTuneReportContext context{InputPath,    target,    modelName,
                                       modelSeconds, !NoVerify, input.compileAs};
  if (Json)
    outs() << tasks::flagTuneReportJson(*result, context)
                  .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
           << "\n";
  else
    outs() << tasks::flagTuneReportText(*result, context);
  return cli::ExitOk;
}

int runTune() {
  using namespace optlm;
  using namespace optlm::search;

  // Options first: nothing is loaded or evaluated for a command that is
  // wrong anyway.
  if (InputPath.empty())
    return optlm::cli::usageError("no input file given (usage: optlm tune FILE [--budget N])");
  if (!ModelPath.empty() || !ServerUrl.empty())
    return runModelTune(!ModelPath.empty() && flagmodel::isFlagModelFile(ModelPath)
                            ? std::string(ModelPath)
                            : std::string());
  if (NoSplit || Threads.getNumOccurrences() || ServerModel.getNumOccurrences())
    return optlm::cli::usageError("--no-split, --threads and --server-model need --model "
                                  "or --server");
  // Without a search budget, optlm's own model answers (when one is
  // shipped for the target); with one, its proposals seed the search.
  std::optional<std::string> shippedModel;
  if (auto target = chosenTarget())
    shippedModel = flagmodel::findShippedModel(*target);
  else
    consumeError(target.takeError());
  if (!searchRequested() && shippedModel)
    return runModelTune(*shippedModel);
  if (WholeModule)
    return optlm::cli::usageError("--whole-module needs optlm's flag-tuning model (the shipped "
                                  "one without --budget, or --model FILE)");
  if (Candidates.getNumOccurrences())
    return optlm::cli::usageError("--candidates needs a model (--model, --server, or the "
                                  "shipped one without --budget)");
  if (Budget.getNumOccurrences() && Budget == 0)
    return optlm::cli::usageError("--budget must be at least 1");
  if (TimeLimit.getNumOccurrences() && !(TimeLimit > 0))
    return optlm::cli::usageError("--time must be a positive number of seconds");
  if (!is_contained(strategyNames(), StringRef(StrategyName)))
    return optlm::cli::usageError("unknown strategy '" + StrategyName +
                                  "' (expected one of: " + join(strategyNames(), ", ") + ")");
  TuneOptions options;
  options.strategy = StrategyName;
  options.seed = Seed;
  options.minimize = !NoMinimize;
  if (Budget.getNumOccurrences())
    options.budget = Budget;
  else if (TimeLimit.getNumOccurrences())
    options.budget = UINT64_MAX;
  if (TimeLimit.getNumOccurrences())
    options.timeLimitSeconds = TimeLimit;

  auto setup = loadTuneSetup();
  if (!setup)
    return optlm::cli::usageError(toString(setup.takeError()));
  const Target target = setup->target;
  TuningInput &input = setup->input;
  ResultsStore &store = *setup->store;

  StrategyContext context = builtinContext(Seed);
  if (shippedModel) {
    auto model = flagmodel::FlagModel::load(*shippedModel, target);
    if (!model)
      return optlm::cli::usageError(toString(model.takeError()));
    if (Error error = shareVerdicts(*model, store))
      return optlm::cli::failure(toString(std::move(error)));
    auto seeds = flagmodel::proposalSequences(*model, *input.loaded.module);
    if (!seeds)
      return optlm::cli::failure(toString(seeds.takeError()));
    options.seeds = std::move(*seeds);
  }

  PoolEvaluator pool(*input.loaded.module, target, Jobs, input.compileAs, input.moduleHash);
  RecordingEvaluator evaluator(pool, &store, input.moduleHash, target);
  const bool live = isatty(STDERR_FILENO);
  auto result = tune(evaluator, context, options, setup->verify, [&](const TuneProgress &progress) {
    if (live)
      showProgress(progress);
  });
  if (live)
    errs() << "\r\033[K";
  if (!result)
    return optlm::cli::failure(toString(result.takeError()));

  if (Error error = store.recordTuned(result->storeRecord(input.moduleHash, target, InputPath)))
    return optlm::cli::failure("cannot record the result: " + toString(std::move(error)));

  if (!OutputPath.empty())
    if (Error error = writeOptimizedUnit(*input.loaded.module, result->best, target,
                                         input.compileAs, OutputPath))
      return optlm::cli::failure(toString(std::move(error)));

  const TuneReport report = makeTuneReport(*result, evaluator, evaluator.counts(), input.compileAs);
  if (Json)
    outs() << tuneReportJson(report).dump(2) << "\n";
  else
    outs() << tuneReportText(report);
  return cli::ExitOk;
}

optlm::cli::RegisterCommand Registration(Tune, runTune);

} // namespace
