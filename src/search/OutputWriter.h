//===- OutputWriter.h - write a tuned program, like `optlm opt` --*- C++ -*-===//
//
// `optlm tune -o OUT` writes the program optimized with the answer, in the
// form the extension names (codegen/ModuleWriter.h).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "codegen/CompileSettings.h"
#include "engine/Evaluation.h"
#include "pipeline/Pipeline.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

namespace optlm::search {

/// Optimizes a copy of `module` with `pipeline`, with the same optimization
/// and code generation as every evaluation made as `compileAs` compiles,
/// and writes it to `path` (replaced only on success).
llvm::Error writeOptimized(const llvm::Module &module, Target target, const Pipeline &pipeline,
                           llvm::StringRef path, CompileAs compileAs = CompileAs::OptAndLlc);

} // namespace optlm::search
