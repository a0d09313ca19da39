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
// Corpora are split the same way before any label is made: by package (a
// Debian source package, say), so that the flag-tuning model is measured on
// packages it never saw (splitGroup, isHeldOut, splitCorpus).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "data/Corpus.h"
#include "data/CorpusSources.h"

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

/// The unit a corpus split keeps whole: the module's package, or its source
/// when no package was recorded.
std::string splitGroup(const CorpusEntry &entry);

/// Whether a group is held out: a hash of (seed, group) below the share.
/// The same seed and share always give the same split, whatever else is in
/// the corpus.
bool isHeldOut(llvm::StringRef group, double heldOutShare, uint64_t seed);

/// The corpus's entries in the order labelling should take them: one unit
/// of each group in turn (groups by name), each group's smallest units
/// first. Labelling is slow, and a labelled subset made in this order
/// covers every package, small code first, whenever it is stopped.
std::vector<const CorpusEntry *> interleavedByGroup(const Corpus &corpus);

struct CorpusSplitSummary {
  AddSummary train, heldOut;
  std::vector<std::string> heldOutGroups;
};

/// Adds the corpus's modules to `train` or `heldOut` by isHeldOut of their
/// group, in interleavedByGroup order, keeping their provenance. Modules
/// already in a destination are duplicates, so a split can be brought up to
/// date as the corpus grows.
llvm::Expected<CorpusSplitSummary> splitCorpus(const Corpus &corpus, Corpus &train, Corpus &heldOut,
                                               double heldOutShare, uint64_t seed,
                                               const AddOptions &options);

} // namespace optlm::data
