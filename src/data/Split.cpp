//===- Split.cpp - train/validation/test splits by source program ---------===//
#include "data/Split.h"

#include "data/Manifest.h"
#include "data/ShardWriter.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

using namespace llvm;

namespace optlm::data {

Error checkSplitOptions(const SplitOptions &options) {
  for (double fraction : {options.train, options.valid, options.test})
    if (!(fraction >= 0 && fraction <= 1))
      return createStringError("each split fraction must be between 0 and 1");
  if (std::fabs(options.train + options.valid + options.test - 1.0) > 1e-6)
    return createStringError("--train, --valid and --test must add up to 1 (they add up to %g)",
                             options.train + options.valid + options.test);
  return Error::success();
}

namespace {

/// One shard's records (the journaled part only).
struct ShardText {
  std::string name;
  std::unique_ptr<MemoryBuffer> buffer;
};

Expected<std::vector<ShardText>> readShards(StringRef directory) {
  auto journaled = readJournaledShards(directory);
  if (!journaled)
    return journaled.takeError();
  if (journaled->empty())
    return createStringError("'%s' holds no datagen shards", directory.str().c_str());
  std::vector<ShardText> shards;
  for (const JournaledShard &shard : *journaled) {
    std::unique_ptr<MemoryBuffer> buffer = MemoryBuffer::getMemBuffer("", shard.name);
    if (shard.recordsLength > 0) {
      auto slice = MemoryBuffer::getFileSlice(shard.paths.records, shard.recordsLength, 0);
      if (!slice)
        return createStringError(slice.getError(), "cannot read '%s'", shard.paths.records.c_str());
      buffer = std::move(*slice);
    }
    shards.push_back({shard.name + ".jsonl", std::move(buffer)});
  }
  return shards;
}

template <typename Callback>
Error forEachRecord(const std::vector<ShardText> &shards, Callback callback) {
  for (const ShardText &shard : shards) {
    StringRef text = shard.buffer->getBuffer();
    size_t lineNumber = 0;
    while (!text.empty()) {
      auto [line, rest] = text.split('\n');
      text = rest;
      ++lineNumber;
      nlohmann::json record = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
      if (record.is_discarded() || !record.is_object() || !record.contains("metadata") ||
          !record["metadata"].is_object() || !record["metadata"].contains("source") ||
          !record["metadata"]["source"].is_string())
        return createStringError("%s:%zu: not a record with metadata.source", shard.name.c_str(),
                                 lineNumber);
      if (Error error = callback(record["metadata"]["source"].get<std::string>(), line))
        return error;
    }
  }
  return Error::success();
}

} // namespace

Expected<nlohmann::json> splitDataset(const SplitOptions &options) {
  if (Error error = checkSplitOptions(options))
    return std::move(error);
  auto shards = readShards(options.directory);
  if (!shards)
    return shards.takeError();

  StringMap<uint64_t> recordsPerSource;
  uint64_t total = 0;
  if (Error error = forEachRecord(*shards, [&](const std::string &source, StringRef) {
        ++recordsPerSource[source];
        ++total;
        return Error::success();
      }))
    return std::move(error);

  // Sources in the seed's order, each to the split its midpoint falls in.
  std::vector<std::pair<uint64_t, std::string>> order;
  for (const auto &entry : recordsPerSource) {
    std::string key = std::to_string(options.seed) + "\n" + entry.getKey().str();
    order.emplace_back(xxh3_64bits(key), entry.getKey().str());
  }
  std::sort(order.begin(), order.end());
  static const char *const SplitNames[] = {"train", "valid", "test"};
  StringMap<int> splitOf;
  uint64_t counted = 0;
  uint64_t programs[3] = {0, 0, 0};
  for (const auto &[hash, source] : order) {
    const uint64_t count = recordsPerSource[source];
    const double middle = (double(counted) + double(count) / 2) / double(total);
    int split = middle < options.train ? 0 : middle < options.train + options.valid ? 1 : 2;
    splitOf[source] = split;
    ++programs[split];
    counted += count;
  }

  SmallString<256> splitDirectory(options.directory);
  sys::path::append(splitDirectory, "split");
  if (std::error_code error = sys::fs::create_directories(splitDirectory))
    return createStringError(error, "cannot create '%s'", splitDirectory.c_str());
  std::string texts[3];
  uint64_t records[3] = {0, 0, 0};
  if (Error error = forEachRecord(*shards, [&](const std::string &source, StringRef line) {
        const int split = splitOf[source];
        texts[split] += line;
        texts[split] += '\n';
        ++records[split];
        return Error::success();
      }))
    return std::move(error);

  nlohmann::json summary = {
      {"seed", options.seed},
      {"fractions", {{"train", options.train}, {"valid", options.valid}, {"test", options.test}}}};
  for (int split = 0; split < 3; ++split) {
    SmallString<256> path(splitDirectory);
    sys::path::append(path, std::string(SplitNames[split]) + ".jsonl");
    if (Error error = writeFileAtomically(path, texts[split]))
      return std::move(error);
    auto digest = fileSha256(path, texts[split].size());
    if (!digest)
      return digest.takeError();
    summary["splits"][SplitNames[split]] = {{"file", std::string(SplitNames[split]) + ".jsonl"},
                                            {"records", records[split]},
                                            {"programs", programs[split]},
                                            {"sha256", *digest}};
  }
  SmallString<256> summaryPath(splitDirectory);
  sys::path::append(summaryPath, "split.json");
  if (Error error = writeFileAtomically(summaryPath, summary.dump(2) + "\n"))
    return std::move(error);
  return summary;
}

std::string splitGroup(const CorpusEntry &entry) {
  return entry.package.empty() ? entry.source : entry.package;
}

bool isHeldOut(StringRef group, double heldOutShare, uint64_t seed) {
  const std::string keyText = std::to_string(seed) + "/" + group.str();
  const uint64_t hash = xxh3_64bits(keyText);
  return double(hash >> 11) / double(uint64_t(1) << 53) < heldOutShare;
}

std::vector<const CorpusEntry *> interleavedByGroup(const Corpus &corpus) {
  std::map<std::string, std::vector<const CorpusEntry *>> groups;
  for (const CorpusEntry &entry : corpus.entries())
    groups[splitGroup(entry)].push_back(&entry);
  size_t longest = 0;
  for (auto &[group, entries] : groups) {
    std::sort(entries.begin(), entries.end(), [](const CorpusEntry *a, const CorpusEntry *b) {
      return std::tie(a->instructionCount, a->name) < std::tie(b->instructionCount, b->name);
    });
    longest = std::max(longest, entries.size());
  }
  std::vector<const CorpusEntry *> order;
  order.reserve(corpus.entries().size());
  for (size_t rank = 0; rank < longest; ++rank)
    for (const auto &[group, entries] : groups)
      if (rank < entries.size())
        order.push_back(entries[rank]);
  return order;
}

Expected<CorpusSplitSummary> splitCorpus(const Corpus &corpus, Corpus &train, Corpus &heldOut,
                                         double heldOutShare, uint64_t seed,
                                         const AddOptions &options) {
  if (!(heldOutShare >= 0 && heldOutShare <= 1))
    return createStringError("the held-out share must be between 0 and 1");
  CorpusSplitSummary summary;
  std::set<std::string> heldOutGroups;
  for (const CorpusEntry *entry : interleavedByGroup(corpus)) {
    const std::string group = splitGroup(*entry);
    const bool held = isHeldOut(group, heldOutShare, seed);
    if (held)
      heldOutGroups.insert(group);
    if (Error error = addCorpusEntry(held ? heldOut : train, corpus, *entry, options,
                                     held ? summary.heldOut : summary.train))
      return std::move(error);
  }
  summary.heldOutGroups.assign(heldOutGroups.begin(), heldOutGroups.end());
  return summary;
}

} // namespace optlm::data
