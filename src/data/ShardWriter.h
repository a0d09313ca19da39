//===- ShardWriter.h - record files that survive being killed ----*- C++ -*-===//
//
// A shard is two files in the output folder:
//   NAME.jsonl    the records, one JSON object per line;
//   NAME.journal  one JSON line per finished module: its name, how many
//                 records it wrote, what failed, and the length of
//                 NAME.jsonl once its records were in.
// A module's records are appended and synced first, its journal line
// second. A process killed at any moment therefore leaves at most one
// module's records after the last journal line, and maybe half a journal
// line: opening the shard again cuts both back to the last whole journal
// line, and the module is made again. Nothing is lost or written twice.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "data/RecordMaker.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace optlm::data {

struct JournalEntry {
  std::string module;
  uint64_t end = 0; ///< length of the .jsonl after this module's records
  uint64_t records = 0;
  std::map<std::string, uint64_t> recordsByTask;
  std::map<std::string, uint64_t> failures;
  std::string pipeline; ///< the flag-tuning label's, if any
};

/// The whole lines of a journal (a partial last line is ignored), and the
/// number of bytes they take.
struct JournalContents {
  std::vector<JournalEntry> entries;
  uint64_t validBytes = 0;
};
llvm::Expected<JournalContents> readJournal(llvm::StringRef path);

/// The two files of the shard NAME in `directory`.
struct ShardPaths {
  std::string records; ///< NAME.jsonl
  std::string journal; ///< NAME.journal
};
ShardPaths shardPaths(llvm::StringRef directory, llvm::StringRef name);

/// A shard as its journal tells it: only the records before `recordsLength`
/// are finished (a killed run may have left more).
struct JournaledShard {
  std::string name;
  ShardPaths paths;
  std::vector<JournalEntry> entries;
  uint64_t recordsLength = 0;
};

/// Every shard of `directory` that has a journal, sorted by name.
llvm::Expected<std::vector<JournaledShard>> readJournaledShards(llvm::StringRef directory);

class ShardWriter {
public:
  /// Opens (creating, or recovering as described above) the shard NAME in
  /// `directory`.
  static llvm::Expected<ShardWriter> open(llvm::StringRef directory, llvm::StringRef name);

  const std::vector<JournalEntry> &finished() const { return Finished; }

  /// Appends one module's records and its journal line, both synced.
  llvm::Error append(llvm::StringRef module, const ModuleRecords &records);

  const std::string &recordsPath() const { return RecordsPath; }
  const std::string &journalPath() const { return JournalPath; }

private:
  std::string RecordsPath;
  std::string JournalPath;
  uint64_t RecordsLength = 0;
  std::vector<JournalEntry> Finished;
};

} // namespace optlm::data
