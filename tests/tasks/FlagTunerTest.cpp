//===- FlagTunerTest.cpp - flag tuning with a garbage-answering model -----===//
//
// A random-weight model answers garbage: the tuner must fall back to -Oz,
// say so, and never produce anything larger than -Oz; locally, through an
// optlm server (which applies the pass-list constraint), split per function
// when the module does not fit, and with a verifier that rejects.
//
//===----------------------------------------------------------------------===//
#include "tasks/FlagTuner.h"

#include "TaskInputs.h"
#include "TinyModel.h"
#include "engine/Evaluator.h"
#include "flagmodel/FlagModel.h"
#include "ir/ModuleFeatures.h"
#include "ir/ModulePartitioner.h"
#include "lm/generate/LocalGenerator.h"
#include "lm/serve/CompletionServer.h"
#include "testing/Testing.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

using namespace optlm;
using namespace optlm::tasks;

namespace {

std::unique_ptr<ModelSource> localModel() {
  ModelSourceOptions options;
  options.modelPath = test::tinyModelPath();
  options.threads = 1;
  auto source = ModelSource::open(options);
  EXPECT_TRUE(bool(source)) << llvm::toString(source.takeError());
  return std::move(*source);
}

uint64_t ozSize(const llvm::Module &module) {
  EvaluationResult oz = evaluate(module, Pipeline::level(OptLevel::Oz), Target::X86_64);
  EXPECT_EQ(oz.outcome, Outcome::Ok);
  return oz.measurement->binarySize;
}

void expectNeverWorseThanOz(const FlagTuneResult &result, uint64_t oz) {
  EXPECT_EQ(result.ozSize, oz);
  EXPECT_LE(result.binarySize, oz);
  if (!result.modelWon) {
    EXPECT_EQ(result.binarySize, oz);
    EXPECT_EQ(result.pipeline, "module(default<Oz>)");
    EXPECT_EQ(result.explanation.rfind("-Oz backup", 0), 0u) << result.explanation;
  }
}

TEST(TasksFlagTuner, GarbageAnswersFallBackToOz) {
  LoadedModule input = test::loadTaskInput("tiny.ll");
  auto model = localModel();
  FlagTuneOptions options;
  options.candidates = 3;
  options.seed = 5;
  options.jobs = 2;
  auto result = tuneWithModel(*input.module, *model, options);
  OPTLM_ASSERT_OK(result);
  expectNeverWorseThanOz(*result, ozSize(*input.module));
  ASSERT_EQ(result->candidates.size(), 3u);
  EXPECT_FALSE(result->split);
  // Constrained decoding: every answer is a pipeline optlm can apply.
  for (const ModelCandidate &candidate : result->candidates)
    EXPECT_TRUE(candidate.pipeline.has_value()) << candidate.answer << ": " << candidate.problem;

  // Same seed, same answers.
  auto again = tuneWithModel(*input.module, *model, options);
  ASSERT_TRUE(bool(again));
  for (size_t i = 0; i < 3; ++i)
    EXPECT_EQ(again->candidates[i].answer, result->candidates[i].answer);
}

TEST(TasksFlagTuner, AVerifierThatRejectsLeavesOz) {
  LoadedModule input = test::loadTaskInput("tiny.ll");
  auto model = localModel();
  FlagTuneOptions options;
  options.candidates = 4;
  options.seed = 9;
  options.jobs = 2;
  int asked = 0;
  options.verify = [&](const Pipeline &) -> llvm::Expected<search::Verdict> {
    ++asked;
    return search::Verdict{false, "test verifier says no"};
  };
  auto result = tuneWithModel(*input.module, *model, options);
  ASSERT_TRUE(bool(result));
  EXPECT_FALSE(result->modelWon);
  uint64_t oz = ozSize(*input.module);
  expectNeverWorseThanOz(*result, oz);
  int smaller = 0;
  for (const ModelCandidate &candidate : result->candidates) {
    EXPECT_FALSE(candidate.accepted);
    if (candidate.binarySize && *candidate.binarySize < oz) {
      ++smaller;
      EXPECT_NE(candidate.problem.find("test verifier says no"), std::string::npos);
    }
  }
  // Exactly the answers that could have beaten -Oz were verified.
  EXPECT_EQ(asked, smaller);
}

TEST(TasksFlagTuner, AVerifierThatCannotRunIsAnError) {
  LoadedModule input = test::loadTaskInput("suite/maxof.ll");
  FlagTuneOptions options;
  options.jobs = 2;
  options.verify = [](const Pipeline &) -> llvm::Expected<search::Verdict> {
    return llvm::createStringError("suite missing");
  };
  // An answer smaller than -Oz (71 against 75 bytes) needs the verifier.
  auto result = chooseAmongAnswers(*input.module, {"sroa,instcombine,simplifycfg"}, options);
  ASSERT_FALSE(bool(result));
  EXPECT_EQ(llvm::toString(result.takeError()), "suite missing");
}

TEST(TasksFlagTuner, LongModulesAreTunedPerFunction) {
  // 5 KB of IR (one token per byte) does not fit the tiny model's 4,096 positions.
  LoadedModule input = test::loadTaskInput("suite/sumloop.ll");
  auto model = localModel();
  FlagTuneOptions options;
  options.jobs = 2;
  auto result = tuneWithModel(*input.module, *model, options);
  OPTLM_ASSERT_OK(result);
  EXPECT_TRUE(result->split);
  ASSERT_EQ(result->functions.size(), 3u);
  for (const PartTuning &function : result->functions)
    EXPECT_LE(function.binarySize, function.ozSize) << function.function;
  expectNeverWorseThanOz(*result, ozSize(*input.module));
  ASSERT_TRUE(result->modelSize.has_value()) << result->explanation;

  // Without splitting, the module is simply not asked about.
  options.splitLongInputs = false;
  auto whole = tuneWithModel(*input.module, *model, options);
  ASSERT_TRUE(bool(whole));
  EXPECT_FALSE(whole->split);
  EXPECT_TRUE(whole->candidates.empty());
  EXPECT_EQ(whole->explanation, "-Oz backup: the module does not fit the model's context");
}

TEST(TasksFlagTuner, AlwaysSplitReassemblesAVerifiedModule) {
  LoadedModule input = test::loadTaskInput("tiny.ll");
  auto model = localModel();
  FlagTuneOptions options;
  options.alwaysSplit = true;
  options.jobs = 2;
  auto result = tuneWithModel(*input.module, *model, options);
  OPTLM_ASSERT_OK(result);
  EXPECT_TRUE(result->split);
  EXPECT_EQ(result->functions.size(), 2u);
  expectNeverWorseThanOz(*result, ozSize(*input.module));
  // Per-function -Oz loses the inlining of @twice: larger than whole -Oz.
  ASSERT_TRUE(result->modelSize);
  EXPECT_GE(*result->modelSize, result->ozSize);
}

TEST(TasksFlagTuner, ThroughAnOptlmServer) {
  auto generator = lm::LocalGenerator::open(test::tinyModelPath(), lm::LocalGeneratorOptions{0, 1});
  OPTLM_ASSERT_OK(generator);
  lm::ServerOptions serverOptions;
  serverOptions.port = 0;
  lm::CompletionServer server(**generator, serverOptions);
  auto port = server.bind();
  OPTLM_ASSERT_OK(port);
  std::thread serving([&] { llvm::consumeError(server.serve()); });

  ModelSourceOptions options;
  options.serverUrl = "http://127.0.0.1:" + std::to_string(*port);
  auto model = ModelSource::open(options);
  OPTLM_ASSERT_OK(model);
  EXPECT_TRUE((*model)->remote());
  EXPECT_EQ((*model)->contextLength(), test::kTinyContext);

  LoadedModule input = test::loadTaskInput("tiny.ll");
  FlagTuneOptions tuneOptions;
  tuneOptions.candidates = 2;
  tuneOptions.jobs = 2;
  auto result = tuneWithModel(*input.module, **model, tuneOptions);
  server.stop();
  serving.join();
  OPTLM_ASSERT_OK(result);
  EXPECT_TRUE(result->constraintApplied);
  for (const ModelCandidate &candidate : result->candidates)
    EXPECT_TRUE(candidate.pipeline.has_value()) << candidate.answer;
  expectNeverWorseThanOz(*result, ozSize(*input.module));

  // The same answers as the local model: the server runs the same model.
  auto local = localModel();
  auto direct = tuneWithModel(*input.module, *local, tuneOptions);
  ASSERT_TRUE(bool(direct));
  EXPECT_EQ(direct->candidates.front().answer, result->candidates.front().answer);
}

TEST(TasksFlagTuner, AnUnreachableServerIsAnError) {
  ModelSourceOptions options;
  options.serverUrl = "http://127.0.0.1:1";
  auto model = ModelSource::open(options);
  EXPECT_FALSE(bool(model));
  llvm::consumeError(model.takeError());
  options.modelPath = "x.gguf";
  auto both = ModelSource::open(options);
  ASSERT_FALSE(bool(both));
  EXPECT_EQ(llvm::toString(both.takeError()),
            "give exactly one of --model FILE.gguf and --server URL");
}

} // namespace

namespace {

TEST(TasksFlagTuner, AGoodAnswerWinsAndAVerifierCanVetoIt) {
  // maxof.ll: sroa,instcombine,simplifycfg gives 71 bytes, -Oz 75.
  LoadedModule input = test::loadTaskInput("suite/maxof.ll");
  uint64_t oz = ozSize(*input.module);
  FlagTuneOptions options;
  options.jobs = 2;
  std::vector<std::string> answers = {
      "I would run opt -p 'function(sroa,instcombine,simplifycfg)' on it.", "no idea", "-Oz"};
  auto result = chooseAmongAnswers(*input.module, answers, options);
  OPTLM_ASSERT_OK(result);
  EXPECT_TRUE(result->modelWon);
  EXPECT_LT(result->binarySize, oz);
  EXPECT_EQ(result->pipeline,
            llvm::cantFail(Pipeline::parse("sroa,instcombine,simplifycfg")).text());
  EXPECT_EQ(result->explanation.rfind("the model's pipeline won", 0), 0u);
  EXPECT_TRUE(result->candidates[0].accepted);
  EXPECT_NE(result->candidates[1].problem.find("no valid pipeline"), std::string::npos);
  // The -Oz answer evaluated, but a smaller one had already passed.
  EXPECT_EQ(result->candidates[2].binarySize, oz);
  EXPECT_EQ(result->candidates[2].problem, "not needed: a smaller candidate passed");
  EXPECT_GT(result->reductionPercent(), 0.0);

  std::vector<std::string> vetoed;
  options.verify = [&](const Pipeline &pipeline) -> llvm::Expected<search::Verdict> {
    vetoed.push_back(pipeline.text());
    return search::Verdict{false, "breaks a suite program"};
  };
  auto rejected = chooseAmongAnswers(*input.module, answers, options);
  ASSERT_TRUE(bool(rejected));
  EXPECT_FALSE(rejected->modelWon);
  EXPECT_EQ(rejected->binarySize, oz);
  // Only answers smaller than -Oz are worth verifying.
  EXPECT_EQ(vetoed, std::vector<std::string>{result->pipeline});
  EXPECT_EQ(rejected->explanation.rfind("-Oz backup", 0), 0u);
  EXPECT_EQ(rejected->candidates[2].problem, "not smaller than -Oz");
  // Without backup, the vetoed run is scored as its -Oz-sized answer.
  EXPECT_EQ(rejected->modelSize, oz);
}

} // namespace

namespace {

/// Two groups that share nothing: a loop and a multiplication.
constexpr const char *kTwoParts = R"(
define i32 @sum_to(i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %next, %loop ]
  %sum = phi i32 [ 0, %entry ], [ %added, %loop ]
  %added = add i32 %sum, %i
  %next = add i32 %i, 1
  %done = icmp sge i32 %next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i32 %added
}

define i32 @product(i32 %a, i32 %b) {
  %m = mul i32 %a, %b
  ret i32 %m
}
)";

std::unique_ptr<llvm::Module> parseIR(const char *text, llvm::LLVMContext &context) {
  llvm::SMDiagnostic diagnostic;
  std::unique_ptr<llvm::Module> module = llvm::parseAssemblyString(text, diagnostic, context);
  EXPECT_TRUE(module) << diagnostic.getMessage().str();
  return module;
}

std::unique_ptr<llvm::Module> parseTwoParts(llvm::LLVMContext &context) {
  return parseIR(kTwoParts, context);
}

/// Options for optlm's own model: its own count of compilations, two jobs.
FlagTuneOptions ownModelOptions() {
  FlagTuneOptions options;
  options.candidates = 0; // the model's own count
  options.jobs = 2;
  return options;
}

/// A model of these library lists whose training rows are `rows` (their
/// features unscaled) with these scores, row by row; one neighbour.
flagmodel::FlagModel handMadeModel(std::initializer_list<const char *> lists,
                                   llvm::ArrayRef<const llvm::Module *> rows,
                                   std::vector<float> scores) {
  flagmodel::FlagModel model;
  for (const char *text : lists)
    model.library.push_back(llvm::cantFail(Pipeline::parse(text)).text());
  const size_t features = moduleFeatureNames().size();
  model.featureMean.assign(features, 0);
  model.featureScale.assign(features, 1);
  model.featureWeight.assign(features, 1);
  for (const llvm::Module *row : rows) {
    std::vector<float> x = moduleFeatures(*row);
    model.trainFeatures.insert(model.trainFeatures.end(), x.begin(), x.end());
  }
  model.trainScores = std::move(scores);
  model.neighbours = 1;
  return model;
}

/// A model whose training rows are exactly the two parts of kTwoParts, each
/// with a library list of its own that only it likes.
flagmodel::FlagModel twoPartModel(const llvm::Module &module) {
  auto partition = partitionModule(module);
  EXPECT_TRUE(bool(partition));
  EXPECT_EQ(partition->parts.size(), 2u);
  flagmodel::FlagModel model = handMadeModel({"instcombine", "simplifycfg", "sroa"},
                                             {partition->parts[0].get(), partition->parts[1].get()},
                                             {0.90f, 1.00f, 1.00f, //
                                              1.00f, 0.90f, 1.00f});
  model.proposals = 2; // one on the whole unit, one on each part
  model.partRows = true;
  model.training = "the two parts of kTwoParts";
  EXPECT_EQ(llvm::toString(model.validate()), "");
  return model;
}

} // namespace

// A model that learned from parts chooses each part's lists from that
// part's features; one that learned from units gives every part the
// unit's.
TEST(TasksFlagTuner, AModelOfPartsChoosesForEachPartFromItsOwnFeatures) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = parseTwoParts(context);
  ASSERT_TRUE(module);
  flagmodel::FlagModel model = twoPartModel(*module);
  FlagTuneOptions options = ownModelOptions();
  auto firstCandidates = [&](const flagmodel::FlagModel &asked) {
    double seconds = 0;
    auto result = tuneWithFlagModel(*module, asked, options, seconds);
    EXPECT_TRUE(bool(result)) << llvm::toString(result.takeError());
    std::vector<std::string> first;
    for (const PartTuning &part : result->functions) {
      EXPECT_EQ(part.candidates.size(), 1u);
      first.push_back(part.candidates.front().pipelineText());
    }
    return first;
  };
  EXPECT_EQ(firstCandidates(model), (std::vector<std::string>{model.library[0], model.library[1]}));
  model.partRows = false;
  std::vector<std::string> unitWide = firstCandidates(model);
  ASSERT_EQ(unitWide.size(), 2u);
  EXPECT_EQ(unitWide[0], unitWide[1]);
}

// Part by part with follow-ups: each part compiles the first proposal, then
// the lists the model chooses by what that one gave, distinct library lists
// up to the part's budget (no chains in this model).
TEST(TasksFlagTuner, PartsFollowUpOnWhatTheFirstListsGave) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = parseTwoParts(context);
  ASSERT_TRUE(module);
  flagmodel::FlagModel model = twoPartModel(*module);
  model.partRows = false;
  model.proposals = 4; // one on the whole unit, three on each part
  FlagTuneOptions options = ownModelOptions();
  options.partFirstLists = 1;
  double seconds = 0;
  auto result = tuneWithFlagModel(*module, model, options, seconds);
  OPTLM_ASSERT_OK(result);
  ASSERT_EQ(result->functions.size(), 2u);
  const std::string unitFirst = model.propose(*module, 1).front();
  for (const PartTuning &part : result->functions) {
    ASSERT_EQ(part.candidates.size(), 3u);
    EXPECT_EQ(part.candidates.front().pipelineText(), unitFirst);
    std::set<std::string> lists;
    for (const ModelCandidate &candidate : part.candidates) {
      EXPECT_TRUE(llvm::is_contained(model.library, candidate.pipelineText()));
      EXPECT_TRUE(candidate.binarySize.has_value());
      lists.insert(candidate.pipelineText());
    }
    EXPECT_EQ(lists.size(), 3u);
    // The two after the first are the model's follow-up on what it gave.
    const size_t first = llvm::find(model.library, unitFirst) - model.library.begin();
    const float observed = float(double(*part.candidates.front().binarySize) / double(part.ozSize));
    std::vector<size_t> expected =
        flagmodel::followUpLists(model, {first}, {observed}, model.neighbours, 3);
    ASSERT_EQ(expected.size(), 3u);
    EXPECT_EQ(part.candidates[1].pipelineText(), model.library[expected[1]]);
    EXPECT_EQ(part.candidates[2].pipelineText(), model.library[expected[2]]);
  }
}

namespace {

/// g's call to f folds to a constant once f is inlined, which only the
/// whole unit can do: f is in a part of its own, a declaration in g's.
/// (nounwind: no unwind tables, which the library's lists would keep and
/// -Oz drops, to weigh more than the code.)
constexpr const char *kAcrossParts = R"(
define i32 @f(i32 %x) nounwind {
  %a = mul i32 %x, 7
  %b = add i32 %a, 11
  %c = xor i32 %b, %x
  ret i32 %c
}

define i32 @g() nounwind {
  %r = call i32 @f(i32 3)
  ret i32 %r
}
)";

} // namespace

// With probeParts the parts first compile the whole unit's first proposal;
// when their linked result is larger than the whole unit's under it, the
// rest of the budget goes to the whole unit, and the compilations still add
// up to the model's count.
TEST(TasksFlagTuner, PartsThatLoseToTheWholeUnitLeaveItTheRest) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = parseIR(kAcrossParts, context);
  ASSERT_TRUE(module);
  flagmodel::FlagModel model =
      handMadeModel({"cgscc(inline),function(instcombine)", "instcombine", "simplifycfg"},
                    {module.get()}, {0.80f, 0.90f, 0.95f});
  model.proposals = 4; // one on the whole unit, three on each part
  model.training = "kAcrossParts";
  ASSERT_EQ(llvm::toString(model.validate()), "");

  FlagTuneOptions options = ownModelOptions();
  double seconds = 0;
  auto parts = tuneWithFlagModel(*module, model, options, seconds);
  OPTLM_ASSERT_OK(parts);
  ASSERT_EQ(parts->functions.size(), 2u);
  EXPECT_EQ(parts->candidates.size(), 1u);
  EXPECT_EQ(parts->functions[0].candidates.size(), 3u);

  options.probeParts = true;
  auto probed = tuneWithFlagModel(*module, model, options, seconds);
  OPTLM_ASSERT_OK(probed);
  ASSERT_EQ(probed->functions.size(), 2u);
  for (const PartTuning &part : probed->functions) {
    ASSERT_EQ(part.candidates.size(), 1u);
    EXPECT_EQ(part.candidates.front().pipelineText(), model.library[0]);
  }
  ASSERT_EQ(probed->candidates.size(), 3u);
  EXPECT_EQ(probed->compilations(), 4u);
  EXPECT_FALSE(probed->split);
  EXPECT_LE(probed->binarySize, parts->binarySize);
}

// A force-inlined helper called from five places: -Oz copies it into each
// and the IR grows, the class of unit where a list without an inliner wins.
constexpr const char *kForceInlined = R"(
define internal i32 @mix(i32 %x) alwaysinline {
  %a = mul i32 %x, 31
  %b = xor i32 %a, 12345
  %c = add i32 %b, %x
  %d = shl i32 %c, 3
  %e = sub i32 %d, %a
  %f = mul i32 %e, %b
  %g = xor i32 %f, %c
  %h = add i32 %g, 7
  ret i32 %h
}

define i32 @five(i32 %v) {
  %v1 = add i32 %v, 1
  %v2 = add i32 %v, 2
  %v3 = add i32 %v, 3
  %v4 = add i32 %v, 4
  %m0 = call i32 @mix(i32 %v)
  %m1 = call i32 @mix(i32 %v1)
  %m2 = call i32 @mix(i32 %v2)
  %m3 = call i32 @mix(i32 %v3)
  %m4 = call i32 @mix(i32 %v4)
  %s1 = add i32 %m0, %m1
  %s2 = add i32 %s1, %m2
  %s3 = add i32 %s2, %m3
  %s4 = add i32 %s3, %m4
  ret i32 %s4
}
)";

// Where -Oz grows the IR and the model chose only lists that inline, its
// inliner-free list takes the last chain's compilation (and only then).
TEST(TasksFlagTuner, WhereOzGrowsTheIRTheInlinerFreeListTakesTheLastChain) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = parseIR(kForceInlined, context);
  ASSERT_TRUE(module);
  flagmodel::FlagModel model =
      handMadeModel({"cgscc(inline),function(instcombine)", "always-inline,function(sroa)",
                     "function(sroa,instcombine)"},
                    {module.get()}, {0.80f, 0.90f, 0.95f});
  model.proposals = 4; // two lists, then the chains AB and BA
  model.chains = llvm::cantFail(flagmodel::ChainPlan::parse("AB,BA"));
  model.training = "kForceInlined";
  ASSERT_EQ(llvm::toString(model.validate()), "");
  ASSERT_EQ(model.inlinerFreeList(), model.library[2]);

  FlagTuneOptions options = ownModelOptions();
  options.inlinerFreeSlot = false;
  auto compiled = [&](const FlagTuneResult &result) {
    std::vector<std::string> pipelines;
    for (const ModelCandidate &candidate : result.candidates)
      pipelines.push_back(candidate.pipelineText());
    return pipelines;
  };
  double seconds = 0;
  auto plain = tuneWithFlagModel(*module, model, options, seconds);
  OPTLM_ASSERT_OK(plain);
  ASSERT_EQ(plain->candidates.size(), 4u);
  EXPECT_FALSE(llvm::is_contained(compiled(*plain), model.library[2]));

  options.inlinerFreeSlot = true;
  auto slotted = tuneWithFlagModel(*module, model, options, seconds);
  OPTLM_ASSERT_OK(slotted);
  const std::vector<std::string> pipelines = compiled(*slotted);
  ASSERT_EQ(pipelines.size(), 4u);
  EXPECT_EQ(pipelines[2], model.library[2]);
  EXPECT_EQ(slotted->compilations(), 4u);

  // Where one of the model's lists is free of inliners already, nothing changes.
  model.library[1] = llvm::cantFail(Pipeline::parse("function(sroa)")).text();
  auto covered = tuneWithFlagModel(*module, model, options, seconds);
  OPTLM_ASSERT_OK(covered);
  EXPECT_FALSE(llvm::is_contained(compiled(*covered), model.library[2]));
}
