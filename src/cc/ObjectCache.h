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
// Beside the objects it keeps each tune-mode unit's decision (the pipeline,
// how it was chosen, the object's key) under a hash of the frontend's
// bitcode bytes, the settings and the optlm binary: a rebuild finds the
// object from the frontend's output alone, without loading the IR, the store
// or a model, which lets optlm-cc's launcher (QuickDriver.h) skip loading
// LLVM. A decision outlives a better result found later for the same IR
// (say, by `optlm tune --budget`): OPTLM_CC_OBJECTS=off, or a new optlm
// binary, makes the build choose again. Needs only LLVM's Support library.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace optlm::cc {

struct Settings;

/// What a tune-mode compile decided for one unit (see the file comment).
struct UnitDecision {
  uint64_t objectKey = 0;
  std::string how;      ///< as the build log writes it ("model", "store", "oz", ...)
  std::string pipeline; ///< canonical text
  std::string irHash;   ///< hex, of the unoptimized module
  std::optional<uint64_t> size;
  std::optional<uint64_t> ozSize;
};

class ObjectCache {
public:
  /// An empty directory disables the cache.
  explicit ObjectCache(std::string directory) : Directory(std::move(directory)) {}
  /// The cache a build's settings name: OPTLM_CC_OBJECTS, else STORE.objects
  /// next to the build's store, else cc-objects next to the default store.
  static ObjectCache forSettings(const Settings &settings);

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

  /// The key of a unit's decision: the frontend's bitcode bytes, what in
  /// the settings changes the choice (tuneFingerprint), the optlm binary's
  /// identity (fileIdentity), the code generator and its arguments for the
  /// command line (output paths and target left out).
  static uint64_t decisionKey(llvm::StringRef bitcode, llvm::StringRef fingerprint,
                              llvm::StringRef optlmIdentity, llvm::StringRef compiler,
                              llvm::ArrayRef<std::string> codegenArguments);
  std::optional<UnitDecision> findDecision(uint64_t key) const;
  /// Failures are ignored.
  void storeDecision(uint64_t key, const UnitDecision &decision) const;

  /// A file's size and modification time as text ("" when it cannot be
  /// read): a rebuilt optlm is another optlm.
  static std::string fileIdentity(llvm::StringRef path);

private:
  std::string pathOf(uint64_t key, llvm::StringRef extension = ".o") const;
  std::string Directory;
};

} // namespace optlm::cc
