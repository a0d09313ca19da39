//===- SourceCompiler.h - C/C++ to unoptimized bitcode via clang -*- C++ -*-===//
//
// LLM Compiler's training inputs were made by clang at -Oz with the LLVM
// passes disabled: the IR is unoptimized but its functions carry minsize and
// optsize, which changes what the size passes do. optlm compiles sources the
// same way, by running the real clang-19 (OPTLM_CLANG_PATH, else clang-19 on
// PATH) as a subprocess:
//
//   clang-19 -target TRIPLE -Oz -Xclang -disable-llvm-passes -emit-llvm -c
//
// For AArch64 on an x86-64 host the C library headers come from Debian's
// cross package: --sysroot=/usr/aarch64-linux-gnu keeps the host's x86-64
// headers out of the search path, and -moutline-atomics restores the default
// a native AArch64 Linux clang has (it is inferred from a GCC installation,
// which the sysroot hides).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "support/FindClang.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>
#include <vector>

namespace optlm {

/// The arguments after the program name for compiling sourcePath to
/// bitcode at outputPath for the triple (what sourceToBitcode runs).
std::vector<std::string> clangArguments(llvm::StringRef sourcePath, llvm::StringRef triple,
                                        llvm::StringRef outputPath);

/// Compiles a C or C++ file to bitcode in memory. If clang fails, the error
/// holds its first diagnostic line and how many errors it reported.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> sourceToBitcode(llvm::StringRef sourcePath,
                                                                    llvm::StringRef triple);

} // namespace optlm
