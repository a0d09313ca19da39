//===- FunctionSplitterTest.cpp - standalone function modules -------------===//
//
// The reassembly of split modules is tested with the tasks that use it
// (tests/tasks/FunctionSplitterTest.cpp); here: the per-function view that
// the corpus adds, where each part declares only what it uses.
#include "ir/FunctionSplitter.h"

#include "ModuleTestSupport.h"
#include "ir/ModuleFacts.h"

#include "llvm/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace llvm;
using namespace optlm;

namespace {

constexpr const char *ThreeFunctions = R"(
@counter = internal global i32 0
@unused = global [4 x i8] zeroinitializer
declare i32 @puts(ptr)
declare void @never_called()

define internal i32 @bump(i32 %by) {
  %old = load i32, ptr @counter
  %new = add i32 %old, %by
  store i32 %new, ptr @counter
  ret i32 %new
}

define i32 @twice(i32 %x) {
  %a = call i32 @bump(i32 %x)
  %b = call i32 @bump(i32 %x)
  ret i32 %b
}

define i32 @leaf(i32 %x) {
  %y = mul i32 %x, %x
  ret i32 %y
}
)";

using test::globalNames;

TEST(StandaloneFunctions, EachPartDeclaresOnlyWhatItUses) {
  LLVMContext context;
  std::unique_ptr<Module> module = test::parseModuleText(ThreeFunctions, context);
  ASSERT_TRUE(module);

  Expected<SplitModule> split = splitIntoStandaloneFunctions(*module);
  ASSERT_TRUE(bool(split)) << toString(split.takeError());
  ASSERT_EQ(split->functionNames, (std::vector<std::string>{"bump", "twice", "leaf"}));
  EXPECT_EQ(globalNames(*split->functions[0]), (std::vector<std::string>{"bump", "counter"}));
  EXPECT_EQ(globalNames(*split->functions[1]), (std::vector<std::string>{"bump", "twice"}));
  EXPECT_EQ(globalNames(*split->functions[2]), (std::vector<std::string>{"leaf"}));
  for (const std::unique_ptr<Module> &part : split->functions) {
    EXPECT_FALSE(verifyModule(*part, &errs()));
    EXPECT_EQ(moduleFacts(*part).functionCount, 1u);
  }
  // The internal function a part calls is declared there, so it is no
  // longer internal (a declaration cannot be).
  EXPECT_FALSE(split->functions[1]->getFunction("bump")->hasLocalLinkage());
  EXPECT_TRUE(split->functions[1]->getFunction("bump")->isDeclaration());
  // The input is only read.
  EXPECT_TRUE(module->getFunction("bump")->hasInternalLinkage());
  EXPECT_NE(module->getFunction("never_called"), nullptr);
}

TEST(StandaloneFunctions, AModuleWithoutDefinitionsHasNoParts) {
  LLVMContext context;
  std::unique_ptr<Module> module = test::parseModuleText("declare i32 @puts(ptr)\n", context);
  ASSERT_TRUE(module);
  Expected<SplitModule> split = splitIntoStandaloneFunctions(*module);
  ASSERT_TRUE(bool(split)) << toString(split.takeError());
  EXPECT_TRUE(split->functions.empty());
}

} // namespace
