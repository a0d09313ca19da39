//===- ModuleTestSupport.h - small IR helpers of the ir tests ----*- C++ -*-===//
#pragma once

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace optlm::test {

/// The names of a module's functions, variables and aliases, sorted.
inline std::vector<std::string> globalNames(const llvm::Module &module) {
  std::vector<std::string> names;
  for (const llvm::GlobalValue &value : module.global_values())
    names.push_back(value.getName().str());
  std::sort(names.begin(), names.end());
  return names;
}

/// IR text parsed into `context`; a parse error fails the test (and gives null).
inline std::unique_ptr<llvm::Module> parseModuleText(llvm::StringRef text,
                                                     llvm::LLVMContext &context) {
  llvm::SMDiagnostic diagnostic;
  std::unique_ptr<llvm::Module> module = llvm::parseAssemblyString(text, diagnostic, context);
  EXPECT_TRUE(module) << diagnostic.getMessage().str();
  return module;
}

} // namespace optlm::test
