//===- TinyModel.h - random-weight Llama models for tests --------*- C++ -*-===//
//
// Tests of everything above the runtime need a real model whose answers are
// garbage and come in milliseconds: a random-weight Llama written with the
// project's own GGUF writer, with a byte-level vocabulary (any text
// tokenizes) plus a few whole pieces (pass names, so that constrained
// decoding has whole-name tokens). Each suite picks its shape; the file lives
// in a fresh temporary folder removed when the test program exits.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/LlamaWriter.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optlm::testsupport {

struct TinyModelSpec {
  std::vector<std::string> extraPieces;
  uint32_t embeddingDim = 64;
  uint32_t layerCount = 2;
  uint32_t headCount = 4;
  uint32_t kvHeadCount = 2;
  uint32_t feedForwardDim = 128;
  uint32_t contextLength = 256;
  uint64_t seed = 7;
  std::string name = "tiny-test-llama";
  /// tokenizer.chat_template, when not empty.
  std::string chatTemplate = {};
};

/// Writes the model and returns its path. The file and its folder are
/// removed at exit.
inline std::string writeTemporaryTinyModel(const TinyModelSpec &spec) {
  lm::Vocabulary vocabulary = lm::byteLevelVocabulary(spec.extraPieces);
  lm::LlamaModelOptions options;
  options.shape.vocabSize = static_cast<uint32_t>(vocabulary.size());
  options.shape.embeddingDim = spec.embeddingDim;
  options.shape.layerCount = spec.layerCount;
  options.shape.headCount = spec.headCount;
  options.shape.kvHeadCount = spec.kvHeadCount;
  options.shape.feedForwardDim = spec.feedForwardDim;
  options.shape.contextLength = spec.contextLength;
  options.seed = spec.seed;
  options.name = spec.name;
  options.chatTemplate = spec.chatTemplate;

  std::string file = optlm::testing::folderUntilExit().file(spec.name + ".gguf");
  llvm::Error written = lm::writeLlamaModel(file, options, vocabulary);
  EXPECT_FALSE(static_cast<bool>(written)) << llvm::toString(std::move(written));
  return file;
}

} // namespace optlm::testsupport
