//===- Broadcast.h - the most popular lists, tried everywhere ----*- C++ -*-===//
//
// The last step of the paper's labelling: a list found for one program often
// suits others. Broadcast takes the K lists that are most often some
// program's best, evaluates each on every program, and relabels a program
// when one of them is smaller than its current label and passes
// verification. A label never gets worse: the current label (or -Oz when
// there is none) stays unless something verified beats it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/CandidateEvaluator.h"
#include "search/Tuner.h"
#include "search/TuningInput.h"
#include "store/ResultsStore.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace optlm::search {

struct PopularPipeline {
  std::string pipeline; ///< canonical text
  size_t programs = 0;  ///< how many tuned results name it as their best
};

/// The K pipelines most often named best among `tuned`, most frequent
/// first (ties in text order, so the choice is deterministic). -Oz is left
/// out: every program is compared with it anyway; so are pipelines for each
/// part of a unit (pipeline/PartPipelines.h), which are no one list.
std::vector<PopularPipeline> mostFrequentPipelines(llvm::ArrayRef<TunedResult> tuned, size_t k);

struct Relabel {
  uint64_t ozSize = 0;
  std::string beforePipeline; ///< the label before (-Oz's text when none)
  uint64_t beforeSize = 0;
  bool beforeVerified = false;
  std::string afterPipeline;
  uint64_t afterSize = 0;
  bool afterVerified = false;
  bool improved = false;
  uint64_t evaluations = 0;

  /// The new label for the results store (strategy "broadcast").
  TunedResult storeRecord(uint64_t moduleHash, Target target, std::string source) const;
};

/// Evaluates -Oz and every candidate on one program (through `evaluator`)
/// and picks its new label. `current` is the program's tuned result, if
/// any. Candidates are verified in order of size, smallest first, until
/// one passes; `verify` may be empty (then candidates count as unverified
/// and replace only -Oz or an unverified label).
llvm::Expected<Relabel> relabelProgram(CandidateEvaluator &evaluator,
                                       llvm::ArrayRef<std::string> candidates,
                                       const std::optional<TunedResult> &current,
                                       const VerifyFunction &verify);

/// One program of a broadcast run.
struct BroadcastProgram {
  std::string path;
  uint64_t moduleHash = 0;
  Relabel relabel;
};

/// What `optlm broadcast` did to a folder of programs.
struct BroadcastReport {
  std::vector<PopularPipeline> top; ///< the lists tried
  size_t labelledBefore = 0;        ///< programs that had a label
  std::vector<BroadcastProgram> programs;
  bool verified = false; ///< new labels passed PassListEval

  size_t improved() const;
  uint64_t evaluations() const;
  /// Mean reduction against -Oz over all programs, in percent, of the
  /// labels before (&Relabel::beforeSize) or after (&Relabel::afterSize).
  double meanReduction(uint64_t Relabel::*size) const;
};

struct BroadcastSettings {
  Target target = Target::X86_64;
  size_t top = 0;        ///< how many of the most frequent labels to try
  unsigned jobs = 0;     ///< parallel evaluations (0: every core)
  VerifyFunction verify; ///< empty: new labels go in unverified
};

/// The paper's broadcast over `inputs`: the `top` lists most often some
/// program's label in `store` are evaluated on every program (through the
/// store, which keeps every evaluation), and each improved label is written
/// back to the store with strategy "broadcast".
llvm::Expected<BroadcastReport> broadcast(llvm::MutableArrayRef<TuningInput> inputs,
                                          ResultsStore &store, const BroadcastSettings &settings);

nlohmann::json broadcastReportJson(const BroadcastReport &report);
std::string broadcastReportText(const BroadcastReport &report);

} // namespace optlm::search
