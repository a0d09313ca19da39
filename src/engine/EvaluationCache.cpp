//===- EvaluationCache.cpp - memoized evaluations --------------------------===//
#include "engine/EvaluationCache.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace optlm {

ObjectMeasurement objectPart(const Measurement &measurement) {
  return {measurement.binarySize, measurement.textSize, measurement.dataSize, measurement.bssSize,
          measurement.sections};
}

void applyObjectPart(Measurement &measurement, const ObjectMeasurement &object) {
  measurement.binarySize = object.binarySize;
  measurement.textSize = object.textSize;
  measurement.dataSize = object.dataSize;
  measurement.bssSize = object.bssSize;
  measurement.sections = object.sections;
}

bool EvaluationCache::isCacheable(Outcome outcome) {
  switch (outcome) {
  case Outcome::Ok:
  case Outcome::InvalidPipeline:
  case Outcome::InvalidIR:
  case Outcome::Crash:
  case Outcome::Fatal:
    return true;
  case Outcome::Timeout:
  case Outcome::OutOfMemory:
    return false;
  }
  return false;
}

std::optional<EvaluationResult> EvaluationCache::lookup(const EvaluationKey &key) {
  ++Statistics.resultLookups;
  auto found = Results.find(key);
  if (found == Results.end())
    return std::nullopt;
  ++Statistics.resultHits;
  EvaluationResult result = found->second;
  result.fromCache = true;
  return result;
}

void EvaluationCache::insert(const EvaluationKey &key, const EvaluationResult &result) {
  if (!isCacheable(result.outcome))
    return;
  EvaluationResult stored = result;
  stored.fromCache = false;
  if (Results.insert_or_assign(key, std::move(stored)).second)
    ++Statistics.resultEntries;
}

std::optional<ObjectMeasurement> EvaluationCache::lookupObject(Target target, uint64_t irHash) {
  ++Statistics.objectLookups;
  auto found = Objects.find({target, irHash});
  if (found == Objects.end())
    return std::nullopt;
  ++Statistics.objectHits;
  return found->second;
}

void EvaluationCache::insertObject(Target target, uint64_t irHash,
                                   const ObjectMeasurement &object) {
  if (Objects.insert_or_assign({target, irHash}, object).second)
    ++Statistics.objectEntries;
}

static std::string hitsText(uint64_t hits, uint64_t lookups) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << hits << "/" << lookups << " hits";
  if (lookups)
    out << llvm::format(" (%.1f%%)", 100.0 * double(hits) / double(lookups));
  return text;
}

std::string EvaluationCache::statisticsLine() const {
  return "results " + hitsText(Statistics.resultHits, Statistics.resultLookups) +
         ", object sizes " + hitsText(Statistics.objectHits, Statistics.objectLookups) + "; " +
         std::to_string(Statistics.resultEntries) + " results and " +
         std::to_string(Statistics.objectEntries) + " object sizes stored";
}

void EvaluationCache::clear() {
  Results.clear();
  Objects.clear();
  Statistics = {};
}

} // namespace optlm
