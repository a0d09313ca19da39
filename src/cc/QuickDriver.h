//===- QuickDriver.h - optlm-cc's launcher: clang without loading LLVM -*- C++ -*-===//
//
// Every compiler a build runs is a new process, and optlm, linked with the
// whole of LLVM, takes about 70 ms to start where clang's work on a small
// unit takes about as long: a rebuild of an unchanged project with
// `optlm cc` cost 1.6x a plain clang -Oz build, most of it in starting
// optlm. optlm-cc (and its link optlm-c++) is a small program linked only
// with LLVM's Support library that does what needs no LLVM:
//   - a command line that is not a compile (linking, -E, configure's odd
//     tests) or a build in oz mode: clang-19 replaces it at once, as in
//     `optlm cc`;
//   - a compile in tune mode whose every unit has a remembered decision
//     (ObjectCache.h): it runs the frontend (diagnostics, dependency file),
//     finds the decision by the bitcode's bytes, copies the object from the
//     cache and writes the build log, as `optlm cc` would;
//   - anything else (a unit never seen, capture mode, --report, an error):
//     `optlm cc` with the same command line, from the optlm next to it.
// So the launcher never decides anything itself: it replays what optlm
// decided for the very same frontend output.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "cc/Arguments.h"
#include "cc/Settings.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace optlm::cc {

/// The key of a unit's remembered decision (ObjectCache::decisionKey) for
/// a command line, its settings, the optlm binary at `optlmPath`, the code
/// generator and the frontend's bitcode.
uint64_t unitDecisionKey(const Invocation &invocation, const Settings &settings,
                         llvm::StringRef optlmPath, llvm::StringRef codegenCompiler,
                         llvm::StringRef bitcode);

/// The running program's path ("" when it cannot be told).
std::string runningProgram();

/// Runs the launcher on the arguments after the program name. `optlmPath`
/// is the optlm it hands over to. Returns the exit status, or does not
/// return (clang-19 or optlm replaces the process).
int runQuickDriver(Personality personality, llvm::ArrayRef<std::string> commandLine,
                   llvm::StringRef optlmPath);

} // namespace optlm::cc
