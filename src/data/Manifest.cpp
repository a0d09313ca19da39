//===- Manifest.cpp - what a datagen output folder holds ------------------===//
#include "data/Manifest.h"

#include "data/ShardWriter.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <unistd.h>

using namespace llvm;

namespace optlm::data {

Expected<std::string> fileSha256(StringRef path, uint64_t length) {
  auto buffer = MemoryBuffer::getFileSlice(path, length, 0);
  if (length == 0)
    return toHex(SHA256::hash({}), /*LowerCase=*/true);
  if (!buffer)
    return createStringError(buffer.getError(), "cannot read '%s'", path.str().c_str());
  StringRef bytes = (*buffer)->getBuffer();
  return toHex(SHA256::hash(arrayRefFromStringRef(bytes)), /*LowerCase=*/true);
}

Expected<nlohmann::json> buildManifest(StringRef directory, const nlohmann::json &parameters,
                                       uint64_t corpusModules) {
  auto journaled = readJournaledShards(directory);
  if (!journaled)
    return journaled.takeError();
  nlohmann::json shards = nlohmann::json::array();
  std::map<std::string, uint64_t> byTask, failures, pipelines;
  uint64_t records = 0, modules = 0, bytes = 0;
  for (const JournaledShard &shard : *journaled) {
    uint64_t shardRecords = 0;
    for (const JournalEntry &entry : shard.entries) {
      shardRecords += entry.records;
      for (const auto &[task, count] : entry.recordsByTask)
        byTask[task] += count;
      for (const auto &[reason, count] : entry.failures)
        failures[reason] += count;
      if (!entry.pipeline.empty() && entry.pipeline != "module(default<Oz>)")
        ++pipelines[entry.pipeline];
    }
    auto digest = fileSha256(shard.paths.records, shard.recordsLength);
    if (!digest)
      return digest.takeError();
    shards.push_back({{"file", shard.name + ".jsonl"},
                      {"records", shardRecords},
                      {"bytes", shard.recordsLength},
                      {"modules", shard.entries.size()},
                      {"sha256", *digest}});
    records += shardRecords;
    modules += shard.entries.size();
    bytes += shard.recordsLength;
  }
  // The broadcast candidates of a next run: most often best first, ties in
  // text order so that the list is the same whoever builds it.
  std::vector<std::pair<std::string, uint64_t>> popular(pipelines.begin(), pipelines.end());
  std::sort(popular.begin(), popular.end(), [](const auto &a, const auto &b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (popular.size() > 100)
    popular.resize(100);
  nlohmann::json popularJson = nlohmann::json::array();
  for (const auto &[pipeline, programs] : popular)
    popularJson.push_back({{"pipeline", pipeline}, {"programs", programs}});
  return nlohmann::json{{"format", "optlm-datagen-1"},
                        {"popular_pipelines", popularJson},
                        {"parameters", parameters},
                        {"corpus_modules", corpusModules},
                        {"modules_done", modules},
                        {"records", records},
                        {"bytes", bytes},
                        {"records_by_task", byTask},
                        {"failures", failures},
                        {"shards", shards}};
}

Error writeManifest(StringRef directory, const nlohmann::json &manifest) {
  SmallString<256> path(directory);
  sys::path::append(path, "manifest.json");
  return writeFileAtomically(path, manifest.dump(2) + "\n");
}

} // namespace optlm::data
