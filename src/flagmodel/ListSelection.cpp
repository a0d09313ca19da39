//===- ListSelection.cpp - a few pass lists that cover each other ---------===//
#include "flagmodel/ListSelection.h"

#include <algorithm>
#include <numeric>

using namespace llvm;

namespace optlm::flagmodel {

std::vector<size_t> greedyCover(const ScoreTable &table, ArrayRef<size_t> rows,
                                ArrayRef<float> weights, size_t count, ArrayRef<size_t> given) {
  const size_t lists = table.lists;
  count = std::min(count, lists);
  auto weightOf = [&](size_t i) { return weights.empty() ? 1.0 : double(weights[i]); };
  std::vector<double> best(rows.size(), 1.0);
  std::vector<bool> taken(lists, false);
  std::vector<size_t> chosen;
  for (size_t list : given) {
    if (list >= lists || taken[list])
      continue;
    taken[list] = true;
    chosen.push_back(list);
    for (size_t i = 0; i < rows.size(); ++i)
      best[i] = std::min(best[i], double(table.at(rows[i], list)));
  }
  while (chosen.size() < count) {
    size_t bestList = lists;
    double bestGain = 0;
    for (size_t list = 0; list < lists; ++list) {
      if (taken[list])
        continue;
      double gain = 0;
      for (size_t i = 0; i < rows.size(); ++i) {
        const double score = table.at(rows[i], list);
        if (score < best[i])
          gain += weightOf(i) * (best[i] - score);
      }
      if (gain > bestGain) {
        bestGain = gain;
        bestList = list;
      }
    }
    if (bestList == lists)
      break;
    taken[bestList] = true;
    chosen.push_back(bestList);
    for (size_t i = 0; i < rows.size(); ++i)
      best[i] = std::min(best[i], double(table.at(rows[i], bestList)));
  }
  if (chosen.size() < count) {
    // Nothing beats the best so far any more: the remaining places go to the
    // lists that are best on average, a reasonable second opinion.
    std::vector<double> mean(lists, 0);
    for (size_t list = 0; list < lists; ++list)
      for (size_t i = 0; i < rows.size(); ++i)
        mean[list] += weightOf(i) * std::min(1.0, double(table.at(rows[i], list)));
    std::vector<size_t> order(lists);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return mean[a] < mean[b]; });
    for (size_t list : order) {
      if (chosen.size() == count)
        break;
      if (!taken[list]) {
        taken[list] = true;
        chosen.push_back(list);
      }
    }
  }
  return chosen;
}

double meanBestScore(const ScoreTable &table, ArrayRef<size_t> rows, ArrayRef<size_t> chosen) {
  if (rows.empty())
    return 1.0;
  double sum = 0;
  for (size_t row : rows) {
    double best = 1.0;
    for (size_t list : chosen)
      best = std::min(best, double(table.at(row, list)));
    sum += best;
  }
  return sum / double(rows.size());
}

} // namespace optlm::flagmodel
