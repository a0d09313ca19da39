//===- Prompts.h - the prompts LLM Compiler's models were trained on -*- C++ -*-===//
//
// The released models only answer well when prompted exactly as in training
// (shared doc llm-compiler.md): these builders are the one place the three
// templates are spelled. The dataset factory (src/data) writes the same
// text; the tests hold both to the documented strings.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace optlm::tasks {

/// What an emulation prompt asks the model to print.
enum class EmulationOutput { IR, Assembly };

std::string flagTuningPrompt(llvm::StringRef ir);
std::string disassemblyPrompt(llvm::StringRef assembly);
std::string emulationPrompt(llvm::StringRef ir, llvm::StringRef pipeline,
                            uint64_t instructionCount, uint64_t binarySize,
                            EmulationOutput output);

} // namespace optlm::tasks
