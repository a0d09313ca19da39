//===- PartOptimizer.cpp - a pipeline for each part, applied --------------===//
#include "engine/PartOptimizer.h"

#include "ir/ModulePartitioner.h"

#include "llvm/Support/FormatVariadic.h"

#include <vector>

using namespace llvm;

namespace optlm {

Expected<OptimizedModule> optimizeByParts(const Module &module, const PartPipelines &plan,
                                          Target target, CompileAs compileAs) {
  Expected<PartitionedModule> partition = partitionModule(module, plan.maxParts);
  if (!partition)
    return partition.takeError();
  std::vector<const Module *> linked;
  std::vector<const Module *> code;
  for (size_t i = 0; i < partition->parts.size(); ++i)
    (partition->holdsCode(i) ? code : linked).push_back(partition->parts[i].get());
  // A plan made for another module (or cut) is a pipeline that does not
  // apply here.
  if (code.size() != plan.parts.size())
    return make_error<EvaluationError>(
        Outcome::InvalidPipeline,
        formatv("the module has {0} part(s) of code at {1} parts at most, the plan names {2}",
                code.size(), plan.maxParts, plan.parts.size())
            .str());
  std::vector<OptimizedModule> optimized;
  for (size_t i = 0; i < code.size(); ++i) {
    Expected<OptimizedModule> part =
        optimizeModule(*code[i], plan.parts[i], target, compileSettingsFor(*code[i], compileAs));
    if (!part)
      return part.takeError();
    optimized.push_back(std::move(*part));
    linked.push_back(optimized.back().module.get());
  }
  Expected<LoadedModule> whole = linkParts(linked);
  if (!whole)
    return whole.takeError();
  return optimizeModule(*whole->module, cleanupAfterParts(), target,
                        compileSettingsFor(*whole->module, compileAs));
}

Expected<OptimizedModule> optimizeUnit(const Module &module, const UnitPipeline &pipeline,
                                       Target target, CompileAs compileAs) {
  if (const auto *parts = std::get_if<PartPipelines>(&pipeline))
    return optimizeByParts(module, *parts, target, compileAs);
  return optimizeModule(module, std::get<Pipeline>(pipeline), target,
                        compileSettingsFor(module, compileAs));
}

const Pipeline &cleanupAfterParts() {
  static const Pipeline cleanup = cantFail(Pipeline::parse("globaldce"));
  return cleanup;
}

} // namespace optlm
