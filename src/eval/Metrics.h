//===- Metrics.h - the paper's numbers from per-item results -----*- C++ -*-===//
//
// Aggregates the harness's per-item results (Harness.h) into LLM Compiler's
// metrics:
//   flag tuning   mean % size reduction versus -Oz with and without the
//                 -Oz backup (an unusable answer counts as -Oz without
//                 backup, and is counted as invalid), % of programs
//                 improved (final size below -Oz) and regressed (the
//                 answer, without backup, above -Oz), and % of the
//                 autotuner's potential: sum(oz - final) / sum(oz - best
//                 known) over the programs whose best known is below -Oz;
//   disassembly   round-trip rate, mean round-trip BLEU (recompiled versus
//                 input assembly, 0 when the IR does not compile), mean
//                 BLEU and exact-match rate against the true IR;
//   emulation     exact-match rate, mean BLEU, mean absolute % error of the
//                 instruction count and of the binary size (over the
//                 answers that state them; the others are counted).
// Items that were skipped or failed to prepare are counted, not scored.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"

#include <nlohmann/json.hpp>

namespace optlm::eval {

/// {"flagtune": {...}, "disasm": {...}, "emulate": {...}} for the tasks
/// present in results.
nlohmann::json summarize(llvm::ArrayRef<nlohmann::json> results);

} // namespace optlm::eval
