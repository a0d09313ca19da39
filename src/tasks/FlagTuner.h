//===- FlagTuner.h - flag tuning with a model, verified ----------*- C++ -*-===//
//
// LLM Compiler's flag-tuning task, made safe: the model is asked (with the
// exact FTD prompt) for a pass list, K times if asked for K candidates (the
// first greedy, the others sampled with seeds derived from the given one);
// each answer is parsed defensively, applied in the engine's sandboxed pool
// (a pass that crashes or hangs is a rejected candidate, not a dead tool),
// and checked: the IR must verify and compile, and, when a verifier is
// given, the pipeline must pass it (PassListEval). The result is the smaller
// of the best accepted candidate and -Oz: the paper's "-Oz backup", so a
// garbage answer costs nothing but the time to check it.
//
// A module whose prompt does not fit the model's context is split per
// function (FunctionSplitter.h): every function is tuned on its own prompt
// with the same rules against its own -Oz, its pipeline is applied to it
// alone, the parts are linked back, globaldce drops what no part uses any
// more, and the whole is verified and measured. It is used only when it is
// smaller than -Oz on the whole module.
//
// Optlm's own model works the same way on the parts of a module that could
// have been files of their own (ModulePartitioner.h): its first proposal is
// compiled on the whole module, the rest of its proposals and chains on
// each part, each part keeps its smallest verified one, and the linked
// parts compete with the whole module's best and -Oz. A list that suits
// one group of functions need not suit another.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "codegen/CompileSettings.h"
#include "engine/Evaluation.h"
#include "ir/ModuleLoader.h"
#include "ir/ModulePartitioner.h"
#include "pipeline/PartPipelines.h"
#include "pipeline/Pipeline.h"
#include "search/Verdict.h"
#include "search/Verification.h"
#include "store/ResultsStore.h"
#include "tasks/ModelSource.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace optlm::flagmodel {
struct FlagModel;
}

namespace optlm::tasks {

struct FlagTuneOptions {
  Target target = Target::X86_64;
  /// Answers asked for; the first is greedy.
  unsigned candidates = 1;
  uint64_t seed = 0;
  /// Sampling temperature of the candidates after the first.
  float temperature = 0.8f;
  int maxTokens = 256;
  int maxPasses = 50;
  /// Split modules whose prompt does not fit the context.
  bool splitLongInputs = true;
  /// Split whatever the size (for measuring what splitting costs).
  bool alwaysSplit = false;
  /// Optlm's own model only: a module of several separately compilable
  /// parts (ir/ModulePartitioner.h) gets its candidates per part, but for
  /// the first wholeUnitCandidates, compiled on the whole unit.
  bool perPart = true;
  size_t wholeUnitCandidates = 1;
  /// At most about this many parts (ModulePartitioner.h gathers small
  /// groups): each part costs its own -Oz and sandboxed pool.
  size_t maxParts = kDefaultMaxParts;
  /// Optlm's own model, part by part: each part compiles only the first
  /// this many proposals, and the model chooses the rest of its library
  /// lists by what those gave the part (flagmodel::followUpLists: the
  /// training rows whose sizes under them are nearest); 0: all proposals
  /// at once.
  size_t partFirstLists = 0;
  /// Optlm's own model, part by part: before the parts spend their
  /// compilations, they compile the whole unit's first proposal too, and
  /// when the linked parts come out larger than the whole unit under it
  /// (code of one part that shrinks only beside another's: the IR outliner,
  /// inlining across parts), the rest of the budget goes to the whole unit.
  bool probeParts = false;
  /// Optlm's own model: where -Oz grows a unit's (or part's) IR and none of
  /// its lists is free of inliners, the model's inliner-free list takes the
  /// last chain's compilation (flagmodel::wantsInlinerFreeList). On the
  /// held-out units it changes only the two lz4 units it is for (a retrained
  /// model: 56% to 68% of evolve@1000; the shipped one: no change).
  bool inlinerFreeSlot = true;
  /// Sandboxed evaluations at once; 0: one per core.
  unsigned jobs = 0;
  /// How candidates are compiled: optlm cc measures as its build's clang
  /// compiles the unit (codegen/CompileSettings.h), since a list's
  /// advantage over -Oz can turn around between static and
  /// position-independent code, and clang's -Oz is not opt's.
  CompileAs compileAs = CompileAs::OptAndLlc;
  /// Optlm's own model: pipelines from elsewhere (optlm cc's popular lists),
  /// compiled on the whole unit with the model's first lists and ranked with
  /// them, so that chains may use them too. They add to the compilations.
  std::vector<std::string> alsoCompile;
  /// Optlm's own model: whether a chain (a pipeline the model did not have
  /// verified when it was trained) may be compiled; unset: every chain is,
  /// and one that wins is verified by `verify` (a PassListEval suite run the
  /// first time). optlm cc allows only the chains whose verdict its store
  /// already holds, so that a build does not wait for suite runs: the
  /// model's next library lists take the other chains' compilations.
  std::function<bool(llvm::StringRef pipeline)> chainAllowed;
  /// Empty: the engine's checks only (IR verifies, code generates).
  search::VerifyFunction verify;
  /// Set: a split run's linked module must pass it too (the program check,
  /// which runs the program the parts make).
  search::OptimizedCheckFunction checkOptimized;
};

/// One answer of the model and what became of it.
struct ModelCandidate {
  std::string answer;               ///< the text as generated
  std::optional<Pipeline> pipeline; ///< unset when none parsed
  std::optional<uint64_t> binarySize;
  bool accepted = false; ///< evaluated and passed verification
  std::string problem;   ///< why not accepted

  /// The pipeline's canonical text, empty when none parsed.
  std::string pipelineText() const { return pipeline ? pipeline->text() : std::string(); }
};

/// A part's share of a split run: one function of the function split, or
/// one group of functions of the partition.
struct PartTuning {
  std::string function; ///< the function, or the part's first function and how many more
  Pipeline pipeline;    ///< applied to the part alone
  bool fromModel = false;
  std::vector<ModelCandidate> candidates;
  uint64_t ozSize = 0;
  uint64_t binarySize = 0;
};

struct FlagTuneResult {
  uint64_t ozSize = 0;
  std::vector<ModelCandidate> candidates;
  /// The best accepted answer's size and pipeline: the "zero-shot" result
  /// without -Oz backup; when none was accepted, the smallest answer that
  /// is not smaller than -Oz (such answers are never verified: -Oz replaces
  /// them anyway). Unset when no answer evaluated.
  std::optional<uint64_t> modelSize;
  std::string modelPipeline;
  /// The model's result is used (strictly smaller than -Oz).
  bool modelWon = false;
  /// What was chosen, for people: the model's pipeline, -Oz's canonical
  /// text, or how a split run chose per function.
  std::string pipeline;
  /// The whole-module pipeline chosen (the model's or -Oz); when a split
  /// run won, splitModule holds the result instead.
  Pipeline chosenPipeline = Pipeline::level(OptLevel::Oz);
  uint64_t binarySize = 0;
  /// One line for people: who won and why.
  std::string explanation;
  bool split = false;
  /// "function" or "part": how a split run cut the module.
  std::string splitBy;
  std::vector<PartTuning> functions;
  /// The split run's optimized module, when the split won.
  std::optional<LoadedModule> splitModule;
  /// When the parts of the partition (not the function split) won: the
  /// pipeline of each, which engine/PartOptimizer.h's optimizeByParts
  /// applies to the module again to make splitModule (optlm cc's label).
  std::optional<PartPipelines> partPipelines;
  bool constraintApplied = true;

  /// (oz - chosen) / oz in percent: positive is smaller than -Oz.
  double reductionPercent() const;
  /// Candidates compiled (-Oz, the reference, not counted): the whole
  /// unit's, and for a split run the most any part had, since every part
  /// is a share of the same module's code.
  size_t compilations() const;
  /// The label the results store keeps for the module, as the autotuner's
  /// are: only when a whole-module answer won (-Oz or a per-function choice
  /// is no list to remember).
  std::optional<TunedResult> storeRecord(uint64_t moduleHash, Target target, std::string source,
                                         std::string strategy, uint64_t seed, bool verified) const;
};

using ProgressFunction = llvm::function_ref<void(llvm::StringRef)>;

/// Tunes module (only read) with the model. Errors are for what stops the
/// run (the model cannot be reached, the verifier cannot run, -Oz itself
/// fails); bad answers are results.
llvm::Expected<FlagTuneResult> tuneWithModel(const llvm::Module &module, ModelSource &model,
                                             const FlagTuneOptions &options,
                                             ProgressFunction progress = nullptr);

/// Steps after the asking, for answers already in hand (a model's, a file
/// of answers, a person's): each is parsed, run in the sandbox with -Oz,
/// verified best first, and the smaller of the best accepted and -Oz is
/// the result, exactly as in tuneWithModel.
llvm::Expected<FlagTuneResult> chooseAmongAnswers(const llvm::Module &module,
                                                  llvm::ArrayRef<std::string> answers,
                                                  const FlagTuneOptions &options,
                                                  ProgressFunction progress = nullptr);

/// Chooses one function part's pipeline (its PartTuning without the
/// function name): a model per prompt in tuneWithModel, or any other
/// chooser (the autotuner) to measure what splitting costs. The pipeline
/// must already have run on the part in the sandbox: it is applied in
/// this process.
using PartTuner = std::function<llvm::Expected<PartTuning>(const llvm::Module &part)>;

/// The split run alone: every function tuned by tunePart, reassembled,
/// verified and compared with -Oz on the whole module.
llvm::Expected<FlagTuneResult> tuneSplitWith(const llvm::Module &module, const PartTuner &tunePart,
                                             const FlagTuneOptions &options,
                                             ProgressFunction progress = nullptr);

/// Flag tuning with optlm's own model (flagmodel/FlagModel.h): of
/// options.candidates compilations (0: the model's own count), its
/// proposals for the module take all but the model's chains
/// (flagmodel/Chains.h: pipelines made of the best proposals, compiled
/// once those are measured), checked exactly as chooseAmongAnswers does.
/// More compilations than the model's own count spend that count first,
/// as the default does, then more proposals and chains again
/// (FlagModel::stagesFor).
/// `modelSeconds` receives the time the model itself took (features and
/// choice, no compilation).
llvm::Expected<FlagTuneResult> tuneWithFlagModel(const llvm::Module &module,
                                                 const flagmodel::FlagModel &model,
                                                 const FlagTuneOptions &options,
                                                 double &modelSeconds,
                                                 ProgressFunction progress = nullptr);

/// The module's text as the prompt shows it.
std::string moduleText(const llvm::Module &module);

} // namespace optlm::tasks
