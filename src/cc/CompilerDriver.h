//===- CompilerDriver.h - optlm cc / optlm c++, a drop-in clang-19 -*- C++ -*-===//
//
// `optlm cc` and `optlm c++` stand in for clang-19 and clang++-19 in any
// build (`make CC="optlm cc"`, CMake through the optlm-cc link). A compile to
// objects (see Arguments.h) becomes, for each source:
//   1. the frontend: clang-19 with the build's own arguments and LLM
//      Compiler's recipe (-Oz -Xclang -disable-llvm-passes -emit-llvm) to a
//      bitcode file; its diagnostics and dependency file are the build's;
//   2. the pipeline (PipelineChooser.h), applied by optlm's engine in a
//      sandboxed child (a pass that crashes or hangs costs only the tuning);
//   3. code generation: clang-19 turns the optimized bitcode into the object
//      with the build's code-generation flags (PIC, sections, CPU), so that
//      the object links exactly where clang's would.
// With -Oz as the pipeline, step 3 runs clang's own -Oz on the frontend's
// bitcode: the object is the one `clang-19 -Oz` makes.
//
// The promise: a build that works with clang-19 -Oz works with optlm cc.
// Anything optlm does wrong falls back to clang -Oz and is written to the
// build log, never to the build's stderr; a compile that fails is handed to
// clang-19 as it is, so that it fails with clang's own diagnostics and exit
// status. Every other command line runs clang-19 with the same arguments
// (exec, so exit status and output are clang's).
//
// Modes and settings: Settings.h. Optimization levels: tune mode makes a
// size-tuned object whatever -O level the build asks for (an -O2 build gets
// a smaller object, as with CFLAGS=-Oz), except an explicit -O0: a debug
// build stays a debug build and runs clang unchanged.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "cc/Arguments.h"

#include "llvm/ADT/ArrayRef.h"

#include <optional>
#include <string>

namespace optlm::cc {

/// Runs the compiler driver on the arguments after `optlm cc`. Returns the
/// exit status, or does not return (clang-19 replaces the process).
/// `optlm cc --report LOG [--json]` summarises a build log instead.
int runCompilerDriver(Personality personality, llvm::ArrayRef<std::string> arguments);

} // namespace optlm::cc
