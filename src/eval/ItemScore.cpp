//===- ItemScore.cpp - what one evaluated item scored, typed --------------===//
#include "eval/ItemScore.h"

#include "engine/Evaluation.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using nlohmann::json;

namespace optlm::eval {
namespace {

template <typename T> T valueOr(const json &line, const char *field, T otherwise) {
  auto found = line.find(field);
  if (found == line.end())
    return otherwise;
  if constexpr (std::is_same_v<T, bool>)
    return found->is_boolean() ? found->get<bool>() : otherwise;
  else if constexpr (std::is_same_v<T, std::string>)
    return found->is_string() ? found->get<std::string>() : otherwise;
  else
    return found->is_number() ? found->get<T>() : otherwise;
}

template <typename T> std::optional<T> optionalOf(const json &line, const char *field) {
  auto found = line.find(field);
  if (found == line.end())
    return std::nullopt;
  if constexpr (std::is_same_v<T, bool>)
    return found->is_boolean() ? std::optional<T>(found->get<bool>()) : std::nullopt;
  else
    return found->is_number() ? std::optional<T>(found->get<T>()) : std::nullopt;
}

} // namespace

double FlagTuneScore::reductionWithBackup() const {
  return reductionVsOzPercent(finalSize, ozSize);
}

double FlagTuneScore::reductionWithoutBackup() const {
  return reductionVsOzPercent(modelSize ? *modelSize : ozSize, ozSize);
}

double absolutePercentError(uint64_t predicted, uint64_t actual) {
  if (actual == 0)
    return predicted == 0 ? 0.0 : 100.0;
  return 100.0 * std::fabs(double(predicted) - double(actual)) / double(actual);
}

std::optional<double> EmulationScore::instructionsErrorPercent() const {
  if (!predictedInstructions)
    return std::nullopt;
  return absolutePercentError(*predictedInstructions, instructions);
}

std::optional<double> EmulationScore::binarySizeErrorPercent() const {
  if (!predictedBinarySize)
    return std::nullopt;
  return absolutePercentError(*predictedBinarySize, binarySize);
}

void addToJson(const FlagTuneScore &score, json &line) {
  line["oz_size"] = score.ozSize;
  line["model_size"] = score.modelSize ? json(*score.modelSize) : json(nullptr);
  line["final_size"] = score.finalSize;
  line["best_known_size"] = score.bestKnownSize;
  line["winner"] = score.solverWon() ? "solver" : "-Oz";
  line["pipeline"] = score.pipeline;
  line["reduction_with_backup"] = score.reductionWithBackup();
  line["reduction_without_backup"] = score.reductionWithoutBackup();
  line["valid"] = score.valid();
  if (score.labelSize)
    line["label_size"] = *score.labelSize;
}

void addToJson(const DisassemblyScore &score, json &line) {
  line["round_trip"] = score.roundTrip;
  line["parses"] = score.parses;
  line["compiles"] = score.compiles;
  line["round_trip_bleu"] = score.roundTripBleu;
  if (score.bleu)
    line["bleu"] = *score.bleu;
  if (score.exactMatch)
    line["exact_match"] = *score.exactMatch;
}

void addToJson(const EmulationScore &score, json &line) {
  line["exact_match"] = score.exactMatch;
  line["bleu"] = score.bleu;
  line["instructions"] = score.instructions;
  line["binary_size"] = score.binarySize;
  if (score.predictedInstructions) {
    line["predicted_instructions"] = *score.predictedInstructions;
    line["instructions_error_percent"] = *score.instructionsErrorPercent();
  }
  if (score.predictedBinarySize) {
    line["predicted_binary_size"] = *score.predictedBinarySize;
    line["binary_size_error_percent"] = *score.binarySizeErrorPercent();
  }
}

FlagTuneScore flagTuneScoreOf(const json &line) {
  FlagTuneScore score;
  score.ozSize = valueOr<uint64_t>(line, "oz_size", 0);
  score.modelSize = optionalOf<uint64_t>(line, "model_size");
  score.finalSize = valueOr<uint64_t>(line, "final_size", score.ozSize);
  score.bestKnownSize = valueOr<uint64_t>(line, "best_known_size", score.finalSize);
  score.labelSize = optionalOf<uint64_t>(line, "label_size");
  score.pipeline = valueOr<std::string>(line, "pipeline", "");
  return score;
}

DisassemblyScore disassemblyScoreOf(const json &line) {
  DisassemblyScore score;
  score.roundTrip = valueOr(line, "round_trip", false);
  score.parses = valueOr(line, "parses", false);
  score.compiles = valueOr(line, "compiles", false);
  score.roundTripBleu = valueOr(line, "round_trip_bleu", 0.0);
  score.bleu = optionalOf<double>(line, "bleu");
  score.exactMatch = optionalOf<bool>(line, "exact_match");
  return score;
}

EmulationScore emulationScoreOf(const json &line) {
  EmulationScore score;
  score.exactMatch = valueOr(line, "exact_match", false);
  score.bleu = valueOr(line, "bleu", 0.0);
  score.instructions = valueOr<uint64_t>(line, "instructions", 0);
  score.binarySize = valueOr<uint64_t>(line, "binary_size", 0);
  score.predictedInstructions = optionalOf<uint64_t>(line, "predicted_instructions");
  score.predictedBinarySize = optionalOf<uint64_t>(line, "predicted_binary_size");
  return score;
}

bool isScored(const json &line) { return !line.contains("error") && !line.contains("skipped"); }

std::string outcomeInWords(const json &line) {
  if (line.contains("error"))
    return "error: " + valueOr<std::string>(line, "error", "");
  if (line.contains("skipped"))
    return "skipped: " + valueOr<std::string>(line, "skipped", "");
  const std::string task = valueOr<std::string>(line, "task", "");
  std::string text;
  llvm::raw_string_ostream out(text);
  if (task == "flagtune") {
    const FlagTuneScore score = flagTuneScoreOf(line);
    out << llvm::format("%+.2f%% vs -Oz (%s), without backup %+.2f%%", score.reductionWithBackup(),
                        score.solverWon() ? "solver" : "-Oz", score.reductionWithoutBackup());
  } else if (task == "disasm") {
    const DisassemblyScore score = disassemblyScoreOf(line);
    out << (score.roundTrip ? "round trip ok" : "round trip failed")
        << llvm::format(", round-trip BLEU %.3f", score.roundTripBleu);
  } else {
    const EmulationScore score = emulationScoreOf(line);
    out << (score.exactMatch ? "exact" : "differs") << llvm::format(", BLEU %.3f", score.bleu);
  }
  return text;
}

} // namespace optlm::eval
