//===- SourceCompilerTest.cpp - how sources are handed to clang -----------===//
#include "ir/SourceCompiler.h"
#include "TestTargets.h"

#include "llvm/Support/FileSystem.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace llvm;
using namespace optlm;
using ::testing::Contains;
using ::testing::Not;

namespace {

TEST(SourceCompiler, UsesLLMCompilerFlags) {
  std::vector<std::string> arguments = clangArguments("a.c", "x86_64-unknown-linux-gnu", "a.bc");
  for (const char *flag :
       {"-Oz", "-disable-llvm-passes", "-emit-llvm", "-c", "x86_64-unknown-linux-gnu"})
    EXPECT_THAT(arguments, Contains(flag));
  EXPECT_THAT(arguments, Not(Contains("-O0")));
}

TEST(SourceCompiler, AArch64UsesTheCrossHeaders) {
  if (!sys::fs::is_directory("/usr/aarch64-linux-gnu"))
    GTEST_SKIP() << "libc6-dev-arm64-cross is not installed";
  std::vector<std::string> arguments = clangArguments("a.c", "aarch64-unknown-linux-gnu", "a.bc");
  EXPECT_THAT(arguments, Contains("--sysroot=/usr/aarch64-linux-gnu"));
}

TEST(SourceCompiler, FindsClang) {
  Expected<std::string> clang = findClang();
  OPTLM_ASSERT_OK(clang);
  EXPECT_TRUE(sys::fs::can_execute(*clang));
}

TEST(SourceCompiler, ProducesBitcode) {
  Expected<std::unique_ptr<MemoryBuffer>> bitcode =
      sourceToBitcode(std::string(OPTLM_TEST_INPUTS) + "/ir/tiny.c", "x86_64-unknown-linux-gnu");
  OPTLM_ASSERT_OK(bitcode);
  EXPECT_TRUE((*bitcode)->getBuffer().starts_with("BC\xC0\xDE"));
}

} // namespace
