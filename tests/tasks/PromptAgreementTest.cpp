//===- PromptAgreementTest.cpp - the tasks ask as the dataset was written -===//
//
// The dataset factory (src/data) writes the prompts models are trained on;
// the tasks layer asks with its own builders. They must agree to the byte.
//
//===----------------------------------------------------------------------===//
#include "tasks/Prompts.h"

#include <gtest/gtest.h>

#if OPTLM_HAVE_DATA
#include "data/Prompts.h"

TEST(TasksPrompts, AgreeWithTheDatasetFactory) {
  const char *ir = "define i32 @f() {\n  ret i32 0\n}\n";
  EXPECT_EQ(optlm::tasks::flagTuningPrompt(ir), optlm::data::flagTuningPrompt(ir));
  EXPECT_EQ(optlm::tasks::disassemblyPrompt("f:\n\tretq\n"),
            optlm::data::disassemblyPrompt("f:\n\tretq\n"));
  EXPECT_EQ(optlm::tasks::emulationPrompt(ir, "module(default<Oz>)", 3, 17,
                                          optlm::tasks::EmulationOutput::IR),
            optlm::data::emulationPrompt(ir, "module(default<Oz>)", 3, 17,
                                         optlm::data::EmulationOutput::IR));
  EXPECT_EQ(optlm::tasks::emulationPrompt(ir, "P", 3, 17, optlm::tasks::EmulationOutput::Assembly),
            optlm::data::emulationPrompt(ir, "P", 3, 17, optlm::data::EmulationOutput::Assembly));
}
#endif
