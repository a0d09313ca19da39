//===- CodegenTestSupport.h - helpers for the codegen tests ------*- C++ -*-===//
#pragma once

#include "codegen/TargetMachines.h"
#include "ir/ModuleLoader.h"
#include "testing/Testing.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optlm::testing {

inline constexpr const char *Triples[] = {"x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"};

inline std::string inputPath(llvm::StringRef folder, llvm::StringRef name) {
  return (llvm::Twine(OPTLM_TEST_INPUTS) + "/" + folder + "/" + name).str();
}

/// Loads a test input for the triple, with the layout its target machine
/// uses.
inline llvm::Expected<LoadedModule> loadFor(llvm::StringRef path, llvm::StringRef triple) {
  llvm::Expected<std::string> layout = dataLayoutFor(triple);
  if (!layout)
    return layout.takeError();
  return loadModule(path, ModuleTarget{triple.str(), *layout});
}

/// Runs a program and returns its standard output; fails the test (and
/// returns "") if it exits with another status than 0.
inline std::string runTool(llvm::StringRef program, std::vector<std::string> arguments) {
  llvm::SmallString<128> outputPath;
  if (llvm::sys::fs::createTemporaryFile("optlm-codegen-test", "out", outputPath)) {
    ADD_FAILURE() << "no temporary file";
    return "";
  }
  std::vector<llvm::StringRef> argv = {program};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(outputPath),
                                                std::nullopt};
  int status =
      llvm::sys::ExecuteAndWait(program, argv, std::nullopt, redirects, /*SecondsToWait=*/120);
  std::string output;
  if (auto buffer = llvm::MemoryBuffer::getFile(outputPath))
    output = (*buffer)->getBuffer().str();
  llvm::sys::fs::remove(outputPath);
  EXPECT_EQ(status, 0) << program.str() << " failed";
  return status == 0 ? output : "";
}

} // namespace optlm::testing
