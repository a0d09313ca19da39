//===- Journal.cpp - per-item results on disk, for resuming ---------------===//
#include "eval/Journal.h"

#include "support/AppendFile.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

namespace optlm::eval {

Expected<std::unique_ptr<Journal>> Journal::open(StringRef path, StringRef solver) {
  std::map<std::string, nlohmann::json, std::less<>> results;
  if (sys::fs::exists(path)) {
    auto buffer = MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!buffer)
      return createStringError("cannot read the journal %s: %s", path.str().c_str(),
                               buffer.getError().message().c_str());
    SmallVector<StringRef, 0> lines;
    (*buffer)->getBuffer().split(lines, '\n');
    for (StringRef line : lines) {
      nlohmann::json entry = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
      if (entry.is_discarded() || !entry.is_object() || !entry.contains("key") ||
          !entry["key"].is_string() || entry.value("solver", std::string()) != solver ||
          !entry.contains("result"))
        continue;
      results[entry["key"].get<std::string>()] = entry["result"];
    }
  }
  // Appending nothing creates the file, or says now that it cannot be.
  if (Error error = appendToFile(path, ""))
    return createStringError("cannot write the journal: %s", toString(std::move(error)).c_str());
  std::unique_ptr<Journal> journal(new Journal(path.str(), solver.str()));
  journal->Resumed = results.size();
  journal->Results = std::move(results);
  return journal;
}

const nlohmann::json *Journal::find(StringRef key) const {
  auto found = Results.find(key);
  return found == Results.end() ? nullptr : &found->second;
}

Error Journal::append(StringRef key, const nlohmann::json &result) {
  nlohmann::json entry = {{"key", key.str()}, {"solver", Solver}, {"result", result}};
  // A line cut short by an earlier crash must not swallow this one.
  std::string line =
      "\n" + entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (Error error = appendToFile(Path, line))
    return createStringError("cannot write the journal: %s", toString(std::move(error)).c_str());
  Results[key.str()] = result;
  return Error::success();
}

} // namespace optlm::eval
