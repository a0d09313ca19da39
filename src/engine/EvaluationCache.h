//===- EvaluationCache.h - memoized evaluations ------------------*- C++ -*-===//
//
// Two tables, both in memory and owned by the single thread that runs the
// pool (the cache is not thread-safe):
//
//  - results, keyed by (module hash, canonical pipeline text, target): a
//    search that proposes a pipeline again gets the earlier answer without
//    forking;
//  - object sizes, keyed by (target, hash of the optimized IR): pipelines
//    that differ in text often produce identical IR, and identical IR gives
//    an identical object, so code generation (over half an evaluation's
//    cost) runs once per distinct optimized module.
//
// Only outcomes that the same input reproduces are remembered: ok, invalid
// pipeline, invalid IR, crash and fatal. Timeouts and out-of-memory depend
// on the limits and the machine's load, so they are evaluated again.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace optlm {

/// What code generation contributes to a Measurement: everything but the
/// IR facts, which the optimizer's output already gives.
struct ObjectMeasurement {
  uint64_t binarySize = 0;
  uint64_t textSize = 0;
  uint64_t dataSize = 0;
  uint64_t bssSize = 0;
  std::map<std::string, uint64_t> sections;

  friend bool operator==(const ObjectMeasurement &, const ObjectMeasurement &) = default;
};

ObjectMeasurement objectPart(const Measurement &measurement);
/// Fills the object fields of a Measurement whose IR fields are set.
void applyObjectPart(Measurement &measurement, const ObjectMeasurement &object);

struct EvaluationCacheStatistics {
  uint64_t resultLookups = 0;
  uint64_t resultHits = 0;
  uint64_t objectLookups = 0; ///< optimized modules whose size was asked for
  uint64_t objectHits = 0;    ///< ... that skipped code generation
  uint64_t resultEntries = 0;
  uint64_t objectEntries = 0;
};

class EvaluationCache {
public:
  /// Whether an outcome is remembered (see the file comment).
  static bool isCacheable(Outcome outcome);

  /// The remembered result, marked fromCache; counts a lookup.
  std::optional<EvaluationResult> lookup(const EvaluationKey &key);
  /// Remembers a cacheable result (others are ignored). The fromCache flag
  /// is not stored: a result read back is marked by lookup.
  void insert(const EvaluationKey &key, const EvaluationResult &result);

  std::optional<ObjectMeasurement> lookupObject(Target target, uint64_t irHash);
  void insertObject(Target target, uint64_t irHash, const ObjectMeasurement &object);

  const EvaluationCacheStatistics &statistics() const { return Statistics; }
  /// One line, e.g. "results 12/40 hits, object sizes 9/28 hits (...)".
  std::string statisticsLine() const;
  void clear();

private:
  std::map<EvaluationKey, EvaluationResult> Results;
  std::map<std::pair<Target, uint64_t>, ObjectMeasurement> Objects;
  EvaluationCacheStatistics Statistics;
};

} // namespace optlm
