//===- AppendFile.h - lines added to a file that others read -----*- C++ -*-===//
//
// Logs and journals (the datagen journal, the corpus index, the evaluation
// journal, optlm cc's build log) grow by whole lines while other processes
// write to them or read them, and a process may be killed at any moment.
// Each piece is therefore one write(2) on an O_APPEND descriptor: lines of
// concurrent writers do not interleave, and a kill leaves at most one line
// cut short, which every reader skips. Needs only LLVM's Support library.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace optlm {

enum class AppendSync {
  No,  ///< the page cache is enough (logs, indexes that a rerun rebuilds)
  Yes, ///< on the disk before returning (what a journal vouches for)
};

/// Appends `bytes` to `path` (created when missing) in one write.
llvm::Error appendToFile(llvm::StringRef path, llvm::StringRef bytes,
                         AppendSync sync = AppendSync::No);

} // namespace optlm
