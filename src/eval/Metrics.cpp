//===- Metrics.cpp - the paper's numbers from per-item results ------------===//
#include "eval/Metrics.h"

#include "eval/ItemScore.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

using nlohmann::json;

namespace optlm::eval {
namespace {

/// Counts are kept as doubles while summing; reported as integers.
uint64_t count(double value) { return static_cast<uint64_t>(value); }
double percent(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0.0; }
double mean(double sum, double count) { return count > 0 ? sum / count : 0.0; }

json flagTuneSummary(const std::vector<const json *> &items, size_t unscored) {
  double withBackup = 0, withoutBackup = 0, improved = 0, regressed = 0, invalid = 0;
  double achieved = 0, potential = 0, withPotential = 0, solverWon = 0;
  double ozTotal = 0, finalTotal = 0;
  for (const json *item : items) {
    const FlagTuneScore score = flagTuneScoreOf(*item);
    withBackup += score.reductionWithBackup();
    withoutBackup += score.reductionWithoutBackup();
    const double oz = double(score.ozSize), final = double(score.finalSize);
    ozTotal += oz;
    finalTotal += final;
    if (final < oz)
      ++improved;
    if (!score.valid())
      ++invalid;
    else if (*score.modelSize > score.ozSize)
      ++regressed;
    if (score.solverWon())
      ++solverWon;
    if (score.bestKnownSize < score.ozSize) {
      ++withPotential;
      achieved += oz - final;
      potential += oz - double(score.bestKnownSize);
    }
  }
  double n = double(items.size());
  return {
      {"items", items.size()},
      {"unscored", unscored},
      {"mean_reduction_with_backup_percent", mean(withBackup, n)},
      {"mean_reduction_without_backup_percent", mean(withoutBackup, n)},
      {"improved_percent", percent(improved, n)},
      {"regressed_percent", percent(regressed, n)},
      {"invalid_answers", count(invalid)},
      {"solver_won", count(solverWon)},
      {"oz_total_bytes", count(ozTotal)},
      {"final_total_bytes", count(finalTotal)},
      {"items_with_potential", count(withPotential)},
      {"potential_percent", potential > 0 ? json(percent(achieved, potential)) : json(nullptr)}};
}

json disassemblySummary(const std::vector<const json *> &items, size_t unscored) {
  double trips = 0, tripBleu = 0, bleu = 0, exact = 0, withReference = 0;
  for (const json *item : items) {
    const DisassemblyScore score = disassemblyScoreOf(*item);
    trips += score.roundTrip;
    tripBleu += score.roundTripBleu;
    if (score.bleu) {
      ++withReference;
      bleu += *score.bleu;
      exact += score.exactMatch.value_or(false);
    }
  }
  double n = double(items.size());
  return {{"items", items.size()},
          {"unscored", unscored},
          {"round_trips", count(trips)},
          {"round_trip_percent", percent(trips, n)},
          {"round_trip_bleu", mean(tripBleu, n)},
          {"items_with_reference", count(withReference)},
          {"bleu", withReference > 0 ? json(mean(bleu, withReference)) : json(nullptr)},
          {"exact_match_percent",
           withReference > 0 ? json(percent(exact, withReference)) : json(nullptr)}};
}

json emulationSummary(const std::vector<const json *> &items, size_t unscored) {
  double exact = 0, bleu = 0, countError = 0, counts = 0, sizeError = 0, sizes = 0;
  for (const json *item : items) {
    const EmulationScore score = emulationScoreOf(*item);
    exact += score.exactMatch;
    bleu += score.bleu;
    if (std::optional<double> error = score.instructionsErrorPercent()) {
      ++counts;
      countError += *error;
    }
    if (std::optional<double> error = score.binarySizeErrorPercent()) {
      ++sizes;
      sizeError += *error;
    }
  }
  double n = double(items.size());
  return {{"items", items.size()},
          {"unscored", unscored},
          {"exact_match_percent", percent(exact, n)},
          {"bleu", mean(bleu, n)},
          {"instruction_count_mape", counts > 0 ? json(mean(countError, counts)) : json(nullptr)},
          {"binary_size_mape", sizes > 0 ? json(mean(sizeError, sizes)) : json(nullptr)},
          {"missing_instruction_counts", count(n - counts)},
          {"missing_binary_sizes", count(n - sizes)}};
}

} // namespace

json summarize(llvm::ArrayRef<json> results) {
  std::map<std::string, std::vector<const json *>> scored;
  std::map<std::string, size_t> unscored;
  for (const json &result : results) {
    std::string task = result.value("task", std::string());
    if (!isScored(result))
      ++unscored[task];
    else
      scored[task].push_back(&result);
  }
  json summary = json::object();
  for (const char *task : {"flagtune", "disasm", "emulate"}) {
    if (!scored.count(task) && !unscored.count(task))
      continue;
    const std::vector<const json *> &items = scored[task];
    size_t skipped = unscored[task];
    std::string name = task;
    summary[name] = name == "flagtune" ? flagTuneSummary(items, skipped)
                    : name == "disasm" ? disassemblySummary(items, skipped)
                                       : emulationSummary(items, skipped);
  }
  return summary;
}

} // namespace optlm::eval
