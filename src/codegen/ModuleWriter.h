//===- ModuleWriter.h - write a module as .ll, .bc, .o or .s ------*- C++ -*-===//
//
// The one place that writes a module to a file in the form the path's
// extension names: `optlm opt -o`, `optlm tune -o` and everything else that
// hands a user an optimized program. Objects and assembly come from the same
// target machines as every measurement, so the file holds what was measured.
//
// The whole output is produced in memory before the file is touched, and
// then written to a temporary file that is renamed over the path: a failed
// code generation or a full disk leaves no empty or partial file behind, and
// an existing file is replaced only by a complete one.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/IR/Module.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace optlm {

enum class OutputKind { IRText, Bitcode, Object, Assembly };

/// The kind the path's extension names, or an error listing the accepted
/// extensions.
llvm::Expected<OutputKind> outputKindFromPath(llvm::StringRef path);

/// The bytes of the module in that form, for the module's own triple;
/// objects and assembly generated with `relocation` (nullopt: llc's
/// default, codegen/CompileSettings.h). Consumes the module for .o and .s
/// (code generation rewrites the IR).
llvm::Expected<std::string>
renderModule(llvm::Module &module, OutputKind kind,
             std::optional<llvm::Reloc::Model> relocation = std::nullopt);

/// Renders the module in the form `path`'s extension names and replaces
/// `path` with it atomically. Consumes the module for .o and .s.
llvm::Error writeModule(llvm::Module &module, llvm::StringRef path,
                        std::optional<llvm::Reloc::Model> relocation = std::nullopt);

} // namespace optlm
