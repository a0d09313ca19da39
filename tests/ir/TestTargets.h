//===- TestTargets.h - target descriptions for the ir tests ------*- C++ -*-===//
//
// The ir layer takes the triple and layout as data (the code generator
// supplies them in the tool); these are the strings LLVM 19 uses.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ir/ModuleLoader.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

/// True if the Expected holds an error (which is consumed).
template <typename T> bool failed(llvm::Expected<T> &&expected) {
  if (expected)
    return false;
  llvm::consumeError(expected.takeError());
  return true;
}

namespace optlm::testing {

inline const ModuleTarget X86Target{
    "x86_64-unknown-linux-gnu",
    "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:"
    "64-S128"};
inline const ModuleTarget AArch64Target{"aarch64-unknown-linux-gnu",
                                        "e-m:e-i8:8:32-i16:16:32-i64:64-i128:128-n32:64-S128-Fn32"};

inline std::string inputPath(const char *name) {
  return std::string(OPTLM_TEST_INPUTS) + "/ir/" + name;
}

} // namespace optlm::testing
