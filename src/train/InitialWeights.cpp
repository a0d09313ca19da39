//===- InitialWeights.cpp - a GGUF model as the start of training ---------===//
#include "train/InitialWeights.h"

#include "lm/gguf/TensorTypes.h"
#include "lm/model/Model.h"

#include "llvm/Support/FormatVariadic.h"

namespace optlm::train {
namespace {

std::vector<float> floatsOf(const lm::WeightMatrix &matrix) {
  std::vector<float> values(static_cast<size_t>(matrix.rows * matrix.cols));
  for (int64_t row = 0; row < matrix.rows; ++row)
    lm::dequantizeRow(matrix.type, matrix.row(row), values.data() + row * matrix.cols, matrix.cols);
  return values;
}

std::vector<float> floatsOf(const float *vector, int64_t length) {
  return std::vector<float>(vector, vector + length);
}

} // namespace

llvm::Expected<InitialWeights> readInitialWeights(const std::string &path) {
  auto model = lm::Model::load(path);
  if (!model)
    return llvm::createStringError(path + ": " + llvm::toString(model.takeError()));
  auto vocabulary = lm::SentencePieceVocabulary::fromGGUF((*model)->file());
  if (!vocabulary)
    return llvm::createStringError(path + ": " + llvm::toString(vocabulary.takeError()));
  const lm::ModelConfig &config = (*model)->config();
  InitialWeights initial;
  initial.vocabulary = std::move(*vocabulary);
  initial.shape.vocabSize = static_cast<uint32_t>(config.vocabSize);
  initial.shape.embeddingDim = static_cast<uint32_t>(config.embeddingDim);
  initial.shape.layerCount = static_cast<uint32_t>(config.layerCount);
  initial.shape.headCount = static_cast<uint32_t>(config.headCount);
  initial.shape.kvHeadCount = static_cast<uint32_t>(config.kvHeadCount);
  initial.shape.feedForwardDim = static_cast<uint32_t>(config.feedForwardDim);
  initial.shape.contextLength = static_cast<uint32_t>(config.contextLength);
  initial.shape.ropeFreqBase = config.ropeFreqBase;
  initial.shape.rmsEpsilon = config.rmsEpsilon;
  if (initial.vocabulary.size() != initial.shape.vocabSize)
    return llvm::createStringError(
        llvm::formatv("{0}: a vocabulary of {1} pieces for {2} embedding rows", path,
                      initial.vocabulary.size(), initial.shape.vocabSize)
            .str());

  auto &tensors = initial.tensors;
  tensors["token_embd.weight"] = floatsOf((*model)->tokenEmbedding());
  for (int l = 0; l < config.layerCount; ++l) {
    const lm::LayerWeights &layer = (*model)->layer(l);
    auto name = [&](const char *role) {
      return lm::llamaLayerTensorName(role, static_cast<uint32_t>(l));
    };
    tensors[name("attn_norm")] = floatsOf(layer.attentionNorm, config.embeddingDim);
    tensors[name("attn_q")] = floatsOf(layer.query);
    tensors[name("attn_k")] = floatsOf(layer.key);
    tensors[name("attn_v")] = floatsOf(layer.value);
    tensors[name("attn_output")] = floatsOf(layer.attentionOutput);
    tensors[name("ffn_norm")] = floatsOf(layer.feedForwardNorm, config.embeddingDim);
    tensors[name("ffn_gate")] = floatsOf(layer.gate);
    tensors[name("ffn_up")] = floatsOf(layer.up);
    tensors[name("ffn_down")] = floatsOf(layer.down);
  }
  tensors["output_norm.weight"] = floatsOf((*model)->outputNorm(), config.embeddingDim);
  tensors["output.weight"] = floatsOf((*model)->output());
  return initial;
}

} // namespace optlm::train
