//===- TunerTest.cpp - tuning runs on a real module -------------------------===//
#include "TestSupport.h"

#include "search/Minimizer.h"
#include "search/PoolEvaluator.h"
#include "search/Tuner.h"
#include "testing/Testing.h"

#include "llvm/ADT/StringExtras.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <set>

using namespace optlm;
using namespace optlm::search;
using namespace optlm::search::testing;

namespace {

const std::string OzText = Pipeline::level(OptLevel::Oz).text();

/// Every test here works on small.c, measured by a real two-job pool; each
/// test loads its own copy, so no test sees another's module.
class SmallModule : public ::testing::Test {
protected:
  void SetUp() override {
    Input = loadInput("small.c");
    ASSERT_TRUE(Input.loaded.module);
    Pool = std::make_unique<PoolEvaluator>(*Input.loaded.module, Target::X86_64, 2);
  }

  /// A seeded run of `budget` search evaluations with the default strategy.
  static TuneOptions seededRun(uint64_t budget, uint64_t seed) {
    TuneOptions options;
    options.budget = budget;
    options.seed = seed;
    return options;
  }

  /// Turns every candidate down, as PassListEval does a miscompiling list,
  /// and keeps what it was asked.
  VerifyFunction rejectingEverything() {
    return [this](const Pipeline &pipeline) -> llvm::Expected<Verdict> {
      Asked.push_back(pipeline.text());
      return Verdict{false, "rejected for the test"};
    };
  }

  TuningInput Input;
  std::unique_ptr<PoolEvaluator> Pool;
  std::vector<std::string> Asked;
};

class Tuner : public SmallModule {};
class Minimizer : public SmallModule {};

TEST_F(Tuner, EvolveBeatsOzWithinASmallBudget) {
  TuneOptions options = seededRun(160, 1);
  options.strategy = "evolve";
  auto result = tune(*Pool, defaultContext(1), options);
  OPTLM_ASSERT_OK(result);
  EXPECT_FALSE(result->isOz);
  EXPECT_LT(result->binarySize, result->ozSize);
  EXPECT_GT(result->reductionVsOzPercent(), 0);
  EXPECT_EQ(result->searchEvaluations, 160u);
  // Minimization keeps the size: never larger than what the search found.
  EXPECT_LE(result->binarySize, result->searchBestSize);
}

TEST_F(Tuner, SeedsAreMeasuredFirstAndBoundTheAnswer) {
  // A good list from a longer run stands for a model's proposal.
  TuneOptions longRun = seededRun(160, 1);
  longRun.minimize = false;
  auto found = tune(*Pool, defaultContext(1), longRun);
  OPTLM_ASSERT_OK(found);
  ASSERT_FALSE(found->isOz);
  PassSequence seed;
  for (const std::string &name : found->best.passNames())
    seed.push_back(PassVocabulary::builtin().lookup(name));

  TuneOptions options = seededRun(8, 5);
  options.strategy = "random";
  options.minimize = false;
  options.seeds = {seed};
  SequenceLog log(*Pool);
  auto result = tune(log, defaultContext(5), options);
  OPTLM_ASSERT_OK(result);
  ASSERT_GE(log.Texts.size(), 2u);
  EXPECT_EQ(log.Texts[0], OzText);
  EXPECT_EQ(log.Texts[1], found->best.text());
  EXPECT_LE(result->binarySize, found->binarySize);
  EXPECT_EQ(result->searchEvaluations, 8u); // the seed counts in the budget
}

TEST_F(Tuner, NeverLargerThanOz) {
  for (uint64_t seed : {3, 4}) {
    TuneOptions options = seededRun(32, seed);
    options.strategy = "random";
    auto result = tune(*Pool, defaultContext(seed), options);
    OPTLM_ASSERT_OK(result);
    EXPECT_LE(result->binarySize, result->ozSize);
    if (result->isOz)
      EXPECT_EQ(result->best.text(), OzText);
    else
      EXPECT_LT(result->binarySize, result->ozSize);
  }
}

TEST_F(Tuner, AnswerIsOzWhenEveryCandidateFails) {
  // A search space of passes known to crash or abort LLVM: every proposal
  // fails in the sandbox, and the answer must be -Oz.
  StrategyContext context = defaultContext(2);
  context.searchSpace.clear();
  for (const PassInfo &pass : PassVocabulary::builtin().passes())
    if (pass.hazard == PassHazard::Crashes)
      context.searchSpace.push_back(&pass);
  if (context.searchSpace.empty())
    GTEST_SKIP() << "the vocabulary flags no crashing pass";
  context.ozSequence.clear();
  RecordingEvaluator evaluator(*Pool, nullptr, Input.moduleHash, Target::X86_64);
  TuneOptions options = seededRun(16, 0);
  options.strategy = "random";
  auto result = tune(evaluator, context, options);
  OPTLM_ASSERT_OK(result);
  EXPECT_TRUE(result->isOz);
  EXPECT_EQ(result->best.text(), OzText);
  EXPECT_EQ(result->binarySize, result->ozSize);
  // Only -Oz itself measured; the sixteen proposals all failed somehow.
  EXPECT_LE(evaluator.counts().outcomes.count("ok") ? evaluator.counts().outcomes.at("ok") : 0,
            1u + evaluator.counts().repeated);
}

TEST_F(Tuner, RejectedListsAreNeverReturned) {
  // With every candidate turned down, tuning must fall back to -Oz.
  const TuneOptions options = seededRun(96, 1);
  auto result = tune(*Pool, defaultContext(1), options, rejectingEverything());
  OPTLM_ASSERT_OK(result);
  EXPECT_TRUE(result->isOz);
  EXPECT_EQ(result->best.text(), OzText);
  EXPECT_FALSE(Asked.empty());
  // Every question was a candidate's verification or a trial to repair one.
  EXPECT_EQ(Asked.size(), result->verification.size() + result->repairTrials);
  EXPECT_GT(result->repairTrials, 0u);
  EXPECT_LE(result->repairTrials, options.maxRepairTrials);
  // Rejections bring repaired variants, but the candidates verified stay
  // bounded and none is verified twice.
  EXPECT_LE(result->verification.size(), options.maxVerifications);
  EXPECT_GT(result->repairEvaluations, 0u);
  std::set<std::string> candidates;
  for (const VerifiedCandidate &candidate : result->verification)
    EXPECT_TRUE(candidates.insert(candidate.pipeline).second) << candidate.pipeline;
  for (const VerifiedCandidate &candidate : result->verification)
    EXPECT_FALSE(candidate.verdict.accepted);
}

TEST_F(Tuner, RejectedAnswerIsRepairedByDroppingTheOffendingPass) {
  TuneOptions options = seededRun(96, 1);
  // Only the best candidate is tried, so an answer other than -Oz can only
  // come from repairing it.
  options.candidatesToVerify = 1;
  auto unverified = tune(*Pool, defaultContext(1), options);
  OPTLM_ASSERT_OK(unverified);
  ASSERT_FALSE(unverified->isOz);

  // Play PassListEval for a pass that "miscompiles": pick one of the
  // answer's passes that the answer can do without and still beat -Oz.
  const std::vector<std::string> answer = unverified->best.passNames();
  std::string offending;
  for (const std::string &candidate : answer) {
    std::vector<std::string> rest;
    std::copy_if(answer.begin(), answer.end(), std::back_inserter(rest),
                 [&](const std::string &name) { return name != candidate; });
    if (rest.empty())
      continue;
    auto without = Pipeline::parse(llvm::join(rest, ","));
    OPTLM_ASSERT_OK(without);
    auto measured = Pool->evaluate({*without});
    ASSERT_TRUE(static_cast<bool>(measured));
    if (measured->front().measurement &&
        measured->front().measurement->binarySize < unverified->ozSize) {
      offending = candidate;
      break;
    }
  }
  if (offending.empty())
    GTEST_SKIP() << "every pass of the answer is needed to beat -Oz";

  VerifyFunction rejectOffending = [&](const Pipeline &pipeline) -> llvm::Expected<Verdict> {
    for (const std::string &name : pipeline.passNames())
      if (name == offending)
        return Verdict{false, offending + " miscompiles (for the test)", true};
    return Verdict{true, ""};
  };
  auto repaired = tune(*Pool, defaultContext(1), options, rejectOffending);
  OPTLM_ASSERT_OK(repaired);
  EXPECT_FALSE(repaired->isOz) << "the answer without " << offending << " beats -Oz";
  EXPECT_LT(repaired->binarySize, repaired->ozSize);
  EXPECT_GT(repaired->repairEvaluations, 0u);
  for (const std::string &name : repaired->best.passNames())
    EXPECT_NE(name, offending);
  ASSERT_GE(repaired->verification.size(), 2u);
  EXPECT_FALSE(repaired->verification.front().verdict.accepted);
  EXPECT_TRUE(repaired->verification.back().verdict.accepted);
  EXPECT_EQ(repaired->verification.back().pipeline, repaired->best.text());
}

TEST_F(Tuner, RepairTrialsStayWithinTheirBound) {
  TuneOptions options = seededRun(64, 1);
  options.maxRepairTrials = 3;
  auto result = tune(*Pool, defaultContext(1), options, rejectingEverything());
  OPTLM_ASSERT_OK(result);
  EXPECT_TRUE(result->isOz);
  // Delta debugging would take one trial per pass of a list of several.
  EXPECT_EQ(result->repairTrials, 3u);
  EXPECT_EQ(Asked.size(), result->verification.size() + result->repairTrials);
}

TEST_F(Tuner, AProgramCheckRejectionRulesOutListsWithTheSameIR) {
  // Unminimized candidates keep passes that change nothing, so a repaired
  // variant (a rejected list less one pass) often has the rejected list's IR.
  TuneOptions options = seededRun(64, 1);
  options.minimize = false;
  // The program check judges the optimized program alone: a list whose IR
  // it has turned down need not be run again.
  VerifyFunction programCheck = [](const Pipeline &) -> llvm::Expected<Verdict> {
    return Verdict{false, "the output differs (for the test)", true};
  };
  auto result = tune(*Pool, defaultContext(1), options, programCheck);
  OPTLM_ASSERT_OK(result);
  EXPECT_TRUE(result->isOz);
  ASSERT_GE(result->verification.size(), 2u);
  std::set<uint64_t> verifiedIR;
  for (const VerifiedCandidate &candidate : result->verification) {
    auto pipeline = Pipeline::parse(candidate.pipeline);
    OPTLM_ASSERT_OK(pipeline);
    auto measured = Pool->evaluate({*pipeline});
    ASSERT_TRUE(static_cast<bool>(measured));
    ASSERT_TRUE(measured->front().measurement) << candidate.pipeline;
    EXPECT_TRUE(verifiedIR.insert(measured->front().measurement->irHash).second)
        << candidate.pipeline << " has the IR of a list already rejected";
  }
}

TEST_F(Tuner, SameSeedSameEvaluationsWhateverTheJobs) {
  auto run = [&](unsigned jobs) {
    PoolEvaluator pool(*Input.loaded.module, Target::X86_64, jobs);
    SequenceLog log(pool);
    auto result = tune(log, defaultContext(9), seededRun(70, 9));
    EXPECT_TRUE(static_cast<bool>(result));
    std::string best = result ? result->best.text() : llvm::toString(result.takeError());
    return std::make_pair(log.Texts, best);
  };
  const auto one = run(1);
  const auto two = run(2);
  EXPECT_EQ(one.first, two.first);
  EXPECT_EQ(one.second, two.second);
  EXPECT_GT(one.first.size(), 70u); // -Oz, the search, then minimization
}

TEST_F(Minimizer, NeverGrowsAndDropsUselessPasses) {
  const PassVocabulary &vocabulary = PassVocabulary::builtin();
  const PassInfo *instcombine = vocabulary.lookup("instcombine");
  const PassInfo *sroa = vocabulary.lookup("sroa");
  ASSERT_TRUE(instcombine && sroa);
  // sroa then instcombine repeated: the repeats add nothing.
  PassSequence padded{sroa, instcombine, instcombine, instcombine, sroa, instcombine};
  auto measured = Pool->evaluate({Pipeline::fromPasses(padded)});
  ASSERT_TRUE(static_cast<bool>(measured));
  ASSERT_EQ(measured->front().outcome, Outcome::Ok);
  const Measurement &before = *measured->front().measurement;
  auto minimized =
      minimizeSequence(*Pool, padded, before.binarySize, before.irHash, vocabulary.searchSpace());
  OPTLM_ASSERT_OK(minimized);
  EXPECT_LE(minimized->binarySize, before.binarySize);
  EXPECT_LT(minimized->passes.size(), padded.size());
  EXPECT_GT(minimized->evaluations, 0u);
  // What the minimizer claims is what the list measures.
  auto again = Pool->evaluate({Pipeline::fromPasses(minimized->passes)});
  ASSERT_TRUE(static_cast<bool>(again));
  ASSERT_EQ(again->front().outcome, Outcome::Ok);
  EXPECT_EQ(again->front().measurement->binarySize, minimized->binarySize);
}

TEST_F(Minimizer, RandomListsNeverGrow) {
  auto strategy = createStrategy("random", defaultContext(21));
  ASSERT_TRUE(static_cast<bool>(strategy));
  size_t checked = 0;
  for (const PassSequence &passes : (*strategy)->propose(6)) {
    PassSequence list(passes.begin(), passes.begin() + std::min<size_t>(passes.size(), 12));
    auto measured = Pool->evaluate({Pipeline::fromPasses(list)});
    ASSERT_TRUE(static_cast<bool>(measured));
    if (measured->front().outcome != Outcome::Ok)
      continue;
    const Measurement &before = *measured->front().measurement;
    auto minimized = minimizeSequence(*Pool, list, before.binarySize, before.irHash,
                                      PassVocabulary::builtin().searchSpace());
    ASSERT_TRUE(static_cast<bool>(minimized));
    EXPECT_LE(minimized->binarySize, before.binarySize) << sequenceText(list);
    EXPECT_LE(minimized->passes.size(), list.size()) << sequenceText(list);
    ++checked;
  }
  EXPECT_GT(checked, 0u);
}

} // namespace
