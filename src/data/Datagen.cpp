//===- Datagen.cpp - a corpus into shards of records ----------------------===//
#include "data/Datagen.h"

#include "data/Manifest.h"
#include "data/ShardWriter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <chrono>
#include <cstdlib>

using namespace llvm;

namespace optlm::data {

nlohmann::json datagenParameters(const DatagenOptions &options) {
  nlohmann::json tasks = nlohmann::json::array();
  for (Task task : options.records.tasks)
    tasks.push_back(taskName(task).str());
  return {{"tasks", tasks},
          {"seed", options.records.seed},
          {"tune_budget", options.records.tuneBudget},
          {"emulate_samples", options.records.emulateSamples},
          {"emulate_passes", {options.records.emulateMinPasses, options.records.emulateMaxPasses}},
          {"emulate_assembly", options.records.emulateAssembly},
          {"verify", options.records.verify},
          {"tokenizer", options.tokenizerName},
          {"broadcast", options.records.broadcastCandidates}};
}

unsigned shardOfModule(StringRef moduleName, unsigned shardCount) {
  return unsigned(xxh3_64bits(moduleName) % shardCount);
}

bool launchedByMpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

std::string cachePathFor(const DatagenOptions &options, StringRef shardName) {
  SmallString<256> path(options.outputDirectory);
  sys::path::append(path, "cache", shardName + ".sqlite");
  return std::string(path);
}

Expected<DatagenPlan> planDatagen(const DatagenOptions &options) {
  if (options.shardCount == 0 || options.shardIndex >= options.shardCount)
    return createStringError("--shard i/N needs 0 <= i < N");
  auto corpus = Corpus::open(options.corpusDirectory, /*create=*/false);
  if (!corpus)
    return corpus.takeError();
  if (options.outputDirectory.empty())
    return createStringError("no output folder given (-o OUTDIR)");
  SmallString<256> cacheDirectory(options.outputDirectory);
  sys::path::append(cacheDirectory, "cache");
  if (std::error_code error = sys::fs::create_directories(cacheDirectory))
    return createStringError(error, "cannot create '%s': %s", options.outputDirectory.c_str(),
                             error.message().c_str());

  DatagenPlan plan{std::move(*corpus), datagenParameters(options), {}};
  SmallString<256> parametersPath(options.outputDirectory);
  sys::path::append(parametersPath, "datagen.json");
  if (sys::fs::exists(parametersPath)) {
    auto buffer = MemoryBuffer::getFile(parametersPath, /*IsText=*/true);
    if (!buffer)
      return createStringError(buffer.getError(), "cannot read '%s'", parametersPath.c_str());
    nlohmann::json earlier = nlohmann::json::parse((*buffer)->getBuffer().begin(),
                                                   (*buffer)->getBuffer().end(), nullptr, false);
    if (earlier.is_discarded())
      return createStringError("'%s' is not valid JSON", parametersPath.c_str());
    if (earlier != plan.parameters)
      return createStringError(
          "'%s' was generated with other parameters (%s); resume it with the same ones or "
          "use a new output folder",
          options.outputDirectory.c_str(), earlier.dump().c_str());
  } else if (Error error = writeFileAtomically(parametersPath, plan.parameters.dump(2) + "\n")) {
    return std::move(error);
  }

  auto shards = readJournaledShards(options.outputDirectory);
  if (!shards)
    return shards.takeError();
  for (const JournaledShard &shard : *shards)
    for (const JournalEntry &entry : shard.entries)
      plan.finished.insert(entry.module);
  return plan;
}

Error makeModuleInto(RecordMaker &maker, const Corpus &corpus, const CorpusEntry &entry,
                     ShardWriter &shard, DatagenSummary &summary) {
  auto records = maker.make(corpus, entry);
  if (!records)
    return records.takeError();
  if (Error error = shard.append(entry.name, *records))
    return error;
  ++summary.modulesDone;
  summary.records += records->lines.size();
  for (const auto &[reason, count] : records->failures)
    summary.failures[reason] += count;
  return Error::success();
}

Expected<nlohmann::json> finishManifest(const DatagenOptions &options, const DatagenPlan &plan,
                                        ArrayRef<std::string> lostModules,
                                        ArrayRef<std::string> workerErrors) {
  auto manifest =
      buildManifest(options.outputDirectory, plan.parameters, plan.corpus.entries().size());
  if (!manifest)
    return manifest.takeError();
  (*manifest)["corpus"] = options.corpusDirectory;
  if (!lostModules.empty())
    (*manifest)["lost_modules"] = std::vector<std::string>(lostModules.begin(), lostModules.end());
  if (!workerErrors.empty())
    (*manifest)["worker_errors"] =
        std::vector<std::string>(workerErrors.begin(), workerErrors.end());
  if (Error error = writeManifest(options.outputDirectory, *manifest))
    return std::move(error);
  return manifest;
}

Expected<DatagenSummary> runDatagen(const DatagenOptions &options, DatagenPlan &plan) {
  const std::string shardName =
      "shard-" + std::to_string(options.shardIndex) + "-of-" + std::to_string(options.shardCount);
  auto shard = ShardWriter::open(options.outputDirectory, shardName);
  if (!shard)
    return shard.takeError();
  RecordOptions recordOptions = options.records;
  recordOptions.storePath = cachePathFor(options, shardName);
  auto maker = RecordMaker::create(std::move(recordOptions));
  if (!maker)
    return maker.takeError();

  std::vector<const CorpusEntry *> work;
  DatagenSummary summary;
  for (const CorpusEntry &entry : plan.corpus.entries()) {
    if (shardOfModule(entry.name, options.shardCount) != options.shardIndex)
      continue;
    if (plan.finished.count(entry.name))
      ++summary.modulesSkipped;
    else
      work.push_back(&entry);
  }
  const auto start = std::chrono::steady_clock::now();
  auto showProgress = [&](size_t done) {
    if (!options.progress)
      return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    uint64_t failed = 0;
    for (const auto &[reason, count] : summary.failures)
      failed += count;
    *options.progress << "\r\033[Kdatagen " << shardName << ": " << done << "/" << work.size()
                      << " modules (" << summary.modulesSkipped << " done before), "
                      << summary.records << " records, " << failed << " failures, "
                      << format("%.0f", seconds) << " s";
    options.progress->flush();
  };
  showProgress(0);
  for (size_t index = 0; index < work.size(); ++index) {
    if (Error error = makeModuleInto(**maker, plan.corpus, *work[index], *shard, summary))
      return std::move(error);
    plan.finished.insert(work[index]->name);
    showProgress(index + 1);
  }
  if (options.progress)
    *options.progress << "\n";
  auto manifest = finishManifest(options, plan);
  if (!manifest)
    return manifest.takeError();
  summary.manifest = std::move(*manifest);
  return summary;
}

} // namespace optlm::data
