//===- ObjectSizes.h - section sizes as llvm-size counts them ----*- C++ -*-===//
//
// LLM Compiler's binary size is the .text plus .data columns of llvm-size's
// Berkeley format. llvm-size classifies each ELF section with the object
// library's own predicates, and so does this file, which is why the numbers
// agree byte for byte:
//   text: allocatable and (executable or not writable): .text, .rodata*,
//         .eh_frame, ...
//   data: allocatable, not text, with contents (not SHT_NOBITS): .data, ...
//   bss:  SHT_NOBITS and allocatable or writable: .bss, .tbss
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>

namespace optlm {

struct ObjectSizes {
  uint64_t text = 0;
  uint64_t data = 0;
  uint64_t bss = 0;
  /// Every allocatable section, name -> bytes; sections sharing a name
  /// (COMDAT groups) are summed.
  std::map<std::string, uint64_t> sections;

  uint64_t binarySize() const { return text + data; }
};

/// Measures an object file held in memory. Errors if the bytes are not an
/// ELF object.
llvm::Expected<ObjectSizes> measureObjectSizes(llvm::StringRef objectBytes);

} // namespace optlm
