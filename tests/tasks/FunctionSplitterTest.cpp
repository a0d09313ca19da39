//===- FunctionSplitterTest.cpp - split per function and link back --------===//
#include "ir/FunctionSplitter.h"

#include "TaskInputs.h"
#include "engine/Evaluator.h"
#include "ir/ModuleFacts.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

using namespace optlm;
using namespace optlm::tasks;

namespace {

TEST(TasksFunctionSplitter, OneDefinitionPerPart) {
  LoadedModule input = test::loadTaskInput("suite/sumloop.ll");
  auto split = splitByFunction(*input.module);
  OPTLM_ASSERT_OK(split);
  ASSERT_EQ(split->functionNames, (std::vector<std::string>{"sum_squares", "square", "clamp"}));
  for (size_t i = 0; i < split->functions.size(); ++i) {
    EXPECT_EQ(moduleFacts(*split->functions[i]).functionCount, 1u);
    EXPECT_FALSE(split->functions[i]->getFunction(split->functionNames[i])->isDeclaration());
  }
  EXPECT_EQ(moduleFacts(*split->globals).functionCount, 0u);
  // The internal function and the internal table are promoted for the split.
  std::vector<std::string> promoted;
  for (const auto &[name, linkage] : split->promoted)
    promoted.push_back(name);
  EXPECT_EQ(promoted, (std::vector<std::string>{"square", "table"}));
}

TEST(TasksFunctionSplitter, ReassemblesTheSameProgram) {
  LoadedModule input = test::loadTaskInput("suite/sumloop.ll");
  auto split = splitByFunction(*input.module);
  ASSERT_TRUE(bool(split));
  std::vector<const llvm::Module *> parts{split->globals.get()};
  for (const auto &part : split->functions)
    parts.push_back(part.get());
  auto linked = reassemble(parts, split->promoted);
  OPTLM_ASSERT_OK(linked);
  EXPECT_TRUE(linked->module->getFunction("square")->hasInternalLinkage());
  EXPECT_TRUE(linked->module->getGlobalVariable("table", true)->hasInternalLinkage());
  ModuleFacts before = moduleFacts(*input.module), after = moduleFacts(*linked->module);
  EXPECT_EQ(after.functionCount, before.functionCount);
  EXPECT_EQ(after.instructionCount, before.instructionCount);
  // Same code: the unoptimized programs compile to the same size.
  EvaluationResult original = evaluate(*input.module, Pipeline(), Target::X86_64);
  EvaluationResult rebuilt = evaluate(*linked->module, Pipeline(), Target::X86_64);
  ASSERT_EQ(original.outcome, Outcome::Ok);
  ASSERT_EQ(rebuilt.outcome, Outcome::Ok);
  EXPECT_EQ(rebuilt.measurement->binarySize, original.measurement->binarySize);
}

TEST(TasksFunctionSplitter, NothingToReassembleIsAnError) {
  auto linked = reassemble({}, {});
  ASSERT_FALSE(bool(linked));
  EXPECT_EQ(llvm::toString(linked.takeError()), "no parts to link");
}

} // namespace
