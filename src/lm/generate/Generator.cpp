//===- Generator.cpp - request checks shared by every backend --------------===//
#include "lm/generate/Generator.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace llvm;

namespace optlm::lm {

StringRef finishReasonName(FinishReason reason) {
  switch (reason) {
  case FinishReason::Stop:
    return "stop";
  case FinishReason::Length:
    return "length";
  case FinishReason::ConstraintEnd:
    return "constraint-end";
  case FinishReason::Cancelled:
    return "cancelled";
  }
  return "unknown";
}

char ContextOverflowError::ID = 0;
char ConstraintUnsupportedError::ID = 0;

static Error requestError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

Error validateRequest(const GenerationRequest &request) {
  const SamplingParams &sampling = request.sampling;
  if (!std::isfinite(sampling.temperature) || sampling.temperature < 0)
    return requestError("temperature must be a number >= 0, not " +
                        formatv("{0}", sampling.temperature).str());
  if (!std::isfinite(sampling.topP) || sampling.topP <= 0 || sampling.topP > 1)
    return requestError("top-p must be in (0, 1], not " + formatv("{0}", sampling.topP).str());
  if (sampling.topK < 0)
    return requestError("top-k must be >= 0, not " + Twine(sampling.topK));
  if (request.maxTokens < 0)
    return requestError("max-tokens must be >= 0, not " + Twine(request.maxTokens));
  for (const std::string &stop : request.stop)
    if (stop.empty())
      return requestError("stop strings must not be empty");
  if (request.constraint == ConstraintKind::PassList && request.maxPasses < 1)
    return requestError("a pass list needs room for at least one pass, max-passes is " +
                        Twine(request.maxPasses));
  return Error::success();
}

} // namespace optlm::lm
