//===- StrategyTest.cpp - what the strategies propose -----------------------===//
#include "search/EvolutionarySearch.h"
#include "search/OzSequence.h"
#include "search/RandomSearch.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/xxhash.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>

using namespace optlm;
using namespace optlm::search;

namespace {

std::vector<std::string> texts(const std::vector<PassSequence> &batch) {
  std::vector<std::string> out;
  for (const PassSequence &passes : batch)
    out.push_back(sequenceText(passes));
  return out;
}

TEST(RandomSearch, DrawsOneToFiftyPassesFromTheSearchSpace) {
  StrategyContext context = builtinContext(7);
  const std::set<const PassInfo *> space(context.searchSpace.begin(), context.searchSpace.end());
  RandomSearch random(context);
  std::vector<size_t> lengthCounts(51, 0);
  std::set<const PassInfo *> drawn;
  double totalLength = 0;
  const size_t lists = 20000;
  for (const PassSequence &passes : random.propose(lists)) {
    ASSERT_GE(passes.size(), 1u);
    ASSERT_LE(passes.size(), 50u);
    ++lengthCounts[passes.size()];
    totalLength += passes.size();
    for (const PassInfo *pass : passes) {
      ASSERT_TRUE(space.count(pass)) << pass->name;
      drawn.insert(pass);
    }
  }
  // Uniform length: every length occurs, each about lists/50 times, and
  // the mean is near 25.5.
  for (size_t length = 1; length <= 50; ++length) {
    EXPECT_GT(lengthCounts[length], lists / 50 / 2) << length;
    EXPECT_LT(lengthCounts[length], lists / 50 * 2) << length;
  }
  EXPECT_NEAR(totalLength / lists, 25.5, 0.5);
  EXPECT_EQ(drawn, space); // every pass of the space is drawn
}

TEST(RandomSearch, SameSeedSameLists) {
  RandomSearch first(builtinContext(42)), second(builtinContext(42)), other(builtinContext(43));
  const auto a = texts(first.propose(100));
  const auto b = texts(second.propose(100));
  const auto c = texts(other.propose(100));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // Batches continue one stream: the next batch differs from the first.
  EXPECT_NE(texts(first.propose(100)), a);
}

TEST(Strategies, UnknownNameIsAnError) {
  auto strategy = createStrategy("annealing", builtinContext(1));
  ASSERT_FALSE(strategy);
  const std::string message = llvm::toString(strategy.takeError());
  EXPECT_NE(message.find("unknown strategy 'annealing'"), std::string::npos);
  EXPECT_NE(message.find("random"), std::string::npos);
  EXPECT_TRUE(static_cast<bool>(createStrategy("random", builtinContext(1))));
  auto evolve = createStrategy(defaultStrategyName(), builtinContext(1));
  ASSERT_TRUE(static_cast<bool>(evolve));
  EXPECT_EQ((*evolve)->name(), defaultStrategyName());
}

TEST(Strategies, EmptySearchSpaceIsAnError) {
  StrategyContext context = builtinContext(1);
  context.searchSpace.clear();
  auto strategy = createStrategy("random", context);
  ASSERT_FALSE(strategy);
  llvm::consumeError(strategy.takeError());
}

/// Feeds the strategy a stand-in objective (the list's length plus a penalty
/// for every pass that is not the first of the search space) so that its
/// bookkeeping can be tested without compiling anything.
std::vector<ScoredSequence> scoreByLength(const std::vector<PassSequence> &batch,
                                          const PassInfo *preferred) {
  std::vector<ScoredSequence> scored;
  for (const PassSequence &passes : batch) {
    uint64_t size = 0;
    for (const PassInfo *pass : passes)
      size += pass == preferred ? 1 : 3;
    scored.push_back({passes, size, llvm::xxh3_64bits(llvm::StringRef(sequenceText(passes)))});
  }
  return scored;
}

TEST(EvolutionarySearch, StartsFromOzAndIsDeterministic) {
  StrategyContext context = builtinContext(5);
  ASSERT_FALSE(context.ozSequence.empty());
  auto run = [&](uint64_t seed) {
    StrategyContext seeded = context;
    seeded.seed = seed;
    EvolutionarySearch evolve(seeded);
    std::vector<std::string> all;
    for (int round = 0; round < 10; ++round) {
      auto batch = evolve.propose(16);
      for (const std::string &text : texts(batch))
        all.push_back(text);
      evolve.observe(scoreByLength(batch, context.searchSpace.front()));
    }
    return all;
  };
  const auto first = run(5);
  EXPECT_EQ(first.front(), sequenceText(context.ozSequence));
  EXPECT_EQ(first, run(5));
  EXPECT_NE(first, run(6));
}

TEST(EvolutionarySearch, ImprovesOnWhatItIsTold) {
  StrategyContext context = builtinContext(11);
  const PassInfo *preferred = context.searchSpace.front();
  EvolutionarySearch evolve(context);
  uint64_t firstBest = UINT64_MAX, lastBest = UINT64_MAX;
  std::set<std::string> seen;
  size_t duplicates = 0;
  for (int round = 0; round < 30; ++round) {
    auto batch = evolve.propose(16);
    for (const std::string &text : texts(batch))
      duplicates += !seen.insert(text).second;
    auto scored = scoreByLength(batch, preferred);
    uint64_t best = UINT64_MAX;
    for (const ScoredSequence &s : scored)
      best = std::min(best, *s.binarySize);
    if (round == 0)
      firstBest = best;
    lastBest = std::min(lastBest, best);
    evolve.observe(scored);
  }
  EXPECT_LT(lastBest, firstBest);
  EXPECT_LE(lastBest, 3u); // a list of one or two passes
  EXPECT_EQ(duplicates, 0u);
}

TEST(OzSequence, LeafNamesOfAPrintedPipeline) {
  EXPECT_EQ(leafPassNames("function<eager-inv>(sroa<modify-cfg>,loop-mssa(licm<allowspeculation>)),"
                          "cgscc(devirt<4>(inline)),globaldce"),
            (std::vector<std::string>{"sroa<modify-cfg>", "licm<allowspeculation>", "inline",
                                      "globaldce"}));
  EXPECT_TRUE(leafPassNames("").empty());
}

TEST(OzSequence, MatchesOptsPrintedPipeline) {
  // The text PassBuilder prints in-process is the one opt-19 prints.
  // opt reads an (empty) module before printing; give it empty IR text.
  const std::string command =
      "echo '' | " + std::string(OPTLM_OPT_PATH) +
      " -S -passes='default<Oz>' -print-pipeline-passes -disable-output 2>/dev/null";
  FILE *pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string printed;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
    printed.append(buffer, n);
  ASSERT_EQ(pclose(pipe), 0);
  while (!printed.empty() && printed.back() == '\n')
    printed.pop_back();
  // The same passes in the same order. Parameters may differ where opt's
  // tuning options differ from PassBuilder's defaults (opt also forces
  // loop vectorization off at -Oz), and opt appends its verifier.
  auto baseNames = [](llvm::StringRef text) {
    std::vector<std::string> names;
    for (const std::string &name : leafPassNames(text))
      names.push_back(llvm::StringRef(name).split('<').first.str());
    return names;
  };
  std::vector<std::string> fromOpt = baseNames(printed);
  ASSERT_FALSE(fromOpt.empty());
  if (fromOpt.back() == "verify")
    fromOpt.pop_back();
  EXPECT_EQ(baseNames(standardPipelineText(OptLevel::Oz)), fromOpt);

  const PassSequence oz = flatStandardSequence(OptLevel::Oz, PassVocabulary::builtin());
  std::set<std::string> names;
  for (const PassInfo *pass : oz)
    names.insert(pass->name);
  EXPECT_TRUE(names.count(PassVocabulary::builtin().lookup("instcombine")->name));
  EXPECT_TRUE(names.count("sroa"));
}

} // namespace
