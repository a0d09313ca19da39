//===- PromptsTest.cpp - prompts as the released models expect them -------===//
#include "data/Prompts.h"
#include "data/RecordMaker.h"

#include "TestSupport.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

using namespace optlm::data;
using optlm::data::testing::succeeded;

TEST(DataPrompts, FlagTuningPromptIsTheSharedDocsText) {
  EXPECT_EQ(flagTuningPrompt("IR"),
            "[INST] Tell me how to optimize this LLVM-IR for object file size:\n\n"
            "<code>IR</code> [/INST]");
}

TEST(DataPrompts, DisassemblyPromptIsTheSharedDocsText) {
  EXPECT_EQ(disassemblyPrompt("ASM"),
            "[INST] Disassemble this code to LLVM-IR:\n\n<code>ASM</code> [/INST]");
}

TEST(DataPrompts, EmulationPromptsNameIROrAssembly) {
  EXPECT_EQ(emulationPrompt("IR", "module(default<Oz>)", 12, 345, EmulationOutput::IR),
            "[INST] Give the LLVM-IR for the following code when optimized using opt -p "
            "'module(default<Oz>)':\n\n<code>IR</code>\n\nThe input code has instruction "
            "count 12 and binary size 345 bytes. [/INST]");
  EXPECT_EQ(emulationPrompt("IR", "module(sroa)", 1, 2, EmulationOutput::Assembly),
            "[INST] Give the assembly for the following code when optimized using opt -p "
            "'module(sroa)':\n\n<code>IR</code>\n\nThe input code has instruction count 1 and "
            "binary size 2 bytes. [/INST]");
}

TEST(DataPrompts, FlagTuningLabelRoundTrips) {
  const std::string label =
      flagTuningLabel("module(function(sroa),globaldce)", 1234, "define void @f() {}\n");
  EXPECT_EQ(label, "Run opt -p 'module(function(sroa),globaldce)' to get binary size 1234 "
                   "bytes:\n\n<code>define void @f() {}\n</code>");
  auto parsed = parseFlagTuningLabel(label);
  OPTLM_ASSERT_OK(parsed);
  EXPECT_EQ(parsed->pipeline, "module(function(sroa),globaldce)");
  EXPECT_EQ(parsed->binarySize, 1234u);
  EXPECT_EQ(parsed->ir, "define void @f() {}\n");
}

TEST(DataPrompts, MalformedFlagTuningLabelsAreErrors) {
  for (const char *label : {"", "Run opt -p 'x", "Run opt -p 'x' to get binary size many bytes",
                            "Run opt -p 'x' to get binary size 12 bytes: no code", "Use -Oz"})
    EXPECT_FALSE(succeeded(parseFlagTuningLabel(label))) << label;
}

TEST(DataPrompts, EmulationLabelCarriesCountAndSize) {
  EXPECT_EQ(emulationLabel("X", 3, 40),
            "<code>X</code>\n\nThe output code has instruction count 3 and binary size 40 "
            "bytes.");
}

TEST(DataPrompts, TasksParseInCanonicalOrder) {
  auto tasks = parseTasks("disasm, flagtune,disasm");
  OPTLM_ASSERT_OK(tasks);
  ASSERT_EQ(tasks->size(), 2u);
  EXPECT_EQ((*tasks)[0], Task::FlagTune);
  EXPECT_EQ((*tasks)[1], Task::Disasm);
  EXPECT_FALSE(succeeded(parseTasks("flagtune,compile")));
  EXPECT_FALSE(succeeded(parseTasks(",")));
}

TEST(DataPrompts, ModuleSeedsDifferByModuleAndSeed) {
  EXPECT_EQ(moduleSeed(1, "abc"), moduleSeed(1, "abc"));
  EXPECT_NE(moduleSeed(1, "abc"), moduleSeed(2, "abc"));
  EXPECT_NE(moduleSeed(1, "abc"), moduleSeed(1, "abd"));
}
