//===- TuningInput.cpp - the module a tuning run works on -------------------===//
#include "search/TuningInput.h"

#include "codegen/TargetMachines.h"

namespace optlm::search {

llvm::Expected<TuningInput> loadTuningInput(llvm::StringRef path, Target target,
                                            CompileAs compileAs) {
  const std::string triple = targetTriple(target).str();
  auto layout = dataLayoutFor(triple);
  if (!layout)
    return layout.takeError();
  auto loaded = loadModule(path, ModuleTarget{triple, *layout});
  if (!loaded)
    return loaded.takeError();
  TuningInput input;
  input.path = path.str();
  input.target = target;
  input.compileAs = compileAs;
  input.moduleHash = moduleHashCompiledAs(*loaded->module, compileAs);
  input.loaded = std::move(*loaded);
  return input;
}

} // namespace optlm::search
