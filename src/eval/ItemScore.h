//===- ItemScore.h - what one evaluated item scored, typed --------*- C++ -*-===//
//
// The harness scores each suite item, the journal keeps the score as a JSON
// line (so that a stopped run resumes), and the metrics, the report and the
// command line read it back. The field names of those lines live here and
// nowhere else: writers build a score struct and call toJson, readers call
// the matching reader. A line may hold more than its score (an
// explanation, the model's answers): that is for people, not for the
// numbers.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace optlm::eval {

/// Flag tuning: the object sizes of -Oz, of the solver's answer, and the
/// best known for the module (the label, a stored result).
struct FlagTuneScore {
  uint64_t ozSize = 0;
  /// The answer's size; none when the solver gave nothing usable.
  std::optional<uint64_t> modelSize;
  /// What the program gets: the smaller of the answer and -Oz (the backup).
  uint64_t finalSize = 0;
  uint64_t bestKnownSize = 0;
  std::optional<uint64_t> labelSize;
  /// The answer's pipeline; empty when it gave none.
  std::string pipeline;

  bool valid() const { return modelSize.has_value(); }
  /// Whether the answer beat -Oz.
  bool solverWon() const { return modelSize && *modelSize < ozSize; }
  double reductionWithBackup() const;
  /// An answer that could not be used counts as -Oz (valid() tells apart).
  double reductionWithoutBackup() const;
};

/// Disassembly: whether the answer's IR compiles back to the input
/// assembly, and how close it is to the true IR when one is known.
struct DisassemblyScore {
  bool roundTrip = false;
  bool parses = false;
  bool compiles = false;
  double roundTripBleu = 0;
  /// Against the true IR, when the item has one.
  std::optional<double> bleu;
  std::optional<bool> exactMatch;
};

/// Compiler emulation: the predicted output and numbers against the
/// compiler's.
struct EmulationScore {
  bool exactMatch = false;
  double bleu = 0;
  uint64_t instructions = 0;
  uint64_t binarySize = 0;
  /// What the answer stated; none when it did not.
  std::optional<uint64_t> predictedInstructions;
  std::optional<uint64_t> predictedBinarySize;

  std::optional<double> instructionsErrorPercent() const;
  std::optional<double> binarySizeErrorPercent() const;
};

/// |predicted - actual| / actual in percent (100 when actual is 0 and
/// predicted is not).
double absolutePercentError(uint64_t predicted, uint64_t actual);

/// The score's fields, added to `line` (which may hold other fields).
void addToJson(const FlagTuneScore &score, nlohmann::json &line);
void addToJson(const DisassemblyScore &score, nlohmann::json &line);
void addToJson(const EmulationScore &score, nlohmann::json &line);

/// A journal line's score; fields that are missing or of another type read
/// as their defaults (lines from older runs stay readable).
FlagTuneScore flagTuneScoreOf(const nlohmann::json &line);
DisassemblyScore disassemblyScoreOf(const nlohmann::json &line);
EmulationScore emulationScoreOf(const nlohmann::json &line);

/// Whether a line was scored at all, rather than an error or a skip.
bool isScored(const nlohmann::json &line);

/// A line's outcome in a few words, for progress lines and report tables:
/// "+5.88% vs -Oz (solver), without backup +4.95%", "round trip ok,
/// round-trip BLEU 0.912", "exact, BLEU 0.951", "error: ...", "skipped: ...".
std::string outcomeInWords(const nlohmann::json &line);

} // namespace optlm::eval
