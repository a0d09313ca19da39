//===- PartPipelines.cpp - a pipeline for each part of a unit -------------===//
#include "pipeline/PartPipelines.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace optlm {

namespace {
constexpr StringLiteral kPrefix = "parts<";
} // namespace

std::string PartPipelines::text() const {
  std::string text = formatv("{0}{1}>:", kPrefix, maxParts).str();
  for (size_t i = 0; i < parts.size(); ++i)
    text += (i ? " | " : " ") + parts[i].text();
  return text;
}

bool PartPipelines::isPartPipelinesText(StringRef text) { return text.trim().starts_with(kPrefix); }

Expected<PartPipelines> PartPipelines::parse(StringRef text) {
  StringRef rest = text.trim();
  if (!rest.consume_front(kPrefix))
    return createStringError("not a pipeline for each part (parts<N>: P | P ...): '%s'",
                             text.str().c_str());
  const size_t close = rest.find(">:");
  PartPipelines plan;
  if (close == StringRef::npos || rest.take_front(close).getAsInteger(10, plan.maxParts))
    return createStringError("a pipeline for each part needs its part count, as parts<32>: '%s'",
                             text.str().c_str());
  rest = rest.drop_front(close + 2).trim();
  if (rest.empty())
    return createStringError("a pipeline for each part names no pipeline: '%s'",
                             text.str().c_str());
  SmallVector<StringRef, 8> pieces;
  rest.split(pieces, '|');
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (pieces[i].trim().empty())
      return createStringError("part %zu's pipeline is empty", i + 1);
    Expected<Pipeline> pipeline = Pipeline::parse(pieces[i].trim());
    if (!pipeline)
      return createStringError("part %zu's pipeline: %s", i + 1,
                               toString(pipeline.takeError()).c_str());
    plan.parts.push_back(std::move(*pipeline));
  }
  return plan;
}

Expected<UnitPipeline> parseUnitPipeline(StringRef text) {
  if (PartPipelines::isPartPipelinesText(text)) {
    Expected<PartPipelines> parts = PartPipelines::parse(text);
    if (!parts)
      return parts.takeError();
    return UnitPipeline(std::move(*parts));
  }
  Expected<Pipeline> pipeline = Pipeline::parse(text);
  if (!pipeline)
    return pipeline.takeError();
  return UnitPipeline(std::move(*pipeline));
}

} // namespace optlm
