//===- Prompts.h - LLM Compiler's prompts and optlm's labels -----*- C++ -*-===//
//
// Prompts are exactly those of the released models (shared doc
// llm-compiler.md); labels, whose wording Meta did not publish, are optlm's
// own format, specified in docs/formats.md and parsed back by the functions
// here (so that the tests and the training code agree on one grammar):
//
// flag tuning label:
//   Run opt -p '{pipeline}' to get binary size {size} bytes:\n\n<code>{ir}</code>
// emulation label:
//   <code>{output}</code>\n\nThe output code has instruction count {count}
//   and binary size {size} bytes.
// disassembly label: the IR itself, <code>{ir}</code>.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace optlm::data {

/// What an emulation record asks the model to print.
enum class EmulationOutput { IR, Assembly };

std::string flagTuningPrompt(llvm::StringRef ir);
std::string disassemblyPrompt(llvm::StringRef assembly);
std::string emulationPrompt(llvm::StringRef ir, llvm::StringRef pipeline, uint64_t instructionCount,
                            uint64_t binarySize, EmulationOutput output);

std::string flagTuningLabel(llvm::StringRef pipeline, uint64_t binarySize,
                            llvm::StringRef optimizedIR);
std::string emulationLabel(llvm::StringRef output, uint64_t instructionCount, uint64_t binarySize);
std::string disassemblyLabel(llvm::StringRef ir);

/// A flag-tuning label read back.
struct FlagTuningLabel {
  std::string pipeline;
  uint64_t binarySize = 0;
  std::string ir;
};
llvm::Expected<FlagTuningLabel> parseFlagTuningLabel(llvm::StringRef label);

/// The text between the first <code> and the last </code>, or an error.
llvm::Expected<llvm::StringRef> codeBlock(llvm::StringRef text);

} // namespace optlm::data
