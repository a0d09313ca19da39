//===- Prompts.cpp - the prompts LLM Compiler's models were trained on ----===//
#include "tasks/Prompts.h"

#include "llvm/ADT/Twine.h"

using namespace llvm;

namespace optlm::tasks {

std::string flagTuningPrompt(StringRef ir) {
  return ("[INST] Tell me how to optimize this LLVM-IR for object file size:\n\n<code>" + ir +
          "</code> [/INST]")
      .str();
}

std::string disassemblyPrompt(StringRef assembly) {
  return ("[INST] Disassemble this code to LLVM-IR:\n\n<code>" + assembly + "</code> [/INST]")
      .str();
}

std::string emulationPrompt(StringRef ir, StringRef pipeline, uint64_t instructionCount,
                            uint64_t binarySize, EmulationOutput output) {
  StringRef what = output == EmulationOutput::IR ? "the LLVM-IR" : "the assembly";
  return ("[INST] Give " + what + " for the following code when optimized using opt -p '" +
          pipeline + "':\n\n<code>" + ir + "</code>\n\nThe input code has instruction count " +
          Twine(instructionCount) + " and binary size " + Twine(binarySize) + " bytes. [/INST]")
      .str();
}

} // namespace optlm::tasks
