//===- Testing.h - helpers every GoogleTest suite may use --------*- C++ -*-===//
//
// One home for the small helpers the suites used to copy: OPTLM_ASSERT_OK,
// readFile, TemporaryFolder and folderUntilExit. Included as "testing/Testing.h"
// (optlm_add_gtest puts tests/ on the include path).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

/// Fails the test with the error's message if the Expected holds an error.
#define OPTLM_ASSERT_OK(expected)                                                                  \
  do {                                                                                             \
    if (!(expected))                                                                               \
      FAIL() << llvm::toString((expected).takeError());                                            \
  } while (false)

namespace optlm::testing {

/// The bytes of the file (read as binary, as they are on disk), or "" when
/// it cannot be read.
inline std::string readFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false,
                                  /*IsVolatile=*/true);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

/// A fresh folder, removed with everything in it at the end of the test.
class TemporaryFolder {
public:
  TemporaryFolder() {
    llvm::SmallString<128> created;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("optlm-test", created));
    Path = std::string(created);
  }
  ~TemporaryFolder() { llvm::sys::fs::remove_directories(Path); }
  TemporaryFolder(const TemporaryFolder &) = delete;
  TemporaryFolder &operator=(const TemporaryFolder &) = delete;

  const std::string &path() const { return Path; }
  std::string file(llvm::StringRef name) const {
    llvm::SmallString<128> result(Path);
    llvm::sys::path::append(result, name);
    return std::string(result);
  }
  /// Writes `contents` to the file `name` and returns its path: most tests
  /// only need a small input on disk.
  std::string write(llvm::StringRef name, llvm::StringRef contents) const {
    std::string path = file(name);
    std::error_code error;
    llvm::raw_fd_ostream stream(path, error);
    EXPECT_FALSE(error) << path;
    stream << contents;
    return path;
  }

private:
  std::string Path;
};

/// A fresh folder removed when the test program exits, not with the test:
/// for files that outlive one test, such as a model a suite writes once and
/// caches for all its tests, or a path a helper returns.
inline const TemporaryFolder &folderUntilExit() {
  static std::vector<std::unique_ptr<TemporaryFolder>> folders;
  folders.push_back(std::make_unique<TemporaryFolder>());
  return *folders.back();
}

} // namespace optlm::testing
