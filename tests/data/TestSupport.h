//===- TestSupport.h - shared helpers of the data tests ----------*- C++ -*-===//
#pragma once

#include "testing/Testing.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

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

using ::optlm::testing::readFile;

inline std::vector<std::string> lines(llvm::StringRef text) {
  std::vector<std::string> result;
  llvm::SmallVector<llvm::StringRef, 0> parts;
  text.split(parts, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts)
    result.push_back(part.str());
  return result;
}

} // namespace optlm::data::testing
