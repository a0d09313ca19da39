//===- IRNormalizer.h - IR as LLM Compiler's models saw it -------*- C++ -*-===//
//
// Every module in a corpus, and every IR text in a prompt or label, passes
// through here, so that two copies of one program look the same whatever
// file they came from and whatever machine compiled them:
//   - debug info is stripped (the models never saw !dbg, and it dominates
//     the text of a -g build);
//   - llvm.ident (the compiler's version banner) is dropped;
//   - the module identifier is "<stdin>" and there is no source_filename
//     line, so the path a file was compiled from leaves no trace;
//   - value names, attributes (minsize optsize, target-cpu, ...) and the
//     module flags clang writes are kept as clang wrote them.
// docs/datasets.md explains each choice.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/IR/Module.h"

#include <cstdint>
#include <string>

namespace optlm::data {

/// The module identifier every normalized module carries.
inline constexpr const char *kNormalizedModuleId = "<stdin>";

/// Applies the normalization above in place.
void normalizeModule(llvm::Module &module);

/// The module's textual IR, as `opt -S` prints it.
std::string moduleText(const llvm::Module &module);

/// 16 lowercase hex digits of the content hash of a normalized module
/// (ir/ModuleFacts.h's moduleHash): the name of the module in a corpus.
std::string contentName(const llvm::Module &module);

} // namespace optlm::data
