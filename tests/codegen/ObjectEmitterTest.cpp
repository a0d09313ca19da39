//===- ObjectEmitterTest.cpp - objects and assembly in memory -------------===//
#include "CodegenTestSupport.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/ObjectSizes.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/Support/SourceMgr.h"

#include <gmock/gmock.h>

using namespace llvm;
using namespace optlm;
using namespace optlm::testing;
using ::testing::HasSubstr;

namespace {

TEST(ObjectEmitter, EmitsAnELFObjectForEachTarget) {
  for (const char *triple : Triples) {
    Expected<LoadedModule> loaded = loadFor(inputPath("ir", "sum.ll"), triple);
    OPTLM_ASSERT_OK(loaded);
    Expected<std::unique_ptr<TargetMachine>> machine = createCodegenTargetMachine(triple);
    OPTLM_ASSERT_OK(machine);
    Expected<SmallVector<char, 0>> object = emitObject(*loaded->module, **machine);
    OPTLM_ASSERT_OK(object);
    ASSERT_GT(object->size(), 4u);
    EXPECT_EQ(StringRef(object->data(), 4), "\x7f"
                                            "ELF");
  }
}

TEST(ObjectEmitter, EmitsAssemblyText) {
  Expected<LoadedModule> loaded = loadFor(inputPath("ir", "sum.ll"), "x86_64-unknown-linux-gnu");
  OPTLM_ASSERT_OK(loaded);
  Expected<std::unique_ptr<TargetMachine>> machine =
      createCodegenTargetMachine("x86_64-unknown-linux-gnu");
  OPTLM_ASSERT_OK(machine);
  Expected<std::string> assembly = emitAssembly(*loaded->module, **machine);
  OPTLM_ASSERT_OK(assembly);
  EXPECT_THAT(*assembly, HasSubstr("sum:"));
  EXPECT_THAT(*assembly, HasSubstr("callq\tputchar"));
}

TEST(ObjectEmitter, AssemblyEqualsLlcs) {
  for (const char *triple : Triples) {
    Expected<LoadedModule> loaded = loadFor(inputPath("ir", "sum.ll"), triple);
    OPTLM_ASSERT_OK(loaded);
    SmallString<128> inputPath;
    ASSERT_FALSE(sys::fs::createTemporaryFile("optlm-codegen", "ll", inputPath));
    {
      std::error_code error;
      raw_fd_ostream stream(inputPath, error);
      loaded->module->print(stream, nullptr);
    }
    std::string expected =
        runTool(OPTLM_LLC_PATH, {"-filetype=asm", std::string(inputPath), "-o", "-"});
    sys::fs::remove(inputPath);
    Expected<std::unique_ptr<TargetMachine>> machine = createCodegenTargetMachine(triple);
    OPTLM_ASSERT_OK(machine);
    Expected<std::string> assembly = emitAssembly(*loaded->module, **machine);
    OPTLM_ASSERT_OK(assembly);
    // The file name llc was given is the only difference allowed.
    auto withoutFileLine = [](StringRef text) {
      std::string result;
      SmallVector<StringRef, 64> lines;
      text.split(lines, '\n');
      for (StringRef line : lines)
        if (!line.trim().starts_with(".file"))
          result += line.str() + "\n";
      return result;
    };
    EXPECT_EQ(withoutFileLine(*assembly), withoutFileLine(expected)) << triple;
  }
}

TEST(ObjectEmitter, CodegenErrorsAreReturnedNotFatal) {
  // The assembler rejects the inline asm: LLVMContext's default handler
  // would exit the process.
  LLVMContext context;
  SMDiagnostic diagnostic;
  std::unique_ptr<Module> module =
      parseAssemblyString("target triple = \"x86_64-unknown-linux-gnu\"\n"
                          "define void @f() {\n"
                          "  call void asm sideeffect \"not_an_instruction %eax\", \"\"()\n"
                          "  ret void\n"
                          "}\n",
                          diagnostic, context);
  ASSERT_TRUE(module);
  Expected<std::unique_ptr<TargetMachine>> machine =
      createCodegenTargetMachine("x86_64-unknown-linux-gnu");
  OPTLM_ASSERT_OK(machine);
  module->setDataLayout((*machine)->createDataLayout());
  Expected<SmallVector<char, 0>> object = emitObject(*module, **machine);
  ASSERT_FALSE(bool(object));
  EXPECT_THAT(toString(object.takeError()), HasSubstr("code generation failed"));
}

} // namespace
