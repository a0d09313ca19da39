//===- TestSupport.h - shared helpers of the data tests ----------*- C++ -*-===//
#pragma once

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace optlm::data::testing {

/// True for a value; an error is consumed (tests of failure paths).
template <typename T> bool succeeded(llvm::Expected<T> value) {
  if (value)
    return true;
  llvm::consumeError(value.takeError());
  return false;
}

/// "" for success, else the error's message (consumed).
inline std::string errorText(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : std::string();
}

inline std::string inputPath(llvm::StringRef relative) {
  return (llvm::Twine(OPTLM_TEST_INPUTS) + "/data/" + relative).str();
}

inline std::string toolPath() { return std::string(OPTLM_BINARY_DIR) + "/bin/optlm"; }

/// A fresh folder, removed with everything in it at the end of the test.
class TemporaryDirectory {
public:
  TemporaryDirectory() {
    llvm::SmallString<128> path;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("optlm-data-test", path));
    Path = std::string(path);
  }
  ~TemporaryDirectory() { llvm::sys::fs::remove_directories(Path); }
  const std::string &path() const { return Path; }
  std::string operator/(llvm::StringRef name) const { return Path + "/" + name.str(); }

private:
  std::string Path;
};

inline std::string readFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

inline std::vector<std::string> lines(llvm::StringRef text) {
  std::vector<std::string> result;
  llvm::SmallVector<llvm::StringRef, 0> parts;
  text.split(parts, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts)
    result.push_back(part.str());
  return result;
}

struct ToolRun {
  int exitCode = -1;
  std::string out;
  std::string err;
};

/// Runs a program with arguments (program first), capturing its output.
inline ToolRun runProgram(const std::vector<std::string> &argv, unsigned timeoutSeconds = 300) {
  llvm::SmallString<128> outPath, errPath;
  llvm::sys::fs::createTemporaryFile("optlm-data-test", "out", outPath);
  llvm::sys::fs::createTemporaryFile("optlm-data-test", "err", errPath);
  std::vector<llvm::StringRef> arguments(argv.begin(), argv.end());
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(outPath),
                                                llvm::StringRef(errPath)};
  ToolRun run;
  std::string message;
  run.exitCode = llvm::sys::ExecuteAndWait(argv.front(), arguments, std::nullopt, redirects,
                                           timeoutSeconds, 0, &message);
  run.out = readFile(outPath);
  run.err = readFile(errPath) + message;
  llvm::sys::fs::remove(outPath);
  llvm::sys::fs::remove(errPath);
  return run;
}

inline ToolRun runTool(std::vector<std::string> arguments, unsigned timeoutSeconds = 300) {
  arguments.insert(arguments.begin(), toolPath());
  return runProgram(arguments, timeoutSeconds);
}

} // namespace optlm::data::testing
