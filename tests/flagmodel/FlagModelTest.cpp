//===- FlagModelTest.cpp - the model file and its proposals ---------------===//
#include "flagmodel/FlagModel.h"
#include "flagmodel/ShippedModel.h"
#include "flagmodel/Trainer.h"

#include "ir/ModuleFeatures.h"
#include "lm/gguf/GGUFWriter.h"
#include "pipeline/Pipeline.h"
#include "store/ResultsStore.h"
#include "testing/Testing.h"
#include "verify/PassListEval.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace llvm;
using namespace optlm;
using namespace optlm::flagmodel;

namespace {

std::string canonical(StringRef text) { return cantFail(Pipeline::parse(text)).text(); }

/// Two clusters of training modules: near feature vector A list 0 wins,
/// near B list 2 wins; list 1 is a weaker relative of list 0.
FlagModel twoClusterModel() {
  const size_t features = moduleFeatureNames().size();
  FlagModel model;
  model.library = {canonical("sroa,instcombine"), canonical("sroa"), canonical("inline,globaldce")};
  model.featureMean.assign(features, 0);
  model.featureScale.assign(features, 1);
  model.featureWeight.assign(features, 1);
  auto row = [&](float first) {
    std::vector<float> x(features, 0);
    x[0] = first;
    model.trainFeatures.insert(model.trainFeatures.end(), x.begin(), x.end());
  };
  row(0.0f), row(0.1f), row(5.0f), row(5.1f);
  model.trainScores = {0.90f, 0.95f, 1.00f, //
                       0.90f, 0.95f, 1.00f, //
                       1.00f, 1.00f, 0.92f, //
                       1.00f, 1.00f, 0.92f};
  model.neighbours = 2;
  model.proposals = 2;
  model.training = "four hand-made modules";
  return model;
}

std::vector<float> at(float first) {
  std::vector<float> x(moduleFeatureNames().size(), 0);
  x[0] = first;
  return x;
}

class TempFile {
public:
  TempFile() {
    SmallString<128> path;
    if (sys::fs::createTemporaryFile("optlm-flagmodel", "gguf", path))
      ADD_FAILURE() << "cannot create a temporary file";
    Path = path.str().str();
  }
  ~TempFile() { sys::fs::remove(Path); }
  const std::string &path() const { return Path; }

private:
  std::string Path;
};

TEST(FlagModel, ProposesTheNeighboursBestFirst) {
  FlagModel model = twoClusterModel();
  ASSERT_EQ(toString(model.validate()), "");
  EXPECT_EQ(model.propose(at(0.05f), 1), (std::vector<std::string>{model.library[0]}));
  EXPECT_EQ(model.propose(at(4.9f), 1), (std::vector<std::string>{model.library[2]}));
  // The second proposal near A adds nothing there, so it is the one with
  // the better mean among the neighbours: the weaker relative.
  EXPECT_EQ(model.propose(at(0.05f), 2),
            (std::vector<std::string>{model.library[0], model.library[1]}));
  EXPECT_EQ(model.propose(at(0.05f), 10).size(), 3u);
}

// The prior share spreads weight over every training module: near A the
// neighbours' list wins until all modules weigh alike, and then the list of
// the larger cluster B does (the fixed set).
TEST(FlagModel, ThePriorShareWeighsInEveryTrainingModule) {
  FlagModel model = twoClusterModel();
  const size_t features = moduleFeatureNames().size();
  for (float first : {5.2f, 5.3f}) {
    std::vector<float> x(features, 0);
    x[0] = first;
    model.trainFeatures.insert(model.trainFeatures.end(), x.begin(), x.end());
    model.trainScores.insert(model.trainScores.end(), {1.00f, 1.00f, 0.92f});
  }
  ASSERT_EQ(toString(model.validate()), "");
  const std::vector<std::string> listA{model.library[0]}, listB{model.library[2]};
  EXPECT_EQ(model.propose(at(0.05f), 1), listA);
  model.priorShare = 0.5f;
  EXPECT_EQ(model.propose(at(0.05f), 1), listA);
  model.priorShare = 1.0f;
  EXPECT_EQ(model.propose(at(0.05f), 1), listB);
  EXPECT_EQ(model.propose(at(5.0f), 1), listB);
  model.priorShare = 1.5f;
  EXPECT_NE(toString(model.validate()).find("prior share"), std::string::npos);
}

// The second round of an adaptive choice reads the module by what the lists
// it tried gave: list 1 left it at -Oz's size, as it does cluster B, whose
// list 2 comes next whatever the features say.
TEST(FlagModel, AFollowUpChoosesByTheSizesTheTriedListsGave) {
  FlagModel model = twoClusterModel();
  const size_t tried[] = {1};
  const float likeB[] = {1.0f}, likeA[] = {0.95f};
  EXPECT_EQ(followUpLists(model, tried, likeB, 2, 2), (std::vector<size_t>{1, 2}));
  EXPECT_EQ(followUpLists(model, tried, likeA, 2, 2), (std::vector<size_t>{1, 0}));
}

// Chains need two measured lists to join: with too few compilations for
// both, every compilation goes to the library.
TEST(FlagModel, ChainsTakeTheLastCompilationsWhenTwoListsComeFirst) {
  FlagModel model = twoClusterModel();
  model.proposals = 10;
  EXPECT_EQ(model.libraryProposals(), 10u);
  model.chains = cantFail(ChainPlan::parse("AB,BA"));
  EXPECT_EQ(model.libraryProposals(), 8u);
  EXPECT_EQ(model.libraryListsFor(4), 2u);
  EXPECT_EQ(model.libraryListsFor(3), 3u);
  EXPECT_EQ(model.libraryListsFor(1), 1u);
}

// More compilations than the default spend the default's first, exactly as
// it does (its lists, then its chains), so that the best two of more lists
// do not replace the chains the default made.
TEST(FlagModel, ABudgetBeyondTheDefaultSpendsTheDefaultFirst) {
  FlagModel model = twoClusterModel();
  model.chains = cantFail(ChainPlan::parse("AB,BA"));
  auto shape = [&](size_t compilations, size_t usual) {
    std::vector<std::pair<size_t, size_t>> stages;
    for (const CompilationStage &stage : model.stagesFor(compilations, usual))
      stages.push_back({stage.lists, stage.chains.count()});
    return stages;
  };
  using Stages = std::vector<std::pair<size_t, size_t>>;
  EXPECT_EQ(shape(10, 10), (Stages{{8, 2}}));
  EXPECT_EQ(shape(6, 10), (Stages{{4, 2}}));
  EXPECT_EQ(shape(48, 10), (Stages{{8, 2}, {36, 2}}));
  EXPECT_EQ(shape(47, 9), (Stages{{7, 2}, {36, 2}}));
  // Too few beyond the default to chain again: lists alone.
  EXPECT_EQ(shape(13, 10), (Stages{{8, 2}, {3, 0}}));
  EXPECT_EQ(shape(5, 0), (Stages{{3, 2}}));
}

TEST(FlagModel, TheInlinerFreeListIsTheOneBestOnTheTrainingRows) {
  FlagModel model = twoClusterModel();
  EXPECT_TRUE(runsInliner(model.library[2]));
  EXPECT_FALSE(runsInliner(model.library[0]));
  EXPECT_TRUE(runsInliner(canonical("always-inline,sroa")));
  EXPECT_TRUE(runsInliner("not a pipeline"));
  // Lists 0 and 1 are free of inliners; 0 has the lower mean (0.95 against 0.975).
  EXPECT_EQ(model.inlinerFreeList(), model.library[0]);
  model.library = {canonical("inline"), canonical("sroa"), canonical("always-inline")};
  EXPECT_EQ(model.inlinerFreeList(), model.library[1]);
  model.library = {canonical("inline"), canonical("partial-inliner"), canonical("always-inline")};
  EXPECT_EQ(model.inlinerFreeList(), std::nullopt);
}

TEST(FlagModel, TheInlinerFreeSlotIsWantedOnlyWhereOzGrewTheIR) {
  const std::vector<std::string> inlining{canonical("inline,globaldce"),
                                          canonical("always-inline")};
  EXPECT_TRUE(wantsInlinerFreeList(100, 150, inlining));
  EXPECT_FALSE(wantsInlinerFreeList(100, 100, inlining));
  EXPECT_FALSE(wantsInlinerFreeList(100, 60, inlining));
  std::vector<std::string> withOne = inlining;
  withOne.push_back(canonical("sroa"));
  EXPECT_FALSE(wantsInlinerFreeList(100, 150, withOne));
}

// Cross-validation gives a row where -Oz grew the IR the inliner-free list
// of the other folds' rows when its choice holds none, as optlm tune does.
TEST(FlagModel, CrossValidationModelsTheInlinerFreeSlot) {
  FlagModel model = twoClusterModel();
  model.library = {canonical("inline,globaldce"), canonical("always-inline,sroa"),
                   canonical("sroa,instcombine")};
  model.trainScores = {0.90f, 0.95f, 1.00f, //
                       0.90f, 0.95f, 1.00f, //
                       0.90f, 0.95f, 1.00f, //
                       0.90f, 0.95f, 0.85f};
  ASSERT_EQ(toString(model.validate()), "");
  const unsigned folds[] = {0, 0, 1, 1};
  // One list a row, the fixed set of the other fold: list 0 for every row.
  EXPECT_NEAR(crossValidate(model, folds, 0, 0, 1), 10.0, 1e-4);
  const uint8_t noneGrew[] = {0, 0, 0, 0}, lastGrew[] = {0, 0, 0, 1};
  EXPECT_NEAR(crossValidate(model, folds, 0, 0, 1, noneGrew), 10.0, 1e-4);
  // Row 3 gets list 2 (0.85 instead of 0.90).
  EXPECT_NEAR(crossValidate(model, folds, 0, 0, 1, lastGrew), 11.25, 1e-4);
  // With two lists each row has lists 0 and 1, both inlining: row 3's
  // second gives way to list 2.
  EXPECT_NEAR(crossValidate(model, folds, 0, 0, 2, lastGrew), 11.25, 1e-4);
  // The slot's list comes from the other folds: row 0's is list 2 as well,
  // which costs it there (1.00 instead of 0.90).
  const uint8_t firstGrew[] = {1, 0, 0, 0};
  EXPECT_NEAR(crossValidate(model, folds, 0, 0, 1, firstGrew), 7.5, 1e-4);
}

TEST(FlagModel, SavesAndLoadsTheSameModel) {
  FlagModel model = twoClusterModel();
  model.priorShare = 0.25f;
  model.proposals = 4;
  model.chains = cantFail(ChainPlan::parse("AB,BA"));
  TempFile file;
  ASSERT_EQ(toString(model.save(file.path())), "");
  auto loaded = FlagModel::load(file.path(), Target::X86_64);
  OPTLM_ASSERT_OK(loaded);
  EXPECT_EQ(loaded->library, model.library);
  EXPECT_EQ(loaded->trainFeatures, model.trainFeatures);
  EXPECT_EQ(loaded->trainScores, model.trainScores);
  EXPECT_EQ(loaded->featureScale, model.featureScale);
  EXPECT_EQ(loaded->neighbours, 2u);
  EXPECT_EQ(loaded->priorShare, 0.25f);
  EXPECT_EQ(loaded->proposals, 4u);
  EXPECT_EQ(loaded->chains.text(), "AB,BA");
  EXPECT_EQ(loaded->training, model.training);
  EXPECT_EQ(loaded->verifiedSuite, "");
  EXPECT_FALSE(loaded->partRows); // rows are whole units unless the file says parts
  EXPECT_TRUE(isFlagModelFile(file.path()));

  model.verifiedSuite = "0123456789abcdef";
  model.verifiedLlvm = "19.1.7";
  model.chains = ChainPlan();
  ASSERT_EQ(toString(model.save(file.path())), "");
  loaded = FlagModel::load(file.path(), Target::X86_64);
  OPTLM_ASSERT_OK(loaded);
  EXPECT_TRUE(loaded->chains.empty()); // files without chains (earlier models) have none
  EXPECT_EQ(loaded->verifiedSuite, "0123456789abcdef");
  EXPECT_EQ(loaded->verifiedLlvm, "19.1.7");

  model.partRows = true;
  ASSERT_EQ(toString(model.save(file.path())), "");
  loaded = FlagModel::load(file.path(), Target::X86_64);
  OPTLM_ASSERT_OK(loaded);
  EXPECT_TRUE(loaded->partRows);
}

// A model's library comes with PassListEval's verdicts from its training:
// a store takes them when they were made on this machine's suite with this
// LLVM, and the suite then answers from the store without running.
TEST(FlagModel, ItsLibraryVerdictsCarryOverOnlyFromTheSameSuiteAndLlvm) {
  auto store = ResultsStore::open(":memory:");
  OPTLM_ASSERT_OK(store);
  auto suite = verify::loadSuite(verify::defaultSuiteDirectories());
  OPTLM_ASSERT_OK(suite);
  const verify::VerdictOrigin here = verify::verdictOrigin(*suite);

  FlagModel model = twoClusterModel();
  auto shared = [&] {
    Expected<size_t> count = shareLibraryVerdicts(model, **store);
    EXPECT_TRUE(bool(count)) << toString(count.takeError());
    return count ? *count : size_t(0);
  };
  EXPECT_EQ(shared(), 0u); // never verified
  model.verifiedSuite = "0123456789abcdef";
  model.verifiedLlvm = here.llvmVersion;
  EXPECT_EQ(shared(), 0u); // another suite
  model.verifiedSuite = here.suiteId;
  model.verifiedLlvm = "18.1.8";
  EXPECT_EQ(shared(), 0u); // another compiler
  for (const std::string &list : model.library) {
    auto known = (*store)->findVerdict(list, Target::X86_64, here.suiteId);
    OPTLM_ASSERT_OK(known);
    EXPECT_FALSE(known->has_value());
  }

  model.verifiedLlvm = here.llvmVersion;
  EXPECT_EQ(shared(), model.library.size());
  EXPECT_EQ(shared(), 0u); // already there

  verify::PassListEvalOptions options;
  options.store = store->get();
  auto suiteCheck = verify::PassListEval::create(options);
  OPTLM_ASSERT_OK(suiteCheck);
  auto verdict = (*suiteCheck)->evaluate(cantFail(Pipeline::parse(model.library[2])));
  OPTLM_ASSERT_OK(verdict);
  EXPECT_TRUE(verdict->accepted);
  EXPECT_TRUE(verdict->fromStore);
  EXPECT_EQ(verdict->programs.size(), suite->programs.size());
  EXPECT_EQ((*suiteCheck)->statistics().objectCompilations, 0u);
}

// The shipped models' verdicts reach a fresh store only if the suite they
// were checked on is the one every setup generates (the same programs,
// wherever the build folder is): otherwise the first `optlm tune` runs
// PassListEval once per proposal. Fails when the suite changes and the
// models are not verified again (optlm train --verify-library).
TEST(FlagModel, TheShippedModelsWereVerifiedOnTheSuiteSetupGenerates) {
  if (!sys::fs::is_directory(verify::generatedSuiteDirectory()))
    GTEST_SKIP() << "no generated csmith suite (scripts/gen-csmith)";
  auto here = verify::defaultVerdictOrigin();
  OPTLM_ASSERT_OK(here);
  for (Target target : {Target::X86_64, Target::AArch64}) {
    std::optional<std::string> path = findShippedModel(target);
    ASSERT_TRUE(path.has_value()) << shippedModelFileName(target);
    auto model = FlagModel::load(*path, target);
    OPTLM_ASSERT_OK(model);
    EXPECT_EQ(model->verifiedSuite, here->suiteId) << *path;
    EXPECT_EQ(model->verifiedLlvm, here->llvmVersion) << *path;
  }
}

std::string loadError(StringRef path, Target target = Target::X86_64) {
  auto loaded = FlagModel::load(path, target);
  if (loaded)
    return "";
  return toString(loaded.takeError());
}

TEST(FlagModel, ForeignTruncatedAndOtherTargetFilesAreOneLineErrors) {
  FlagModel model = twoClusterModel();
  TempFile file;
  ASSERT_EQ(toString(model.save(file.path())), "");

  std::string other = loadError(file.path(), Target::AArch64);
  EXPECT_NE(other.find("made for target 'x86_64-unknown-linux-gnu'"), std::string::npos) << other;

  auto bytes = MemoryBuffer::getFile(file.path());
  ASSERT_TRUE(bool(bytes));
  for (size_t keep :
       {size_t(0), size_t(7), (*bytes)->getBufferSize() / 2, (*bytes)->getBufferSize() - 1}) {
    TempFile cut;
    {
      std::error_code error;
      raw_fd_ostream out(cut.path(), error);
      out << (*bytes)->getBuffer().take_front(keep);
    }
    std::string message = loadError(cut.path());
    EXPECT_FALSE(message.empty()) << keep;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_NE(message.find(cut.path()), std::string::npos) << message;
    EXPECT_EQ(message.find(cut.path()), message.rfind(cut.path())) << "named twice: " << message;
  }

  // A language model is a GGUF file too, of another kind.
  std::string lm = loadError(std::string(OPTLM_TEST_INPUTS) + "/gguf/tiny-llama-q8_0.gguf");
  EXPECT_NE(lm.find("not an optlm flag-tuning model"), std::string::npos) << lm;
  EXPECT_FALSE(isFlagModelFile(std::string(OPTLM_TEST_INPUTS) + "/gguf/tiny-llama-q8_0.gguf"));
}

TEST(FlagModel, ModelsOfAnotherVocabularyOrFeatureSetAreRefused) {
  FlagModel model = twoClusterModel();
  TempFile good;
  ASSERT_EQ(toString(model.save(good.path())), "");
  // Rewrite one metadata key at a time in an otherwise valid file.
  auto rewritten = [&](StringRef key, StringRef value) {
    auto file = lm::GGUFFile::open(good.path());
    EXPECT_TRUE(bool(file));
    lm::GGUFWriter writer;
    for (const auto &[name, existing] : (*file)->metadata())
      writer.set(name, name == key ? lm::GGUFValue(value) : existing);
    for (const lm::GGUFTensor &tensor : (*file)->tensors())
      EXPECT_EQ(toString(writer.addTensor(tensor.name, tensor.type, tensor.dims,
                                          ArrayRef<uint8_t>(tensor.data, tensor.byteSize))),
                "");
    auto path = std::make_unique<TempFile>();
    EXPECT_EQ(toString(writer.writeFile(path->path())), "");
    return path;
  };
  auto vocabulary = rewritten("optlm-flagrank.pass_vocabulary", "0123456789abcdef");
  EXPECT_NE(loadError(vocabulary->path()).find("pass vocabulary"), std::string::npos);
  auto features = rewritten("optlm-flagrank.features", "autophase-like/3/r0");
  EXPECT_NE(loadError(features->path()).find("features"), std::string::npos);
}

// Rows of another kind than units or parts would be chosen from wrongly.
TEST(FlagModel, UnknownKindsOfTrainingRowsAreRefused) {
  FlagModel model = twoClusterModel();
  model.partRows = true;
  TempFile parts;
  ASSERT_EQ(toString(model.save(parts.path())), "");
  auto file = lm::GGUFFile::open(parts.path());
  OPTLM_ASSERT_OK(file);
  lm::GGUFWriter writer;
  for (const auto &[name, existing] : (*file)->metadata())
    writer.set(name,
               name == "optlm-flagrank.rows" ? lm::GGUFValue(StringRef("functions")) : existing);
  for (const lm::GGUFTensor &tensor : (*file)->tensors())
    ASSERT_EQ(toString(writer.addTensor(tensor.name, tensor.type, tensor.dims,
                                        ArrayRef<uint8_t>(tensor.data, tensor.byteSize))),
              "");
  TempFile functions;
  ASSERT_EQ(toString(writer.writeFile(functions.path())), "");
  EXPECT_NE(loadError(functions.path()).find("unknown kind of training rows 'functions'"),
            std::string::npos)
      << loadError(functions.path());
}

TEST(FlagModel, ValidationNamesWhatIsWrong) {
  FlagModel model = twoClusterModel();
  model.library[1] = "no-such-pass";
  std::string message = toString(model.validate());
  EXPECT_NE(message.find("does not parse"), std::string::npos) << message;

  model = twoClusterModel();
  model.trainScores.pop_back();
  EXPECT_NE(toString(model.validate()).find("score table"), std::string::npos);

  model = twoClusterModel();
  model.chains = cantFail(ChainPlan::parse("AB,BA"));
  EXPECT_NE(toString(model.validate()).find("leave no compilation"), std::string::npos);

  model = twoClusterModel();
  model.trainScores[0] = NAN;
  EXPECT_NE(toString(model.validate()).find("not finite"), std::string::npos);
  // save() refuses what load() would refuse.
  TempFile file;
  EXPECT_NE(toString(model.save(file.path())).find("not finite"), std::string::npos);
}

TEST(FlagModel, ProposalsAreFlatSequencesOfVocabularyPasses) {
  FlagModel model = twoClusterModel();
  LLVMContext context;
  Module module("empty", context);
  auto sequences = proposalSequences(model, module);
  OPTLM_ASSERT_OK(sequences);
  ASSERT_EQ(sequences->size(), 2u);
  for (const auto &sequence : *sequences)
    EXPECT_FALSE(sequence.empty());
}

} // namespace
