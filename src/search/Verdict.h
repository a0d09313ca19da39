//===- Verdict.h - whether a pipeline keeps programs working -----*- C++ -*-===//
//
// What every user of a verifier sees (the autotuner, broadcast, tuning with
// a model, optlm cc): accepted or not, and why not in one line. How the
// answer is reached (PassListEval, the program's own check) is in
// search/Verification.h.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "pipeline/Pipeline.h"

#include "llvm/Support/Error.h"

#include <functional>
#include <string>

namespace optlm::search {

/// A verifier's answer about one pipeline.
struct Verdict {
  bool accepted = false;
  std::string reason; ///< why it was rejected, one line
  /// The tuned program itself misbehaved (the program check): every list
  /// that produces the same optimized IR would be rejected too.
  bool rejectsOptimizedIR = false;
};

/// Checks that a pipeline preserves behaviour (PassListEval and, if asked,
/// the program-level check). An error means the check itself could not run.
using VerifyFunction = std::function<llvm::Expected<Verdict>(const Pipeline &)>;

} // namespace optlm::search
