//===- ListSelectionTest.cpp - lists that cover each other ----------------===//
#include "flagmodel/ListSelection.h"

#include <gtest/gtest.h>

using namespace optlm::flagmodel;

namespace {

// Four modules, four lists. List 0 is the best single list (it wins on
// modules 0 and 1), list 1 is a near copy of it, list 2 wins on modules 2
// and 3 only, list 3 never beats -Oz.
const std::vector<float> Scores = {
    // list: 0     1     2     3
    0.90f, 0.91f, 1.00f, 1.10f, // module 0
    0.90f, 0.91f, 1.00f, 1.10f, // module 1
    0.99f, 0.99f, 0.95f, 1.10f, // module 2
    1.00f, 1.00f, 0.96f, 1.10f, // module 3
};
const ScoreTable Table{Scores, 4};
const std::vector<size_t> AllModules{0, 1, 2, 3};

TEST(ListSelection, TheSecondListCoversWhatTheFirstMisses) {
  // The two individually best lists are 0 and 1 (near copies); the greedy
  // cover takes 0 and then 2, which adds most.
  std::vector<size_t> chosen = greedyCover(Table, AllModules, {}, 2);
  EXPECT_EQ(chosen, (std::vector<size_t>{0, 2}));
  EXPECT_NEAR(meanBestScore(Table, AllModules, chosen), (0.90 + 0.90 + 0.95 + 0.96) / 4, 1e-6);
}

TEST(ListSelection, WeightsAndRowsDecide) {
  EXPECT_EQ(greedyCover(Table, {2, 3}, {}, 1), (std::vector<size_t>{2}));
  // Module 0 weighs more than modules 2 and 3 together.
  EXPECT_EQ(greedyCover(Table, AllModules, {10, 0, 1, 1}, 1), (std::vector<size_t>{0}));
}

TEST(ListSelection, FillsUpInOrderOfMeanOnceNothingHelps) {
  std::vector<size_t> chosen = greedyCover(Table, AllModules, {}, 4);
  ASSERT_EQ(chosen.size(), 4u);
  EXPECT_EQ(chosen[0], 0u);
  EXPECT_EQ(chosen[1], 2u);
  EXPECT_EQ(chosen[2], 1u); // the better of the two that add nothing
  EXPECT_EQ(chosen[3], 3u);
  EXPECT_EQ(greedyCover(Table, AllModules, {}, 9).size(), 4u);
}

TEST(ListSelection, GivenListsComeFirstAndCount) {
  // With list 2 already compiled, list 0 is what adds most; the near copy
  // of list 0 adds nothing after it.
  const size_t given[] = {2};
  EXPECT_EQ(greedyCover(Table, AllModules, {}, 2, given), (std::vector<size_t>{2, 0}));
  EXPECT_EQ(greedyCover(Table, AllModules, {}, 1, given), (std::vector<size_t>{2}));
}

TEST(ListSelection, OzIsTheBackup) {
  // A list worse than -Oz everywhere scores -Oz's 1, never more.
  const size_t worst[] = {3};
  EXPECT_DOUBLE_EQ(meanBestScore(Table, AllModules, worst), 1.0);
  EXPECT_DOUBLE_EQ(meanBestScore(Table, AllModules, {}), 1.0);
}

} // namespace
