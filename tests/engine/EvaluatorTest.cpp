//===- EvaluatorTest.cpp - the in-process evaluator -----------------------===//
#include "engine/Evaluator.h"
#include "codegen/ObjectEmitter.h"
#include "ir/ModuleFacts.h"
#include "testing/Testing.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Support/SourceMgr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace llvm;
using namespace optlm;
using ::testing::HasSubstr;

namespace {

// llvm::Target (the registry entry) would make the name ambiguous.
using Target = optlm::Target;

std::string irInput(const char *name) { return std::string(OPTLM_TEST_INPUTS) + "/ir/" + name; }

LoadedModule load(const char *name, Target target) {
  Expected<LoadedModule> loaded = loadModuleFor(irInput(name), target);
  if (!loaded) {
    ADD_FAILURE() << toString(loaded.takeError());
    return {};
  }
  return std::move(*loaded);
}

Pipeline parse(StringRef text) {
  Expected<Pipeline> pipeline = Pipeline::parse(text);
  if (!pipeline) {
    ADD_FAILURE() << toString(pipeline.takeError());
    return {};
  }
  return std::move(*pipeline);
}

void expectSameMeasurement(const Measurement &a, const Measurement &b) {
  EXPECT_EQ(a.binarySize, b.binarySize);
  EXPECT_EQ(a.textSize, b.textSize);
  EXPECT_EQ(a.dataSize, b.dataSize);
  EXPECT_EQ(a.bssSize, b.bssSize);
  EXPECT_EQ(a.sections, b.sections);
  EXPECT_EQ(a.instructionCount, b.instructionCount);
  EXPECT_EQ(a.basicBlockCount, b.basicBlockCount);
  EXPECT_EQ(a.functionCount, b.functionCount);
  EXPECT_EQ(a.irHash, b.irHash);
}

TEST(Evaluator, MeasuresAndLeavesTheInputAlone) {
  LoadedModule loaded = load("tiny.c", Target::X86_64);
  ASSERT_TRUE(loaded.module);
  uint64_t before = moduleHash(*loaded.module);
  EvaluationResult result = evaluate(*loaded.module, Pipeline::level(OptLevel::Oz), Target::X86_64);
  ASSERT_EQ(result.outcome, Outcome::Ok) << result.message;
  ASSERT_TRUE(result.measurement);
  EXPECT_EQ(result.pipeline, "module(default<Oz>)");
  EXPECT_EQ(moduleHash(*loaded.module), before);
  const Measurement &m = *result.measurement;
  EXPECT_EQ(m.binarySize, m.textSize + m.dataSize);
  EXPECT_GT(m.sections.at(".text"), 0u);
  EXPECT_EQ(m.functionCount, 1u); // main; printf is a declaration
  EXPECT_NE(m.irHash, before);
}

TEST(Evaluator, SameInputSameResult) {
  LoadedModule loaded = load("tiny.c", Target::AArch64);
  ASSERT_TRUE(loaded.module);
  Pipeline pipeline = parse("sroa,instcombine,simplifycfg");
  EvaluationResult first = evaluate(*loaded.module, pipeline, Target::AArch64);
  EvaluationResult second = evaluate(*loaded.module, pipeline, Target::AArch64);
  ASSERT_EQ(first.outcome, Outcome::Ok) << first.message;
  ASSERT_EQ(second.outcome, Outcome::Ok) << second.message;
  expectSameMeasurement(*first.measurement, *second.measurement);
}

TEST(Evaluator, OptimizingShrinks) {
  LoadedModule loaded = load("tiny.c", Target::X86_64);
  ASSERT_TRUE(loaded.module);
  EvaluationResult none = evaluate(*loaded.module, Pipeline(), Target::X86_64);
  EvaluationResult oz = evaluate(*loaded.module, Pipeline::level(OptLevel::Oz), Target::X86_64);
  ASSERT_EQ(none.outcome, Outcome::Ok) << none.message;
  ASSERT_EQ(oz.outcome, Outcome::Ok) << oz.message;
  EXPECT_LT(oz.measurement->binarySize, none.measurement->binarySize);
  EXPECT_LT(oz.measurement->instructionCount, none.measurement->instructionCount);
}

TEST(Evaluator, EmptyPipelineMeasuresTheInputAsItIs) {
  LoadedModule loaded = load("sum.ll", Target::X86_64);
  ASSERT_TRUE(loaded.module);
  EvaluationResult result = evaluate(*loaded.module, Pipeline(), Target::X86_64);
  ASSERT_EQ(result.outcome, Outcome::Ok) << result.message;
  ModuleFacts facts = moduleFacts(*loaded.module);
  EXPECT_EQ(result.pipeline, "module()");
  EXPECT_EQ(result.measurement->instructionCount, facts.instructionCount);
  EXPECT_EQ(result.measurement->irHash, moduleHash(*loaded.module));
}

TEST(Evaluator, StagesEqualTheWhole) {
  LoadedModule loaded = load("tiny.c", Target::X86_64);
  ASSERT_TRUE(loaded.module);
  Pipeline pipeline = parse("-Os");
  Expected<OptimizedModule> optimized = optimizeModule(*loaded.module, pipeline, Target::X86_64);
  OPTLM_ASSERT_OK(optimized);
  EXPECT_EQ(optimized->measurement.binarySize, 0u); // not generated yet
  EXPECT_EQ(optimized->measurement.irHash, moduleHash(*optimized->module));
  EvaluationResult staged =
      measureOptimized(std::move(*optimized), Target::X86_64, pipeline.text());
  EvaluationResult whole = evaluate(*loaded.module, pipeline, Target::X86_64);
  ASSERT_EQ(staged.outcome, Outcome::Ok) << staged.message;
  ASSERT_EQ(whole.outcome, Outcome::Ok) << whole.message;
  expectSameMeasurement(*staged.measurement, *whole.measurement);
}

TEST(Evaluator, RetargetsAModuleLoadedForTheOtherTarget) {
  LoadedModule forX86 = load("sum.ll", Target::X86_64);
  LoadedModule forAArch64 = load("sum.ll", Target::AArch64);
  ASSERT_TRUE(forX86.module && forAArch64.module);
  Pipeline pipeline = Pipeline::level(OptLevel::Oz);
  EvaluationResult crossed = evaluate(*forX86.module, pipeline, Target::AArch64);
  EvaluationResult direct = evaluate(*forAArch64.module, pipeline, Target::AArch64);
  ASSERT_EQ(crossed.outcome, Outcome::Ok) << crossed.message;
  ASSERT_EQ(direct.outcome, Outcome::Ok) << direct.message;
  expectSameMeasurement(*crossed.measurement, *direct.measurement);
  EXPECT_EQ(forX86.module->getTargetTriple(), targetTriple(Target::X86_64));
}

TEST(Evaluator, PipelinesPassBuilderRejectsAreInvalidPipelines) {
  LoadedModule loaded = load("sum.ll", Target::X86_64);
  ASSERT_TRUE(loaded.module);
  for (const char *text : {"function(no-such-pass)", "module(", "loop(gvn)"}) {
    Expected<OptimizedModule> optimized =
        optimizeModuleWithText(*loaded.module, text, Target::X86_64);
    ASSERT_FALSE(bool(optimized)) << text;
    EvaluationResult result = failedEvaluation(optimized.takeError(), text);
    EXPECT_EQ(result.outcome, Outcome::InvalidPipeline) << text;
    EXPECT_FALSE(result.message.empty());
    EXPECT_EQ(result.message.find('\n'), std::string::npos);
    EXPECT_EQ(result.pipeline, text);
    EXPECT_FALSE(result.measurement);
  }
}

TEST(Evaluator, BrokenIRIsInvalidIR) {
  LLVMContext context;
  auto module = std::make_unique<Module>("broken", context);
  module->setTargetTriple(targetTriple(Target::X86_64));
  Function *function = Function::Create(FunctionType::get(Type::getVoidTy(context), false),
                                        GlobalValue::ExternalLinkage, "f", *module);
  BasicBlock::Create(context, "entry", function); // no terminator
  EvaluationResult result = evaluate(*module, Pipeline(), Target::X86_64);
  EXPECT_EQ(result.outcome, Outcome::InvalidIR);
  EXPECT_THAT(result.message, HasSubstr("terminator"));
}

TEST(Evaluator, CodegenErrorsAreFatalResults) {
  LLVMContext context;
  SMDiagnostic diagnostic;
  std::unique_ptr<Module> module =
      parseAssemblyString("target triple = \"x86_64-unknown-linux-gnu\"\n"
                          "define void @f() {\n"
                          "  call void asm sideeffect \"no_such_instruction\", \"\"()\n"
                          "  ret void\n"
                          "}\n",
                          diagnostic, context);
  ASSERT_TRUE(module);
  EvaluationResult result = evaluate(*module, Pipeline(), Target::X86_64);
  EXPECT_EQ(result.outcome, Outcome::Fatal);
  EXPECT_THAT(result.message, HasSubstr("code generation failed"));
}

TEST(Evaluator, OtherErrorsAreFatal) {
  EvaluationResult result = failedEvaluation(createStringError("something\nmore"), "module()");
  EXPECT_EQ(result.outcome, Outcome::Fatal);
  EXPECT_EQ(result.message, "something");
}

TEST(Evaluator, LoadModuleForSetsTheTarget) {
  for (Target target : {Target::X86_64, Target::AArch64}) {
    LoadedModule loaded = load("aarch64-triple.ll", target);
    ASSERT_TRUE(loaded.module);
    EXPECT_EQ(loaded.module->getTargetTriple(), targetTriple(target));
    Expected<ModuleTarget> expected = moduleTargetFor(target);
    ASSERT_TRUE(bool(expected));
    EXPECT_EQ(loaded.module->getDataLayoutStr(), expected->dataLayout);
  }
}

TEST(EvaluatorNames, Targets) {
  EXPECT_EQ(targetTriple(Target::X86_64), "x86_64-unknown-linux-gnu");
  EXPECT_EQ(targetTriple(Target::AArch64), "aarch64-unknown-linux-gnu");
  for (const char *name : {"x86_64", "x86-64", "x86_64-unknown-linux-gnu", "x86_64-linux-gnu"})
    EXPECT_EQ(cantFail(parseTarget(name)), Target::X86_64) << name;
  for (const char *name : {"aarch64", "arm64", "aarch64-unknown-linux-gnu"})
    EXPECT_EQ(cantFail(parseTarget(name)), Target::AArch64) << name;
  for (const char *name : {"", "riscv64", "x86_64-apple-darwin", "i386", "x86_64 "}) {
    Expected<Target> target = parseTarget(name);
    if (StringRef(name).trim() == "x86_64") {
      EXPECT_TRUE(bool(target));
      continue;
    }
    ASSERT_FALSE(bool(target)) << name;
    EXPECT_THAT(toString(target.takeError()), HasSubstr("unknown target"));
  }
}

TEST(EvaluatorNames, Outcomes) {
  EXPECT_EQ(outcomeName(Outcome::Ok), "ok");
  EXPECT_EQ(outcomeName(Outcome::InvalidPipeline), "invalid-pipeline");
  EXPECT_EQ(outcomeName(Outcome::InvalidIR), "invalid-ir");
  EXPECT_EQ(outcomeName(Outcome::Crash), "crash");
  EXPECT_EQ(outcomeName(Outcome::Fatal), "fatal");
  EXPECT_EQ(outcomeName(Outcome::Timeout), "timeout");
  EXPECT_EQ(outcomeName(Outcome::OutOfMemory), "out-of-memory");
}

} // namespace
