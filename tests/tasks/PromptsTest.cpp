//===- PromptsTest.cpp - the prompts are LLM Compiler's, to the byte ------===//
#include "tasks/Prompts.h"

#include <gtest/gtest.h>

using namespace optlm::tasks;

TEST(TasksPrompts, FlagTuning) {
  EXPECT_EQ(flagTuningPrompt("IR"), "[INST] Tell me how to optimize this LLVM-IR for object "
                                    "file size:\n\n<code>IR</code> [/INST]");
}

TEST(TasksPrompts, Disassembly) {
  EXPECT_EQ(disassemblyPrompt("ASM"),
            "[INST] Disassemble this code to LLVM-IR:\n\n<code>ASM</code> [/INST]");
}

TEST(TasksPrompts, Emulation) {
  EXPECT_EQ(emulationPrompt("IR", "module(default<Oz>)", 12, 345, EmulationOutput::IR),
            "[INST] Give the LLVM-IR for the following code when optimized using opt -p "
            "'module(default<Oz>)':\n\n<code>IR</code>\n\nThe input code has instruction count "
            "12 and binary size 345 bytes. [/INST]");
  EXPECT_EQ(emulationPrompt("IR", "P", 1, 2, EmulationOutput::Assembly).substr(0, 27),
            "[INST] Give the assembly fo");
}
