//===- Disassembler.h - assembly to LLVM-IR with a model, round-tripped -*- C++ -*-===//
//
// LLM Compiler's disassembly task: the model is asked (FTD prompt) for the
// IR of an assembly listing. Its answer is only trusted if it round-trips:
// the IR parses, verifies, and compiles back (same target, llc-19's
// settings, in a sandboxed child: valid IR can still hit a fatal error in
// the code generator) to assembly equal to the input after
// normalizeAssembly. The
// scores against a known true IR (BLEU, exact match) are the evaluation
// layer's business; this returns the texts they need.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"
#include "tasks/ModelSource.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace optlm::tasks {

struct RoundTrip {
  bool parses = false;   ///< parsed and verified
  bool compiles = false; ///< code generation succeeded
  bool matches = false;  ///< the normalized assembly equals the input's
  std::string problem;   ///< the first thing that went wrong, one line
  std::string assembly;  ///< the recompiled assembly, when it compiles
  bool ok() const { return matches; }
};

/// Checks IR against the assembly it should compile to.
RoundTrip checkRoundTrip(llvm::StringRef assembly, llvm::StringRef ir, Target target);

struct DisassembleOptions {
  Target target = Target::X86_64;
  /// Answer budget; 0: whatever the context leaves after the prompt.
  int maxTokens = 0;
};

struct DisassemblyResult {
  std::string answer; ///< as generated
  std::string ir;     ///< the code in the answer
  RoundTrip roundTrip;
  bool truncated = false; ///< the answer hit the token limit
};

/// Errors: the prompt does not fit the context, the model cannot be asked.
llvm::Expected<DisassemblyResult> disassemble(llvm::StringRef assembly, ModelSource &model,
                                              const DisassembleOptions &options);

} // namespace optlm::tasks
