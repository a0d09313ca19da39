//===- Trainer.h - the flag-tuning model from labels -------------*- C++ -*-===//
//
// `optlm train --task flagtune` in library form. From the training split
// (every package the seeded split does not hold out):
//   1. candidates: the distinct labels smaller than -Oz, most frequent
//      first (the paper's broadcast set, before it is cut); labels need not
//      be verified (PassListEval costs more than the search that found
//      them), the library's lists are; and the runners-up of each
//      labelled module's search, which its label record lists;
//   2. the library: every candidate is measured on a seeded sample of
//      training modules and the library is their greedy cover
//      (ListSelection.h), so it keeps lists that win where others lose
//      rather than many relatives of the most frequent one; each library
//      list passes PassListEval (x86-64);
//   3. the size table: every library list on every training module;
//   4. the neighbour count and the prior's share (FlagModel::priorShare),
//      by cross-validation over folds of packages
//      (a module never learns from its own package, as held-out code will
//      not);
//   5. the model: standardized features and the table of all training
//      modules.
// Every evaluation goes through the results store, so a stopped run
// repeats nothing; the result depends only on the inputs and the seed.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "flagmodel/FlagModel.h"
#include "flagmodel/TrainingData.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace optlm::flagmodel {

/// The chains a trained model gets unless told otherwise: the best two
/// lists one after the other, both ways (docs/benchmarks.md, thirteenth
/// session).
inline constexpr llvm::StringLiteral kDefaultChains = "AB,BA";

struct TrainOptions {
  std::string corpusDirectory;
  /// `optlm datagen --tasks flagtune` output folders or label files.
  std::vector<std::string> labelSources;
  /// Label folders or files whose lists (and runners-up) join the
  /// candidates though their modules need not be in the corpus: labels of
  /// training packages of another build of it, or of another target (every
  /// target's records are read). They must not come from packages the
  /// model is evaluated on.
  std::vector<std::string> candidateLabelSources;
  /// Where the training's measurements are kept (read and written), so
  /// that a stopped run resumes; empty: none (slow).
  std::string storePath;
  Target target = Target::X86_64;
  uint64_t seed = 0;
  double heldOutShare = 0.2;
  /// Training modules every candidate list is measured on (step 2).
  size_t candidateModules = 120;
  /// At most this many candidates are considered, most frequent first.
  size_t maxCandidates = 2000;
  /// Also take, for each labelled training module, this many of its
  /// search's runners-up (the label records' runners_up): a label is
  /// minimized for its own module, and the runners-up are often the lists
  /// that suit its neighbours.
  size_t runnersUpPerModule = 3;
  /// Also take -Oz's own passes as a flat list and every variant of it
  /// with one pass left out: lists that differ from -Oz where a module
  /// pays for one of its passes (inlining, unrolling, rotation), which
  /// the labels of a few programs may not contain.
  bool ozVariants = false;
  size_t librarySize = 64;
  /// Lists searched for the cover of many training modules at once
  /// (GeneralLists.h) before the library is chosen: they join the
  /// candidates, first, or with libraryFrom the library itself (each
  /// checked by PassListEval when verifyLibrary is on). 0: none.
  size_t generalLists = 0;
  /// The modules those searches compile every candidate on: a sample from
  /// every training package in turn.
  size_t generalListModules = 40;
  /// Search evaluations per general list.
  uint64_t generalListEvaluations = 200;
  /// The searches start from this many of the best lists at hand (the
  /// library's first, or the most frequent candidates).
  size_t generalListSeeds = 8;
  /// The size table's rows (the neighbours): every labelled training module
  /// and a seeded sample of the others, this many in all; 0: every training
  /// module. Each row costs a compilation per library list.
  size_t maxTrainingModules = 0;
  /// Take that sample from every package in turn (each package's labelled
  /// modules first), so that a few large packages do not make most rows.
  bool balancePackages = false;
  /// Take the library (and where PassListEval accepted it) from this model
  /// file instead of mining and selecting one (steps 1-2): for a model of
  /// other rows over the same lists. Labels are then optional.
  std::string libraryFrom;
  /// The size table's rows are the parts of the training modules (cut as
  /// `optlm tune` cuts a unit), not the modules (FlagModel::partRows).
  bool partRows = false;
  /// Also write the size table here, one JSON line per row (its name, the
  /// corpus module it was measured on or cut from, package, -Oz size, raw
  /// features and score under every list) after a first line naming the
  /// library: for
  /// studying choices on training data without measuring again. Empty: none.
  std::string sizeTablePath;
  /// Compilations per module, the chains' included.
  unsigned proposals = 10;
  /// What the last compilations are spent on (Chains.h); the rest are
  /// library lists, and cross-validation chooses for that many.
  ChainPlan chains = llvm::cantFail(ChainPlan::parse(kDefaultChains));
  std::vector<unsigned> neighbourChoices{4, 8, 16, 32, 64};
  /// The shares of the choice's weight given to all training modules that
  /// cross-validation tries (FlagModel::priorShare; 1 is the fixed set).
  std::vector<float> priorShareChoices{0.0f, 0.25f, 0.5f, 0.75f, 1.0f};
  unsigned folds = 5;
  /// Cross-validation models `optlm tune`'s inliner-free slot
  /// (FlagTuneOptions::inlinerFreeSlot, on by default there).
  bool inlinerFreeSlot = true;
  /// Check library lists with PassListEval (AArch64's under qemu-user) and
  /// leave out the rejected ones. Off: for tests and quick experiments.
  bool verifyLibrary = true;
  unsigned jobs = 0;
  llvm::raw_ostream *progress = nullptr;
};

struct CrossValidation {
  unsigned neighbours = 0;
  float priorShare = 0;
  /// Mean reduction against -Oz with `proposals` lists and -Oz backup, in
  /// percent, over the training modules, each predicted from other folds.
  double reductionPercent = 0;
};

struct TrainReport {
  size_t trainingModules = 0;
  size_t heldOutModules = 0;  ///< in the corpus, for this target (not used)
  size_t labelledModules = 0; ///< training modules with a label
  /// Label records naming no module of the corpus for this target: labels
  /// made on another build of the corpus (module names are content hashes).
  size_t unmatchedLabels = 0;
  size_t candidates = 0;
  size_t rejectedByVerification = 0;
  /// Lists the general-list searches found (TrainOptions::generalLists).
  std::vector<std::string> generalLists;
  uint64_t skippedModules = 0;
  std::vector<CrossValidation> crossValidation;
  /// The same folds, the best fixed set of `proposals` lists (no features).
  double fixedSetReductionPercent = 0;
  /// The same folds, the library's best list for every module (the ceiling).
  double libraryCeilingPercent = 0;
  /// The training modules' mean label reduction (what the autotuner found).
  double labelReductionPercent = 0;
};

llvm::Expected<FlagModel> trainFlagModel(const TrainOptions &options, TrainReport &report);

/// Checks every library list of `model` with PassListEval on this machine
/// (verdicts cached in the store at `storePath`, none when empty) and
/// records where (FlagModel::verifiedSuite, verifiedLlvm), so that stores
/// on machines with the same suite and LLVM take the verdicts with the
/// model. A rejected list is an error naming it: the size table has a
/// column for every list, so none can simply be dropped.
llvm::Error verifyLibrary(FlagModel &model, llvm::StringRef storePath, unsigned jobs,
                          llvm::raw_ostream *progress);

/// Lists are chosen by the model for each row from the other rows (those
/// whose fold differs): the fold-wise mean of min(1, best score), as a
/// reduction in percent. neighbours 0 or priorShare 1: the fixed greedy set
/// of the other folds' rows instead. `ozGrewRow` (one per row, or empty)
/// names the rows where -Oz grew the IR: there, where no chosen list is
/// free of inliners, the last gives way to the other folds' best
/// inliner-free list, as `optlm tune`'s inliner-free slot does (which
/// takes a chain's compilation; the table has no chains, so here it takes
/// the last list's).
double crossValidate(const FlagModel &model, llvm::ArrayRef<unsigned> foldOfRow,
                     unsigned neighbours, float priorShare, unsigned proposals,
                     llvm::ArrayRef<uint8_t> ozGrewRow = {});

} // namespace optlm::flagmodel
