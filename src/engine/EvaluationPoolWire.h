//===- EvaluationPoolWire.h - evaluation results as bytes --------*- C++ -*-===//
//
// How the evaluation pool's children and parent encode what they send each
// other through the sandbox: results, the "is this optimized IR measured?"
// query and its answer. A fixed little-endian layout, read back with bounds
// checks: a child may die halfway through writing, or be something else's
// bytes altogether, and the parent must turn that into an error, not a
// crash.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"
#include "engine/EvaluationCache.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace optlm::wire {

std::string encodeResult(const EvaluationResult &result);
llvm::Expected<EvaluationResult> decodeResult(llvm::StringRef bytes);

struct ObjectQuery {
  Target target;
  uint64_t irHash;
};
std::string encodeObjectQuery(const ObjectQuery &query);
llvm::Expected<ObjectQuery> decodeObjectQuery(llvm::StringRef bytes);

/// The reply: empty when the size is unknown (the child runs code
/// generation), else the object measurement.
std::string encodeObjectReply(const std::optional<ObjectMeasurement> &object);
llvm::Expected<std::optional<ObjectMeasurement>> decodeObjectReply(llvm::StringRef bytes);

} // namespace optlm::wire
