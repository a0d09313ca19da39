//===- OzSequence.h - default<Oz> as a flat list of passes -------*- C++ -*-===//
//
// -Oz is the baseline every tuned list has to beat, and its passes are the
// natural starting point for a local search. PassBuilder builds the nested
// pipeline; printing it gives the pass names (with their parameters) in order
// of application. Flattening drops the adaptors and the analysis bookkeeping
// (require<>, invalidate<>), and keeps the passes the vocabulary knows.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "pipeline/Pipeline.h"
#include "search/SearchStrategy.h"

#include <string>
#include <vector>

namespace optlm::search {

/// The pipeline PassBuilder builds for a level, as -print-pipeline-passes
/// prints it.
std::string standardPipelineText(OptLevel level);

/// The leaf pass names of a printed pipeline in order, parameters included
/// ("simplifycfg<bonus-inst-threshold=1;...>").
std::vector<std::string> leafPassNames(llvm::StringRef pipelineText);

/// The passes of a level that the vocabulary knows and flags as safe, in
/// order, each looked up by its name without parameters.
PassSequence flatStandardSequence(OptLevel level, const PassVocabulary &vocabulary);

} // namespace optlm::search
