//===- Split.h - train/validation/test splits by source program --*- C++ -*-===//
//
// A model evaluated on programs it was trained on learns nothing about
// generalization, and LLM Compiler's records of one program (three tasks,
// several pipelines, two targets) are near copies of each other. So a split
// assigns whole source programs (a record's metadata.source) to one split:
// sources are ordered by a hash of (seed, source), and each goes to the
// split whose share of the records it falls into. Shares are met as closely
// as whole programs allow; the same seed always gives the same split.
//
// Output: OUTDIR/split/{train,valid,test}.jsonl and split.json (counts,
// programs, SHA-256 of each file).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace optlm::data {

struct SplitOptions {
  std::string directory; ///< a datagen output folder
  double train = 0.8;
  double valid = 0.1;
  double test = 0.1;
  uint64_t seed = 0;
};

/// Checks the fractions (each in [0,1], summing to 1) and reads nothing.
llvm::Error checkSplitOptions(const SplitOptions &options);

/// Writes the split; returns split.json's contents. A record that is not
/// JSON or has no metadata.source is an error naming its shard and line.
llvm::Expected<nlohmann::json> splitDataset(const SplitOptions &options);

} // namespace optlm::data
