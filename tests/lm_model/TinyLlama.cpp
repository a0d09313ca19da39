//===- TinyLlama.cpp - small random Llama models for the tests ------------===//

#include "TinyLlama.h"

#include "lm/gguf/GGUFFile.h"

#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <cmath>
#include <functional>
#include <random>

namespace optlm::lm::testing {

namespace {

std::vector<float> randomValues(uint64_t seed, const std::string &name, size_t count, float center,
                                float halfWidth) {
  std::mt19937_64 rng(seed ^ std::hash<std::string>{}(name));
  std::uniform_real_distribution<float> uniform(center - halfWidth, center + halfWidth);
  std::vector<float> values(count);
  for (float &value : values)
    value = uniform(rng);
  return values;
}

} // namespace

GGUFWriter makeTinyLlama(const TinyLlamaSpec &spec) {
  GGUFWriter writer;
  writer.set("general.architecture", "llama");
  writer.set("general.name", "tiny-llama-test");
  writer.set("llama.context_length", static_cast<uint32_t>(spec.contextLength));
  writer.set("llama.embedding_length", static_cast<uint32_t>(spec.embeddingDim));
  writer.set("llama.block_count", static_cast<uint32_t>(spec.layerCount));
  writer.set("llama.feed_forward_length", static_cast<uint32_t>(spec.feedForwardDim));
  writer.set("llama.attention.head_count", static_cast<uint32_t>(spec.headCount));
  writer.set("llama.attention.head_count_kv", static_cast<uint32_t>(spec.kvHeadCount));
  writer.set("llama.rope.freq_base", spec.ropeFreqBase);
  writer.set("llama.attention.layer_norm_rms_epsilon", 1e-5f);

  auto add = [&](const std::string &name, TensorType type, std::vector<int64_t> dims, float center,
                 float halfWidth) {
    if (spec.omitTensors.count(name))
      return;
    if (auto it = spec.typeOverrides.find(name); it != spec.typeOverrides.end())
      type = it->second;
    if (auto it = spec.dimOverrides.find(name); it != spec.dimOverrides.end())
      dims = it->second;
    size_t count = 1;
    for (int64_t d : dims)
      count *= d;
    std::vector<float> values = randomValues(spec.seed, name, count, center, halfWidth);
    llvm::Error error = writer.addTensor(name, type, dims, values);
    EXPECT_FALSE(error) << llvm::toString(std::move(error));
  };
  // Uniform weights of variance 1/cols keep every product of order one.
  auto matrix = [&](const std::string &name, int64_t cols, int64_t rows) {
    add(name, spec.weightType, {cols, rows}, 0.0f, std::sqrt(3.0f / cols));
  };
  auto norm = [&](const std::string &name) {
    add(name, TensorType::F32, {spec.embeddingDim}, 1.0f, 0.2f);
  };
  const int64_t dim = spec.embeddingDim, ff = spec.feedForwardDim;
  const int64_t kvDim = dim / spec.headCount * spec.kvHeadCount;
  // Embedding rows of unit scale, like a trained model's after the first norm.
  add("token_embd.weight", spec.weightType, {dim, spec.vocabSize}, 0.0f, 1.0f);
  for (int l = 0; l < spec.layerCount; ++l) {
    std::string prefix = "blk." + std::to_string(l) + ".";
    norm(prefix + "attn_norm.weight");
    matrix(prefix + "attn_q.weight", dim, dim);
    matrix(prefix + "attn_k.weight", dim, kvDim);
    matrix(prefix + "attn_v.weight", dim, kvDim);
    matrix(prefix + "attn_output.weight", dim, dim);
    norm(prefix + "ffn_norm.weight");
    matrix(prefix + "ffn_gate.weight", dim, ff);
    matrix(prefix + "ffn_up.weight", dim, ff);
    matrix(prefix + "ffn_down.weight", ff, dim);
  }
  norm("output_norm.weight");
  if (spec.withOutputMatrix)
    matrix("output.weight", dim, spec.vocabSize);
  return writer;
}

llvm::Expected<std::unique_ptr<Model>> loadModel(const GGUFWriter &writer, KernelIsa layoutFor) {
  llvm::Expected<std::string> bytes = writer.writeToString();
  if (!bytes)
    return bytes.takeError();
  llvm::Expected<std::unique_ptr<GGUFFile>> file =
      GGUFFile::fromBuffer(llvm::MemoryBuffer::getMemBufferCopy(*bytes, "tiny-llama.gguf"));
  if (!file)
    return file.takeError();
  return Model::fromFile(std::move(*file), layoutFor);
}

std::unique_ptr<Model> loadTinyLlama(const TinyLlamaSpec &spec) {
  llvm::Expected<std::unique_ptr<Model>> model = loadModel(makeTinyLlama(spec));
  if (!model) {
    ADD_FAILURE() << llvm::toString(model.takeError());
    return nullptr;
  }
  return std::move(*model);
}

double relativeError(llvm::ArrayRef<float> a, llvm::ArrayRef<float> b) {
  double difference = 0.0, reference = 0.0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    difference += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
    reference += static_cast<double>(b[i]) * b[i];
  }
  if (a.size() != b.size())
    return INFINITY;
  return std::sqrt(difference / std::max(reference, 1e-30));
}

} // namespace optlm::lm::testing
