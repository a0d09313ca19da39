//===- PoolEvaluator.h - the engine's sandboxed pool as an evaluator -*- C++ -*-===//
//
// Evaluation itself is the engine's: EvaluationPool forks a sandboxed child
// per pipeline from this process (which holds the parsed module), with its
// in-memory cache and the IR-hash shortcut. This adapter only gives it the
// search layer's interface; the pool's header stays out of the search
// headers.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "codegen/CompileSettings.h"
#include "search/CandidateEvaluator.h"

#include "llvm/IR/Module.h"

#include <memory>
#include <optional>

namespace optlm::search {

class PoolEvaluator final : public CandidateEvaluator {
public:
  /// `module` must outlive the evaluator and stay unchanged. jobs 0: one
  /// child per core. Sizes are measured as `compileAs` compiles
  /// (codegen/CompileSettings.h).
  /// `knownModuleHash`, when given, is moduleHashCompiledAs(module,
  /// compileAs), which the caller has computed already.
  PoolEvaluator(const llvm::Module &module, Target target, unsigned jobs,
                CompileAs compileAs = CompileAs::OptAndLlc,
                std::optional<uint64_t> knownModuleHash = std::nullopt);
  ~PoolEvaluator() override;

  llvm::Expected<std::vector<EvaluationResult>>
  evaluate(llvm::ArrayRef<Pipeline> pipelines) override;
  uint64_t cacheHits() const override;
  uint64_t codegenSkipped() const override;

private:
  struct Impl;
  std::unique_ptr<Impl> State;
};

} // namespace optlm::search
