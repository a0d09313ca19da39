//===- TargetMachines.h - target machines as opt-19 and llc-19 make them -*- C++ -*-===//
//
// optlm's sizes must equal what `opt-19 -p P | llc-19 -filetype=obj |
// llvm-size-19` reports, so the target machines here are configured as those
// tools configure theirs when given no codegen flags:
//   - CPU and features empty: the functions' own "target-cpu" and
//     "target-features" attributes (set by clang) decide the subtarget;
//   - relocation model unset, so the target's default for the triple applies
//     (static for x86-64 and AArch64 Linux; the "PIC Level" module flag clang
//     writes does not change it), unless a caller asks for clang's choice
//     (codegen/CompileSettings.h); code model from the module or the default;
//   - TargetOptions equal to codegen::InitTargetOptionsFromCodeGenFlags with
//     every flag at its default (llcTargetOptions below);
//   - llc's default optimization level -O2 (CodeGenOptLevel::Default) for code
//     generation, and opt's -codegen-opt-level default 0 for the target
//     machine that only serves the optimizer (TargetTransformInfo).
// Only the X86 and AArch64 targets are initialised and accepted.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>
#include <optional>

namespace optlm {

/// Registers the X86 and AArch64 target infos, MC layers, code generators,
/// asm printers and asm parsers (inline asm needs the parser). Idempotent
/// and thread-safe; the functions below call it.
void initializeCodegenTargets();

/// True for the triples optlm compiles for (x86_64 or aarch64, ELF).
bool isSupportedTriple(const llvm::Triple &triple);

/// llc-19's TargetOptions when no codegen flag is given.
llvm::TargetOptions llcTargetOptions(const llvm::Triple &triple);

/// A target machine for code generation, as llc-19 -O2 creates it, with
/// `-relocation-model` when one is given.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createCodegenTargetMachine(llvm::StringRef triple,
                           std::optional<llvm::Reloc::Model> relocation = std::nullopt);

/// The target machine opt-19 hands to PassBuilder (for TTI and TLI), with
/// `relocation` when one is given: clang's optimizer sees the relocation
/// model its code generator will use, and some passes decide by it
/// (rel-lookup-table-converter makes tables of offsets instead of pointers
/// for position-independent code).
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createOptimizerTargetMachine(llvm::StringRef triple,
                             std::optional<llvm::Reloc::Model> relocation = std::nullopt);

/// The data layout string the target machine for this triple uses.
llvm::Expected<std::string> dataLayoutFor(llvm::StringRef triple);

} // namespace optlm
