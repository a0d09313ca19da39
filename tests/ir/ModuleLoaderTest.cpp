//===- ModuleLoaderTest.cpp - loading .ll, .bc and sources ----------------===//
#include "TestTargets.h"

#include "ir/ModuleFacts.h"
#include "ir/ModuleLoader.h"

#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Support/raw_ostream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

using namespace llvm;
using namespace optlm;
using namespace optlm::testing;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

std::string randomBytes(unsigned seed, size_t count) {
  std::mt19937 generator(seed);
  std::string bytes(count, '\0');
  for (char &byte : bytes)
    byte = static_cast<char>(generator() & 0xff);
  return bytes;
}

std::string loadError(StringRef path, const ModuleTarget &target = X86Target) {
  Expected<LoadedModule> loaded = loadModule(path, target);
  if (loaded) {
    ADD_FAILURE() << "loading " << path.str() << " succeeded";
    return "";
  }
  return toString(loaded.takeError());
}

TEST(ModuleLoader, InputKindFollowsTheExtension) {
  EXPECT_EQ(cantFail(inputKindFromPath("a/b.ll")), InputKind::IRText);
  EXPECT_EQ(cantFail(inputKindFromPath("b.bc")), InputKind::Bitcode);
  EXPECT_EQ(cantFail(inputKindFromPath("b.c")), InputKind::CSource);
  EXPECT_EQ(cantFail(inputKindFromPath("b.cpp")), InputKind::CxxSource);
  EXPECT_TRUE(failed(inputKindFromPath("b.txt")));
  EXPECT_TRUE(failed(inputKindFromPath("Makefile")));
}

TEST(ModuleLoader, LoadsTextualIR) {
  Expected<LoadedModule> loaded = loadModule(inputPath("sum.ll"), X86Target);
  OPTLM_ASSERT_OK(loaded);
  EXPECT_EQ(loaded->module->getTargetTriple(), X86Target.triple);
  EXPECT_NE(loaded->module->getFunction("sum"), nullptr);
  EXPECT_EQ(&loaded->module->getContext(), loaded->context.get());
}

TEST(ModuleLoader, RetargetsToTheRequestedTriple) {
  Expected<LoadedModule> loaded = loadModule(inputPath("aarch64-triple.ll"), X86Target);
  OPTLM_ASSERT_OK(loaded);
  const Module &module = *loaded->module;
  EXPECT_EQ(module.getTargetTriple(), X86Target.triple);
  EXPECT_EQ(module.getDataLayoutStr(), X86Target.dataLayout);
  // The other architecture's CPU name would only produce warnings.
  const Function *twice = module.getFunction("twice");
  ASSERT_NE(twice, nullptr);
  EXPECT_FALSE(twice->hasFnAttribute("target-cpu"));
  EXPECT_FALSE(twice->hasFnAttribute("target-features"));
  EXPECT_TRUE(twice->hasFnAttribute(Attribute::MinSize));
}

TEST(ModuleLoader, KeepsTheCPUWhenTheArchitectureStays) {
  Expected<LoadedModule> loaded = loadModule(inputPath("sum.ll"), X86Target);
  OPTLM_ASSERT_OK(loaded);
  EXPECT_TRUE(loaded->module->getFunction("sum")->hasFnAttribute("target-cpu"));
}

TEST(ModuleLoader, LoadsBitcode) {
  TemporaryFolder scratch;
  Expected<LoadedModule> text = loadModule(inputPath("sum.ll"), X86Target);
  OPTLM_ASSERT_OK(text);
  std::string bitcodePath = scratch.file("sum.bc");
  {
    std::error_code error;
    raw_fd_ostream stream(bitcodePath, error);
    ASSERT_FALSE(error);
    WriteBitcodeToFile(*text->module, stream);
  }
  Expected<LoadedModule> bitcode = loadModule(bitcodePath, AArch64Target);
  OPTLM_ASSERT_OK(bitcode);
  EXPECT_EQ(bitcode->module->getTargetTriple(), AArch64Target.triple);
  EXPECT_EQ(moduleFacts(*bitcode->module).instructionCount,
            moduleFacts(*text->module).instructionCount);
}

TEST(ModuleLoader, CopyIntoNewContextIsTheSameModule) {
  Expected<LoadedModule> loaded = loadModule(inputPath("sum.ll"), X86Target);
  OPTLM_ASSERT_OK(loaded);
  Expected<LoadedModule> copy = loaded->copyIntoNewContext();
  OPTLM_ASSERT_OK(copy);
  EXPECT_NE(copy->context.get(), loaded->context.get());
  EXPECT_EQ(moduleHash(*copy->module), moduleHash(*loaded->module));
}

TEST(ModuleLoader, CompilesCSourcesLikeLLMCompilerInputs) {
  for (const ModuleTarget &target : {X86Target, AArch64Target}) {
    Expected<LoadedModule> loaded = loadModule(inputPath("tiny.c"), target);
    OPTLM_ASSERT_OK(loaded);
    EXPECT_EQ(loaded->module->getTargetTriple(), target.triple);
    const Function *main = loaded->module->getFunction("main");
    ASSERT_NE(main, nullptr);
    // -Oz with the LLVM passes disabled: size attributes, no optimization
    // (the loop variable still lives in an alloca).
    EXPECT_TRUE(main->hasFnAttribute(Attribute::MinSize));
    EXPECT_TRUE(main->hasFnAttribute(Attribute::OptimizeForSize));
    EXPECT_FALSE(main->hasFnAttribute(Attribute::OptimizeNone));
    bool hasAlloca = false;
    for (const Instruction &instruction : main->getEntryBlock())
      hasAlloca |= isa<AllocaInst>(instruction);
    EXPECT_TRUE(hasAlloca);
  }
}

TEST(ModuleLoader, CompilesCxxSources) {
  Expected<LoadedModule> loaded = loadModule(inputPath("tiny.cpp"), X86Target);
  OPTLM_ASSERT_OK(loaded);
  EXPECT_GE(moduleFacts(*loaded->module).functionCount, 2u);
}

TEST(ModuleLoader, MissingFile) {
  std::string error = loadError(inputPath("no-such-file.ll"));
  EXPECT_THAT(error, HasSubstr("no-such-file.ll"));
  EXPECT_THAT(error, HasSubstr("cannot open"));
}

TEST(ModuleLoader, Directory) {
  EXPECT_THAT(loadError(OPTLM_TEST_INPUTS), HasSubstr("is a directory"));
}

TEST(ModuleLoader, EmptyFile) {
  EXPECT_THAT(loadError(inputPath("empty.ll")), HasSubstr("empty file"));
  TemporaryFolder scratch;
  EXPECT_THAT(loadError(scratch.write("empty.bc", "")), HasSubstr("empty file"));
  EXPECT_THAT(loadError(scratch.write("empty.c", "")), HasSubstr("empty file"));
}

TEST(ModuleLoader, MalformedIRNamesLineAndColumn) {
  std::string error = loadError(inputPath("malformed.ll"));
  EXPECT_THAT(error, HasSubstr("malformed.ll:3:3:"));
  EXPECT_THAT(error, HasSubstr("malformed IR"));
  EXPECT_EQ(error.find('\n'), std::string::npos);
}

TEST(ModuleLoader, IRThatFailsTheVerifier) {
  std::string error = loadError(inputPath("unverifiable.ll"));
  EXPECT_THAT(error, HasSubstr("invalid IR"));
  EXPECT_THAT(error, HasSubstr("dominate"));
}

TEST(ModuleLoader, BinaryGarbage) {
  TemporaryFolder scratch;
  std::string garbage = randomBytes(7, 512);
  EXPECT_THAT(loadError(scratch.write("garbage.ll", garbage)), HasSubstr("malformed IR"));
  EXPECT_THAT(loadError(scratch.write("garbage.bc", garbage)), HasSubstr("malformed bitcode"));
}

TEST(ModuleLoader, TruncatedBitcode) {
  TemporaryFolder scratch;
  Expected<LoadedModule> loaded = loadModule(inputPath("sum.ll"), X86Target);
  OPTLM_ASSERT_OK(loaded);
  SmallVector<char, 0> bitcode;
  raw_svector_ostream stream(bitcode);
  WriteBitcodeToFile(*loaded->module, stream);
  for (size_t length : {size_t(4), size_t(20), bitcode.size() / 2}) {
    std::string path =
        scratch.write("cut" + std::to_string(length) + ".bc", StringRef(bitcode.data(), length));
    std::string error = loadError(path);
    EXPECT_THAT(error, HasSubstr("malformed bitcode")) << length;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }
}

TEST(ModuleLoader, TextInABitcodeFileIsMalformedBitcode) {
  TemporaryFolder scratch;
  EXPECT_THAT(loadError(scratch.write("text.bc", "define void @f() { ret void }")),
              HasSubstr("malformed bitcode"));
}

TEST(ModuleLoader, UnsupportedExtension) {
  TemporaryFolder scratch;
  std::string error = loadError(scratch.write("sum.txt", "whatever"));
  EXPECT_THAT(error, HasSubstr("unsupported input kind '.txt'"));
}

TEST(ModuleLoader, ClangFailureIsSummarised) {
  std::string error = loadError(inputPath("broken.c"));
  EXPECT_THAT(error, HasSubstr("clang failed"));
  EXPECT_THAT(error, HasSubstr("undeclared_name"));
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

// A module that claims the current debug-info version is verified while
// LLVM's reader finishes it, and anything broken there used to end the
// process (report_fatal_error); it is an error like any invalid IR. Seen in
// a model's disassembly: a TBAA access tag whose type is not scalar.
TEST(ModuleLoader, BrokenModuleOfTheCurrentDebugInfoVersionIsAnError) {
  const char *text = R"(
define i32 @f(ptr %p) {
  %v = load i32, ptr %p, align 4, !tbaa !1
  ret i32 %v
}
!llvm.module.flags = !{!0}
!0 = !{i32 2, !"Debug Info Version", i32 3}
!1 = !{!2, !2, i64 0}
!2 = !{!"not scalar", !3, i64 0, !3, i64 8}
!3 = !{!"int", !4, i64 0}
!4 = !{!"root"}
)";
  Expected<LoadedModule> loaded =
      parseModule(MemoryBufferRef(text, "answer.ll"), InputKind::IRText, X86Target);
  ASSERT_FALSE(static_cast<bool>(loaded));
  std::string error = toString(loaded.takeError());
  EXPECT_THAT(error, StartsWith("answer.ll: invalid IR: "));
  EXPECT_THAT(error, HasSubstr("Access type node must be a valid scalar type"));
}

// Broken debug info alone is dropped, as LLVM's reader does, and the code
// stays; valid debug info of the current version is kept.
TEST(ModuleLoader, BrokenDebugInfoIsStrippedAndValidDebugInfoKept) {
  // The return's location lies in another function's subprogram (!4 for
  // the broken module); with !3 it is valid.
  auto module = [](const char *scope) {
    return std::string(R"(
define void @f() !dbg !3 {
  ret void, !dbg !5
}
!llvm.module.flags = !{!0}
!llvm.dbg.cu = !{!1}
!0 = !{i32 2, !"Debug Info Version", i32 3}
!1 = distinct !DICompileUnit(language: DW_LANG_C99, file: !2, emissionKind: FullDebug)
!2 = !DIFile(filename: "f.c", directory: "/")
!3 = distinct !DISubprogram(name: "f", scope: !2, file: !2, spFlags: DISPFlagDefinition, unit: !1)
!4 = distinct !DISubprogram(name: "g", scope: !2, file: !2, spFlags: DISPFlagDefinition, unit: !1)
!5 = !DILocation(line: 1, scope: )") +
           scope + ")\n";
  };
  std::string broken = module("!4"), valid = module("!3");
  Expected<LoadedModule> loaded =
      parseModule(MemoryBufferRef(broken, "broken.ll"), InputKind::IRText, X86Target);
  ASSERT_TRUE(static_cast<bool>(loaded)) << toString(loaded.takeError());
  EXPECT_FALSE(loaded->module->getFunction("f")->getSubprogram());
  EXPECT_FALSE(loaded->module->getFunction("f")->empty());
  loaded = parseModule(MemoryBufferRef(valid, "valid.ll"), InputKind::IRText, X86Target);
  ASSERT_TRUE(static_cast<bool>(loaded)) << toString(loaded.takeError());
  EXPECT_TRUE(loaded->module->getFunction("f")->getSubprogram());
}

TEST(ModuleLoader, ParseFromMemoryRejectsSources) {
  EXPECT_TRUE(failed(parseModule(MemoryBufferRef("int x;", "x.c"), InputKind::CSource, X86Target)));
}

} // namespace
