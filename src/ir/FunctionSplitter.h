//===- FunctionSplitter.h - one module per function, and back ----*- C++ -*-===//
//
// LLM Compiler's main limit is its context: most translation units of
// MiBench do not fit 16k tokens. optlm splits such a module so that each
// function can be tuned on its own prompt:
//   - local symbols (internal, private) are made external and hidden for the
//     time being, so that a function can name what it uses in another part;
//     unnamed globals get a name for the same reason;
//   - each defined function becomes a module of its own in which it is the
//     only definition: every other function and every global variable is a
//     declaration there;
//   - one more part holds the global variables' definitions (and no
//     function bodies).
// After each part is optimized on its own, reassemble() links the parts
// (llvm::Linker), gives every promoted symbol back its original linkage and
// verifies the result.
//
// What is lost: passes that look across functions (inlining, dead argument
// elimination, interprocedural constant propagation, merging functions) and
// passes that fold loads of constant globals only see one function and
// declarations. docs/tasks.md measures what that costs.
//
// The same parts, each stripped of the declarations it does not use, are
// the corpus's per-function view (`optlm corpus add --per-function`): small
// standalone modules that fit a small language model's context.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ir/ModuleLoader.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/IR/GlobalValue.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace optlm {

struct SplitModule {
  // Declared first: destroyed after the modules that live in it.
  std::unique_ptr<llvm::LLVMContext> context;
  /// One module per defined function, in the input's order.
  std::vector<std::unique_ptr<llvm::Module>> functions;
  std::vector<std::string> functionNames;
  /// The global variables' definitions.
  std::unique_ptr<llvm::Module> globals;
  /// Symbols made external for the split, with the linkage to give back.
  std::vector<std::pair<std::string, llvm::GlobalValue::LinkageTypes>> promoted;
};

/// Splits a copy of module (which is only read).
llvm::Expected<SplitModule> splitByFunction(const llvm::Module &module);

/// Each defined function as a standalone module: splitByFunction's part,
/// without the declarations (functions, variables, aliases) it does not
/// use. The context lives in the result, as in SplitModule.
llvm::Expected<SplitModule> splitIntoStandaloneFunctions(const llvm::Module &module);

/// Links parts (any contexts; only read) into one module in a fresh
/// context, restores the promoted symbols' linkage and verifies the result.
llvm::Expected<LoadedModule>
reassemble(llvm::ArrayRef<const llvm::Module *> parts,
           llvm::ArrayRef<std::pair<std::string, llvm::GlobalValue::LinkageTypes>> promoted);

} // namespace optlm
