//===- Report.h - report.json, report.md and the plots -----------*- C++ -*-===//
//
// Writes an evaluation's outcome into the report folder:
//   report.json  {"solver", "suite", "tasks": summarize(), "items": [...]}
//   report.md    the summary as tables, the plots, and the items' outcomes
//   flagtune-per-program.svg, flagtune-distribution.svg,
//   disasm-bleu.svg, emulate-bleu.svg, emulate-size-error.svg
//                (for the tasks present)
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <nlohmann/json.hpp>

namespace optlm::eval {

struct ReportInfo {
  std::string solver;
  std::string suite;
  std::string target;
};

/// Summarizes results and writes the files. Returns the report object.
llvm::Expected<nlohmann::json> writeReport(llvm::StringRef directory, const ReportInfo &info,
                                           llvm::ArrayRef<nlohmann::json> results);

/// The Markdown text of a report object (exposed for the tests).
std::string reportMarkdown(const nlohmann::json &report);

} // namespace optlm::eval
