//===- PipelineChooser.h - which pipeline a translation unit gets -*- C++ -*-===//
//
// Tune mode gives each unit the best pipeline optlm has without (or, with a
// budget, with) searching:
//   1. a verified result already in the results store for this IR hash
//      (`optlm tune`, an earlier build, or broadcast put it there);
//   2. otherwise optlm's flag-tuning model, run as `optlm tune` runs it
//      (tasks/FlagTuner.h: its library lists, then chains of the best
//      so far, the inliner-free slot; by default only the chains whose
//      verdict the store holds, since a new chain costs a suite run), with
//      the candidates of every PipelineSource (today: the lists most often
//      best among the store's verified results, as broadcast picks them)
//      compiled and ranked beside its first lists; all measured with -Oz in
//      optlm's sandboxed pool as the build's clang compiles, and verified with
//      PassListEval, smallest first; the first accepted one smaller than -Oz
//      wins;
//   3. with a budget, a search (the autotuner, verified like `optlm tune`);
//   4. -Oz.
// Whatever was measured is recorded in the store under the unit's IR hash
// (a -Oz answer included), so that a rebuild is one lookup.
//
// Only verified pipelines are chosen: PassListEval verdicts are cached per
// list in the store, so each list is checked once for a whole build.
//
// Where a unit holds several groups of functions that could have been
// files of their own, the model also chooses a list for each group, as
// `optlm tune` does, and the parts, optimized one by one and linked, win
// when smaller. Such a result is no single list: the store's label, the
// object cache's key and the build log hold it as pipelines for each part
// (pipeline/PartPipelines.h), which engine/PartOptimizer.h applies again.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "codegen/CompileSettings.h"
#include "engine/Evaluation.h"
#include "pipeline/Pipeline.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace optlm {
class ResultsStore;
}

namespace optlm::search {
class CandidateEvaluator;
}

namespace optlm::flagmodel {
struct FlagModel;
}

namespace optlm::cc {

struct Settings;

/// What a chooser and its sources know about one unit.
struct UnitContext {
  UnitContext(const llvm::Module &module, Target target, ResultsStore *store, std::string source,
              CompileAs compileAs = CompileAs::OptAndLlc)
      : module(module), target(target), store(store), source(std::move(source)),
        compileAs(compileAs), moduleHash(moduleHashCompiledAs(module, compileAs)) {}

  /// The unoptimized module, set to `target` (optlm's triple and layout).
  const llvm::Module &module;
  Target target;
  /// May be null (no store could be opened).
  ResultsStore *store;
  std::string source; ///< the source file, for the store's records
  /// How candidates are compiled: a build's objects are made by clang with
  /// the flags that made the module (codegen/CompileSettings.h), and a
  /// list's advantage over -Oz can turn around with them.
  CompileAs compileAs;
  /// The store's key for the unit: its hash keyed by the compile settings,
  /// since sizes measured another way differ.
  uint64_t moduleHash;
};

/// A place pipelines can come from. Proposals are only candidates: the
/// chooser measures each against -Oz and verifies it before it is used.
class PipelineSource {
public:
  virtual ~PipelineSource();
  /// Names the source in the build log and the store ("broadcast", "model").
  virtual llvm::StringRef name() const = 0;
  /// Pipeline texts in any form Pipeline::parse accepts, best guess first.
  /// An error is logged and the other sources are still asked.
  virtual llvm::Expected<std::vector<std::string>> propose(const UnitContext &unit) = 0;
};

/// The K lists most often best among the store's verified results for the
/// unit's target (search/Broadcast.h's mostFrequentPipelines).
std::unique_ptr<PipelineSource> makeBroadcastSource(unsigned k);

/// The sources tune mode asks besides the model, in order.
std::vector<std::unique_ptr<PipelineSource>> defaultPipelineSources(const Settings &settings);

struct Choice {
  /// Canonical text (-Oz's when nothing better), or a PartPipelines' text
  /// when the parts chosen one by one won.
  std::string pipeline;
  bool isOz = true;
  /// "store", a source's name, "search", "forced", "oz".
  std::string how = "oz";
  /// optlm's measurements (.text+.data), when it made or found them.
  std::optional<uint64_t> size;
  std::optional<uint64_t> ozSize;
  /// Problems met on the way (a source's error, a store error), one line each.
  std::vector<std::string> notes;
};

struct ChooserOptions {
  /// Search evaluations per unit when no known pipeline beats -Oz; none: no search.
  std::optional<uint64_t> budget;
  /// Used as it is, unverified (OPTLM_CC_PIPELINE).
  std::string forcedPipeline;
  /// Children of the evaluation pool (a make -j build runs many compilers).
  unsigned jobs = 1;
  /// Checks a candidate; empty: PassListEval on the suite, verdicts cached
  /// in the store (tests give their own).
  std::function<llvm::Expected<bool>(const Pipeline &)> verifier;
  /// optlm's flag-tuning model's file (flagmodel/FlagModel.h); empty: the
  /// shipped model for the unit's target (none shipped: no model); unset:
  /// no model, the sources' proposals alone.
  std::optional<std::string> model;
  /// The model's compilations per unit, its chains included.
  unsigned modelCompilations = 10;
  /// Every chain of the model's best lists (a new pipeline, verified when
  /// it wins: a suite run); false: only those whose verdict the store
  /// holds, the model's next library lists in the others' place.
  bool allChains = false;
  /// The model's lists for each separately compilable part too (its
  /// part-by-part mode, tasks/FlagTuner.h); false: whole units only.
  bool byParts = true;
};

class PipelineChooser {
public:
  PipelineChooser(ChooserOptions options, std::vector<std::unique_ptr<PipelineSource>> sources);
  ~PipelineChooser();

  /// Never fails: whatever goes wrong is a note, and -Oz the answer.
  Choice choose(const UnitContext &unit);

private:
  struct Proposal;
  class LazyVerifier;

  /// The steps of choose(): each says whether it decided (and may add notes).
  bool chooseForced(Choice &choice) const;
  bool chooseStored(const UnitContext &unit, Choice &choice) const;
  /// The model, loaded for the unit's target; none when it is off, none is
  /// shipped for the target, or the file does not load (a note says why).
  std::optional<flagmodel::FlagModel> loadModel(const UnitContext &unit, Choice &choice) const;
  /// Measures -Oz, the model's plan (when there is a model) and the
  /// proposals, then verifies those smaller than -Oz, smallest first, until
  /// one passes. False when that could not run to the end (-Oz itself did
  /// not evaluate, the verifier could not run): the choice stays -Oz,
  /// unmeasured, and nothing is recorded.
  bool chooseAmongProposals(const UnitContext &unit, const flagmodel::FlagModel *model,
                            llvm::ArrayRef<Proposal> proposals, LazyVerifier &verifier,
                            Choice &choice, uint64_t &evaluations) const;
  /// The autotuner with the budget; records its label. False when it could
  /// not run.
  bool chooseBySearch(const UnitContext &unit, search::CandidateEvaluator &evaluator,
                      LazyVerifier &verifier, Choice &choice, uint64_t &evaluations) const;

  ChooserOptions Options;
  std::vector<std::unique_ptr<PipelineSource>> Sources;
};

/// The canonical text of -Oz, as the store and the tuner write it.
std::string ozPipelineText();

} // namespace optlm::cc
