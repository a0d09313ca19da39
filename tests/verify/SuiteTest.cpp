//===- SuiteTest.cpp - suite folders and their ids -------------------------===//
#include "verify/Suite.h"

#include "VerifyTestSupport.h"
#include "testing/Testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace optlm::verify;
using ::testing::HasSubstr;

namespace {

TEST(VerifySuite, ReadsProgramsAndExpectedOutputsSortedByName) {
  optlm::testing::TemporaryFolder scratch;
  std::string folder = test::subfolder(scratch, "suite");
  test::copyBundled(folder, {"strings", "bits"});
  scratch.write("suite/noexpect.c", "int main(void) { return 0; }\n");
  scratch.write("suite/notes.txt", "not a program\n");
  llvm::Expected<Suite> suite = loadSuite({folder});
  OPTLM_ASSERT_OK(suite);
  ASSERT_EQ(suite->programs.size(), 3u);
  EXPECT_EQ(suite->programs[0].name, "bits");
  EXPECT_EQ(suite->programs[1].name, "noexpect");
  EXPECT_EQ(suite->programs[2].name, "strings");
  EXPECT_TRUE(suite->programs[0].expectedOutput.has_value());
  EXPECT_FALSE(suite->programs[1].expectedOutput.has_value());
  EXPECT_EQ(suite->id.size(), 16u);
}

TEST(VerifySuite, TheIdDependsOnContentsNotOnWhereTheFolderIs) {
  optlm::testing::TemporaryFolder scratch;
  std::string first = test::subfolder(scratch, "one"), second = test::subfolder(scratch, "two");
  test::copyBundled(first, {"bits", "strings"});
  test::copyBundled(second, {"bits", "strings"});
  llvm::Expected<Suite> a = loadSuite({first});
  llvm::Expected<Suite> b = loadSuite({second});
  ASSERT_TRUE(bool(a) && bool(b));
  EXPECT_EQ(a->id, b->id);

  // Any edit of a source, an expected output or a header is a new suite.
  scratch.write("two/bits.expected", "something else\n");
  llvm::Expected<Suite> edited = loadSuite({second});
  ASSERT_TRUE(bool(edited));
  EXPECT_NE(edited->id, a->id);

  llvm::sys::fs::copy_file(first + "/bits.expected", second + "/bits.expected");
  scratch.write("two/extra.h", "#define X 1\n");
  llvm::Expected<Suite> withHeader = loadSuite({second});
  ASSERT_TRUE(bool(withHeader));
  EXPECT_NE(withHeader->id, a->id);
}

TEST(VerifySuite, BadFoldersAreErrors) {
  optlm::testing::TemporaryFolder scratch;
  std::string empty = test::subfolder(scratch, "empty");
  llvm::Expected<Suite> none = loadSuite({empty});
  ASSERT_FALSE(bool(none));
  EXPECT_THAT(llvm::toString(none.takeError()), HasSubstr("holds no .c program"));

  llvm::Expected<Suite> missing = loadSuite({scratch.file("missing")});
  ASSERT_FALSE(bool(missing));
  EXPECT_THAT(llvm::toString(missing.takeError()), HasSubstr("is not a directory"));

  std::string first = test::subfolder(scratch, "a"), second = test::subfolder(scratch, "b");
  test::copyBundled(first, {"bits"});
  test::copyBundled(second, {"bits"});
  llvm::Expected<Suite> twice = loadSuite({first, second});
  ASSERT_FALSE(bool(twice));
  EXPECT_THAT(llvm::toString(twice.takeError()), HasSubstr("two suite programs are named 'bits'"));
}

TEST(VerifySuite, TheDefaultSuiteStartsWithTheBundledPrograms) {
  std::vector<std::string> folders = defaultSuiteDirectories();
  ASSERT_FALSE(folders.empty());
  EXPECT_EQ(folders.front(), bundledSuiteDirectory());
  llvm::Expected<Suite> bundled = loadSuite({bundledSuiteDirectory()});
  OPTLM_ASSERT_OK(bundled);
  EXPECT_GE(bundled->programs.size(), 10u);
  for (const SuiteProgram &program : bundled->programs)
    EXPECT_TRUE(program.expectedOutput.has_value()) << program.name;
}

} // namespace
