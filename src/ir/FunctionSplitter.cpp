//===- FunctionSplitter.cpp - one module per function, and back -----------===//
#include "ir/FunctionSplitter.h"
#include "ir/ModulePartitioner.h"

#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

using namespace llvm;

namespace optlm {
namespace {

/// Declarations of LLVM's special globals (llvm.used, llvm.global_ctors)
/// are meaningless in a part and would clash with the definitions when the
/// parts are linked.
void dropSpecialDeclarations(Module &module) {
  std::vector<GlobalVariable *> dead;
  for (GlobalVariable &variable : module.globals())
    if (variable.isDeclaration() && variable.getName().starts_with("llvm.") && variable.use_empty())
      dead.push_back(&variable);
  for (GlobalVariable *variable : dead)
    variable->eraseFromParent();
}

} // namespace

Expected<SplitModule> splitByFunction(const Module &module) {
  SplitModule split;
  split.context = std::make_unique<LLVMContext>();
  auto working = copyIntoContext(module, *split.context);
  if (!working)
    return working.takeError();
  Module &whole = **working;

  unsigned anonymous = 0;
  for (GlobalValue &value : whole.global_values()) {
    if (value.getName().starts_with("llvm."))
      continue;
    if (!value.hasName())
      value.setName("__optlm_split_anon." + Twine(anonymous++));
    if (!value.hasLocalLinkage())
      continue;
    split.promoted.emplace_back(value.getName().str(), value.getLinkage());
    value.setLinkage(GlobalValue::ExternalLinkage);
    value.setVisibility(GlobalValue::HiddenVisibility);
  }

  for (Function &function : whole) {
    if (function.isDeclaration())
      continue;
    ValueToValueMapTy map;
    std::unique_ptr<Module> part =
        CloneModule(whole, map, [&](const GlobalValue *value) { return value == &function; });
    dropSpecialDeclarations(*part);
    split.functionNames.push_back(function.getName().str());
    split.functions.push_back(std::move(part));
  }
  ValueToValueMapTy map;
  split.globals =
      CloneModule(whole, map, [](const GlobalValue *value) { return !isa<Function>(value); });
  return split;
}

Expected<SplitModule> splitIntoStandaloneFunctions(const Module &module) {
  Expected<SplitModule> split = splitByFunction(module);
  if (!split)
    return split.takeError();
  for (std::unique_ptr<Module> &part : split->functions)
    dropUnusedDeclarations(*part);
  return split;
}

Expected<LoadedModule>
reassemble(ArrayRef<const Module *> parts,
           ArrayRef<std::pair<std::string, GlobalValue::LinkageTypes>> promoted) {
  Expected<LoadedModule> result = linkParts(parts);
  if (!result)
    return result.takeError();
  for (const auto &[name, linkage] : promoted) {
    GlobalValue *value = result->module->getNamedValue(name);
    if (!value || value->isDeclaration())
      continue;
    value->setVisibility(GlobalValue::DefaultVisibility);
    value->setLinkage(linkage);
  }
  std::string problems;
  raw_string_ostream stream(problems);
  if (verifyModule(*result->module, &stream))
    return createStringError("the reassembled module is not valid IR: %s",
                             StringRef(problems).trim().str().c_str());
  return result;
}

} // namespace optlm
