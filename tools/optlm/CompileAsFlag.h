//===- CompileAsFlag.h - --as-clang, declared once ---------------*- C++ -*-===//
//
// `optlm opt` and `optlm tune` take --as-clang: optimize, measure and write
// as optlm cc compiles a build's units (codegen/CompileSettings.h) instead
// of as opt and llc do. This is the one declaration of the option and of
// what it selects.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Command.h"

#include "codegen/CompileSettings.h"

#include "llvm/Support/CommandLine.h"

namespace optlm::cli {

class CompileAsFlag {
public:
  explicit CompileAsFlag(llvm::cl::SubCommand &command)
      : Flag("as-clang",
             llvm::cl::desc("Optimize, measure and write as optlm cc compiles: clang's "
                            "relocation model for the module's flags, clang's -Oz pipeline "
                            "(sizes and labels kept apart from opt's and llc's)"),
             llvm::cl::sub(command), llvm::cl::cat(optionCategory())) {}

  CompileAs get() const { return Flag ? CompileAs::Clang : CompileAs::OptAndLlc; }

private:
  llvm::cl::opt<bool> Flag;
};

} // namespace optlm::cli
