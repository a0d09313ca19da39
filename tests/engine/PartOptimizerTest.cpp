//===- PartOptimizerTest.cpp - a pipeline for each part, applied ----------===//
//
// optimizeByParts is how optlm cc applies the model's part-by-part choice
// again (tests/cc/run-parts.sh checks that the objects are the sizes the
// tuner measured): each part that holds code gets its own pipeline, in the
// partition's order, the parts of variables alone stay as they are.
//
//===----------------------------------------------------------------------===//
#include "engine/PartOptimizer.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>

using namespace llvm;
using namespace optlm;

namespace {

/// Two groups of code that share nothing, each a value through memory that
/// sroa turns into a register, and a variable of its own.
constexpr const char *kTwoGroups = R"(
@table = global i32 7

define i32 @first(i32 %a) {
  %p = alloca i32
  store i32 %a, ptr %p
  %v = load i32, ptr %p
  ret i32 %v
}

define internal i32 @helper(i32 %a) {
  %p = alloca i32
  store i32 %a, ptr %p
  %v = load i32, ptr %p
  ret i32 %v
}

define i32 @second(i32 %a) {
  %v = call i32 @helper(i32 %a)
  ret i32 %v
}
)";

std::unique_ptr<Module> parse(LLVMContext &context) {
  SMDiagnostic diagnostic;
  std::unique_ptr<Module> module = parseAssemblyString(kTwoGroups, diagnostic, context);
  EXPECT_TRUE(module) << diagnostic.getMessage().str();
  return module;
}

PartPipelines plan(size_t maxParts, std::initializer_list<const char *> pipelines) {
  PartPipelines parts;
  parts.maxParts = maxParts;
  for (const char *text : pipelines)
    parts.parts.push_back(cantFail(Pipeline::parse(text)));
  return parts;
}

unsigned instructionsOf(const Module &module, StringRef function) {
  const Function *defined = module.getFunction(function);
  EXPECT_TRUE(defined && !defined->isDeclaration()) << function.str();
  return defined ? defined->getInstructionCount() : 0;
}

TEST(PartOptimizer, EachPartGetsItsOwnPipeline) {
  LLVMContext context;
  std::unique_ptr<Module> module = parse(context);
  ASSERT_TRUE(module);
  // The parts holding code: first, then second with its helper.
  auto sroaFirst =
      optimizeByParts(*module, plan(0, {"sroa", "module()"}), Target::X86_64, CompileAs::OptAndLlc);
  ASSERT_TRUE(bool(sroaFirst)) << toString(sroaFirst.takeError());
  EXPECT_EQ(instructionsOf(*sroaFirst->module, "first"), 1u);
  EXPECT_EQ(instructionsOf(*sroaFirst->module, "helper"), 4u);
  EXPECT_EQ(instructionsOf(*sroaFirst->module, "second"), 2u);
  ASSERT_TRUE(sroaFirst->module->getNamedGlobal("table"));
  EXPECT_TRUE(sroaFirst->module->getNamedGlobal("table")->hasInitializer());

  auto sroaSecond = optimizeByParts(*module, plan(0, {"module()", "function(sroa)"}),
                                    Target::X86_64, CompileAs::OptAndLlc);
  ASSERT_TRUE(bool(sroaSecond)) << toString(sroaSecond.takeError());
  EXPECT_EQ(instructionsOf(*sroaSecond->module, "first"), 4u);
  EXPECT_EQ(instructionsOf(*sroaSecond->module, "helper"), 1u);

  // Interprocedural passes see their part whole: the helper, inlined into
  // its one caller, is gone.
  auto inlined = optimizeByParts(*module, plan(0, {"module()", "always-inline,cgscc(inline)"}),
                                 Target::X86_64, CompileAs::OptAndLlc);
  ASSERT_TRUE(bool(inlined)) << toString(inlined.takeError());
  EXPECT_EQ(inlined->module->getFunction("helper"), nullptr);
  EXPECT_EQ(instructionsOf(*inlined->module, "first"), 4u);
}

TEST(PartOptimizer, ThePartCountCutsTheModuleAsTheTunerDid) {
  LLVMContext context;
  std::unique_ptr<Module> module = parse(context);
  ASSERT_TRUE(module);
  // At most one part: one pipeline for all the code.
  auto together =
      optimizeByParts(*module, plan(1, {"function(sroa)"}), Target::X86_64, CompileAs::OptAndLlc);
  ASSERT_TRUE(bool(together)) << toString(together.takeError());
  EXPECT_EQ(instructionsOf(*together->module, "first"), 1u);
  EXPECT_EQ(instructionsOf(*together->module, "helper"), 1u);
}

TEST(PartOptimizer, APlanForOtherPartsIsAnError) {
  LLVMContext context;
  std::unique_ptr<Module> module = parse(context);
  ASSERT_TRUE(module);
  auto three = optimizeByParts(*module, plan(0, {"sroa", "sroa", "sroa"}), Target::X86_64,
                               CompileAs::OptAndLlc);
  ASSERT_FALSE(bool(three));
  EXPECT_EQ(failedEvaluation(three.takeError(), "").outcome, Outcome::InvalidPipeline);
  auto one = optimizeByParts(*module, plan(0, {"sroa"}), Target::X86_64, CompileAs::OptAndLlc);
  ASSERT_FALSE(bool(one));
  EXPECT_EQ(toString(one.takeError()),
            "invalid-pipeline: the module has 2 part(s) of code at 0 parts at most, the plan "
            "names 1");
}

} // namespace
