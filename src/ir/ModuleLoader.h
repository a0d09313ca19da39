//===- ModuleLoader.h - modules from .ll, .bc and C/C++ files ----*- C++ -*-===//
//
// Everything optlm measures starts as an llvm::Module loaded here. IR text
// and bitcode are parsed directly; C and C++ sources are first compiled by
// the real clang, the way LLM Compiler's inputs were made (see
// SourceCompiler.h). Whatever the input said, the loaded module carries the
// target triple and data layout the caller asked for, so that one input can
// be measured for either target.
//
// Ownership: a Module lives in the LLVMContext that created it and must die
// before it. LoadedModule owns both, declared so that the module is
// destroyed first. An LLVMContext is not thread-safe: use one LoadedModule
// per thread (copyIntoNewContext makes another).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <memory>
#include <optional>
#include <string>

namespace optlm {

/// What a module is loaded from, decided by the file name's extension.
enum class InputKind {
  IRText,    ///< .ll
  Bitcode,   ///< .bc
  CSource,   ///< .c
  CxxSource, ///< .cc .cpp .cxx .c++ .C
};

/// The extension's kind, or an error naming the accepted extensions.
llvm::Expected<InputKind> inputKindFromPath(llvm::StringRef path);

/// The extension's kind when optlm reads such a file as a program; the one
/// list of program extensions that folder readers filter with.
std::optional<InputKind> inputKindOf(llvm::StringRef path);

/// C or C++ (compiled by clang first) rather than IR.
inline bool isSourceKind(InputKind kind) {
  return kind == InputKind::CSource || kind == InputKind::CxxSource;
}

/// The target triple an IR file (.ll or .bc) was written for, read without
/// parsing the module; empty when the file names none, is no IR file, or
/// cannot be read (loading it says why).
std::string irFileTriple(llvm::StringRef path);

/// The target a loaded module is set to: its triple and data layout (which
/// come from the TargetMachine that will compile it).
struct ModuleTarget {
  std::string triple;
  std::string dataLayout;
};

struct LoadedModule {
  // Order matters: members are destroyed in reverse, module before context.
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;

  /// The same module in a fresh context, for another thread.
  llvm::Expected<LoadedModule> copyIntoNewContext() const;
};

/// Copies a module into a fresh context through bitcode, use-list order
/// included. Unlike llvm::CloneModule, the copy is what a tool reading the
/// module from a .bc file gets: passes that walk a value's users see them in
/// the same order, so they make the same decisions as opt-19 does.
llvm::Expected<LoadedModule> copyIntoNewContext(const llvm::Module &module);
/// The same into a context the caller owns (parts that must share one).
llvm::Expected<std::unique_ptr<llvm::Module>> copyIntoContext(const llvm::Module &module,
                                                              llvm::LLVMContext &context);

/// Loads a file of any InputKind and retargets it. The module is verified:
/// input that parses but is not valid IR is an error here, so that later
/// failures are the optimizer's. Errors are one line and name the file:
/// missing file, directory, empty file, malformed IR ("file:line:col:
/// message"), malformed bitcode, unsupported extension, clang failing.
llvm::Expected<LoadedModule> loadModule(llvm::StringRef path, const ModuleTarget &target);

/// Parses IR text or bitcode held in memory (the buffer's identifier names
/// it in errors) into a new context, retargeted and verified like
/// loadModule.
llvm::Expected<LoadedModule> parseModule(llvm::MemoryBufferRef buffer, InputKind kind,
                                         const ModuleTarget &target);

/// Sets the module's triple and data layout. IR written for another target
/// keeps its instructions; only what the layout decides (type sizes and
/// alignments the IR leaves implicit) follows the new target.
void retarget(llvm::Module &module, const ModuleTarget &target);

} // namespace optlm
