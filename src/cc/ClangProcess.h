//===- ClangProcess.h - running clang-19 on a build's behalf ----*- C++ -*-===//
//
// What the compiler driver and its launcher (QuickDriver.h) share: which
// clang to run and under which name, replacing the process with it, running
// it to completion with its stderr kept, and a scratch folder per process.
// Needs only LLVM's Support library (see src/support/CMakeLists.txt).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "cc/Arguments.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace optlm::cc {

/// The clang binary and the name it is run under: clang takes its driver
/// mode (C or C++) and the prefix of its diagnostics from argv[0], so the
/// build sees "clang-19: error: ..." exactly as it would without optlm.
struct ClangProgram {
  std::string path;
  std::string name;
};

llvm::Expected<ClangProgram> clangFor(Personality personality);

/// Replaces this process with `program` run under `name`. Returns (1, with
/// a message on stderr) only when exec fails.
int execProgram(const std::string &program, const std::string &name,
                llvm::ArrayRef<std::string> arguments);
inline int execClang(const ClangProgram &clang, llvm::ArrayRef<std::string> arguments) {
  return execProgram(clang.path, clang.name, arguments);
}

/// Runs clang to completion with its stderr in `errorText`. Returns its
/// exit status (negative: it did not start or did not exit).
int runClang(const ClangProgram &clang, llvm::ArrayRef<std::string> arguments,
             llvm::StringRef errorPath, std::string &errorText);

/// The frontend's arguments for source `index` (Arguments.h's
/// frontendArguments), with colours on when the build's stderr is a terminal
/// and the build did not say, as clang would.
std::vector<std::string> frontendCommand(const Invocation &invocation, size_t index,
                                         llvm::StringRef bitcodePath);

/// The first line of a message, for the build log.
std::string firstLine(llvm::StringRef text);

/// The line of clang's stderr that says what went wrong, for the build log:
/// its first "error:" line (an include stack's "In file included from"
/// lines come before it), else its first line.
std::string firstErrorLine(llvm::StringRef clangStderr);

std::optional<std::string> environmentVariable(llvm::StringRef name);

/// The working directory, or "" when it cannot be read.
std::string currentDirectory();

/// A folder of this process's temporary files, removed at the end.
class ScratchDirectory {
public:
  ScratchDirectory();
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory &) = delete;
  ScratchDirectory &operator=(const ScratchDirectory &) = delete;
  bool valid() const { return !Path.empty(); }
  std::string operator/(llvm::StringRef name) const { return Path + "/" + name.str(); }

private:
  std::string Path;
};

} // namespace optlm::cc
