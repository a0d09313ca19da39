//===- FunctionSplitter.cpp - one module per function, and back -----------===//
#include "ir/FunctionSplitter.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/MemoryBuffer.h"
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

Expected<std::unique_ptr<Module>> copyInto(const Module &module, LLVMContext &context) {
  SmallVector<char, 0> bytes;
  raw_svector_ostream stream(bytes);
  WriteBitcodeToFile(module, stream, /*ShouldPreserveUseListOrder=*/true);
  MemoryBufferRef buffer(StringRef(bytes.data(), bytes.size()), module.getModuleIdentifier());
  return parseBitcodeFile(buffer, context);
}

void dropUnusedDeclarations(Module &module) {
  std::vector<GlobalValue *> dead;
  for (GlobalValue &value : module.global_values())
    if (value.isDeclaration() && value.use_empty())
      dead.push_back(&value);
  for (GlobalValue *value : dead)
    value->eraseFromParent();
}

} // namespace

Expected<SplitModule> splitByFunction(const Module &module) {
  SplitModule split;
  split.context = std::make_unique<LLVMContext>();
  auto working = copyInto(module, *split.context);
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
  if (parts.empty())
    return createStringError("nothing to reassemble");
  LoadedModule result;
  result.context = std::make_unique<LLVMContext>();
  auto first = copyInto(*parts.front(), *result.context);
  if (!first)
    return first.takeError();
  result.module = std::move(*first);
  Linker linker(*result.module);
  for (const Module *part : parts.drop_front()) {
    auto copy = copyInto(*part, *result.context);
    if (!copy)
      return copy.takeError();
    // linkInModule reports its problems through the context's handler and
    // returns true; the message is not ours to print.
    if (linker.linkInModule(std::move(*copy)))
      return createStringError("the parts of the split module do not link");
  }
  for (const auto &[name, linkage] : promoted) {
    GlobalValue *value = result.module->getNamedValue(name);
    if (!value || value->isDeclaration())
      continue;
    value->setVisibility(GlobalValue::DefaultVisibility);
    value->setLinkage(linkage);
  }
  std::string problems;
  raw_string_ostream stream(problems);
  if (verifyModule(*result.module, &stream))
    return createStringError("the reassembled module is not valid IR: %s",
                             StringRef(problems).trim().str().c_str());
  return result;
}

} // namespace optlm
