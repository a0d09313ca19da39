//===- PipelineApplyTest.cpp - parsed pipelines run in LLVM ---------------===//
#include "pipeline/Pipeline.h"

#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>

using namespace optlm;

namespace {

size_t countAllocas(const llvm::Module &module) {
  size_t count = 0;
  for (const llvm::Function &function : module)
    for (const llvm::BasicBlock &block : function)
      for (const llvm::Instruction &instruction : block)
        count += llvm::isa<llvm::AllocaInst>(instruction);
  return count;
}

/// Parses tests/inputs/pipeline/locals.ll, applies `text` through
/// Pipeline::addTo and returns the number of allocas left.
size_t allocasAfter(const std::string &text) {
  llvm::LLVMContext context;
  llvm::SMDiagnostic diagnostic;
  std::unique_ptr<llvm::Module> module = llvm::parseAssemblyFile(
      std::string(OPTLM_TEST_INPUTS) + "/pipeline/locals.ll", diagnostic, context);
  EXPECT_TRUE(module) << diagnostic.getMessage().str();
  if (!module)
    return 0;
  llvm::Expected<Pipeline> pipeline = Pipeline::parse(text);
  EXPECT_TRUE(bool(pipeline)) << llvm::toString(pipeline.takeError());
  if (!pipeline)
    return 0;

  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgsccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder;
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgsccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgsccs, modules);
  llvm::ModulePassManager passes;
  llvm::Error error = pipeline->addTo(builder, passes);
  EXPECT_FALSE(bool(error)) << llvm::toString(std::move(error));
  passes.run(*module, modules);
  return countAllocas(*module);
}

TEST(PipelineApply, ParsedPipelinesTransformTheModule) {
  EXPECT_EQ(allocasAfter("module()"), 2u);
  EXPECT_EQ(allocasAfter("globaldce"), 2u);
  EXPECT_EQ(allocasAfter("-sroa"), 0u);
  EXPECT_EQ(allocasAfter("opt -p 'mem2reg,licm,instcombine'"), 0u);
  EXPECT_EQ(allocasAfter("-Oz"), 0u);
}

TEST(PipelineApply, EmptyPipelineAddsNothing) {
  llvm::PassBuilder builder;
  llvm::ModulePassManager passes;
  EXPECT_FALSE(bool(Pipeline().addTo(builder, passes)));
  EXPECT_TRUE(passes.isEmpty());
}

} // namespace
