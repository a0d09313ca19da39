//===- ModulePartitioner.h - a module as separately compilable parts -*- C++ -*-===//
//
// A translation unit often holds several groups of functions that share
// nothing but external symbols: each group could have been a translation
// unit of its own. Such groups may prefer different pass lists, and a list
// chosen per group can beat the best single list for the whole module. The
// partition is the one separate compilation would allow, so that optimizing
// each part alone and linking the results is as sound as compiling several
// files with different flags and linking them:
//   - a function or variable that names a local symbol (internal, private),
//     any global variable, or a function of another linkage than plain
//     external (linkonce, weak, available_externally) is in that symbol's
//     part: nothing local is ever shared, and loads of a variable are folded
//     with its definition in sight, as in the whole module;
//   - the members of a comdat stay together;
//   - calls to (and addresses of) a function with external linkage join
//     nothing: in another part they name a declaration, as a call into
//     another file does.
// Unlike the function split (ir/FunctionSplitter.h), nothing is promoted and
// nothing local crosses a part: the interprocedural passes see every caller
// of a local function. What a part loses is inlining a plain external
// function defined in another part.
//
// Modules with aliases, ifuncs or module-level inline assembly stay in one
// part (such symbols can be defined only once and their users are hard to
// place).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ir/ModuleLoader.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace optlm {

struct PartitionedModule {
  // Declared first: destroyed after the modules that live in it.
  std::unique_ptr<llvm::LLVMContext> context;
  /// Each part declares only what it uses; parts are in the order of their
  /// first definition in the input.
  std::vector<std::unique_ptr<llvm::Module>> parts;
  /// The defined functions of each part, in the input's order.
  std::vector<std::vector<std::string>> functionNames;

  /// Whether part `index` defines a function: a part of variables alone is
  /// the same under every pass list, so tuning, training and labelling pass
  /// it over.
  bool holdsCode(size_t index) const { return !functionNames[index].empty(); }
};

/// The part count `optlm tune` gathers a unit's groups into: each part costs
/// its own -Oz and sandboxed pool (a lame unit of 152 groups: 28 CPU seconds
/// of tuning alone, 4 in 7 parts), while each part that is a group of its own
/// chooses its lists apart (32 against 8 parts: 1.3 points more of the
/// autotuner's reduction on training units, a 240 KB unit of 24 groups tuned
/// in 1.5 s against 1.2 with a warm store; docs/flag-model.md). A
/// flag-tuning model that learns from parts cuts its training units the same
/// way.
inline constexpr size_t kDefaultMaxParts = 32;

/// Partitions a copy of module (which is only read). A module that cannot
/// be partitioned, or has one group only, comes back as one part. With more
/// than maxParts groups (0: no limit), neighbouring groups are gathered into
/// parts of about a maxParts-th of the module's instructions each, so that
/// about maxParts parts remain (a group bigger than that stays whole).
llvm::Expected<PartitionedModule> partitionModule(const llvm::Module &module, size_t maxParts = 0);

/// Erases the declarations (functions, variables) nothing in module uses.
void dropUnusedDeclarations(llvm::Module &module);

/// Links modules (any contexts; only read) into one in a fresh context and
/// verifies it. Local symbols whose names clash are renamed by the linker.
llvm::Expected<LoadedModule> linkParts(llvm::ArrayRef<const llvm::Module *> parts);

} // namespace optlm
