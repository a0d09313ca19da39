//===- SandboxedOutput.h - optimize and write a unit in a child --*- C++ -*-===//
//
// The optimized program a user or a build asks for (`optlm opt -o`, `optlm
// tune -o`, the bitcode optlm cc hands clang's code generator) may come from
// a pipeline from outside (`optlm opt -p`, a build's forced pipeline, a plan
// from a log) that crashes LLVM, and such crashes are to be reported, not
// suffered. Here the optimization and the writing run in a forked child of
// the sandbox (sandbox/ProcessPool), so a crash, a fatal error, a time-out or
// exhausted memory becomes an error naming the engine's outcome, and the
// output file is written (atomically, codegen/ModuleWriter.h) only when
// everything succeeded.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "codegen/CompileSettings.h"
#include "engine/Evaluation.h"
#include "pipeline/PartPipelines.h"
#include "sandbox/ProcessPool.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

namespace optlm {

/// Limits for one sandboxed optimization: the evaluation pool's wall clock,
/// with more memory headroom (a whole program rather than one candidate).
sandbox::Limits sandboxedOutputLimits();

/// Optimizes `module` with `pipeline` as `compileAs` compiles (optimizeUnit)
/// in a child and writes it to `path` in the form the path's extension names,
/// objects and assembly with the settings' relocation model. An error reads
/// "evaluation failed (OUTCOME): message" with the engine's outcome name
/// (crash, fatal, timeout, out-of-memory, invalid-ir, ...), or is the
/// writer's own (a folder that is not there); `path` is then as it was.
llvm::Error writeOptimizedUnit(const llvm::Module &module, const UnitPipeline &pipeline,
                               Target target, CompileAs compileAs, llvm::StringRef path,
                               const sandbox::Limits &limits = sandboxedOutputLimits());

} // namespace optlm
