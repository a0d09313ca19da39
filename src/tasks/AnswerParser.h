//===- AnswerParser.h - what a model's answer says, read defensively -*- C++ -*-===//
//
// The wording of the released models' answers is not published, and a model
// may wrap what matters in prose, quotes or Markdown. These readers look for
// the parts optlm needs and accept the forms seen in practice:
//   pipelines:  opt -p 'module(...)'  opt -passes="..."  -sroa -gvn -licm
//               sroa,gvn,licm  `-Oz`  ```sroa,gvn```  and prose around them
//               (optlm's own label format "Run opt -p '...' to get ..."
//               is the first form);
//   code:       <code>...</code> (an unclosed block runs to the end), a
//               ``` fence, or else the whole answer;
//   numbers:    "instruction count N" and "binary size N".
// Nothing here trusts the answer: a pipeline is only returned once
// Pipeline::parse accepted it (every pass name checked).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "pipeline/Pipeline.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace optlm::tasks {

/// The texts in an answer that may be a pipeline, most explicit first.
std::vector<std::string> pipelineCandidates(llvm::StringRef answer);

/// The first candidate that parses. The error says why none did (the
/// first candidate's parse error, or that there was none).
llvm::Expected<Pipeline> parsePipelineAnswer(llvm::StringRef answer);

/// The code the answer holds (see above); trimmed of surrounding blank lines.
std::string extractCode(llvm::StringRef answer);

struct ReportedNumbers {
  std::optional<uint64_t> instructionCount;
  std::optional<uint64_t> binarySize;
};
/// The numbers stated outside the code block.
ReportedNumbers parseReportedNumbers(llvm::StringRef answer);

} // namespace optlm::tasks
