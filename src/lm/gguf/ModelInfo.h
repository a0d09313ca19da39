//===- ModelInfo.h - summarize a GGUF model -------------------------*- C++ -*-===//
//
// What `optlm model-info` reports about a GGUF file: the architecture's
// hyper-parameters (looked up under the architecture's own key prefix, as
// llama.cpp does), the vocabulary, and the tensors with their types.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/GGUFFile.h"

#include "llvm/Support/raw_ostream.h"

#include <map>
#include <optional>
#include <string>

namespace optlm::lm {

struct TensorTypeUsage {
  uint64_t tensors = 0;
  uint64_t parameters = 0;
  uint64_t bytes = 0;
};

struct ModelSummary {
  std::string architecture; ///< general.architecture, "" when absent
  std::string name;         ///< general.name, "" when absent
  uint32_t ggufVersion = 0;
  uint64_t fileSize = 0;
  uint64_t parameterCount = 0;
  uint64_t tensorBytes = 0;
  std::optional<uint32_t> fileType;
  std::map<std::string, TensorTypeUsage> typeHistogram; ///< by GGML type name
  std::optional<uint64_t> contextLength, embeddingDim, layerCount, headCount, kvHeadCount,
      feedForwardDim, ropeDimensionCount;
  std::optional<double> ropeFreqBase, rmsEpsilon;
  std::string tokenizerModel;
  std::optional<uint64_t> vocabularySize, bosId, eosId, unknownId;
  size_t metadataCount = 0;
};

ModelSummary summarizeModel(const GGUFFile &file);

/// Human-readable report; withTensors adds one line per tensor.
void printModelSummary(llvm::raw_ostream &out, const ModelSummary &summary, const GGUFFile &file,
                       bool withTensors);
/// The same as one JSON object (tensors under "tensors" when asked for).
void printModelSummaryJson(llvm::raw_ostream &out, const ModelSummary &summary,
                           const GGUFFile &file, bool withTensors);

} // namespace optlm::lm
