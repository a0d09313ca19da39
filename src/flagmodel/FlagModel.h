//===- FlagModel.h - optlm's own flag-tuning model ---------------*- C++ -*-===//
//
// A model that reads a module and proposes a few pass lists, in the manner
// of Coreset-NVP (ICML 2023): a library of pass lists, each verified by
// PassListEval when the model was made, and for every training module the
// size each list gave it, relative to -Oz. A new module is placed among the
// training modules by its features (ir/ModuleFeatures.h); the lists are
// chosen greedily for its nearest neighbours, each next list the one that
// adds most to the best size so far (so the proposals cover each other's
// misses instead of repeating the single best guess). The neighbours share
// the weight with all training modules (`priorShare` of it goes to all):
// neighbours from a few packages are a noisy guide to code from another,
// and the lists that serve every module are a robust prior; training
// chooses the share and the neighbour count by cross-validation over
// packages (share 1 is the fixed set, 0 the neighbours alone). With -Oz as
// backup, a proposal can only help.
//
// The file is GGUF, so `optlm model-info` describes it:
//   general.architecture        "optlm-flagrank"
//   optlm-flagrank.target       target triple the sizes were measured for
//   optlm-flagrank.features     moduleFeaturesVersion() of the training run
//   optlm-flagrank.feature_names, .pass_vocabulary (hash of the builtin
//   vocabulary), .library (canonical pipeline texts), .neighbours,
//   .prior_share (0 when absent), .rows ("parts" when the training rows
//   are the parts of training units; absent: whole units), .proposals,
//   .chains (the
//   ChainPlan's text; absent: none), .training (a one-line
//   description of the data), .verified_suite and .verified_llvm (where
//   PassListEval accepted the library; absent when it did not run)
//   tensors: feature_mean, feature_scale, feature_weight (F), train_features
//   (N x F, standardized), train_scores (N x L, size / -Oz size; a list that
//   failed on a module scores kFailedScore).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"
#include "flagmodel/Chains.h"
#include "pipeline/PassVocabulary.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace optlm {
class ResultsStore;
}

namespace optlm::flagmodel {

inline constexpr llvm::StringLiteral kArchitecture = "optlm-flagrank";
/// The score of a list that crashed, timed out or did not compile.
inline constexpr float kFailedScore = 2.0f;

/// A hash of the builtin pass vocabulary's pass names and levels: a model's
/// library was written in one vocabulary and checked against it.
std::string passVocabularyTag();

/// Library lists compiled at once, then the rounds of chains that follow.
struct CompilationStage {
  size_t lists = 0;
  ChainPlan chains;
};

/// The library lists all of `stages` compile.
inline size_t libraryListsIn(llvm::ArrayRef<CompilationStage> stages) {
  size_t lists = 0;
  for (const CompilationStage &stage : stages)
    lists += stage.lists;
  return lists;
}

struct FlagModel {
  Target target = Target::X86_64;
  /// Candidate pipelines, canonical text, in the order the training chose
  /// them (the first is the best single list on the training modules).
  std::vector<std::string> library;
  std::vector<float> featureMean;
  std::vector<float> featureScale;  ///< 1 / standard deviation
  std::vector<float> featureWeight; ///< in the distance
  /// Row-major, trainingModules() x features, already standardized.
  std::vector<float> trainFeatures;
  /// Row-major, trainingModules() x library.size().
  std::vector<float> trainScores;
  unsigned neighbours = 16;
  /// The share of the choice's weight that goes to all training modules
  /// (the rest to the neighbours), in [0, 1].
  float priorShare = 0;
  /// The training rows are the parts of training units
  /// (ir/ModulePartitioner.h), not whole units: such a model chooses each
  /// part's lists from that part's own features when `optlm tune` works
  /// part by part.
  bool partRows = false;
  /// Compilations per module: proposals from the library, then chains.
  unsigned proposals = 10;
  /// The last compilations' plan: pipelines made of the best lists so far.
  ChainPlan chains;
  std::string training; ///< what the model was trained on, one line
  /// Where PassListEval accepted every library list when the model was
  /// made: the suite's id and the LLVM version (both empty: not verified,
  /// or made before they were recorded). A store without these verdicts
  /// takes them (shareLibraryVerdicts) instead of running the suite again.
  std::string verifiedSuite;
  std::string verifiedLlvm;

  /// How many of `compilations` go to library lists: all but the
  /// chains', when at least two lists come before them (a chain needs
  /// two to join), else all.
  size_t libraryListsFor(size_t compilations) const {
    return compilations >= chains.count() + 2 ? compilations - chains.count() : compilations;
  }
  size_t libraryProposals() const { return libraryListsFor(proposals); }
  /// The chains that follow libraryListsFor(compilations) lists: none when
  /// all compilations go to the library.
  ChainPlan chainsFor(size_t compilations) const {
    return libraryListsFor(compilations) < compilations ? chains : ChainPlan();
  }
  /// How `compilations` are spent where the default spends `usual`: up to
  /// `usual`, one stage of libraryListsFor lists and chainsFor chains;
  /// beyond it, `usual` spent first exactly as the default spends them,
  /// then the rest as a stage of its own (the next lists, then chains of
  /// the best of all so far). Chains made from the best two of all the
  /// lists would replace the default's, and came out worse than them on 10
  /// of 151 held-out units at 48 compilations: staged, more compilations
  /// never keep a larger result than the default's.
  std::vector<CompilationStage> stagesFor(size_t compilations, size_t usual) const;
  size_t featureCount() const { return featureMean.size(); }
  size_t trainingModules() const {
    return featureCount() ? trainFeatures.size() / featureCount() : 0;
  }

  /// Reads a model file. Anything that is not a model of this kind for
  /// `target`, with this build's features and pass vocabulary, and every
  /// list parsing, is a one-line error naming the file.
  static llvm::Expected<FlagModel> load(llvm::StringRef path, Target target);
  /// Checks the model's shapes and lists (load() calls it).
  llvm::Error validate() const;
  llvm::Error save(llvm::StringRef path) const;

  /// Standardized features of a module.
  std::vector<float> standardize(llvm::ArrayRef<float> features) const;

  /// Up to `count` library pipelines (canonical text) for a module with
  /// these (raw) features, best guess first; fewer only when the library
  /// is smaller.
  std::vector<std::string> propose(llvm::ArrayRef<float> features, size_t count) const;
  std::vector<std::string> propose(const llvm::Module &module, size_t count) const;

  /// The library list without an inliner that serves the training rows
  /// best (lowest mean size against -Oz), or nothing when every list
  /// inlines: what a unit gets where -Oz's inlining grows its IR
  /// (wantsInlinerFreeList).
  std::optional<std::string> inlinerFreeList() const;
  /// The same choice over some training rows only (cross-validation's
  /// other folds), given listsThatInline(): the list's index.
  std::optional<size_t> inlinerFreeListIndex(llvm::ArrayRef<size_t> rows,
                                             const std::vector<bool> &inlines) const;
  /// runsInliner for each library list, in library order.
  std::vector<bool> listsThatInline() const;
};

/// Whether a pipeline runs an inliner (inline, always-inline,
/// partial-inliner, inliner-wrapper, ...): any pass whose name says so.
/// Text that does not parse counts as inlining.
bool runsInliner(llvm::StringRef pipeline);

/// Whether a unit's last list should be the model's inliner-free one: -Oz
/// made its IR larger than it was (force-inlined code, where a list without
/// an inliner can take two thirds off) and none of the pipelines compiled
/// for it so far is free of inliners. A choice from a few neighbours can miss
/// that rare class (2 of 499 training units, 3 of 151 held-out ones), and the
/// condition keeps the slot from costing anything elsewhere
/// (docs/benchmarks.md, thirty-ninth session).
bool wantsInlinerFreeList(uint64_t inputInstructions, uint64_t ozInstructions,
                          llvm::ArrayRef<std::string> compiled);
/// The first half of that condition: -Oz left more IR instructions than
/// the input had.
inline bool ozGrewTheIR(uint64_t inputInstructions, uint64_t ozInstructions) {
  return ozInstructions > inputInstructions;
}

/// Records the library's PassListEval verdicts, made when the model was
/// trained, in `store` when they were made on this machine's suite with
/// this LLVM (verify::recordAcceptedVerdicts); how many were new.
llvm::Expected<size_t> shareLibraryVerdicts(const FlagModel &model, ResultsStore &store);

/// The model's proposals for a module as flat pass sequences (what search
/// strategies and the tuner's seeds are made of), best guess first.
llvm::Expected<std::vector<std::vector<const PassInfo *>>>
proposalSequences(const FlagModel &model, const llvm::Module &module);

/// A library list as the flat pass sequence search strategies breed from
/// (its passes in order of application, adaptors dropped); an error names a
/// pass the vocabulary lacks.
llvm::Expected<std::vector<const PassInfo *>> listSequence(llvm::StringRef list);

/// The second round of an adaptive choice: `tried` library lists were
/// compiled and gave `observed` scores (size / -Oz size, parallel); the
/// `neighbours` training rows whose scores on those lists are nearest to
/// what was observed stand for the module, and their greedy cover extends
/// `tried` (first, unchanged) to `count` lists. What a module does under a
/// few lists says more about it than its features.
std::vector<size_t> followUpLists(const FlagModel &model, llvm::ArrayRef<size_t> tried,
                                  llvm::ArrayRef<float> observed, size_t neighbours, size_t count);

/// Up to `count` library indices for a module whose nearest training rows
/// are `near`, with `priorShare` of the weight spread over `priorRows` (all
/// rows, or those cross-validation allows): greedyCover over both.
std::vector<size_t> chooseLists(const FlagModel &model, llvm::ArrayRef<size_t> near,
                                llvm::ArrayRef<size_t> priorRows, float priorShare, size_t count);

/// Indices of the `count` nearest training rows to a standardized feature
/// vector under the model's weights, nearest first (ties by index); only
/// rows `allowed` says yes to, when given (cross-validation leaves folds out).
std::vector<size_t> nearestRows(const FlagModel &model, llvm::ArrayRef<float> standardized,
                                size_t count, llvm::function_ref<bool(size_t)> allowed = nullptr);

} // namespace optlm::flagmodel
