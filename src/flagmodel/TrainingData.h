//===- TrainingData.h - what the flag-tuning model learns from ---*- C++ -*-===//
//
// Three inputs, all made by earlier steps and all reproducible:
//   - a corpus (data/Corpus.h), whose modules carry their package;
//   - flag-tuning labels, the records of `optlm datagen --tasks flagtune`
//     (the autotuner's best verified and minimized list per module);
//   - a results store, which holds every evaluation the labelling made and
//     receives the ones made here, so that a stopped training run resumes
//     without compiling anything twice.
// From them: the split by package, and for a set of modules the size table,
// each module's size under each candidate list relative to -Oz.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "data/Corpus.h"
#include "data/Split.h"
#include "engine/Evaluation.h"
#include "ir/ModulePartitioner.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace optlm {
class ResultsStore;
}

namespace optlm::flagmodel {

// The split by package is data's (data/Split.h): the corpus is split before
// any label is made, with the same functions.
using data::isHeldOut;
using data::splitGroup;

/// One module's flag-tuning label.
struct Label {
  std::string module; ///< corpus name
  /// The module's package where the record names it (older records do
  /// not): what a split by package holds out.
  std::string package;
  std::string pipeline;
  uint64_t binarySize = 0;
  uint64_t ozSize = 0;
  bool verified = false;
  uint64_t searchEvaluations = 0;
  /// The search's other best distinct programs, smallest first.
  std::vector<std::string> runnersUp;

  /// (oz - size) / oz in percent.
  double reductionPercent() const;
};

/// The flagtune records of datagen output folders (every *.jsonl in them)
/// or single .jsonl files, for one target (std::nullopt: every target's),
/// by module name: the training split's searched with one budget and the
/// held-out split's with another, say; a module labelled in two keeps the
/// smaller label. Lines that are not flagtune records of that target are
/// passed over; a line that is not JSON is an error naming its file and line.
llvm::Expected<llvm::StringMap<Label>> readLabels(llvm::ArrayRef<std::string> sources,
                                                  std::optional<Target> target);

/// The pipelines of the labels that beat -Oz, most frequent first (ties in
/// text order): the paper's broadcast order, search::mostFrequentPipelines
/// over labels.
std::vector<std::string> mostFrequentLabels(llvm::ArrayRef<Label> labels, size_t k);

/// A module measured under every list of a table.
struct MeasuredModule {
  std::string name;
  std::string group;
  uint64_t moduleHash = 0;
  std::vector<float> features;
  uint64_t ozSize = 0;
  /// IR instructions of the module (or part) and of -Oz's result: where
  /// -Oz grew them, `optlm tune` may give a compilation to an inliner-free
  /// list (wantsInlinerFreeList), and cross-validation does the same.
  uint64_t inputInstructions = 0;
  uint64_t ozInstructions = 0;
  /// size / ozSize per list; kFailedScore where the list failed.
  std::vector<float> scores;
};

struct MeasureOptions {
  Target target = Target::X86_64;
  /// Measure each part of a module that holds code instead of the module
  /// (ir/ModulePartitioner.h, cut into at most about maxParts as `optlm
  /// tune` cuts a unit): rows named "MODULE#I", I the part's index, each with
  /// the module's group.
  bool parts = false;
  size_t maxParts = kDefaultMaxParts;
  /// Evaluations at once per module; 0: every core.
  unsigned jobs = 0;
  /// Where "measured i/n modules" lines go; null: nowhere.
  llvm::raw_ostream *progress = nullptr;
};

/// Measures `lists` (canonical texts) and -Oz on each entry (or each of
/// its parts), through the store (which may be null). A module that cannot
/// be loaded or cut, or a module or part whose -Oz fails, is left out and
/// counted in `skipped`. Rows come back in the order given.
llvm::Expected<std::vector<MeasuredModule>>
measureModules(const data::Corpus &corpus, llvm::ArrayRef<data::CorpusEntry> entries,
               llvm::ArrayRef<std::string> lists, ResultsStore *store,
               const MeasureOptions &options, uint64_t &skipped);

/// Writes the size table as JSON lines: a first line {"library": [...]},
/// then a line a row (its name, unit, package, -Oz size, IR instructions
/// before and after -Oz, features and scores), for studies outside the
/// trainer (`optlm train --size-table`, `optlm-bench-flagmodel
/// --size-table`, bench/flagmodel/*_study.py).
llvm::Error writeSizeTable(llvm::StringRef path, llvm::ArrayRef<std::string> library,
                           llvm::ArrayRef<MeasuredModule> rows);

} // namespace optlm::flagmodel
