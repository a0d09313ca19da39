//===- TrainedVocabulary.cpp - the SentencePiece reference model -----------===//
#include "TrainedVocabulary.h"

#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/GGUFWriter.h"
#include "lm/gguf/LlamaWriter.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

namespace optlm::lm::testing {

const std::vector<std::string> &sampleLines() {
  static const std::vector<std::string> lines = linesOfFolder(OPTLM_TEST_INPUTS "/tokenizer");
  return lines;
}

const TrainedModel &trainedModel(int vocabSize, const std::vector<std::string> &userDefined) {
  static std::map<std::pair<int, std::vector<std::string>>, TrainedModel> cache;
  auto key = std::make_pair(vocabSize, userDefined);
  auto found = cache.find(key);
  if (found != cache.end())
    return found->second;
  auto processor = trainSentencePiece(sampleLines(), vocabSize, userDefined);
  if (!processor) {
    ADD_FAILURE() << llvm::toString(processor.takeError());
    std::abort();
  }
  TrainedModel model;
  model.processor = std::move(*processor);
  llvm::Expected<SentencePieceVocabulary> vocabulary =
      readVocabularyGGUF(vocabularyGGUF(vocabularyOf(*model.processor, userDefined)));
  EXPECT_TRUE(static_cast<bool>(vocabulary)) << llvm::toString(vocabulary.takeError());
  model.vocabulary = std::move(*vocabulary);
  return cache.emplace(key, std::move(model)).first->second;
}

std::string vocabularyGGUF(const SentencePieceVocabulary &vocabulary,
                           const std::vector<std::pair<std::string, GGUFValue>> &extra) {
  GGUFWriter writer;
  writer.set("general.architecture", "llama");
  writer.set("tokenizer.ggml.model", "llama");
  writer.set("tokenizer.ggml.tokens", GGUFValue::array(GGUFValueType::String, vocabulary.pieces));
  writer.set("tokenizer.ggml.scores", GGUFValue::array(GGUFValueType::Float32, vocabulary.scores));
  std::vector<int32_t> types;
  for (TokenType type : vocabulary.types)
    types.push_back(static_cast<int32_t>(type));
  writer.set("tokenizer.ggml.token_type", GGUFValue::array(GGUFValueType::Int32, types));
  writer.set("tokenizer.ggml.bos_token_id", static_cast<uint32_t>(vocabulary.bosId));
  writer.set("tokenizer.ggml.eos_token_id", static_cast<uint32_t>(vocabulary.eosId));
  writer.set("tokenizer.ggml.unknown_token_id", static_cast<uint32_t>(vocabulary.unknownId));
  writer.set("tokenizer.ggml.add_bos_token", true);
  for (const auto &[key, value] : extra)
    writer.set(key, value);
  llvm::Expected<std::string> file = writer.writeToString();
  EXPECT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());
  return file ? *file : std::string();
}

llvm::Expected<SentencePieceVocabulary> readVocabularyGGUF(const std::string &file) {
  llvm::Expected<std::unique_ptr<GGUFFile>> gguf =
      GGUFFile::fromBuffer(llvm::MemoryBuffer::getMemBufferCopy(file, "vocabulary.gguf"));
  if (!gguf)
    return gguf.takeError();
  return SentencePieceVocabulary::fromGGUF(**gguf);
}

const std::string &fixtureModelPath(int contextLength) {
  static std::map<int, std::string> paths;
  auto found = paths.find(contextLength);
  if (found != paths.end())
    return found->second;
  const TrainedModel &model = trainedModel();
  LlamaModelOptions options;
  options.shape.vocabSize = static_cast<uint32_t>(model.vocabulary.size());
  options.shape.embeddingDim = 64;
  options.shape.layerCount = 2;
  options.shape.headCount = 4;
  options.shape.kvHeadCount = 2;
  options.shape.feedForwardDim = 128;
  options.shape.contextLength = static_cast<uint32_t>(contextLength);
  options.seed = 42;
  options.name = "tiny-test-llama";
  llvm::SmallString<128> path;
  std::error_code error = llvm::sys::fs::createTemporaryFile("optlm-generate-test", "gguf", path);
  EXPECT_FALSE(error) << error.message();
  llvm::Error written = writeLlamaModel(path, options, model.vocabulary.toWriterVocabulary());
  EXPECT_FALSE(static_cast<bool>(written)) << llvm::toString(std::move(written));
  // Removed when the test program exits.
  static std::vector<std::unique_ptr<llvm::FileRemover>> removers;
  removers.push_back(std::make_unique<llvm::FileRemover>(path));
  return paths.emplace(contextLength, path.str().str()).first->second;
}

} // namespace optlm::lm::testing
