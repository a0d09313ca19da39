//===- PoolEvaluator.cpp - the engine's sandboxed pool as an evaluator ------===//
#include "search/PoolEvaluator.h"

#include "engine/EvaluationPool.h"

namespace optlm::search {

struct PoolEvaluator::Impl {
  Impl(const llvm::Module &module, EvaluationPoolOptions options)
      : Pool(module, std::move(options)) {}
  EvaluationPool Pool;
  Target EvaluationTarget = Target::X86_64;
};

PoolEvaluator::PoolEvaluator(const llvm::Module &module, Target target, unsigned jobs,
                             CompileAs compileAs, std::optional<uint64_t> knownModuleHash) {
  EvaluationPoolOptions options;
  options.jobs = jobs;
  options.compileAs = compileAs;
  options.knownModuleHash = knownModuleHash;
  State = std::make_unique<Impl>(module, std::move(options));
  State->EvaluationTarget = target;
}

PoolEvaluator::~PoolEvaluator() = default;

llvm::Expected<std::vector<EvaluationResult>>
PoolEvaluator::evaluate(llvm::ArrayRef<Pipeline> pipelines) {
  return State->Pool.evaluate(pipelines, State->EvaluationTarget);
}

uint64_t PoolEvaluator::cacheHits() const {
  const EvaluationPoolStatistics &stats = State->Pool.statistics();
  uint64_t hits = stats.batchDuplicates;
  if (const EvaluationCache *cache = State->Pool.cache())
    hits += cache->statistics().resultHits;
  return hits;
}

uint64_t PoolEvaluator::codegenSkipped() const { return State->Pool.statistics().codegenSkipped; }

} // namespace optlm::search
