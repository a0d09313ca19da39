//===- PartOptimizer.h - a pipeline for each part, applied -------*- C++ -*-===//
//
// Applies a PartPipelines (pipeline/PartPipelines.h) as `optlm tune` made
// it: the module cut by partitionModule for the plan's part count, each part
// that holds code optimized by its own pipeline (the parts of variables
// alone as they are), the parts linked (variables first, as the tuner links
// them), and globaldce over the whole, so that what the tuner measured and
// what a build compiles are the same IR.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "codegen/CompileSettings.h"
#include "engine/Evaluator.h"
#include "pipeline/PartPipelines.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

namespace optlm {

/// What runs over the linked parts: the symbols no part uses any more
/// (a local function every caller of which was inlined) go.
const Pipeline &cleanupAfterParts();

/// module is only read. An error when the module's parts are not the ones
/// the plan names (another module, another part count), a part's pipeline
/// fails, or the parts do not link. Passes that crash take the process
/// down, as in optimizeModule: run it in a sandbox.
llvm::Expected<OptimizedModule> optimizeByParts(const llvm::Module &module,
                                                const PartPipelines &plan, Target target,
                                                CompileAs compileAs);

/// optimizeModule or optimizeByParts, whichever `pipeline` is; the passes
/// are set up as compileSettingsFor gives.
llvm::Expected<OptimizedModule> optimizeUnit(const llvm::Module &module,
                                             const UnitPipeline &pipeline, Target target,
                                             CompileAs compileAs);

} // namespace optlm
