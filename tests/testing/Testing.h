//===- Testing.h - helpers every GoogleTest suite may use --------*- C++ -*-===//
//
// One home for the small helpers the suites used to copy: OPTLM_ASSERT_OK,
// readFile and TemporaryFolder. Included as "testing/Testing.h" (optlm_add_gtest puts tests/
// on the include path).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <string>

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

private:
  std::string Path;
};

} // namespace optlm::testing
