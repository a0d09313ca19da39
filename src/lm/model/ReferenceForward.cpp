//===- ReferenceForward.cpp - the plain Llama forward pass ----------------===//
//
// Llama, one token at a time:
//   x = embedding[token]
//   for each layer:
//     h = rmsnorm(x) * attn_norm
//     q, k, v = Wq h, Wk h, Wv h; rotate q and k by the token's position
//     each head attends, causally, to the cached keys/values of its KV head
//     x += Wo (concatenated heads)
//     h = rmsnorm(x) * ffn_norm
//     x += Wdown (silu(Wgate h) * Wup h)
//   logits = Woutput (rmsnorm(x) * output_norm)
//
//===----------------------------------------------------------------------===//

#include "lm/model/ReferenceForward.h"
#include "lm/model/Kernels.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace optlm::lm {

void referenceMatVec(const WeightMatrix &weights, const float *x, float *out) {
  std::vector<float> row(weights.cols);
  for (int64_t r = 0; r < weights.rows; ++r) {
    dequantizeMatrixRow(weights, r, row.data());
    double sum = 0.0;
    for (int64_t c = 0; c < weights.cols; ++c)
      sum += static_cast<double>(row[c]) * x[c];
    out[r] = static_cast<float>(sum);
  }
}

static std::vector<float> rmsNorm(const std::vector<float> &x, const float *weight, float epsilon) {
  double sumOfSquares = 0.0;
  for (float value : x)
    sumOfSquares += static_cast<double>(value) * value;
  double scale = 1.0 / std::sqrt(sumOfSquares / x.size() + epsilon);
  std::vector<float> out(x.size());
  for (size_t i = 0; i < x.size(); ++i)
    out[i] = static_cast<float>(x[i] * scale * weight[i]);
  return out;
}

/// Rotary embedding in GGUF Llama's convention: element pairs (2i, 2i+1) of
/// each head turn by position * base^(-2i / headDim).
static void rotate(std::vector<float> &vectors, int headDim, int position, float base) {
  for (size_t head = 0; head < vectors.size() / headDim; ++head) {
    for (int i = 0; i < headDim / 2; ++i) {
      double angle = position * std::pow(static_cast<double>(base), -2.0 * i / headDim);
      float &x0 = vectors[head * headDim + 2 * i];
      float &x1 = vectors[head * headDim + 2 * i + 1];
      double a = x0, b = x1;
      x0 = static_cast<float>(a * std::cos(angle) - b * std::sin(angle));
      x1 = static_cast<float>(a * std::sin(angle) + b * std::cos(angle));
    }
  }
}

static std::vector<float> matVec(const WeightMatrix &weights, const std::vector<float> &x) {
  std::vector<float> out(weights.rows);
  referenceMatVec(weights, x.data(), out.data());
  return out;
}

llvm::Expected<std::vector<std::vector<float>>> referenceForward(const Model &model,
                                                                 llvm::ArrayRef<int32_t> tokens) {
  const ModelConfig &config = model.config();
  if (static_cast<int64_t>(tokens.size()) > config.contextLength)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "more tokens than the model's context");
  for (int32_t token : tokens)
    if (token < 0 || token >= config.vocabSize)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     llvm::formatv("token {0} is outside the vocabulary", token));
  const int dim = config.embeddingDim, headDim = config.headDim();
  const int groupSize = config.headCount / config.kvHeadCount;

  // cachedKeys[layer][position] is that position's rotated key vector.
  std::vector<std::vector<std::vector<float>>> cachedKeys(config.layerCount);
  std::vector<std::vector<std::vector<float>>> cachedValues(config.layerCount);
  std::vector<std::vector<float>> allLogits;

  for (size_t position = 0; position < tokens.size(); ++position) {
    std::vector<float> x(dim);
    const WeightMatrix &embedding = model.tokenEmbedding();
    dequantizeRow(embedding.type, embedding.row(tokens[position]), x.data(), dim);

    for (int l = 0; l < config.layerCount; ++l) {
      const LayerWeights &layer = model.layer(l);
      std::vector<float> h = rmsNorm(x, layer.attentionNorm, config.rmsEpsilon);
      std::vector<float> q = matVec(layer.query, h);
      std::vector<float> k = matVec(layer.key, h);
      std::vector<float> v = matVec(layer.value, h);
      rotate(q, headDim, static_cast<int>(position), config.ropeFreqBase);
      rotate(k, headDim, static_cast<int>(position), config.ropeFreqBase);
      cachedKeys[l].push_back(k);
      cachedValues[l].push_back(v);

      std::vector<float> heads(dim, 0.0f);
      for (int head = 0; head < config.headCount; ++head) {
        int kvOffset = (head / groupSize) * headDim;
        std::vector<double> weights(position + 1);
        double maxScore = -INFINITY;
        for (size_t p = 0; p <= position; ++p) {
          double score = 0.0;
          for (int i = 0; i < headDim; ++i)
            score += static_cast<double>(q[head * headDim + i]) * cachedKeys[l][p][kvOffset + i];
          weights[p] = score / std::sqrt(static_cast<double>(headDim));
          maxScore = std::max(maxScore, weights[p]);
        }
        double total = 0.0;
        for (double &weight : weights)
          total += (weight = std::exp(weight - maxScore));
        for (int i = 0; i < headDim; ++i) {
          double sum = 0.0;
          for (size_t p = 0; p <= position; ++p)
            sum += weights[p] / total * cachedValues[l][p][kvOffset + i];
          heads[head * headDim + i] = static_cast<float>(sum);
        }
      }
      std::vector<float> attentionOut = matVec(layer.attentionOutput, heads);
      for (int i = 0; i < dim; ++i)
        x[i] += attentionOut[i];

      h = rmsNorm(x, layer.feedForwardNorm, config.rmsEpsilon);
      std::vector<float> gate = matVec(layer.gate, h);
      std::vector<float> up = matVec(layer.up, h);
      for (size_t i = 0; i < gate.size(); ++i)
        gate[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
      std::vector<float> down = matVec(layer.down, gate);
      for (int i = 0; i < dim; ++i)
        x[i] += down[i];
    }
    std::vector<float> h = rmsNorm(x, model.outputNorm(), config.rmsEpsilon);
    allLogits.push_back(matVec(model.output(), h));
  }
  return allLogits;
}

} // namespace optlm::lm
