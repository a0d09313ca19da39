//===- ResultsVersion.h - what names the results optlm makes -----*- C++ -*-===//
//
// Sizes, verdicts, labels and objects are results of LLVM as optlm's engine
// runs it: LLVM's version, and LLVM's own options the engine sets
// (engine/PassOptions.h: the IR outliner without branch matching). The
// results store keys everything by this text, a model names it for its
// library's verdicts (verified_llvm) and the object cache's keys include it,
// so that results made another way are never taken for these. Change the
// suffix whenever the engine changes LLVM's options.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"

namespace optlm {

inline constexpr llvm::StringLiteral kResultsVersion =
    LLVM_VERSION_STRING "+no-ir-sim-branch-matching";

} // namespace optlm
