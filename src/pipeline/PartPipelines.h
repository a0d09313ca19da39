//===- PartPipelines.h - a pipeline for each part of a unit ------*- C++ -*-===//
//
// `optlm tune` may choose a list for each part of a translation unit that
// separate compilation would allow (ir/ModulePartitioner.h): the parts
// that hold code are optimized one by one, linked, and globaldce drops what
// no part uses. That result is no single pass list, yet optlm cc must
// record it (the store's label, the object cache's key, the build log) and
// apply it again to the same unit. A PartPipelines says all it takes: the
// part count the unit was cut for (partitionModule's maxParts: the cut is
// deterministic for a module, a count and this build's partitioner) and the
// pipeline of each part that holds code, in the partition's order.
// engine/PartOptimizer.h applies it; a plan that no longer fits the cut is
// an invalid pipeline (optlm cc then builds the unit with clang -Oz).
//
// Text form, one line:  parts<32>: PIPELINE | PIPELINE | ...
// No pass pipeline contains '|', and Pipeline::parse rejects the text, so
// a reader that expects one pass list meets an error, not a wrong list.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "pipeline/Pipeline.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace optlm {

struct PartPipelines {
  /// partitionModule's maxParts for the cut (0: no limit).
  size_t maxParts = 0;
  /// One for each part that holds code, in the partition's order.
  std::vector<Pipeline> parts;

  std::string text() const;
  /// Parses text(); every part's pipeline as Pipeline::parse reads it.
  static llvm::Expected<PartPipelines> parse(llvm::StringRef text);
  /// Whether text is in this form (it may still fail to parse).
  static bool isPartPipelinesText(llvm::StringRef text);

  friend bool operator==(const PartPipelines &, const PartPipelines &) = default;
};

/// What a unit is optimized with: one pipeline, or one for each part.
using UnitPipeline = std::variant<Pipeline, PartPipelines>;

/// PartPipelines' text, or any form Pipeline::parse reads.
llvm::Expected<UnitPipeline> parseUnitPipeline(llvm::StringRef text);

} // namespace optlm
