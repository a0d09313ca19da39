//===- PassVocabularyTest.cpp - the vocabulary file and its lookups -------===//
#include "pipeline/PassVocabulary.h"
#include "testing/Testing.h"

#include "llvm/Support/MemoryBuffer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace optlm;
using ::testing::HasSubstr;

namespace {

std::string readInput(const std::string &name) {
  auto buffer = llvm::MemoryBuffer::getFile(std::string(OPTLM_TEST_INPUTS) + "/pipeline/" + name);
  EXPECT_TRUE(buffer) << name;
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

std::string parseError(const std::string &file) {
  llvm::Expected<PassVocabulary> parsed = PassVocabulary::parse(readInput(file));
  if (parsed)
    return "(parsed without error)";
  return llvm::toString(parsed.takeError());
}

TEST(PassVocabulary, ParsesCommentsBlankLinesNotesAndCRLF) {
  llvm::Expected<PassVocabulary> parsed = PassVocabulary::parse(readInput("valid.tsv"));
  OPTLM_ASSERT_OK(parsed);
  ASSERT_EQ(parsed->passes().size(), 3u);
  const PassInfo &licm = parsed->passes()[1];
  EXPECT_EQ(licm.name, "licm");
  EXPECT_EQ(licm.level, PassLevel::LoopMSSA);
  EXPECT_TRUE(licm.inSearchSpace);
  EXPECT_EQ(licm.note, "needs MemorySSA");
  const PassInfo &attributor = parsed->passes()[2];
  EXPECT_EQ(attributor.hazard, PassHazard::Hangs);
  EXPECT_FALSE(attributor.inSearchSpace);
  EXPECT_EQ(parsed->searchSpace().size(), 2u);
}

TEST(PassVocabulary, EmptyTextIsAnEmptyVocabulary) {
  llvm::Expected<PassVocabulary> parsed = PassVocabulary::parse("");
  ASSERT_TRUE(bool(parsed));
  EXPECT_TRUE(parsed->passes().empty());
}

TEST(PassVocabulary, MalformedFilesNameTheLineAndTheProblem) {
  EXPECT_THAT(parseError("too-few-fields.tsv"), AllOf(HasSubstr("line 2"), HasSubstr("found 3")));
  EXPECT_THAT(parseError("too-many-fields.tsv"), AllOf(HasSubstr("line 1"), HasSubstr("found 6")));
  EXPECT_THAT(parseError("bad-level.tsv"),
              AllOf(HasSubstr("line 4"), HasSubstr("unknown level 'basicblock'")));
  EXPECT_THAT(parseError("bad-search.tsv"), AllOf(HasSubstr("line 1"), HasSubstr("'maybe'")));
  EXPECT_THAT(parseError("bad-hazard.tsv"),
              AllOf(HasSubstr("line 1"), HasSubstr("unknown hazard 'sometimes'")));
  EXPECT_THAT(parseError("duplicate.tsv"),
              AllOf(HasSubstr("line 2"), HasSubstr("duplicate pass 'sroa'")));
  EXPECT_THAT(parseError("hazard-in-search.tsv"),
              AllOf(HasSubstr("line 1"), HasSubstr("cannot be in the search space")));
  EXPECT_THAT(parseError("bad-name.tsv"),
              AllOf(HasSubstr("line 1"), HasSubstr("malformed pass name 'sro a'")));
}

TEST(PassVocabulary, RejectsUnbalancedParameterBrackets) {
  llvm::Expected<PassVocabulary> parsed =
      PassVocabulary::parse("gvn<no-pre\tfunction\tyes\tnone\n");
  ASSERT_FALSE(bool(parsed));
  EXPECT_THAT(llvm::toString(parsed.takeError()), HasSubstr("malformed pass name 'gvn<no-pre'"));
}

TEST(PassVocabulary, BuiltinMatchesTheDataFile) {
  // The library embeds data/passes.tsv at build time; a stale copy would
  // show up as a difference here.
  auto buffer = llvm::MemoryBuffer::getFile(std::string(OPTLM_SOURCE_DIR) + "/data/passes.tsv");
  ASSERT_TRUE(bool(buffer));
  llvm::Expected<PassVocabulary> fromFile = PassVocabulary::parse((*buffer)->getBuffer());
  OPTLM_ASSERT_OK(fromFile);
  const PassVocabulary &builtin = PassVocabulary::builtin();
  ASSERT_EQ(fromFile->passes().size(), builtin.passes().size());
  for (size_t i = 0; i < builtin.passes().size(); ++i) {
    EXPECT_EQ(fromFile->passes()[i].name, builtin.passes()[i].name);
    EXPECT_EQ(fromFile->passes()[i].level, builtin.passes()[i].level);
    EXPECT_EQ(fromFile->passes()[i].hazard, builtin.passes()[i].hazard);
    EXPECT_EQ(fromFile->passes()[i].inSearchSpace, builtin.passes()[i].inSearchSpace);
  }
}

TEST(PassVocabulary, PlainInstcombineFindsTheNoVerifyFixpointEntry) {
  const PassInfo *info = PassVocabulary::builtin().lookup("instcombine");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->name, "instcombine<no-verify-fixpoint>");
  EXPECT_EQ(info->level, PassLevel::Function);
  EXPECT_EQ(PassVocabulary::builtin().lookup("instcombine<max-iterations=2>"), info);
}

TEST(PassVocabulary, ExactParameterisedEntriesWinOverTheBaseName) {
  const PassVocabulary &vocabulary = PassVocabulary::builtin();
  const PassInfo *plain = vocabulary.lookup("early-cse");
  const PassInfo *memssa = vocabulary.lookup("early-cse<memssa>");
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(memssa, nullptr);
  EXPECT_EQ(plain->name, "early-cse");
  EXPECT_EQ(memssa->name, "early-cse<memssa>");
  const PassInfo *simplifycfg = vocabulary.lookup("simplifycfg<bonus-inst-threshold=1>");
  ASSERT_NE(simplifycfg, nullptr);
  EXPECT_EQ(simplifycfg->name, "simplifycfg");
}

TEST(PassVocabulary, UnknownAndExcludedNamesAreNotFound) {
  const PassVocabulary &vocabulary = PassVocabulary::builtin();
  for (const char *name : {"", "no-such-pass", "print", "verify", "internalize", "metarenamer",
                           "invalidate<all>", "require<domtree>", "asan", "dot-cfg",
                           "trigger-crash-module", "instcount", "Sroa", "sroa "})
    EXPECT_EQ(vocabulary.lookup(name), nullptr) << name;
}

TEST(PassVocabulary, KnownHazardsAreRecorded) {
  const PassVocabulary &vocabulary = PassVocabulary::builtin();
  auto hazardOf = [&](const char *name) {
    const PassInfo *info = vocabulary.lookup(name);
    EXPECT_NE(info, nullptr) << name;
    return info ? info->hazard : PassHazard::None;
  };
  for (const char *name :
       {"attributor", "attributor-light", "attributor-cgscc", "attributor-light-cgscc",
        "unify-loop-exits", "loop-extract", "codegenprepare"})
    EXPECT_NE(hazardOf(name), PassHazard::None) << name;
  EXPECT_EQ(hazardOf("codegenprepare"), PassHazard::Crashes);
}

TEST(PassVocabulary, MemorySSALoopPassesAreLoopMSSA) {
  const PassVocabulary &vocabulary = PassVocabulary::builtin();
  for (const char *name : {"licm", "lnicm", "simple-loop-unswitch"})
    EXPECT_EQ(vocabulary.lookup(name)->level, PassLevel::LoopMSSA) << name;
  EXPECT_EQ(vocabulary.lookup("indvars")->level, PassLevel::Loop);
  EXPECT_EQ(vocabulary.lookup("inline")->level, PassLevel::CGSCC);
  EXPECT_EQ(vocabulary.lookup("globaldce")->level, PassLevel::Module);
}

TEST(PassVocabulary, SearchSpaceIsSafeAndSizedLikeThePapers) {
  std::vector<const PassInfo *> space = PassVocabulary::builtin().searchSpace();
  EXPECT_GE(space.size(), 100u);
  EXPECT_LE(space.size(), 170u);
  std::set<std::string> names;
  for (const PassInfo *info : space) {
    EXPECT_EQ(info->hazard, PassHazard::None) << info->name;
    EXPECT_TRUE(info->inSearchSpace);
    names.insert(info->name);
  }
  EXPECT_EQ(names.size(), space.size());
  for (const char *expected : {"sroa", "gvn", "licm", "inline", "globaldce",
                               "instcombine<no-verify-fixpoint>", "simplifycfg"})
    EXPECT_TRUE(names.count(expected)) << expected;
  for (const char *excluded : {"attributor", "codegenprepare", "unify-loop-exits"})
    EXPECT_FALSE(names.count(excluded)) << excluded;
}

TEST(PassVocabulary, LevelAndHazardNames) {
  EXPECT_EQ(passLevelName(PassLevel::LoopMSSA), "loop-mssa");
  EXPECT_EQ(passLevelName(PassLevel::CGSCC), "cgscc");
  EXPECT_EQ(passHazardName(PassHazard::Miscompiles), "miscompiles");
  EXPECT_EQ(passHazardName(PassHazard::None), "none");
}

} // namespace
