//===- TuningInput.h - the module a tuning run works on ----------*- C++ -*-===//
//
// Loads a program (.c, .cc, .ll, .bc) for a target the way every optlm
// measurement does, and names it by the hash of its unoptimized module as it
// is compiled (codegen/CompileSettings.h): the key under which the results
// store keeps its evaluations and its label.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "codegen/CompileSettings.h"
#include "engine/Evaluation.h"
#include "ir/ModuleLoader.h"

#include "llvm/Support/Error.h"

#include <string>

namespace optlm::search {

struct TuningInput {
  std::string path;
  Target target = Target::X86_64;
  LoadedModule loaded;
  CompileAs compileAs = CompileAs::OptAndLlc;
  uint64_t moduleHash = 0; ///< moduleHashCompiledAs(module, compileAs)
};

llvm::Expected<TuningInput> loadTuningInput(llvm::StringRef path, Target target,
                                            CompileAs compileAs = CompileAs::OptAndLlc);

} // namespace optlm::search
