//===- VerifyTestSupport.h - scratch folders and small suites ----*- C++ -*-===//
//
// The verify tests build and run real programs, so they keep their suites
// small: a few bundled programs copied into a scratch folder (the copies
// hash to the same suite id as anywhere else).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "verify/Suite.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optlm::verify::test {

/// A folder removed with everything in it when the object dies.
class ScratchFolder {
public:
  ScratchFolder() {
    llvm::SmallString<128> path;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("optlm-verify-test", path));
    Path = path.str().str();
  }
  ~ScratchFolder() { llvm::sys::fs::remove_directories(Path); }
  ScratchFolder(const ScratchFolder &) = delete;
  ScratchFolder &operator=(const ScratchFolder &) = delete;

  const std::string &path() const { return Path; }
  std::string file(llvm::StringRef name) const { return Path + "/" + name.str(); }
  std::string write(llvm::StringRef name, llvm::StringRef contents) const {
    std::string path = file(name);
    std::error_code error;
    llvm::raw_fd_ostream stream(path, error);
    EXPECT_FALSE(error) << path;
    stream << contents;
    return path;
  }
  /// A subfolder, created.
  std::string folder(llvm::StringRef name) const {
    std::string path = file(name);
    EXPECT_FALSE(llvm::sys::fs::create_directories(path));
    return path;
  }

private:
  std::string Path;
};

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
