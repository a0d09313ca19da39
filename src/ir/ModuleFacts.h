//===- ModuleFacts.h - counts and hashes of a module -------------*- C++ -*-===//
//
// The IR-level facts optlm reports next to object sizes (the 2023 paper's
// objective was the instruction count), and a hash that identifies a module's
// content, so that pipelines producing identical IR share one code
// generation.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/IR/Module.h"

#include <cstdint>

namespace optlm {

struct ModuleFacts {
  uint64_t instructionCount = 0; ///< instructions in defined functions
  uint64_t basicBlockCount = 0;
  uint64_t functionCount = 0; ///< defined functions (declarations excluded)
};

ModuleFacts moduleFacts(const llvm::Module &module);

/// xxh3 of the module's textual IR. Everything the text holds takes part:
/// instructions, globals, attributes, metadata, value names, the module
/// identifier and source file name; equal hashes mean the same IR. Not the
/// bitcode: its symbol tables are written in hash-table order, which depends
/// on the history of the module (a bitcode round trip reorders them), so the
/// same IR could hash differently.
uint64_t moduleHash(const llvm::Module &module);

} // namespace optlm
