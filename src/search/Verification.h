//===- Verification.h - PassListEval and the program check for tuning -*- C++ -*-===//
//
// A tuned list is only a label if it keeps programs working. Tuning checks
// its candidates with the verify layer: PassListEval (the list applied to a
// suite of self-checking programs, which must compile, run and print what
// they printed unoptimized; verdicts cached in the results store) and, with
// --check, the program-level check (the tuned program itself, run with the
// given arguments and input, against its unoptimized build).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/Tuner.h"

#include <string>
#include <vector>

namespace optlm {
class ResultsStore;
}

namespace optlm::search {

struct VerificationSettings {
  bool passListEval = true;
  bool programCheck = false;
  /// For the program check: the program being tuned, its arguments and
  /// standard input (empty: none).
  std::string programPath;
  std::vector<std::string> runArgs;
  std::string stdinPath;
  Target target = Target::X86_64;
  unsigned jobs = 0;
};

/// Checks a module optimized already (a split run's linked parts, which no
/// single pipeline made) by running the program built from it.
using OptimizedCheckFunction = std::function<llvm::Expected<Verdict>(const llvm::Module &)>;

struct Verifiers {
  VerifyFunction pipeline;
  /// Set only with the program check (PassListEval checks pipelines, not
  /// modules); shares the program's reference run with `pipeline`.
  OptimizedCheckFunction optimized;
};

/// A verifier that applies the checks the settings ask for, in order,
/// stopping at the first rejection. `store` caches PassListEval verdicts and
/// may be null.
llvm::Expected<Verifiers> makeVerifiers(const VerificationSettings &settings, ResultsStore *store);

/// makeVerifiers' pipeline verifier alone.
llvm::Expected<VerifyFunction> makeVerifier(const VerificationSettings &settings,
                                            ResultsStore *store);

} // namespace optlm::search
