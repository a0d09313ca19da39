//===- TrainTestSupport.cpp - tiny models and data for the trainer tests --===//
#include "TrainTestSupport.h"

#include "lm/gguf/LlamaWriter.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>

namespace optlm::train::testing {

lm::LlamaShape tinyShape() {
  lm::LlamaShape shape;
  shape.vocabSize = 320;
  shape.embeddingDim = 64;
  shape.layerCount = 2;
  shape.headCount = 4;
  shape.kvHeadCount = 2;
  shape.feedForwardDim = 128;
  shape.contextLength = 64;
  shape.ropeFreqBase = 1e4f;
  return shape;
}

void writeLines(const std::string &path, llvm::ArrayRef<std::string> lines) {
  std::ofstream out(path);
  for (const std::string &line : lines)
    out << line << "\n";
}

std::string byteVocabularyModel() {
  static std::string path = [] {
    std::string file = optlm::testing::folderUntilExit().file("bytes.gguf");
    lm::LlamaModelOptions options;
    options.shape = tinyShape();
    llvm::Error error =
        lm::writeLlamaModel(file, options, lm::byteLevelVocabulary({}, tinyShape().vocabSize));
    EXPECT_FALSE(static_cast<bool>(error)) << llvm::toString(std::move(error));
    return file;
  }();
  return path;
}

lm::SentencePieceVocabulary byteVocabulary(uint32_t size) {
  lm::Vocabulary pieces = lm::byteLevelVocabulary({}, size);
  lm::SentencePieceVocabulary vocabulary;
  vocabulary.pieces = pieces.pieces;
  vocabulary.scores = pieces.scores;
  for (int32_t type : pieces.types)
    vocabulary.types.push_back(static_cast<lm::TokenType>(type));
  return vocabulary;
}

std::vector<std::string> additionRecords(int count) {
  std::vector<std::string> lines;
  for (int i = 0; i < count; ++i) {
    int a = (i * 7) % 10, b = (i * 3 + 1) % 10;
    nlohmann::json record = {
        {"id", "m/emulate/" + std::to_string(i)},
        {"task", "emulate"},
        {"prompt", "[INST] add " + std::to_string(a) + " and " + std::to_string(b) + " [/INST]"},
        {"label", std::to_string(a + b)}};
    lines.push_back(record.dump());
  }
  return lines;
}

double relativeRms(llvm::ArrayRef<float> a, llvm::ArrayRef<float> b) {
  EXPECT_EQ(a.size(), b.size());
  double difference = 0, norm = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    difference += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    norm += double(b[i]) * b[i];
  }
  return std::sqrt(difference / std::max(norm, 1e-30));
}

bool sameWeights(const LlamaNetwork &a, const LlamaNetwork &b) {
  std::vector<WeightView> left = a.weights(), right = b.weights();
  if (left.size() != right.size())
    return false;
  for (size_t i = 0; i < left.size(); ++i)
    if (left[i].name != right[i].name || left[i].dims != right[i].dims ||
        std::memcmp(left[i].data, right[i].data, left[i].elementCount() * sizeof(float)) != 0)
      return false;
  return true;
}

} // namespace optlm::train::testing
