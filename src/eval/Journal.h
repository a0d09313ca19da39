//===- Journal.h - per-item results on disk, for resuming --------*- C++ -*-===//
//
// An evaluation over hundreds of programs is interrupted sooner or later.
// Every finished item's result is appended to REPORT_DIR/journal.jsonl as
// one line {"key": ..., "solver": ..., "result": {...}} in one write;
// a new run with the same report folder and solver reads the journal back
// and skips what is there. A line cut short by a crash is ignored (and
// overwritten by the item's new result, appended later).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>

namespace optlm::eval {

class Journal {
public:
  /// Reads what the file holds for this solver and opens it for appending.
  static llvm::Expected<std::unique_ptr<Journal>> open(llvm::StringRef path,
                                                       llvm::StringRef solver);

  const nlohmann::json *find(llvm::StringRef key) const;
  llvm::Error append(llvm::StringRef key, const nlohmann::json &result);
  /// Results read back at open(), by key.
  size_t resumed() const { return Resumed; }

private:
  Journal(std::string path, std::string solver)
      : Path(std::move(path)), Solver(std::move(solver)) {}
  std::string Path;
  std::string Solver;
  std::map<std::string, nlohmann::json, std::less<>> Results;
  size_t Resumed = 0;
};

} // namespace optlm::eval
