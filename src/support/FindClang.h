//===- FindClang.h - the clang-19 optlm runs ---------------------*- C++ -*-===//
//
// Needs only LLVM's Support library (see CMakeLists.txt: optlm_support_base),
// so that optlm-cc's launcher can find clang without loading all of LLVM.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/Error.h"

#include <string>

namespace optlm {

/// The clang executable optlm runs (OPTLM_CLANG_PATH as configured, else
/// clang-19 on PATH), or an error saying what to install.
llvm::Expected<std::string> findClang();

} // namespace optlm
