//===- ModulePartitionerTest.cpp - separately compilable parts ------------===//
#include "ir/ModulePartitioner.h"

#include "ModuleTestSupport.h"
#include "ir/ModuleFacts.h"

#include "llvm/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace llvm;
using namespace optlm;

namespace {

// Four groups: scale with its static helper and table; total with the
// variable it shares with bump (a variable joins its users whatever its
// linkage); twice, which only calls the external scale; and the inline
// function pair in one comdat, which must stay together.
constexpr const char *Groups = R"(
$pair = comdat any
@table = internal constant [4 x i32] [i32 1, i32 2, i32 3, i32 4]
@count = global i32 0
declare i32 @puts(ptr)

define internal i32 @helper(i32 %x) {
  %p = getelementptr [4 x i32], ptr @table, i32 0, i32 %x
  %v = load i32, ptr %p
  ret i32 %v
}
define i32 @scale(i32 %x) {
  %v = call i32 @helper(i32 %x)
  %r = mul i32 %v, 3
  ret i32 %r
}
define i32 @total() {
  %v = load i32, ptr @count
  ret i32 %v
}
define void @bump() {
  %v = load i32, ptr @count
  %n = add i32 %v, 1
  store i32 %n, ptr @count
  ret void
}
define i32 @twice(i32 %x) {
  %a = call i32 @scale(i32 %x)
  %b = call i32 @scale(i32 %a)
  ret i32 %b
}
define linkonce_odr i32 @pair_first() comdat($pair) {
  ret i32 1
}
define linkonce_odr i32 @pair_second() comdat($pair) {
  ret i32 2
}
)";

using test::globalNames;

std::unique_ptr<Module> parse(const char *text, LLVMContext &context) {
  return test::parseModuleText(text, context);
}

TEST(ModulePartitioner, LocalsVariablesAndComdatsJoinExternalCallsDoNot) {
  LLVMContext context;
  std::unique_ptr<Module> module = parse(Groups, context);
  ASSERT_TRUE(module);
  Expected<PartitionedModule> partition = partitionModule(*module);
  ASSERT_TRUE(bool(partition)) << toString(partition.takeError());
  ASSERT_EQ(partition->functionNames,
            (std::vector<std::vector<std::string>>{
                {"helper", "scale"}, {"total", "bump"}, {"twice"}, {"pair_first", "pair_second"}}));
  // Each part defines its own group and declares only what it calls.
  EXPECT_EQ(globalNames(*partition->parts[0]),
            (std::vector<std::string>{"helper", "scale", "table"}));
  EXPECT_EQ(globalNames(*partition->parts[1]),
            (std::vector<std::string>{"bump", "count", "total"}));
  EXPECT_EQ(globalNames(*partition->parts[2]), (std::vector<std::string>{"scale", "twice"}));
  EXPECT_TRUE(partition->parts[2]->getFunction("scale")->isDeclaration());
  // Nothing local is promoted: the helper and its table stay internal.
  EXPECT_TRUE(partition->parts[0]->getFunction("helper")->hasInternalLinkage());
  EXPECT_TRUE(partition->parts[0]->getGlobalVariable("table", true)->hasInternalLinkage());
  for (const std::unique_ptr<Module> &part : partition->parts)
    EXPECT_FALSE(verifyModule(*part, &errs()));
  // The input is only read.
  EXPECT_NE(module->getFunction("puts"), nullptr);
}

TEST(ModulePartitioner, SmallGroupsAreGatheredUpToTheMostParts) {
  LLVMContext context;
  std::unique_ptr<Module> module = parse(Groups, context);
  ASSERT_TRUE(module);
  // 17 instructions in 4 groups (6, 6, 3, 2): at most about 2 parts of 9.
  Expected<PartitionedModule> partition = partitionModule(*module, 2);
  ASSERT_TRUE(bool(partition)) << toString(partition.takeError());
  EXPECT_EQ(partition->functionNames,
            (std::vector<std::vector<std::string>>{{"helper", "scale", "total", "bump"},
                                                   {"twice", "pair_first", "pair_second"}}));
  for (const std::unique_ptr<Module> &part : partition->parts)
    EXPECT_FALSE(verifyModule(*part, &errs()));
  // No limit, or one at least the number of groups: every group alone.
  for (size_t most : {size_t(0), size_t(4)}) {
    Expected<PartitionedModule> groups = partitionModule(*module, most);
    ASSERT_TRUE(bool(groups)) << toString(groups.takeError());
    EXPECT_EQ(groups->parts.size(), 4u);
  }
}

TEST(ModulePartitioner, LinkedPartsAreTheSameCode) {
  LLVMContext context;
  std::unique_ptr<Module> module = parse(Groups, context);
  ASSERT_TRUE(module);
  Expected<PartitionedModule> partition = partitionModule(*module);
  ASSERT_TRUE(bool(partition)) << toString(partition.takeError());
  std::vector<const Module *> parts;
  for (const std::unique_ptr<Module> &part : partition->parts)
    parts.push_back(part.get());
  Expected<LoadedModule> linked = linkParts(parts);
  ASSERT_TRUE(bool(linked)) << toString(linked.takeError());
  // Everything but the comdat pair, a linkonce definition nothing uses,
  // which any link may drop (and -Oz's globaldce does).
  ModuleFacts before = moduleFacts(*module), after = moduleFacts(*linked->module);
  EXPECT_EQ(after.functionCount, before.functionCount - 2);
  EXPECT_EQ(after.instructionCount, before.instructionCount - 2);
  EXPECT_EQ(linked->module->getFunction("pair_first"), nullptr);
  EXPECT_TRUE(linked->module->getFunction("helper")->hasInternalLinkage());
  EXPECT_FALSE(linked->module->getFunction("scale")->isDeclaration());
}

// pcre2's pcre2_context.c: three constant contexts whose initializers
// share one uniqued aggregate naming two static functions, used also by a
// function. Each variable names them, so all are one part, and the linked
// parts define them once and declare nothing local (a walk that skipped the
// aggregate for the second variable left it in a part of its own, and the
// linked library referred to undefined symbols "default_malloc").
TEST(ModulePartitioner, VariablesSharingAnAggregateJoinTheLocalsItNames) {
  LLVMContext context;
  std::unique_ptr<Module> module = parse(R"(
%memctl = type { ptr, ptr }
@first = constant { %memctl, i32 } { %memctl { ptr @grab, ptr @drop }, i32 1 }
@second = constant { %memctl, i32 } { %memctl { ptr @grab, ptr @drop }, i32 2 }
@third = constant { %memctl, i64 } { %memctl { ptr @grab, ptr @drop }, i64 3 }
declare ptr @malloc(i64)
declare void @free(ptr)
define internal ptr @grab(i64 %n) {
  %p = call ptr @malloc(i64 %n)
  ret ptr %p
}
define internal void @drop(ptr %p) {
  call void @free(ptr %p)
  ret void
}
define ptr @make(ptr %m) {
  store ptr @grab, ptr %m
  ret ptr %m
}
define i32 @unrelated(i32 %x) {
  ret i32 %x
}
)",
                                         context);
  ASSERT_TRUE(module);
  Expected<PartitionedModule> partition = partitionModule(*module);
  ASSERT_TRUE(bool(partition)) << toString(partition.takeError());
  ASSERT_EQ(partition->functionNames,
            (std::vector<std::vector<std::string>>{{"grab", "drop", "make"}, {"unrelated"}}));
  EXPECT_EQ(globalNames(*partition->parts[0]),
            (std::vector<std::string>{"drop", "first", "free", "grab", "make", "malloc", "second",
                                      "third"}));
  std::vector<const Module *> parts;
  for (const std::unique_ptr<Module> &part : partition->parts)
    parts.push_back(part.get());
  Expected<LoadedModule> linked = linkParts(parts);
  ASSERT_TRUE(bool(linked)) << toString(linked.takeError());
  for (const Function &function : *linked->module)
    EXPECT_FALSE(function.isDeclaration() && module->getFunction(function.getName()) &&
                 module->getFunction(function.getName())->hasLocalLinkage())
        << function.getName().str() << " was local and is only declared";
  EXPECT_EQ(linked->module->getFunction("grab.1"), nullptr);
}

TEST(ModulePartitioner, LocalNamesThatClashAreRenamedWhenLinked) {
  LLVMContext context;
  std::unique_ptr<Module> first = parse("@s = private constant [2 x i8] c\"a\\00\"\n"
                                        "define ptr @f() {\n  ret ptr @s\n}\n",
                                        context);
  std::unique_ptr<Module> second = parse("@s = private constant [2 x i8] c\"b\\00\"\n"
                                         "define ptr @g() {\n  ret ptr @s\n}\n",
                                         context);
  ASSERT_TRUE(first && second);
  Expected<LoadedModule> linked = linkParts({first.get(), second.get()});
  ASSERT_TRUE(bool(linked)) << toString(linked.takeError());
  EXPECT_EQ(linked->module->global_size(), 2u);
}

TEST(ModulePartitioner, AliasesAndModuleAsmKeepOnePart) {
  for (const char *text : {"@a = alias i32 (), ptr @f\n"
                           "define i32 @f() {\n  ret i32 1\n}\n"
                           "define i32 @g() {\n  ret i32 2\n}\n",
                           "module asm \".globl marker\"\n"
                           "define i32 @f() {\n  ret i32 1\n}\n"
                           "define i32 @g() {\n  ret i32 2\n}\n"}) {
    LLVMContext context;
    std::unique_ptr<Module> module = parse(text, context);
    ASSERT_TRUE(module);
    Expected<PartitionedModule> partition = partitionModule(*module);
    ASSERT_TRUE(bool(partition)) << toString(partition.takeError());
    ASSERT_EQ(partition->parts.size(), 1u) << text;
    EXPECT_EQ(partition->functionNames.front(), (std::vector<std::string>{"f", "g"}));
    // The part is the whole module: the alias and the assembly stay.
    EXPECT_EQ(globalNames(*partition->parts.front()), globalNames(*module)) << text;
    EXPECT_EQ(partition->parts.front()->getModuleInlineAsm(), module->getModuleInlineAsm());
  }
}

TEST(ModulePartitioner, NothingToLinkIsAnError) {
  Expected<LoadedModule> linked = linkParts({});
  ASSERT_FALSE(bool(linked));
  EXPECT_EQ(toString(linked.takeError()), "no parts to link");
}

} // namespace
