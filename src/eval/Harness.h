//===- Harness.h - one solver over a suite, item by item ---------*- C++ -*-===//
//
// optlm eval's engine room: for each suite item, prepare the input (compile
// the program, or parse the record's code), let the solver answer, check
// the answer with the real compiler, and journal one JSON result. The
// solvers are a model (local or remote, through the tasks layer) and the
// baselines that need none:
//   -Oz          flag tuning answers default<Oz>: 0% by definition;
//   autotune:N   the autotuner with N search evaluations (recorded in the
//                results store like optlm tune does); with
//                flagTune.alwaysSplit, N evaluations for every function on
//                its own, reassembled as a model's split answers are: what
//                the per-function method can keep of the potential;
//   oracle       the best known answer: a dataset's label, else the store's
//                best tuned result for the module; for disassembly and
//                emulation, the true output. It scores 100% of the
//                potential by construction, which the tests check.
//   unchanged    the plain baselines of the other two tasks: emulation
//                answers the input itself with its own instruction count
//                and binary size (right whenever the pipeline changes
//                nothing), disassembly answers nothing; no flag tuning.
// -Oz and autotune:N have no answer for disassembly and emulation; those
// items are marked skipped, as are flag-tuning items under unchanged.
//
// The flag-tuning reference ("potential") is the best size known for the
// module: the smaller of the store's best tuned result, the label's size,
// and what this solver reached, never worse than -Oz.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "eval/Suite.h"
#include "tasks/FlagTuner.h"
#include "tasks/ModelSource.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace optlm {
class ResultsStore;
}

namespace optlm::flagmodel {
struct FlagModel;
}

namespace optlm::eval {

class Journal;

enum class SolverKind { Model, FlagModel, Oz, Autotune, Oracle, Unchanged };

struct Solver {
  SolverKind kind = SolverKind::Oz;
  uint64_t autotuneBudget = 0;
  /// For SolverKind::Model; not owned.
  tasks::ModelSource *model = nullptr;
  /// For SolverKind::FlagModel (optlm's own flag-tuning model, which
  /// answers flag tuning only); not owned.
  const flagmodel::FlagModel *flagModel = nullptr;
  std::string flagModelName;
  /// "model:NAME", "flagmodel:NAME", "-Oz", "autotune:N", "oracle",
  /// "unchanged": journal and report key.
  std::string name() const;
};

/// "-Oz" (also "Oz", "oz"), "autotune:N" (N >= 1), "oracle", "unchanged".
llvm::Expected<Solver> parseBaseline(llvm::StringRef text);

struct HarnessOptions {
  Solver solver;
  uint64_t seed = 0;
  /// Flag tuning with a model: answers per program (and the other
  /// FlagTuneOptions: split of long inputs, verification).
  tasks::FlagTuneOptions flagTune;
  /// Sandboxed evaluations at once; 0: one per core.
  unsigned jobs = 0;
  /// Best known results (read) and autotune results (written); may be null.
  ResultsStore *store = nullptr;
  /// Results already journaled are taken from here; may be null.
  Journal *journal = nullptr;
  /// Called after each item with its result (and whether it was resumed).
  std::function<void(size_t done, size_t total, const SuiteItem &item, const nlohmann::json &result,
                     bool resumed)>
      progress;
};

/// One JSON result per item, in suite order (see docs/evaluation.md for the
/// fields). Errors only for broken machinery (the journal or the store
/// failing, a model that cannot be reached); an item that cannot be
/// prepared or answered is a result with an "error" field.
llvm::Expected<std::vector<nlohmann::json>> runSuite(llvm::ArrayRef<SuiteItem> items,
                                                     const HarnessOptions &options);

} // namespace optlm::eval
