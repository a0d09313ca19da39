//===- OutputWriter.h - write a tuned program, like `optlm opt` --*- C++ -*-===//
//
// `optlm tune -o OUT` writes the program optimized with the answer, in the
// form the extension names: .ll (IR text), .bc (bitcode), .o (object file)
// or .s (assembly), compiled with the same target machines as every
// measurement.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"
#include "pipeline/Pipeline.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

namespace optlm::search {

enum class OutputKind { IRText, Bitcode, Object, Assembly };

/// The kind the path's extension names, or an error listing the accepted
/// extensions.
llvm::Expected<OutputKind> outputKindFromPath(llvm::StringRef path);

/// Optimizes a copy of `module` with `pipeline` and writes it to `path`.
llvm::Error writeOptimized(const llvm::Module &module, Target target,
                           const Pipeline &pipeline, llvm::StringRef path);

} // namespace optlm::search
