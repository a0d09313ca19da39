//===- AssemblyNormalizer.h - assembly text compared for round trips -*- C++ -*-===//
//
// A disassembled module "round-trips" when compiling it back gives the input
// assembly. Two compilations of the same code differ in text that carries no
// code, so both sides are normalized before comparing:
//   - comments are dropped: from "//" (AArch64) or '#' (x86-64) to the end
//     of the line, and /* ... */ on one line; a '#' counts as a comment
//     when it starts the line or is followed by a space, the end of the
//     line or another comment ("##"), since AArch64 writes immediates as
//     "#1"; normalized text normalizes to itself;
//   - directives are dropped: lines whose first word starts with '.' and is
//     not a label (".text", ".p2align 4", ".size f, .Lfunc_end0-f",
//     ".cfi_startproc", ".ident ..."); they name sections, alignments,
//     symbol sizes, unwind tables and the compiler, not the code;
//   - runs of spaces and tabs become one space, lines are trimmed, empty
//     lines are dropped.
// Labels (including .L local labels) and instructions remain, so a
// difference in any instruction, operand, or block structure is seen.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace optlm::tasks {

/// The normalized text, one line per label or instruction.
std::string normalizeAssembly(llvm::StringRef assembly);

} // namespace optlm::tasks
