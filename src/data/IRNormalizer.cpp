//===- IRNormalizer.cpp - IR as LLM Compiler's models saw it --------------===//
#include "data/IRNormalizer.h"

#include "ir/ModuleFacts.h"

#include "llvm/IR/DebugInfo.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace optlm::data {

void normalizeModule(llvm::Module &module) {
  llvm::StripDebugInfo(module);
  if (llvm::NamedMDNode *ident = module.getNamedMetadata("llvm.ident"))
    module.eraseNamedMetadata(ident);
  module.setModuleIdentifier(kNormalizedModuleId);
  module.setSourceFileName("");
}

std::string moduleText(const llvm::Module &module) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  module.print(stream, nullptr);
  stream.flush();
  return text;
}

std::string contentName(const llvm::Module &module) {
  std::string name;
  llvm::raw_string_ostream stream(name);
  stream << llvm::format_hex_no_prefix(moduleHash(module), 16);
  stream.flush();
  return name;
}

} // namespace optlm::data
