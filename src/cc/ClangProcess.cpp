//===- ClangProcess.cpp - running clang-19 on a build's behalf ------------===//
#include "cc/ClangProcess.h"

#include "support/FindClang.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

using namespace llvm;

namespace optlm::cc {

Expected<ClangProgram> clangFor(Personality personality) {
  Expected<std::string> clang = findClang();
  if (!clang)
    return clang.takeError();
  return ClangProgram{*clang, personality == Personality::Cxx ? "clang++-19" : "clang-19"};
}

int execProgram(const std::string &program, const std::string &name,
                ArrayRef<std::string> arguments) {
  std::vector<std::string> copies = {name};
  copies.insert(copies.end(), arguments.begin(), arguments.end());
  std::vector<char *> argv;
  for (std::string &argument : copies)
    argv.push_back(argument.data());
  argv.push_back(nullptr);
  outs().flush();
  errs().flush();
  ::execv(program.c_str(), argv.data());
  errs() << "optlm cc: error: cannot run '" << program << "': " << std::strerror(errno) << "\n";
  return 1;
}

int runClang(const ClangProgram &clang, ArrayRef<std::string> arguments, StringRef errorPath,
             std::string &errorText) {
  std::vector<StringRef> argv = {clang.name};
  for (const std::string &argument : arguments)
    argv.push_back(argument);
  std::optional<StringRef> redirects[] = {std::nullopt, std::nullopt, errorPath};
  const int status = sys::ExecuteAndWait(clang.path, argv, /*Env=*/std::nullopt, redirects);
  if (auto buffer = MemoryBuffer::getFile(errorPath, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false))
    errorText = (*buffer)->getBuffer().str();
  else
    errorText.clear();
  return status;
}

std::vector<std::string> frontendCommand(const Invocation &invocation, size_t index,
                                         StringRef bitcodePath) {
  std::vector<std::string> arguments = frontendArguments(invocation, index, bitcodePath);
  if (::isatty(STDERR_FILENO) && none_of(invocation.arguments, [](const std::string &argument) {
        return StringRef(argument).contains("color-diagnostics") ||
               StringRef(argument).starts_with("-fdiagnostics-color");
      }))
    arguments.push_back("-fcolor-diagnostics");
  return arguments;
}

std::string firstLine(StringRef text) {
  return text.trim().split('\n').first.take_front(300).str();
}

std::string firstErrorLine(StringRef clangStderr) {
  for (StringRef rest = clangStderr; !rest.empty();) {
    StringRef line;
    std::tie(line, rest) = rest.split('\n');
    if (line.contains("error: "))
      return firstLine(line);
  }
  return firstLine(clangStderr);
}

std::optional<std::string> environmentVariable(StringRef name) {
  if (const char *value = std::getenv(name.str().c_str()))
    return std::string(value);
  return std::nullopt;
}

std::string currentDirectory() {
  SmallString<256> directory;
  if (sys::fs::current_path(directory))
    return "";
  return std::string(directory);
}

ScratchDirectory::ScratchDirectory() {
  SmallString<128> path;
  if (!sys::fs::createUniqueDirectory("optlm-cc", path))
    Path = std::string(path);
}

ScratchDirectory::~ScratchDirectory() {
  if (!Path.empty())
    sys::fs::remove_directories(Path);
}

} // namespace optlm::cc
