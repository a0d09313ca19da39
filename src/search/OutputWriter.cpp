//===- OutputWriter.cpp - write a tuned program, like `optlm opt` -----------===//
#include "search/OutputWriter.h"

#include "codegen/ModuleWriter.h"
#include "engine/Evaluator.h"

namespace optlm::search {

llvm::Error writeOptimized(const llvm::Module &module, Target target, const Pipeline &pipeline,
                           llvm::StringRef path, CompileAs compileAs) {
  if (auto kind = outputKindFromPath(path); !kind)
    return kind.takeError();
  const CompileSettings settings = compileSettingsFor(module, compileAs);
  auto optimized = optimizeModule(module, pipeline, target, settings);
  if (!optimized)
    return optimized.takeError();
  return writeModule(*optimized->module, path, settings.relocation);
}

} // namespace optlm::search
