//===- Relocation.h - which relocation model code generation uses -*- C++ -*-===//
//
// llc-19 leaves the relocation model to the target (static on x86-64 and
// AArch64 Linux) and ignores the module's "PIC Level" flag; clang chooses it
// from -fPIC/-fPIE, the same options that write the flag. optlm's sizes are
// llc's by default; `optlm cc` measures as the build's clang generates code.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/CodeGen.h"

#include <cstdint>
#include <optional>

namespace llvm {
class Module;
}

namespace optlm {

/// Which relocation model code generation uses.
enum class Relocation {
  /// llc-19's default for the triple (static on x86-64 and AArch64 Linux):
  /// the paper's sizes, `optlm size` and the tool-equivalence tests.
  LlcDefault,
  /// What clang's code generator uses for the flags that made the module:
  /// position-independent when the module says "PIC Level" or "PIE Level"
  /// (-fPIC, -fPIE, Debian's default PIE), static otherwise. What a build's
  /// objects are made with, so what `optlm cc` measures its candidates with;
  /// clang's passes see it too (their target machine has it), and so do
  /// optlm's (engine/Evaluator.h's optimizeModule).
  AsCompiled,
};

/// The relocation model `relocation` gives code generation for `module`
/// (nullopt: the target's default, as llc leaves it).
std::optional<llvm::Reloc::Model> relocationModelFor(const llvm::Module &module,
                                                     Relocation relocation);

/// `hash` (of a module or of optimized IR) as a key for measurements made
/// with `relocation`: unchanged for llc's default (static on both targets),
/// another key for position-independent code, so that caches and stores
/// never take one model's sizes for the other's.
uint64_t hashWithRelocation(uint64_t hash, std::optional<llvm::Reloc::Model> relocation);

/// The key of `module`'s measurements made with `relocation`: its content
/// hash (ir/ModuleFacts.h) through hashWithRelocation.
uint64_t moduleHashWithRelocation(const llvm::Module &module, Relocation relocation);

} // namespace optlm
