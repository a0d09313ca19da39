//===- ShardWriter.cpp - record files that survive being killed -----------===//
#include "data/ShardWriter.h"

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

/// Appends bytes and syncs them to the disk.
Error appendSynced(StringRef path, StringRef bytes) {
  const int fd = ::open(path.str().c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return ioError("open", path);
  const char *data = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR)
        continue;
      Error error = ioError("write", path);
      ::close(fd);
      return error;
    }
    data += written;
    left -= size_t(written);
  }
  if (::fsync(fd) != 0) {
    Error error = ioError("sync", path);
    ::close(fd);
    return error;
  }
  ::close(fd);
  return Error::success();
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

Expected<ShardWriter> ShardWriter::open(StringRef directory, StringRef name) {
  ShardWriter writer;
  SmallString<256> path(directory);
  sys::path::append(path, name + ".jsonl");
  writer.RecordsPath = std::string(path);
  path = directory;
  sys::path::append(path, name + ".journal");
  writer.JournalPath = std::string(path);

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
    if (Error error = appendSynced(RecordsPath, bytes))
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
  if (Error error = appendSynced(JournalPath, line.dump() + "\n"))
    return error;
  RecordsLength = entry.end;
  Finished.push_back(std::move(entry));
  return Error::success();
}

} // namespace optlm::data
