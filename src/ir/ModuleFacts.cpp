//===- ModuleFacts.cpp - counts and hashes of a module --------------------===//
#include "ir/ModuleFacts.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

using namespace llvm;

namespace optlm {

ModuleFacts moduleFacts(const Module &module) {
  ModuleFacts facts;
  for (const Function &function : module) {
    if (function.isDeclaration())
      continue;
    ++facts.functionCount;
    for (const BasicBlock &block : function) {
      ++facts.basicBlockCount;
      facts.instructionCount += block.size();
    }
  }
  return facts;
}

uint64_t moduleHash(const Module &module) {
  SmallVector<char, 0> text;
  raw_svector_ostream stream(text);
  module.print(stream, /*AAW=*/nullptr);
  return xxh3_64bits(StringRef(text.data(), text.size()));
}

} // namespace optlm
