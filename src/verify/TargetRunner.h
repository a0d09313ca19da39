//===- TargetRunner.h - run a target's programs on this host -----*- C++ -*-===//
//
// Verification builds and runs real programs. A program for the host's own
// architecture runs directly; one for another architecture (AArch64 on an
// x86-64 machine) runs under qemu-user, with the target's C library from
// Debian's cross package as its root (qemu-aarch64 -L /usr/aarch64-linux-gnu),
// and is linked with lld, which links any target (the host's GNU ld links
// only its own).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace optlm::verify {

struct TargetRunner {
  /// Empty when programs run directly; else the emulator's path.
  std::string emulator;
  /// Arguments before the program's path.
  std::vector<std::string> emulatorArguments;
  /// Extra arguments clang needs to link for the target.
  std::vector<std::string> linkArguments;

  bool emulated() const { return !emulator.empty(); }
};

/// How this host runs programs built for `target`, or an error that says
/// why it cannot (no qemu-user, no cross C library) and what to install.
llvm::Expected<TargetRunner> targetRunner(Target target);

} // namespace optlm::verify
