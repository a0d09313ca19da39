//===- AtomicFile.h - a file written whole or not at all ---------*- C++ -*-===//
//
// Readers that run beside a writer (resumable jobs, the compilers of a
// make -j build sharing a cache) must never see half a file. Needs only
// LLVM's Support library (optlm_support_base).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace llvm {
class raw_ostream;
}

namespace optlm {

/// Writes `text` to `path` through a temporary file (named after the
/// process) and a rename.
llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef text);

/// The same for content written by `write` (bitcode, a GGUF file): when it
/// fails, or the file system does, `path` is left as it was and the
/// temporary file is removed.
llvm::Error writeFileAtomically(llvm::StringRef path,
                                llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write);

} // namespace optlm
