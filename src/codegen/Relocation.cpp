//===- Relocation.cpp - which relocation model code generation uses -------===//
#include "codegen/Relocation.h"

#include "ir/ModuleFacts.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/xxhash.h"

#include <string>

using namespace llvm;

namespace optlm {

std::optional<Reloc::Model> relocationModelFor(const Module &module, Relocation relocation) {
  if (relocation == Relocation::LlcDefault)
    return std::nullopt;
  // Clang sets the module's PIC and PIE levels and the target machine's
  // relocation model from the same -fPIC/-fPIE options, so the flags tell
  // which model the build's own compiler used.
  if (module.getPICLevel() != PICLevel::NotPIC || module.getPIELevel() != PIELevel::Default)
    return Reloc::PIC_;
  return Reloc::Static;
}

uint64_t hashWithRelocation(uint64_t hash, std::optional<Reloc::Model> relocation) {
  if (!relocation || *relocation == Reloc::Static)
    return hash;
  // The passes see the relocation model too (engine/Evaluator.h). The key
  // changed when they began to, so that stores and object caches made
  // before do not serve sizes or objects made the earlier way.
  const std::string keyed = "relocation, optimizer and code generator " +
                            std::to_string(int(*relocation)) + " " + std::to_string(hash);
  return xxh3_64bits(StringRef(keyed));
}

uint64_t moduleHashWithRelocation(const Module &module, Relocation relocation) {
  return hashWithRelocation(moduleHash(module), relocationModelFor(module, relocation));
}

} // namespace optlm
