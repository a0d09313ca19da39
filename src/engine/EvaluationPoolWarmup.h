//===- EvaluationPoolWarmup.h - lazy LLVM state, set up before forking -*- C++ -*-===//
//
// Much of LLVM initialises itself on first use: the target machine's
// subtarget tables, instruction selection and scheduling data, pass and
// analysis registries. A forked child that does this work pays for it on
// every evaluation, and it is most of what isolation would otherwise cost.
// Evaluating a small, fixed, known-good module once in the parent, before
// the first fork for a target, leaves that state in memory that every child
// inherits (copy-on-write) instead.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"

namespace optlm {

/// Runs -O2 and code generation for the target on a built-in module, once
/// per target per process. Returns false if the warm-up itself failed (the
/// pool works without it, only slower).
bool warmUpEvaluation(Target target);

} // namespace optlm
