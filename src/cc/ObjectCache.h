//===- ObjectCache.h - objects already made, by IR and command ---*- C++ -*-===//
//
// A rebuild of an unchanged project must cost about what a plain clang -Oz
// build costs, yet optlm cc runs clang twice per unit (frontend, then code
// generation) where clang runs once. The frontend has to run (its
// diagnostics, its dependency file, and the IR hash that names the unit),
// but code generation need not: an object is fully determined by the
// unoptimized IR (its hash covers the source, the flags that reached the
// frontend and, with -g, the paths in the debug info), the pipeline, the
// code-generation arguments and the compiler. The cache keeps objects under
// a hash of those, one file each, written under a temporary name and renamed,
// so that concurrent compilers share it safely. It is a cache: anything that
// goes wrong with it costs only the time it would have saved.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace optlm::cc {

class ObjectCache {
public:
  /// An empty directory disables the cache.
  explicit ObjectCache(std::string directory) : Directory(std::move(directory)) {}

  bool enabled() const { return !Directory.empty(); }

  /// The key of an object: the unoptimized IR's hash, the pipeline, and the
  /// code generator's program and arguments (output paths excluded).
  static uint64_t key(uint64_t irHash, llvm::StringRef pipeline, llvm::StringRef compiler,
                      llvm::ArrayRef<std::string> codegenArguments);

  /// Copies the cached object to `objectPath` (through a temporary and a
  /// rename). False when there is none or it cannot be copied.
  bool fetch(uint64_t key, llvm::StringRef objectPath) const;

  /// Keeps a copy of `objectPath` under `key`; failures are ignored.
  void store(uint64_t key, llvm::StringRef objectPath) const;

private:
  std::string pathOf(uint64_t key) const;
  std::string Directory;
};

} // namespace optlm::cc
