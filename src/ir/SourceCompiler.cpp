//===- SourceCompiler.cpp - C/C++ to unoptimized bitcode via clang --------===//
#include "ir/SourceCompiler.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;

namespace optlm {

/// Sources are small; a compiler that runs this long is stuck.
constexpr unsigned ClangTimeoutSeconds = 300;
constexpr StringRef AArch64CrossSysroot = "/usr/aarch64-linux-gnu";

std::vector<std::string> clangArguments(StringRef sourcePath, StringRef triple,
                                        StringRef outputPath) {
  std::vector<std::string> arguments = {
      "-target", triple.str(), "-Oz", "-Xclang", "-disable-llvm-passes", "-emit-llvm", "-c"};
  Triple target(triple);
  if (target.getArch() == Triple::aarch64 &&
      Triple(sys::getProcessTriple()).getArch() != Triple::aarch64 &&
      sys::fs::is_directory(AArch64CrossSysroot)) {
    arguments.push_back(("--sysroot=" + AArch64CrossSysroot).str());
    arguments.push_back("-moutline-atomics");
  }
  arguments.push_back(sourcePath.str());
  arguments.push_back("-o");
  arguments.push_back(outputPath.str());
  return arguments;
}

/// clang's stderr in one line: its first error and how many followed.
static std::string summariseDiagnostics(StringRef text) {
  SmallVector<StringRef, 16> lines;
  text.split(lines, '\n', -1, /*KeepEmpty=*/false);
  StringRef first;
  unsigned errors = 0;
  for (StringRef line : lines) {
    if (!line.contains("error:"))
      continue;
    if (errors++ == 0)
      first = line.trim();
  }
  if (errors == 0)
    return lines.empty() ? std::string("no diagnostics") : lines.front().trim().str();
  std::string summary = first.str();
  if (errors > 1)
    summary += " (and " + std::to_string(errors - 1) + " more errors)";
  return summary;
}

Expected<std::unique_ptr<MemoryBuffer>> sourceToBitcode(StringRef sourcePath, StringRef triple) {
  Expected<std::string> clang = findClang();
  if (!clang)
    return clang.takeError();

  SmallString<128> outputPath, stderrPath;
  if (std::error_code error = sys::fs::createTemporaryFile("optlm-clang", "bc", outputPath))
    return createStringError("cannot create a temporary file: %s", error.message().c_str());
  auto removeOutput = make_scope_exit([&] { sys::fs::remove(outputPath); });
  if (std::error_code error = sys::fs::createTemporaryFile("optlm-clang", "txt", stderrPath))
    return createStringError("cannot create a temporary file: %s", error.message().c_str());
  auto removeStderr = make_scope_exit([&] { sys::fs::remove(stderrPath); });

  std::vector<std::string> arguments = clangArguments(sourcePath, triple, outputPath);
  std::vector<StringRef> argv = {*clang};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  std::optional<StringRef> redirects[] = {StringRef(""), StringRef(""), StringRef(stderrPath)};
  std::string executionError;
  int status =
      sys::ExecuteAndWait(*clang, argv, /*Env=*/std::nullopt, redirects, ClangTimeoutSeconds,
                          /*MemoryLimit=*/0, &executionError);
  if (status != 0) {
    std::string diagnostics;
    if (ErrorOr<std::unique_ptr<MemoryBuffer>> text = MemoryBuffer::getFile(stderrPath))
      diagnostics = summariseDiagnostics((*text)->getBuffer());
    if (status < 0)
      diagnostics = executionError + (diagnostics.empty() ? "" : ": ") + diagnostics;
    return createStringError("%s: clang failed: %s", sourcePath.str().c_str(), diagnostics.c_str());
  }

  ErrorOr<std::unique_ptr<MemoryBuffer>> bitcode =
      MemoryBuffer::getFile(outputPath, /*IsText=*/false);
  if (!bitcode)
    return createStringError("%s: cannot read clang's output: %s", sourcePath.str().c_str(),
                             bitcode.getError().message().c_str());
  return std::move(*bitcode);
}

} // namespace optlm
