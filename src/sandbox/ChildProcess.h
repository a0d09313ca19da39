//===- ChildProcess.h - the child's side of a sandboxed job ------*- C++ -*-===//
//
// Everything that happens between fork() and _exit() in a child: limits,
// descriptors, LLVM's error hooks, the job, the result. Internal to the
// sandbox library.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "sandbox/ProcessPool.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace optlm::sandbox {

/// Exit codes that tell the parent why a child ended, even if the frame
/// carrying the details was lost. Chosen away from 0-2 and the shell's
/// 126-128+n so they are not mistaken for anything a library would use.
constexpr int FatalExitCode = 86;
constexpr int OutOfMemoryExitCode = 87;
constexpr int ProtocolExitCode = 88;

struct ChildSetup {
  int controlSocket;           ///< the child's end of the socket pair
  int outputPipe;              ///< write end, becomes stdout and stderr
  llvm::ArrayRef<int> toClose; ///< the parent's descriptors of other jobs
  uint64_t addressSpaceLimit;  ///< RLIMIT_AS in bytes; 0: unchanged
  size_t maxFrameBytes;
  bool reusable; ///< may be sent further jobs
};

/// The process's current address-space size in bytes (VmSize), 0 if
/// unknown. The parent reads it before forking, so the child's limit is its
/// inheritance plus the configured headroom.
uint64_t currentAddressSpace();

/// Never returns: runs the job (and, when the parent sends more, further
/// jobs) and leaves with _exit, so that no atexit handler or static
/// destructor of the parent's state runs in the child.
[[noreturn]] void runChild(const ChildSetup &setup, size_t jobIndex, JobFunction job);

} // namespace optlm::sandbox
