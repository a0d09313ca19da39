//===- cmd_datagen.cpp - optlm datagen: a corpus into training records ===//
//
// optlm datagen CORPUS --tasks flagtune,emulate,disasm -o OUTDIR
//               [--shard i/N] [--seed S] [--tune-budget N] [--jobs N]
//               [--tokenizer MODEL.gguf] [--broadcast-from MANIFEST] [--mpi]
//
// Deterministic for a seed, resumable after a kill at any moment, and, when
// started by mpirun (or with --mpi), spread over the job's ranks. See
// data/Datagen.h and docs/datasets.md.
//
//===----------------------------------------------------------------------===//
#include "Command.h"

#include "data/Datagen.h"
#include "lm/generate/Tokenizer.h"
#include "lm/gguf/GGUFFile.h"
#include "pipeline/Pipeline.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>
#include <memory>
#include <unistd.h>

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand datagenCommand("datagen", "Make training records for the LLM Compiler tasks");

cl::opt<std::string> CorpusDirectory(cl::Positional, cl::desc("CORPUS"), cl::sub(datagenCommand),
                                     cl::cat(cli::optionCategory()));
cl::opt<std::string> OutputDirectory("o", cl::desc("Output folder"), cl::value_desc("OUTDIR"),
                                     cl::sub(datagenCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> TaskList("tasks",
                              cl::desc("Tasks: flagtune,emulate,disasm (default: all three)"),
                              cl::init("flagtune,emulate,disasm"), cl::sub(datagenCommand),
                              cl::cat(cli::optionCategory()));
cl::opt<std::string> Shard("shard", cl::desc("Take only shard i of N (i/N, from 0)"),
                           cl::value_desc("i/N"), cl::init("0/1"), cl::sub(datagenCommand),
                           cl::cat(cli::optionCategory()));
cl::opt<uint64_t> Seed("seed", cl::desc("Seed of every random choice (default 0)"), cl::init(0),
                       cl::sub(datagenCommand), cl::cat(cli::optionCategory()));
cl::opt<uint64_t> TuneBudget("tune-budget",
                             cl::desc("Search evaluations per flag-tuning record (default 200)"),
                             cl::init(200), cl::sub(datagenCommand),
                             cl::cat(cli::optionCategory()));
cl::opt<unsigned> EmulateSamples("emulate-samples",
                                 cl::desc("Random pipelines per module for emulation "
                                          "(default 2)"),
                                 cl::init(2), cl::sub(datagenCommand),
                                 cl::cat(cli::optionCategory()));
cl::opt<std::string> EmulatePasses("emulate-passes",
                                   cl::desc("Length of the emulation pipelines, drawn in MIN:MAX "
                                            "(default 1:50)"),
                                   cl::value_desc("MIN:MAX"), cl::init("1:50"),
                                   cl::sub(datagenCommand), cl::cat(cli::optionCategory()));
cl::opt<bool> NoEmulateAssembly("no-emulate-assembly",
                                cl::desc("Emulation records ask for IR only, never assembly"),
                                cl::sub(datagenCommand), cl::cat(cli::optionCategory()));
cl::opt<bool> NoVerify("no-verify", cl::desc("Do not check flag-tuning labels with PassListEval"),
                       cl::sub(datagenCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> Jobs("jobs", cl::desc("Parallel evaluations per module (default: every core)"),
                       cl::init(0), cl::sub(datagenCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> TokenizerPath("tokenizer",
                                   cl::desc("Count prompt and label tokens with this model's "
                                            "vocabulary"),
                                   cl::value_desc("MODEL.gguf"), cl::sub(datagenCommand),
                                   cl::cat(cli::optionCategory()));
cl::opt<std::string> BroadcastFrom(
    "broadcast-from",
    cl::desc("Broadcast: also try the popular pipelines of an earlier run on every module"),
    cl::value_desc("manifest.json"), cl::sub(datagenCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> BroadcastTop("broadcast-top",
                               cl::desc("How many of those pipelines (default 100)"), cl::init(100),
                               cl::sub(datagenCommand), cl::cat(cli::optionCategory()));
cl::opt<bool> UseMpi("mpi", cl::desc("Run as one rank of an MPI job (automatic under mpirun)"),
                     cl::sub(datagenCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> ModuleTimeout("module-timeout",
                                cl::desc("Seconds one module may take; under MPI also how long "
                                         "rank 0 waits before giving a worker up (default 600)"),
                                cl::init(600), cl::sub(datagenCommand),
                                cl::cat(cli::optionCategory()));

/// The popular_pipelines of an earlier run's manifest, most popular first.
Expected<std::vector<std::string>> readBroadcastCandidates(StringRef path, unsigned top) {
  auto buffer = MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return createStringError(buffer.getError(), "cannot read --broadcast-from '%s': %s",
                             path.str().c_str(), buffer.getError().message().c_str());
  StringRef text = (*buffer)->getBuffer();
  nlohmann::json manifest = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object() || !manifest.contains("popular_pipelines") ||
      !manifest["popular_pipelines"].is_array())
    return createStringError("--broadcast-from '%s' is not a datagen manifest.json",
                             path.str().c_str());
  std::vector<std::string> candidates;
  for (const nlohmann::json &entry : manifest["popular_pipelines"]) {
    if (candidates.size() >= top)
      break;
    if (!entry.is_object() || !entry.contains("pipeline") || !entry["pipeline"].is_string())
      return createStringError("--broadcast-from '%s': malformed popular_pipelines entry",
                               path.str().c_str());
    std::string pipeline = entry["pipeline"].get<std::string>();
    auto parsed = Pipeline::parse(pipeline);
    if (!parsed)
      return createStringError("--broadcast-from '%s': %s", path.str().c_str(),
                               toString(parsed.takeError()).c_str());
    candidates.push_back(parsed->text());
  }
  return candidates;
}

Error parseShard(StringRef text, unsigned &index, unsigned &count) {
  std::optional<std::pair<uint64_t, uint64_t>> shard = cli::parseNumberPair(text, '/');
  if (!shard || shard->second == 0 || shard->first >= shard->second ||
      shard->second > std::numeric_limits<unsigned>::max())
    return createStringError("--shard takes i/N with 0 <= i < N (got '%s')", text.str().c_str());
  index = unsigned(shard->first);
  count = unsigned(shard->second);
  return Error::success();
}

Error parsePassRange(StringRef text, unsigned &minPasses, unsigned &maxPasses) {
  std::optional<std::pair<uint64_t, uint64_t>> range = cli::parseNumberPair(text, ':');
  if (!range || range->first == 0 || range->second < range->first || range->second > 1000)
    return createStringError(
        "--emulate-passes takes MIN:MAX with 1 <= MIN <= MAX <= 1000 (got '%s')",
        text.str().c_str());
  minPasses = unsigned(range->first);
  maxPasses = unsigned(range->second);
  return Error::success();
}

void printSummary(const data::DatagenSummary &summary, StringRef directory) {
  const nlohmann::json &manifest = summary.manifest;
  outs() << "made " << summary.records << " records from " << summary.modulesDone << " modules ("
         << summary.modulesSkipped << " done before); " << directory << " holds "
         << manifest.value("records", uint64_t(0)) << " records";
  if (manifest.contains("records_by_task"))
    for (const auto &[task, count] : manifest["records_by_task"].items())
      outs() << ", " << task << " " << count.get<uint64_t>();
  outs() << "\n";
  if (manifest.contains("failures") && !manifest["failures"].empty()) {
    outs() << "failures:";
    for (const auto &[reason, count] : manifest["failures"].items())
      outs() << " " << reason << " " << count.get<uint64_t>();
    outs() << "\n";
  }
  for (const std::string &module : summary.lostModules)
    outs() << "lost (in flight on a failed worker): " << module << "\n";
}

int runDatagenCommand() {
  if (CorpusDirectory.empty())
    return optlm::cli::usageError(
        "no corpus given (usage: optlm datagen CORPUS -o OUTDIR [--tasks ...])");
  if (OutputDirectory.empty())
    return optlm::cli::usageError("no output folder given (-o OUTDIR)");
  data::DatagenOptions options;
  options.corpusDirectory = CorpusDirectory;
  options.outputDirectory = OutputDirectory;
  auto tasks = data::parseTasks(TaskList);
  if (!tasks)
    return optlm::cli::usageError(toString(tasks.takeError()));
  options.records.tasks = *tasks;
  if (Error error = parseShard(Shard, options.shardIndex, options.shardCount))
    return optlm::cli::usageError(toString(std::move(error)));
  if (TuneBudget == 0)
    return optlm::cli::usageError("--tune-budget must be at least 1");
  if (EmulateSamples == 0 || EmulateSamples > 1000)
    return optlm::cli::usageError("--emulate-samples must be between 1 and 1000");
  if (ModuleTimeout == 0)
    return optlm::cli::usageError("--module-timeout must be at least 1 second");
  if (Error error = parsePassRange(EmulatePasses, options.records.emulateMinPasses,
                                   options.records.emulateMaxPasses))
    return optlm::cli::usageError(toString(std::move(error)));
  options.records.seed = Seed;
  options.records.tuneBudget = TuneBudget;
  options.records.emulateSamples = EmulateSamples;
  options.records.emulateAssembly = !NoEmulateAssembly;
  options.records.verify = !NoVerify;
  options.records.jobs = Jobs;
  options.records.moduleTimeout = std::chrono::seconds(ModuleTimeout);

  if (!BroadcastFrom.empty()) {
    if (!is_contained(options.records.tasks, data::Task::FlagTune))
      return optlm::cli::usageError("--broadcast-from needs the flagtune task");
    auto candidates = readBroadcastCandidates(BroadcastFrom, BroadcastTop);
    if (!candidates)
      return optlm::cli::usageError(toString(candidates.takeError()));
    options.records.broadcastCandidates = std::move(*candidates);
  }

  const bool mpi = UseMpi || data::launchedByMpirun();
  if (mpi && !data::mpiSupported())
    return optlm::cli::usageError("this optlm was built without MPI (install libopenmpi-dev and "
                                  "reconfigure)");
  if (mpi && Shard.getNumOccurrences())
    return optlm::cli::usageError(
        "--shard and MPI do not mix: under MPI rank 0 hands out the modules");

  if (!TokenizerPath.empty()) {
    auto file = lm::GGUFFile::open(TokenizerPath);
    if (!file)
      return optlm::cli::usageError(toString(file.takeError()));
    auto tokenizer = lm::Tokenizer::fromGGUF(**file);
    if (!tokenizer)
      return optlm::cli::usageError(toString(tokenizer.takeError()));
    auto shared = std::make_shared<lm::Tokenizer>(std::move(*tokenizer));
    options.records.countTokens = [shared](StringRef text) -> uint64_t {
      return shared->encode(text, /*addBos=*/true).size();
    };
    options.tokenizerName = sys::path::filename(TokenizerPath).str();
  }

  auto plan = data::planDatagen(options);
  if (!plan)
    return optlm::cli::usageError(toString(plan.takeError()));

  if (!mpi) {
    if (isatty(STDERR_FILENO))
      options.progress = &errs();
    auto summary = data::runDatagen(options, *plan);
    if (!summary)
      return optlm::cli::failure(toString(summary.takeError()));
    printSummary(*summary, OutputDirectory);
    return cli::ExitOk;
  }

  // Every rank comes here; only rank 0 talks to the user.
  if (isatty(STDERR_FILENO))
    options.progress = &errs();
  auto summary = data::runDatagenMpi(options, *plan, ModuleTimeout);
  int exitCode = cli::ExitOk;
  if (!summary) {
    exitCode = optlm::cli::failure(toString(summary.takeError()));
  } else if (summary->rank == 0) {
    printSummary(*summary, OutputDirectory);
    if (!summary->lostModules.empty())
      exitCode = cli::ExitFailed;
  }
  data::finishMpi();
  return exitCode;
}

cli::RegisterCommand registration(datagenCommand, runDatagenCommand);

} // namespace
