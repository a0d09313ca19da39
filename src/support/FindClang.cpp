//===- FindClang.cpp - the clang-19 optlm runs ----------------------------===//
#include "support/FindClang.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

using namespace llvm;

#ifndef OPTLM_CLANG_PATH
#define OPTLM_CLANG_PATH ""
#endif

namespace optlm {

Expected<std::string> findClang() {
  StringRef configured = OPTLM_CLANG_PATH;
  if (!configured.empty() && sys::fs::can_execute(configured))
    return configured.str();
  if (ErrorOr<std::string> found = sys::findProgramByName("clang-19"))
    return *found;
  return createStringError("cannot compile sources: clang-19 not found "
                           "(install clang-19 or put it on PATH)");
}

} // namespace optlm
