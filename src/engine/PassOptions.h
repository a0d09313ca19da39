//===- PassOptions.h - LLVM's own options the engine runs with ----*- C++ -*-===//
//
// The engine runs LLVM's passes as opt-19 does, but for one option:
//
//   -no-ir-sim-branch-matching  The IR outliner (`iroutliner`) outlines
//     only regions within one basic block. With branch matching (LLVM 19's
//     default) it also outlines regions that span blocks, and that
//     miscompiles real code: pcre2 10.42's JIT compiler (pcre2_jit_compile.c,
//     8-bit), optimized with sroa, instcombine and iroutliner, makes a
//     library whose own test suite fails (test 4 with JIT), while every
//     program of PassListEval's suite passes with the same list. Found by
//     scripts/cc-debian-check in the forty-seventh session; 13 of the
//     shipped x86-64 model's 48 lists hold the outliner. With the option
//     the same lists pass pcre2's whole suite.
//
// A pipeline optlm chose is therefore what `opt-19
// -no-ir-sim-branch-matching -passes=...` makes. The results version
// (support/ResultsVersion.h) says so, so that no result made with branch
// matching is taken for one made without.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/Error.h"

namespace optlm {

/// Sets the options above in this process (once; later calls return the
/// first call's answer). An error when this LLVM does not have them: the
/// engine then refuses to run passes rather than run them unsafely.
llvm::Error configurePassOptions();

} // namespace optlm
