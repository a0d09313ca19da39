//===- AnswerParserTest.cpp - the forms of answers optlm accepts ----------===//
#include "tasks/AnswerParser.h"

#include <gtest/gtest.h>

using namespace optlm;
using namespace optlm::tasks;

namespace {

/// The canonical text of a pipeline written by hand.
std::string canonical(llvm::StringRef text) { return llvm::cantFail(Pipeline::parse(text)).text(); }

std::string parsed(llvm::StringRef answer) {
  auto pipeline = parsePipelineAnswer(answer);
  if (!pipeline)
    return "error: " + llvm::toString(pipeline.takeError());
  return pipeline->text();
}

TEST(TasksAnswerParser, OptCommandLines) {
  EXPECT_EQ(parsed("opt -p 'module(function(sroa,instcombine))'"),
            canonical("module(function(sroa,instcombine))"));
  EXPECT_EQ(parsed("Run opt -p \"function(sroa)\" and then llc."),
            canonical("module(function(sroa))"));
  EXPECT_EQ(parsed("opt -passes=sroa,gvn in.ll"), canonical("module(function(sroa,gvn))"));
  EXPECT_EQ(parsed("use `opt --passes='default<Oz>'` here"), canonical("module(default<Oz>)"));
}

TEST(TasksAnswerParser, OptlmLabelFormatIgnoresTheCode) {
  // The IR in the block mentions "-p" and pass-like words; only the
  // pipeline before it counts.
  EXPECT_EQ(parsed("Run opt -p 'module(function(sroa))' to get binary size 71 bytes:\n\n"
                   "<code>define i32 @f() { ; opt -p 'gvn' -licm\n ret i32 0 }</code>"),
            canonical("module(function(sroa))"));
}

TEST(TasksAnswerParser, FlatFlagLists) {
  EXPECT_EQ(parsed("-sroa -instcombine -simplifycfg"),
            canonical("module(function(sroa,instcombine,simplifycfg))"));
  EXPECT_EQ(parsed("I suggest the passes -mem2reg -gvn. They shrink the loop."),
            canonical("module(function(mem2reg,gvn))"));
}

TEST(TasksAnswerParser, BackticksAndFences) {
  EXPECT_EQ(parsed("The list is `sroa,gvn`."), canonical("module(function(sroa,gvn))"));
  EXPECT_EQ(parsed("Here:\n```text\nsroa,instcombine\n```\nDone."),
            canonical("module(function(sroa,instcombine))"));
  EXPECT_EQ(parsed("```\n-Oz\n```"), canonical("module(default<Oz>)"));
}

TEST(TasksAnswerParser, PlainListsAndLevels) {
  EXPECT_EQ(parsed(" sroa, instcombine"), canonical("module(function(sroa,instcombine))"));
  EXPECT_EQ(parsed("-Oz"), canonical("module(default<Oz>)"));
  EXPECT_EQ(parsed("sroa,gvn\nThis removes the allocas."), canonical("module(function(sroa,gvn))"));
}

TEST(TasksAnswerParser, GarbageIsAnErrorNeverAGuess) {
  EXPECT_NE(parsed("").find("error:"), std::string::npos);
  EXPECT_NE(parsed("I do not know.").find("error:"), std::string::npos);
  EXPECT_NE(parsed("opt -p 'no-such-pass,sroa'").find("error:"), std::string::npos);
  EXPECT_NE(parsed("\x01\xff\xfe garbage \"'`").find("error:"), std::string::npos);
  EXPECT_NE(parsed("-S -o out.ll").find("error:"), std::string::npos);
}

TEST(TasksAnswerParser, Code) {
  EXPECT_EQ(extractCode("x <code>\ndefine void @f()\n</code> y"), "define void @f()");
  EXPECT_EQ(extractCode("<code>define void @f() {"), "define void @f() {");
  EXPECT_EQ(extractCode("Sure:\n```llvm\nret void\n```"), "ret void");
  EXPECT_EQ(extractCode("ret void"), "ret void");
}

TEST(TasksAnswerParser, ReportedNumbers) {
  ReportedNumbers numbers = parseReportedNumbers(
      "<code>; instruction count 1 and binary size 2</code>\n\nThe output code has "
      "instruction count 17 and binary size 64 bytes.");
  EXPECT_EQ(numbers.instructionCount, 17u);
  EXPECT_EQ(numbers.binarySize, 64u);
  ReportedNumbers none = parseReportedNumbers("binary size: lots");
  EXPECT_FALSE(none.instructionCount);
  EXPECT_FALSE(none.binarySize);
}

} // namespace
