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

using ::optlm::testing::readFile;
using ::optlm::testing::TemporaryFolder;

inline std::vector<std::string> lines(llvm::StringRef text) {
  std::vector<std::string> result;
  llvm::SmallVector<llvm::StringRef, 0> parts;
  text.split(parts, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts)
    result.push_back(part.str());
  return result;
}

} // namespace optlm::data::testing
