//===- ShardWriter.cpp - record files that survive being killed -----------===//
#include "data/ShardWriter.h"

#include "support/AppendFile.h"
#include "support/FolderListing.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

using namespace llvm;

namespace optlm::data {

namespace {

Error ioError(StringRef what, StringRef path) {
  std::error_code error(errno, std::generic_category());
  return createStringError(error, "cannot %s '%s': %s", what.str().c_str(), path.str().c_str(),
                           error.message().c_str());
}

Error truncateTo(StringRef path, uint64_t length) {
  if (::truncate(path.str().c_str(), off_t(length)) != 0)
    return ioError("truncate", path);
  return Error::success();
}

std::map<std::string, uint64_t> countsFrom(const nlohmann::json &object) {
  std::map<std::string, uint64_t> counts;
  if (object.is_object())
    for (const auto &[key, value] : object.items())
      if (value.is_number_unsigned())
        counts[key] = value.get<uint64_t>();
  return counts;
}

} // namespace

Expected<JournalContents> readJournal(StringRef path) {
  JournalContents contents;
  if (!sys::fs::exists(path))
    return contents;
  auto buffer = MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return createStringError(buffer.getError(), "cannot read '%s'", path.str().c_str());
  StringRef text = (*buffer)->getBuffer();
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    if (newline == StringRef::npos)
      break; // a line cut short by a kill
    StringRef line = text.take_front(newline);
    nlohmann::json object = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
    if (object.is_discarded() || !object.is_object() || !object.contains("module") ||
        !object["module"].is_string() || !object.contains("end") ||
        !object["end"].is_number_unsigned())
      break; // garbage from a crash mid-write: everything after it is suspect
    JournalEntry entry;
    entry.module = object["module"].get<std::string>();
    entry.end = object["end"].get<uint64_t>();
    entry.records = object.value("records", uint64_t(0));
    entry.recordsByTask = countsFrom(object.value("tasks", nlohmann::json::object()));
    entry.failures = countsFrom(object.value("failures", nlohmann::json::object()));
    if (object.contains("pipeline") && object["pipeline"].is_string())
      entry.pipeline = object["pipeline"].get<std::string>();
    if (!contents.entries.empty() && entry.end < contents.entries.back().end)
      break;
    contents.entries.push_back(std::move(entry));
    contents.validBytes += newline + 1;
    text = text.drop_front(newline + 1);
  }
  return contents;
}

ShardPaths shardPaths(StringRef directory, StringRef name) {
  SmallString<256> records(directory), journal(directory);
  sys::path::append(records, name + ".jsonl");
  sys::path::append(journal, name + ".journal");
  return {std::string(records), std::string(journal)};
}

Expected<std::vector<JournaledShard>> readJournaledShards(StringRef directory) {
  Expected<std::vector<std::string>> journals = listFolderByExtension(directory, ".journal");
  if (!journals)
    return journals.takeError();
  std::vector<JournaledShard> shards;
  for (const std::string &journalFile : *journals) {
    JournaledShard shard;
    shard.name = sys::path::stem(journalFile).str();
    shard.paths = shardPaths(directory, shard.name);
    auto journal = readJournal(shard.paths.journal);
    if (!journal)
      return journal.takeError();
    shard.entries = std::move(journal->entries);
    shard.recordsLength = shard.entries.empty() ? 0 : shard.entries.back().end;
    shards.push_back(std::move(shard));
  }
  return shards;
}

Expected<ShardWriter> ShardWriter::open(StringRef directory, StringRef name) {
  ShardWriter writer;
  ShardPaths paths = shardPaths(directory, name);
  writer.RecordsPath = std::move(paths.records);
  writer.JournalPath = std::move(paths.journal);

  auto journal = readJournal(writer.JournalPath);
  if (!journal)
    return journal.takeError();
  if (sys::fs::exists(writer.JournalPath))
    if (Error error = truncateTo(writer.JournalPath, journal->validBytes))
      return std::move(error);
  writer.RecordsLength = journal->entries.empty() ? 0 : journal->entries.back().end;
  uint64_t actualLength = 0;
  if (sys::fs::exists(writer.RecordsPath)) {
    if (std::error_code error = sys::fs::file_size(writer.RecordsPath, actualLength))
      return createStringError(error, "cannot stat '%s'", writer.RecordsPath.c_str());
  }
  if (actualLength < writer.RecordsLength)
    return createStringError("'%s' is shorter (%llu bytes) than its journal says (%llu): the "
                             "output folder was changed by hand; start a new one",
                             writer.RecordsPath.c_str(), (unsigned long long)actualLength,
                             (unsigned long long)writer.RecordsLength);
  if (actualLength > writer.RecordsLength)
    if (Error error = truncateTo(writer.RecordsPath, writer.RecordsLength))
      return std::move(error);
  writer.Finished = std::move(journal->entries);
  return writer;
}

Error ShardWriter::append(StringRef module, const ModuleRecords &records) {
  std::string bytes;
  for (const std::string &line : records.lines) {
    bytes += line;
    bytes += '\n';
  }
  if (!bytes.empty())
    if (Error error = appendToFile(RecordsPath, bytes, AppendSync::Yes))
      return error;
  JournalEntry entry;
  entry.module = module.str();
  entry.end = RecordsLength + bytes.size();
  entry.records = records.lines.size();
  entry.recordsByTask = records.recordsByTask;
  entry.failures = records.failures;
  entry.pipeline = records.tunedPipeline;
  nlohmann::json line = {{"module", entry.module},
                         {"end", entry.end},
                         {"records", entry.records},
                         {"tasks", entry.recordsByTask},
                         {"failures", entry.failures}};
  if (!entry.pipeline.empty())
    line["pipeline"] = entry.pipeline;
  if (Error error = appendToFile(JournalPath, line.dump() + "\n", AppendSync::Yes))
    return error;
  RecordsLength = entry.end;
  Finished.push_back(std::move(entry));
  return Error::success();
}

} // namespace optlm::data
