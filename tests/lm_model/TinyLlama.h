//===- TinyLlama.h - small random Llama models for the tests -----*- C++ -*-===//
//
// Builds Llama GGUFs in memory with the project's GGUF writer: random weights
// of a chosen type, scaled so that activations stay of order one (so that
// logits are informative), plus knobs to break the file in specific ways.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/GGUFWriter.h"
#include "lm/model/Model.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace optlm::lm::testing {

struct TinyLlamaSpec {
  int vocabSize = 96;
  int contextLength = 64;
  int embeddingDim = 256; // K-quants need rows of 256
  int layerCount = 2;
  int headCount = 4;
  int kvHeadCount = 2;
  int feedForwardDim = 512;
  float ropeFreqBase = 1e6f;
  TensorType weightType = TensorType::F32;
  bool withOutputMatrix = true;
  uint64_t seed = 1;
  // Ways to break the file.
  std::set<std::string> omitTensors;
  std::map<std::string, TensorType> typeOverrides;
  std::map<std::string, std::vector<int64_t>> dimOverrides;
};

/// A writer holding the whole model; callers may still change metadata.
GGUFWriter makeTinyLlama(const TinyLlamaSpec &spec);

/// Writes the model to memory and loads it.
llvm::Expected<std::unique_ptr<Model>> loadModel(const GGUFWriter &writer,
                                                 KernelIsa layoutFor = KernelIsa::Best);
std::unique_ptr<Model> loadTinyLlama(const TinyLlamaSpec &spec);

/// ||a - b|| / ||b||.
double relativeError(llvm::ArrayRef<float> a, llvm::ArrayRef<float> b);

} // namespace optlm::lm::testing
