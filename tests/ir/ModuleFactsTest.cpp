//===- ModuleFactsTest.cpp - counts and hashes ----------------------------===//
#include "TestTargets.h"

#include "ir/ModuleFacts.h"
#include "ir/ModuleLoader.h"

#include "llvm/IR/IRBuilder.h"

#include <gtest/gtest.h>

using namespace llvm;
using namespace optlm;
using namespace optlm::testing;

namespace {

TEST(ModuleFacts, CountsDefinedFunctionsBlocksAndInstructions) {
  Expected<LoadedModule> loaded = loadModule(inputPath("sum.ll"), X86Target);
  OPTLM_ASSERT_OK(loaded);
  ModuleFacts facts = moduleFacts(*loaded->module);
  // sum: entry(1) + loop(6) + exit(1); main: 4. putchar is a declaration.
  EXPECT_EQ(facts.functionCount, 2u);
  EXPECT_EQ(facts.basicBlockCount, 4u);
  EXPECT_EQ(facts.instructionCount, 12u);
}

TEST(ModuleFacts, EmptyModule) {
  LLVMContext context;
  Module module("empty", context);
  ModuleFacts facts = moduleFacts(module);
  EXPECT_EQ(facts.functionCount, 0u);
  EXPECT_EQ(facts.instructionCount, 0u);
}

TEST(ModuleFacts, HashIsStableAndSeesChanges) {
  Expected<LoadedModule> first = loadModule(inputPath("sum.ll"), X86Target);
  Expected<LoadedModule> second = loadModule(inputPath("sum.ll"), X86Target);
  OPTLM_ASSERT_OK(first);
  OPTLM_ASSERT_OK(second);
  uint64_t hash = moduleHash(*first->module);
  EXPECT_EQ(hash, moduleHash(*first->module));
  EXPECT_EQ(hash, moduleHash(*second->module));

  // One instruction changed: another hash.
  Function *sum = second->module->getFunction("sum");
  Instruction &ret = sum->back().back();
  IRBuilder<> builder(&ret);
  Value *doubled = builder.CreateShl(ret.getOperand(0), 1);
  ret.setOperand(0, doubled);
  EXPECT_NE(moduleHash(*second->module), hash);

  // The same IR for another target is another module.
  Expected<LoadedModule> aarch64 = loadModule(inputPath("sum.ll"), AArch64Target);
  OPTLM_ASSERT_OK(aarch64);
  EXPECT_NE(moduleHash(*aarch64->module), hash);
}

} // namespace
