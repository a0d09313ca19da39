//===- CompileSettings.h - whose compilation optlm's sizes reproduce -*- C++ -*-===//
//
// optlm's sizes are by default those of `opt-19 -p P` then `llc-19`: the
// paper's sizes, `optlm size` and the tool-equivalence tests. A build's
// objects are made by clang, which configures the same passes and code
// generator differently: `optlm cc` measures its candidates as clang makes
// the object, so that its -Oz is the build's -Oz to the byte. Two things
// differ for the flags clang is given in a build:
//   - the relocation model: llc-19 leaves it to the target (static on
//     x86-64 and AArch64 Linux) and ignores the module's "PIC Level" flag;
//     clang chooses it from -fPIC/-fPIE, the same options that write the
//     flag, and its passes see it too (rel-lookup-table-converter);
//   - the -Oz pipeline: clang builds it with SLP vectorization on, where
//     PassBuilder's text `default<Oz>` (opt's -Oz) turns it off, so clang's
//     -Oz runs slp-vectorizer and opt's does not (an expat object came out
//     337 B apart). At the other levels, and for loop vectorization (off at
//     -Oz in both), the two agree.
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

/// Whose compilation a measurement reproduces.
enum class CompileAs {
  /// opt-19, then llc-19, with no flags but the pipeline.
  OptAndLlc,
  /// clang-19 compiling the module with the flags that made it: what a
  /// build's objects are made with, so what `optlm cc` measures with.
  Clang,
};

/// "opt-and-llc" or "clang", as reports name the way sizes were measured.
const char *compileAsName(CompileAs compileAs);

/// How passes and code generation are set up for one module.
struct CompileSettings {
  /// The target machine's relocation model, for the passes and the code
  /// generator (nullopt: the target's default, as opt and llc leave it).
  std::optional<llvm::Reloc::Model> relocation;
  /// `default<Oz>` is clang's -Oz pipeline, with the SLP vectorizer,
  /// instead of opt's.
  bool clangOzPipeline = false;

  bool operator==(const CompileSettings &other) const = default;
};

/// The settings `compileAs` gives `module`: none for opt and llc; for
/// clang, position-independent code when the module says "PIC Level" or
/// "PIE Level" (-fPIC, -fPIE, Debian's default PIE), static otherwise, and
/// clang's -Oz pipeline.
CompileSettings compileSettingsFor(const llvm::Module &module, CompileAs compileAs);

/// `hash` (of a module or of optimized IR) as a key for measurements made
/// with `settings`: unchanged for opt's and llc's defaults, another key for
/// any other settings, so that caches and stores never take one way's
/// sizes for another's.
uint64_t hashWithSettings(uint64_t hash, const CompileSettings &settings);

/// The key of `module`'s measurements made as `compileAs` compiles: its
/// content hash (ir/ModuleFacts.h) through hashWithSettings.
uint64_t moduleHashCompiledAs(const llvm::Module &module, CompileAs compileAs);

} // namespace optlm
