//===- PipelineErrorTest.cpp - every way a pipeline text can be wrong -----===//
#include "pipeline/Pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

using namespace optlm;
using ::testing::AllOf;
using ::testing::HasSubstr;

namespace {

std::string errorOf(const std::string &input) {
  llvm::Expected<Pipeline> pipeline = Pipeline::parse(input);
  if (pipeline)
    return "(accepted as " + pipeline->text() + ")";
  std::string message = llvm::toString(pipeline.takeError());
  EXPECT_EQ(message.find('\n'), std::string::npos) << "multi-line: " << message;
  return message;
}

TEST(PipelineErrors, UnknownPassesAreNamed) {
  EXPECT_THAT(errorOf("sroa,frobnicate,gvn"),
              AllOf(HasSubstr("unknown pass 'frobnicate'"), HasSubstr("column 6")));
  EXPECT_THAT(errorOf("-sroa -mem2regg"), HasSubstr("unknown pass 'mem2regg'"));
  EXPECT_THAT(errorOf("function(sroa,foo<bar>)"), HasSubstr("unknown pass 'foo<bar>'"));
  // Analyses, printers and meaning-changing passes are not in the vocabulary.
  for (const char *name : {"print", "verify", "internalize", "metarenamer", "require<domtree>",
                           "invalidate<all>", "aa-eval"})
    EXPECT_THAT(errorOf(name), HasSubstr("unknown pass")) << name;
}

TEST(PipelineErrors, UnbalancedParentheses) {
  EXPECT_THAT(errorOf("function(sroa"), AllOf(HasSubstr("unbalanced parentheses"),
                                              HasSubstr("column 9"), HasSubstr("'function(sroa'")));
  EXPECT_THAT(errorOf("function(sroa))"),
              AllOf(HasSubstr("unmatched ')'"), HasSubstr("column 15")));
  EXPECT_THAT(errorOf("sroa)"), HasSubstr("unmatched ')'"));
  EXPECT_THAT(errorOf("module(function(sroa)"), HasSubstr("never closed"));
}

TEST(PipelineErrors, EmptyNames) {
  EXPECT_THAT(errorOf("sroa,,gvn"), AllOf(HasSubstr("empty pass name"), HasSubstr("column 6")));
  EXPECT_THAT(errorOf("sroa,"), HasSubstr("empty pass name"));
  EXPECT_THAT(errorOf(",sroa"), HasSubstr("empty pass name"));
  EXPECT_THAT(errorOf("(sroa)"), HasSubstr("empty pass name"));
  EXPECT_THAT(errorOf("-"), HasSubstr("empty pass name"));
  EXPECT_THAT(errorOf("function(sroa,)"), HasSubstr("empty pass name"));
  EXPECT_THAT(errorOf("function()"), HasSubstr("empty adaptor 'function()'"));
  EXPECT_THAT(errorOf("module(function())"), HasSubstr("empty adaptor"));
}

TEST(PipelineErrors, EmptyInput) {
  for (const char *input : {"", "   ", "''", "``", "opt", "opt -p ''", "opt -p"})
    EXPECT_THAT(errorOf(input), HasSubstr("pipeline")) << input;
}

TEST(PipelineErrors, Garbage) {
  EXPECT_THAT(errorOf("sroa;gvn"), HasSubstr("unexpected character ';'"));
  EXPECT_THAT(errorOf("@@@"), HasSubstr("unexpected character '@'"));
  EXPECT_THAT(errorOf("sroa<preserve-cfg"), HasSubstr("no matching '>'"));
  EXPECT_THAT(errorOf("Here is the pipeline: sroa"), HasSubstr("unexpected character ':'"));
  EXPECT_THAT(errorOf("Here is sroa"), HasSubstr("unknown pass 'Here'"));
  EXPECT_THAT(errorOf("opt -p 'sroa' input.ll"),
              HasSubstr("unexpected text after the pipeline: 'input.ll'"));
  EXPECT_THAT(errorOf("opt -p 'sroa"), HasSubstr("unterminated quote"));
  EXPECT_THAT(errorOf(std::string("sroa\0gvn", 8)), HasSubstr("unexpected character"));
  EXPECT_THAT(errorOf(std::string(5000, '(')), HasSubstr("empty pass name"));
  std::string deep;
  for (int i = 0; i < 100000; ++i)
    deep += "function(";
  EXPECT_THAT(errorOf(deep), HasSubstr("nesting deeper than 64"));
}

TEST(PipelineErrors, MessagesStayOnOneLineAndShort) {
  std::string message = errorOf("sroa\n\ngvn,\tfrobnicate\r\n");
  EXPECT_THAT(message, HasSubstr("unknown pass 'frobnicate' at column 12"));
  EXPECT_EQ(message.find_first_of("\n\r\t"), std::string::npos) << message;
  std::string longList;
  for (int i = 0; i < 2000; ++i)
    longList += "sroa,";
  message = errorOf(longList + "frobnicate<\x01>");
  EXPECT_THAT(message, HasSubstr("unknown pass 'frobnicate< >'"));
  EXPECT_LT(message.size(), 400u);
}

TEST(PipelineErrors, LevelsThatDoNotFitTheirAdaptor) {
  EXPECT_THAT(errorOf("function(globaldce)"),
              HasSubstr("'globaldce' is a module pass and cannot run inside function(...)"));
  EXPECT_THAT(errorOf("function(inline)"),
              HasSubstr("'inline' is a cgscc pass and cannot run inside function(...)"));
  EXPECT_THAT(errorOf("function(loop(licm))"),
              HasSubstr("'licm' needs MemorySSA: write loop-mssa(...) instead of loop(...)"));
  EXPECT_THAT(errorOf("function(loop(sroa))"),
              HasSubstr("'sroa' is a function pass and cannot run inside loop(...)"));
  EXPECT_THAT(errorOf("function(default<Oz>)"), HasSubstr("cannot run inside function"));
  EXPECT_THAT(errorOf("cgscc(globaldce)"), HasSubstr("cannot run inside cgscc"));
}

TEST(PipelineErrors, AdaptorsInTheWrongPlace) {
  EXPECT_THAT(errorOf("function(module(globaldce))"),
              HasSubstr("'module(...)' cannot be nested inside function(...)"));
  EXPECT_THAT(errorOf("function(cgscc(inline))"),
              HasSubstr("'cgscc(...)' cannot be nested inside function(...)"));
  EXPECT_THAT(errorOf("function(loop(loop-mssa(licm)))"),
              HasSubstr("'loop-mssa(...)' cannot be nested inside loop(...)"));
  EXPECT_THAT(errorOf("function(loop-mssa(function(sroa)))"),
              HasSubstr("'function(...)' cannot be nested inside loop-mssa(...)"));
  EXPECT_THAT(errorOf("repeat<2>(sroa)"), HasSubstr("unknown adaptor 'repeat<2>(...)'"));
  EXPECT_THAT(errorOf("function<eager-inv>(sroa)"),
              HasSubstr("adaptor parameters are not supported"));
  EXPECT_THAT(errorOf("sroa,function,gvn"), HasSubstr("adaptor 'function' without its passes"));
}

TEST(PipelineErrors, BadLevelsAndParameters) {
  EXPECT_THAT(errorOf("default<O4>"), HasSubstr("unknown optimization level 'default<O4>'"));
  EXPECT_THAT(errorOf("default"), HasSubstr("unknown optimization level"));
  EXPECT_THAT(errorOf("-O4"), HasSubstr("unknown pass 'O4'"));
  // Parameter values are LLVM's to judge; its message is passed on.
  EXPECT_THAT(errorOf("simplifycfg<bonus-inst-threshold=many>"),
              AllOf(HasSubstr("LLVM rejects"), HasSubstr("bonus-inst-threshold")));
  EXPECT_THAT(errorOf("gvn<frobnicate>"), HasSubstr("LLVM rejects"));
}

} // namespace
