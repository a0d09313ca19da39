//===- VerifyTestSupport.h - scratch folders and small suites ----*- C++ -*-===//
//
// The verify tests build and run real programs, so they keep their suites
// small: a few bundled programs copied into a scratch folder (the copies
// hash to the same suite id as anywhere else).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "verify/Suite.h"

#include "testing/Testing.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optlm::verify::test {

/// The folder `name` in `scratch`, created: a suite folder of the test's own.
inline std::string subfolder(const optlm::testing::TemporaryFolder &scratch, llvm::StringRef name) {
  std::string path = scratch.file(name);
  EXPECT_FALSE(llvm::sys::fs::create_directories(path));
  return path;
}

/// Copies bundled programs (NAME.c and NAME.expected) into `folder`.
inline void copyBundled(const std::string &folder, const std::vector<std::string> &names) {
  for (const std::string &name : names)
    for (const char *extension : {".c", ".expected"}) {
      std::string from = bundledSuiteDirectory() + "/" + name + extension;
      std::string to = folder + "/" + name + extension;
      EXPECT_FALSE(llvm::sys::fs::copy_file(from, to)) << from;
    }
}

inline std::string testInput(llvm::StringRef name) {
  return std::string(OPTLM_TEST_INPUTS) + "/verify/" + name.str();
}

/// The small suite most tests use: bundled programs that build and run in
/// well under a second each. unify-loop-exits miscompiles sorting (its
/// self-check fails) and leaves bits and strings working (docs/passlisteval.md).
inline const std::vector<std::string> &smallSuitePrograms() {
  static const std::vector<std::string> names = {"bits", "sorting", "strings"};
  return names;
}

} // namespace optlm::verify::test
