//===- Testing.h - helpers every GoogleTest suite may use --------*- C++ -*-===//
//
// One home for the small helpers the suites used to copy: OPTLM_ASSERT_OK
// and readFile. Included as "testing/Testing.h" (optlm_add_gtest puts tests/
// on the include path).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

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

} // namespace optlm::testing
