//===- ModulePartitioner.cpp - a module as separately compilable parts ----===//
#include "ir/ModulePartitioner.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

using namespace llvm;

namespace optlm {
namespace {

/// Calls to a plain external function are the only references that may
/// cross parts: everything else names something whose definition its user
/// must see (a local symbol, a variable, a symbol the linker may replace).
bool joinsItsUsers(const GlobalValue &value) {
  if (value.isDeclaration())
    return false;
  return !(isa<Function>(value) && value.getLinkage() == GlobalValue::ExternalLinkage);
}

bool canPartition(const Module &module) {
  if (!module.getModuleInlineAsm().empty() || !module.alias_empty() || !module.ifunc_empty())
    return false;
  for (const GlobalValue &value : module.global_values())
    if (!value.hasName() && !value.hasLocalLinkage())
      return false;
  return true;
}

/// The global values a definition names, through constant expressions and
/// aggregates (block addresses name their function). One walker a
/// definition: constants are uniqued, so two variables' initializers may
/// share an aggregate (pcre2's default contexts share {malloc, free, data}
/// of two static functions), and a walker that skipped what another
/// definition's walk had seen would miss those functions for the second.
class ReferenceWalker {
public:
  void walkFunction(const Function &function, SmallVectorImpl<const GlobalValue *> &found) {
    if (function.hasPersonalityFn())
      walk(function.getPersonalityFn(), found);
    if (function.hasPrefixData())
      walk(function.getPrefixData(), found);
    if (function.hasPrologueData())
      walk(function.getPrologueData(), found);
    for (const BasicBlock &block : function)
      for (const Instruction &instruction : block)
        for (const Use &operand : instruction.operands())
          if (const auto *constant = dyn_cast<Constant>(operand.get()))
            walk(constant, found);
  }

  void walk(const Constant *constant, SmallVectorImpl<const GlobalValue *> &found) {
    if (const auto *value = dyn_cast<GlobalValue>(constant)) {
      found.push_back(value);
      return;
    }
    if (isa<ConstantData>(constant) || !Visited.insert(constant).second)
      return;
    for (const Use &operand : constant->operands())
      if (const auto *inner = dyn_cast<Constant>(operand.get()))
        walk(inner, found);
  }

private:
  DenseSet<const Constant *> Visited;
};

/// Groups that may be compiled apart may also be compiled together: in
/// order, groups are gathered until each part holds a maxParts-th of the
/// module's instructions, so that a module of many small groups does not
/// cost a compilation per group (a part that is big alone stays alone).
std::vector<std::vector<const GlobalObject *>>
gatherIntoParts(std::vector<std::vector<const GlobalObject *>> groups, size_t maxParts) {
  if (maxParts == 0 || groups.size() <= maxParts)
    return groups;
  auto instructions = [](const std::vector<const GlobalObject *> &group) {
    size_t count = 0;
    for (const GlobalObject *definition : group)
      if (const auto *function = dyn_cast<Function>(definition))
        count += function->getInstructionCount();
    return count;
  };
  size_t total = 0;
  for (const auto &group : groups)
    total += instructions(group);
  const size_t share = std::max<size_t>(1, (total + maxParts - 1) / maxParts);
  std::vector<std::vector<const GlobalObject *>> parts;
  size_t inLast = share; // a new part starts with the first group
  for (std::vector<const GlobalObject *> &group : groups) {
    if (inLast >= share) {
      parts.emplace_back();
      inLast = 0;
    }
    inLast += instructions(group);
    parts.back().insert(parts.back().end(), group.begin(), group.end());
  }
  return parts;
}

} // namespace

void dropUnusedDeclarations(Module &module) {
  std::vector<GlobalValue *> dead;
  for (GlobalValue &value : module.global_values())
    if (value.isDeclaration() && value.use_empty())
      dead.push_back(&value);
  for (GlobalValue *value : dead)
    value->eraseFromParent();
}

Expected<PartitionedModule> partitionModule(const Module &module, size_t maxParts) {
  PartitionedModule result;
  result.context = std::make_unique<LLVMContext>();
  // CloneModule makes its clones in the source's context: the copy that is
  // cut into parts lives in the result's.
  Expected<std::unique_ptr<Module>> copy = copyIntoContext(module, *result.context);
  if (!copy)
    return copy.takeError();
  Module &whole = **copy;

  if (!canPartition(whole)) {
    // One part, aliases and all: a copy of the whole.
    std::vector<std::string> names;
    for (const Function &function : whole)
      if (!function.isDeclaration())
        names.push_back(function.getName().str());
    result.functionNames.push_back(std::move(names));
    result.parts.push_back(std::move(*copy));
    return result;
  }

  std::vector<const GlobalObject *> definitions;
  for (const Function &function : whole)
    if (!function.isDeclaration())
      definitions.push_back(&function);
  for (const GlobalVariable &variable : whole.globals())
    if (!variable.isDeclaration())
      definitions.push_back(&variable);

  EquivalenceClasses<const GlobalValue *> groups;
  for (const GlobalObject *definition : definitions)
    groups.insert(definition);
  DenseMap<const Comdat *, const GlobalObject *> comdatLeader;
  for (const GlobalObject *definition : definitions) {
    ReferenceWalker walker;
    SmallVector<const GlobalValue *, 16> referenced;
    if (const auto *function = dyn_cast<Function>(definition))
      walker.walkFunction(*function, referenced);
    else if (const auto *variable = dyn_cast<GlobalVariable>(definition))
      walker.walk(variable->getInitializer(), referenced);
    for (const GlobalValue *value : referenced)
      if (joinsItsUsers(*value))
        groups.unionSets(definition, value);
    if (const Comdat *comdat = definition->getComdat()) {
      auto [leader, isNew] = comdatLeader.try_emplace(comdat, definition);
      if (!isNew)
        groups.unionSets(leader->second, definition);
    }
  }

  // Parts in the order of their first definition: functions first.
  DenseMap<const GlobalValue *, size_t> partOfLeader;
  std::vector<std::vector<const GlobalObject *>> members;
  for (const GlobalObject *definition : definitions) {
    const GlobalValue *leader = groups.getLeaderValue(definition);
    auto [slot, isNew] = partOfLeader.try_emplace(leader, members.size());
    if (isNew)
      members.emplace_back();
    members[slot->second].push_back(definition);
  }
  if (members.empty())
    members.emplace_back();
  members = gatherIntoParts(std::move(members), maxParts);

  for (const std::vector<const GlobalObject *> &part : members) {
    DenseSet<const GlobalValue *> inPart(part.begin(), part.end());
    ValueToValueMapTy map;
    std::unique_ptr<Module> clone =
        CloneModule(whole, map, [&](const GlobalValue *value) { return inPart.contains(value); });
    dropUnusedDeclarations(*clone);
    std::vector<std::string> names;
    for (const GlobalObject *definition : part)
      if (isa<Function>(definition))
        names.push_back(definition->getName().str());
    result.functionNames.push_back(std::move(names));
    result.parts.push_back(std::move(clone));
  }
  return result;
}

Expected<LoadedModule> linkParts(ArrayRef<const Module *> parts) {
  if (parts.empty())
    return createStringError("no parts to link");
  Expected<LoadedModule> first = copyIntoNewContext(*parts.front());
  if (!first)
    return first.takeError();
  LoadedModule result = std::move(*first);
  Linker linker(*result.module);
  for (const Module *part : parts.drop_front()) {
    Expected<std::unique_ptr<Module>> copy = copyIntoContext(*part, *result.context);
    if (!copy)
      return copy.takeError();
    // linkInModule reports its problems through the context's handler and
    // returns true; the message is not ours to print.
    if (linker.linkInModule(std::move(*copy)))
      return createStringError("the parts do not link");
  }
  std::string problems;
  raw_string_ostream stream(problems);
  if (verifyModule(*result.module, &stream))
    return createStringError("the linked module is not valid IR: %s",
                             StringRef(problems).trim().str().c_str());
  return result;
}

} // namespace optlm
