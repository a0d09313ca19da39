//===- CandidateEvaluator.h - batches of pipelines in, results out -*- C++ -*-===//
//
// The search layer's view of evaluation: a batch of pipelines on the module
// being tuned, results in input order. The engine's sandboxed pool does the
// work (PoolEvaluator); RecordingEvaluator puts the results store in front
// of it, so that nothing is evaluated twice, within a run or across runs.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"
#include "pipeline/Pipeline.h"
#include "search/SearchStrategy.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace optlm {
class ResultsStore;
}

namespace optlm::search {

class CandidateEvaluator {
public:
  virtual ~CandidateEvaluator() = default;
  /// One result per pipeline, in input order. An error means evaluation as
  /// a whole broke down (the store failed, the pool could not start); a
  /// pipeline that crashes LLVM is a result, not an error.
  virtual llvm::Expected<std::vector<EvaluationResult>>
  evaluate(llvm::ArrayRef<Pipeline> pipelines) = 0;
  /// Evaluations the engine answered without forking (its result cache and
  /// duplicates within a batch), for reporting.
  virtual uint64_t cacheHits() const { return 0; }
  /// Evaluations whose optimized IR had been measured before, so that code
  /// generation was skipped (the IR-hash shortcut).
  virtual uint64_t codegenSkipped() const { return 0; }
};

/// Measures flat pass lists (each as `Pipeline::fromPasses`) in one batch:
/// one scored sequence per list, in input order.
llvm::Expected<std::vector<ScoredSequence>> measureSequences(CandidateEvaluator &evaluator,
                                                             std::vector<PassSequence> sequences);

struct EvaluationCounts {
  uint64_t requested = 0;                   ///< every pipeline asked for
  uint64_t fresh = 0;                       ///< evaluated now
  uint64_t fromStore = 0;                   ///< found in the results store
  uint64_t repeated = 0;                    ///< asked for again within this run
  std::map<std::string, uint64_t> outcomes; ///< outcome name -> count
};

/// Answers from this run's memory, then from the store, and sends only the
/// rest to the engine, in one batch; the new results are written to the
/// store in one transaction per batch, so that a run killed midway loses at
/// most the batch in flight.
class RecordingEvaluator final : public CandidateEvaluator {
public:
  /// `store` may be null: then only this run's memory is consulted.
  RecordingEvaluator(CandidateEvaluator &engine, ResultsStore *store, uint64_t moduleHash,
                     Target target);

  llvm::Expected<std::vector<EvaluationResult>>
  evaluate(llvm::ArrayRef<Pipeline> pipelines) override;
  uint64_t cacheHits() const override { return Engine.cacheHits(); }
  uint64_t codegenSkipped() const override { return Engine.codegenSkipped(); }

  const EvaluationCounts &counts() const { return Counts; }

private:
  CandidateEvaluator &Engine;
  ResultsStore *Store;
  uint64_t ModuleHash;
  Target EvaluationTarget;
  llvm::StringMap<EvaluationResult> Seen;
  EvaluationCounts Counts;
};

} // namespace optlm::search
