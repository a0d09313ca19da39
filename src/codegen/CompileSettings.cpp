//===- CompileSettings.cpp - whose compilation optlm's sizes reproduce ----===//
#include "codegen/CompileSettings.h"

#include "ir/ModuleFacts.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/xxhash.h"

#include <string>

using namespace llvm;

namespace optlm {

const char *compileAsName(CompileAs compileAs) {
  return compileAs == CompileAs::Clang ? "clang" : "opt-and-llc";
}

CompileSettings compileSettingsFor(const Module &module, CompileAs compileAs) {
  if (compileAs == CompileAs::OptAndLlc)
    return {};
  CompileSettings settings;
  // Clang sets the module's PIC and PIE levels and the target machine's
  // relocation model from the same -fPIC/-fPIE options, so the flags tell
  // which model the build's own compiler used.
  settings.relocation =
      module.getPICLevel() != PICLevel::NotPIC || module.getPIELevel() != PIELevel::Default
          ? Reloc::PIC_
          : Reloc::Static;
  settings.clangOzPipeline = true;
  return settings;
}

uint64_t hashWithSettings(uint64_t hash, const CompileSettings &settings) {
  const bool staticCode = !settings.relocation || *settings.relocation == Reloc::Static;
  if (staticCode && !settings.clangOzPipeline)
    return hash;
  // The key changes whenever what the settings change does (the passes
  // began to see the relocation model, then -Oz became clang's), so
  // that stores and object caches made before do not serve sizes or
  // objects made the earlier way.
  const std::string keyed =
      "relocation " + std::to_string(settings.relocation ? int(*settings.relocation) : -1) +
      ", clang's -Oz " + std::to_string(settings.clangOzPipeline) + " " + std::to_string(hash);
  return xxh3_64bits(StringRef(keyed));
}

uint64_t moduleHashCompiledAs(const Module &module, CompileAs compileAs) {
  return hashWithSettings(moduleHash(module), compileSettingsFor(module, compileAs));
}

} // namespace optlm
