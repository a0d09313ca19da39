//===- PipelineParseTest.cpp - accepted forms and canonical nesting -------===//
#include "pipeline/Pipeline.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

#include <string>

using namespace optlm;

namespace {

/// The canonical text of `input`, or the error message prefixed "error: ".
std::string canonical(const std::string &input) {
  llvm::Expected<Pipeline> pipeline = Pipeline::parse(input);
  if (!pipeline)
    return "error: " + llvm::toString(pipeline.takeError());
  return pipeline->text();
}

TEST(PipelineParse, FlatListsInEveryWayModelsWriteThem) {
  const std::string expected = "module(function(sroa,gvn,loop-mssa(licm)))";
  for (const char *input :
       {"-sroa -gvn -licm", "sroa,gvn,licm", "sroa gvn licm", "sroa, gvn, licm",
        "  sroa ,gvn\t\n licm  ", "--sroa --gvn --licm", "opt -sroa -gvn -licm",
        "opt -p 'sroa,gvn,licm'", "opt-19 -p \"sroa,gvn,licm\"", "opt -passes='sroa,gvn,licm'",
        "opt --passes=sroa,gvn,licm", "-p sroa,gvn,licm", "`sroa,gvn,licm`", "'-sroa -gvn -licm'",
        "\"sroa,gvn,licm\"", "`opt -p 'sroa,gvn,licm'`", "```\nopt -p 'sroa,gvn,licm'\n```",
        "```bash\nsroa gvn licm\n```", "/usr/bin/opt -sroa -gvn -licm"})
    EXPECT_EQ(canonical(input), expected) << input;
}

TEST(PipelineParse, EquivalentInputsGiveEqualPipelines) {
  llvm::Expected<Pipeline> flat = Pipeline::parse("-sroa -gvn");
  llvm::Expected<Pipeline> commas = Pipeline::parse("sroa,gvn");
  llvm::Expected<Pipeline> nested = Pipeline::parse("module(function(sroa,gvn))");
  llvm::Expected<Pipeline> bare = Pipeline::parse("function(sroa,gvn)");
  ASSERT_TRUE(flat && commas && nested && bare);
  EXPECT_EQ(*flat, *commas);
  EXPECT_EQ(*flat, *nested);
  EXPECT_EQ(*flat, *bare);
  EXPECT_EQ(flat->text(), "module(function(sroa,gvn))");
  EXPECT_EQ(nested->text(), flat->text());
  EXPECT_NE(*flat, *Pipeline::parse("gvn,sroa"));
}

TEST(PipelineParse, NestedTextWithParameters) {
  EXPECT_EQ(canonical("module(function(sroa,instcombine<no-verify-fixpoint>),globaldce)"),
            "module(function(sroa,instcombine<no-verify-fixpoint>),globaldce)");
  EXPECT_EQ(canonical("function(loop-mssa(licm))"), "module(function(loop-mssa(licm)))");
  EXPECT_EQ(canonical("simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond>"),
            "module(function(simplifycfg<bonus-inst-threshold=1;no-forward-switch-"
            "cond>))");
  EXPECT_EQ(canonical("simplifycfg< keep-loops ; bonus-inst-threshold=2 >"),
            "module(function(simplifycfg<keep-loops;bonus-inst-threshold=2>))");
  EXPECT_EQ(canonical("cgscc(inline,function-attrs),function(sroa)"),
            "module(cgscc(inline,function-attrs),function(sroa))");
  EXPECT_EQ(canonical("cgscc(function(sroa))"), "module(cgscc(function(sroa)))");
  EXPECT_EQ(canonical("function(loop(indvars,loop-deletion))"),
            "module(function(loop(indvars,loop-deletion)))");
  EXPECT_EQ(canonical("gvn<>"), "module(function(gvn))");
}

TEST(PipelineParse, InstcombineAlwaysCarriesNoVerifyFixpoint) {
  EXPECT_EQ(canonical("instcombine"), "module(function(instcombine<no-verify-fixpoint>))");
  EXPECT_EQ(canonical("-instcombine"), canonical("instcombine<no-verify-fixpoint>"));
  EXPECT_EQ(canonical("instcombine<max-iterations=2>"),
            "module(function(instcombine<max-iterations=2;no-verify-fixpoint>))");
  // Asked for explicitly: the user's word wins.
  EXPECT_EQ(canonical("instcombine<verify-fixpoint>"),
            "module(function(instcombine<verify-fixpoint>))");
}

TEST(PipelineParse, FlatListsAreNestedByLevel) {
  // A module pass splits the function adaptor; order is never changed.
  EXPECT_EQ(canonical("sroa globaldce gvn"), "module(function(sroa),globaldce,function(gvn))");
  // Loop passes of one run share an adaptor; loop-mssa if any needs it.
  EXPECT_EQ(canonical("indvars loop-deletion"), "module(function(loop(indvars,loop-deletion)))");
  EXPECT_EQ(canonical("indvars licm loop-deletion"),
            "module(function(loop-mssa(indvars,licm,loop-deletion)))");
  EXPECT_EQ(canonical("licm sroa licm"), "module(function(loop-mssa(licm),sroa,loop-mssa(licm)))");
  // CGSCC passes share cgscc(...), and a function pass closes it.
  EXPECT_EQ(canonical("inline function-attrs sroa inline"),
            "module(cgscc(inline,function-attrs),function(sroa),cgscc(inline))");
  EXPECT_EQ(canonical("globaldce inline licm"),
            "module(globaldce,cgscc(inline),function(loop-mssa(licm)))");
}

TEST(PipelineParse, BareLeavesInsideAdaptorsAreWrapped) {
  // licm written straight in function(...) is fixed, as a flat list would be.
  EXPECT_EQ(canonical("function(sroa,licm,gvn)"), "module(function(sroa,loop-mssa(licm),gvn))");
  EXPECT_EQ(canonical("module(sroa,gvn)"), "module(function(sroa,gvn))");
  EXPECT_EQ(canonical("cgscc(inline,sroa)"), "module(cgscc(inline,function(sroa)))");
  EXPECT_EQ(canonical("module(loop-mssa(licm))"), "module(function(loop-mssa(licm)))");
  EXPECT_EQ(canonical("sroa,loop-mssa(licm),gvn"), "module(function(sroa,loop-mssa(licm),gvn))");
  EXPECT_EQ(canonical("function(loop-mssa(indvars))"), "module(function(loop-mssa(indvars)))");
}

TEST(PipelineParse, ExplicitAdaptorsAreKeptAndSameKindIsSpliced) {
  EXPECT_EQ(canonical("function(sroa),function(gvn)"), "module(function(sroa),function(gvn))");
  EXPECT_EQ(canonical("function(sroa),gvn"), "module(function(sroa),function(gvn))");
  EXPECT_EQ(canonical("module(module(sroa),gvn)"), "module(function(sroa,gvn))");
  EXPECT_EQ(canonical("function(function(sroa),gvn)"), "module(function(sroa,gvn))");
  EXPECT_EQ(canonical("function(loop-mssa(loop(indvars),licm))"),
            "module(function(loop-mssa(indvars,licm)))");
}

TEST(PipelineParse, StandardLevels) {
  for (auto [input, level, text] :
       {std::tuple{"default<Oz>", OptLevel::Oz, "module(default<Oz>)"},
        {"-Oz", OptLevel::Oz, "module(default<Oz>)"},
        {"Oz", OptLevel::Oz, "module(default<Oz>)"},
        {"-O0", OptLevel::O0, "module(default<O0>)"},
        {"-O1", OptLevel::O1, "module(default<O1>)"},
        {"O2", OptLevel::O2, "module(default<O2>)"},
        {"-O3", OptLevel::O3, "module(default<O3>)"},
        {"-Os", OptLevel::Os, "module(default<Os>)"},
        {"module(default<Os>)", OptLevel::Os, "module(default<Os>)"},
        {"opt -p 'module(default<Oz>)'", OptLevel::Oz, "module(default<Oz>)"}}) {
    llvm::Expected<Pipeline> pipeline = Pipeline::parse(input);
    ASSERT_TRUE(bool(pipeline)) << input << ": " << llvm::toString(pipeline.takeError());
    EXPECT_EQ(pipeline->standardLevel(), level) << input;
    EXPECT_EQ(pipeline->text(), text) << input;
    EXPECT_EQ(*pipeline, Pipeline::level(level)) << input;
    EXPECT_EQ(pipeline->size(), 1u);
  }
  EXPECT_EQ(Pipeline::level(OptLevel::O3).text(), "module(default<O3>)");
}

TEST(PipelineParse, StandardLevelsInsideBiggerPipelines) {
  llvm::Expected<Pipeline> pipeline = Pipeline::parse("default<Oz>,globaldce");
  ASSERT_TRUE(bool(pipeline));
  EXPECT_EQ(pipeline->text(), "module(default<Oz>,globaldce)");
  EXPECT_EQ(pipeline->standardLevel(), std::nullopt);
  EXPECT_EQ(canonical("-Oz -sroa"), "module(default<Oz>,function(sroa))");
  EXPECT_EQ(canonical("sroa,default<O1>,gvn"), "module(function(sroa),default<O1>,function(gvn))");
}

TEST(PipelineParse, FlatTextPassNamesAndSize) {
  llvm::Expected<Pipeline> pipeline =
      Pipeline::parse("module(function(sroa,loop-mssa(licm)),globaldce,cgscc(inline))");
  ASSERT_TRUE(bool(pipeline));
  EXPECT_EQ(pipeline->flatText(), "sroa,licm,globaldce,inline");
  EXPECT_EQ(pipeline->passNames(),
            (std::vector<std::string>{"sroa", "licm", "globaldce", "inline"}));
  EXPECT_EQ(pipeline->size(), 4u);
  EXPECT_FALSE(pipeline->empty());
  // The flat text parses back to the same pipeline.
  EXPECT_EQ(canonical(pipeline->flatText()), pipeline->text());
}

TEST(PipelineParse, EmptyPipeline) {
  Pipeline empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(empty.text(), "module()");
  EXPECT_EQ(empty.flatText(), "");
  llvm::Expected<Pipeline> parsed = Pipeline::parse("module()");
  ASSERT_TRUE(bool(parsed));
  EXPECT_EQ(*parsed, empty);
  EXPECT_EQ(Pipeline::fromPasses({}), empty);
}

TEST(PipelineParse, HazardousPassesAreAcceptedAndVisible) {
  llvm::Expected<Pipeline> pipeline = Pipeline::parse("attributor,codegenprepare");
  OPTLM_ASSERT_OK(pipeline);
  EXPECT_EQ(pipeline->text(), "module(attributor,function(codegenprepare))");
  for (const std::string &name : pipeline->passNames())
    EXPECT_NE(PassVocabulary::builtin().lookup(name)->hazard, PassHazard::None);
}

TEST(PipelineParse, FromPassesMatchesParsingTheFlatList) {
  const PassVocabulary &vocabulary = PassVocabulary::builtin();
  std::vector<const PassInfo *> passes;
  for (const char *name : {"sroa", "licm", "indvars", "globaldce", "inline", "instcombine", "gvn"})
    passes.push_back(vocabulary.lookup(name));
  Pipeline built = Pipeline::fromPasses(passes);
  EXPECT_EQ(built.text(), "module(function(sroa,loop-mssa(licm,indvars)),globaldce,cgscc(inline),"
                          "function(instcombine<no-verify-fixpoint>,gvn))");
  llvm::Expected<Pipeline> parsed =
      Pipeline::parse("sroa licm indvars globaldce inline instcombine gvn");
  ASSERT_TRUE(bool(parsed));
  EXPECT_EQ(built, *parsed);
}

TEST(PipelineParse, OtherVocabulariesAreHonoured) {
  llvm::Expected<PassVocabulary> small = PassVocabulary::parse("sroa\tfunction\tyes\tnone\n");
  ASSERT_TRUE(bool(small));
  EXPECT_TRUE(bool(Pipeline::parse("sroa", *small)));
  llvm::Expected<Pipeline> gvn = Pipeline::parse("gvn", *small);
  ASSERT_FALSE(bool(gvn));
  EXPECT_NE(llvm::toString(gvn.takeError()).find("unknown pass 'gvn'"), std::string::npos);
}

} // namespace
