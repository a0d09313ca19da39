//===- ModelLoadTest.cpp - configuration and malformed models -------------===//

#include "TinyLlama.h"

#include "lm/gguf/GGUFFile.h"
#include "lm/model/Kernels.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

using namespace optlm::lm;
using namespace optlm::lm::testing;
using ::testing::HasSubstr;

namespace {

std::string loadError(const GGUFWriter &writer) {
  llvm::Expected<std::unique_ptr<Model>> model = loadModel(writer);
  if (model)
    return "<loaded>";
  return llvm::toString(model.takeError());
}

std::string loadError(const TinyLlamaSpec &spec) { return loadError(makeTinyLlama(spec)); }

TEST(LmModelLoad, ReadsConfiguration) {
  TinyLlamaSpec spec;
  spec.weightType = TensorType::Q8_0;
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  ASSERT_TRUE(model);
  const ModelConfig &config = model->config();
  EXPECT_EQ(config.vocabSize, 96);
  EXPECT_EQ(config.contextLength, 64);
  EXPECT_EQ(config.embeddingDim, 256);
  EXPECT_EQ(config.layerCount, 2);
  EXPECT_EQ(config.headCount, 4);
  EXPECT_EQ(config.kvHeadCount, 2);
  EXPECT_EQ(config.headDim(), 64);
  EXPECT_EQ(config.feedForwardDim, 512);
  EXPECT_FLOAT_EQ(config.ropeFreqBase, 1e6f);
  EXPECT_FLOAT_EQ(config.rmsEpsilon, 1e-5f);
  EXPECT_EQ(model->layer(1).key.rows, 128);
  EXPECT_EQ(model->layer(1).key.type, TensorType::Q8_0);
  EXPECT_EQ(model->file().getString("general.name").get(), "tiny-llama-test");
  // Weights stay in the file's mapping: nothing is copied.
  const GGUFTensor *q = model->file().findTensor("blk.0.attn_q.weight");
  ASSERT_TRUE(q);
  EXPECT_EQ(model->layer(0).query.data, q->data);
  size_t perLayer = 2 * rowBytes(TensorType::Q8_0, 256) * (256 + 128) +
                    rowBytes(TensorType::Q8_0, 256) * 512 * 2 +
                    rowBytes(TensorType::Q8_0, 512) * 256;
  EXPECT_EQ(model->weightBytesPerToken(),
            2 * perLayer + rowBytes(TensorType::Q8_0, 256) * (96 + 1));
}

TEST(LmModelLoad, MultiHeadAttention) {
  TinyLlamaSpec spec;
  spec.kvHeadCount = 4;
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->config().kvHeadCount, 4);
  EXPECT_EQ(model->layer(0).value.rows, 256);
}

TEST(LmModelLoad, TiedOutputFallsBackToEmbedding) {
  TinyLlamaSpec spec;
  spec.withOutputMatrix = false;
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->output().data, model->tokenEmbedding().data);
}

// Q4_K matrices are laid out for the kernels the model is loaded for; from a
// caller's buffer they are copied (the file's bytes stay GGUF's), and a tied
// output matrix, being the token embedding, is never rearranged.
TEST(LmModelLoad, LaysKQuantMatricesOutForItsKernels) {
  for (bool tied : {false, true})
    for (KernelIsa isa : {KernelIsa::Portable, KernelIsa::AVX2}) {
      TinyLlamaSpec spec;
      spec.weightType = TensorType::Q4_K;
      spec.withOutputMatrix = !tied;
      llvm::Expected<std::unique_ptr<Model>> model = loadModel(makeTinyLlama(spec), isa);
      ASSERT_TRUE(!!model) << llvm::toString(model.takeError());
      WeightLayout wanted = kernelSet(isa).weightLayout(TensorType::Q4_K);
      const WeightMatrix &down = (*model)->layer(1).down;
      EXPECT_EQ(down.layout, wanted);
      EXPECT_EQ((*model)->output().layout, tied ? WeightLayout::Natural : wanted);
      EXPECT_EQ((*model)->output().data == (*model)->tokenEmbedding().data, tied);
      const GGUFTensor *inFile = (*model)->file().findTensor("blk.1.ffn_down.weight");
      ASSERT_TRUE(inFile);
      EXPECT_EQ(down.data == inFile->data, wanted == WeightLayout::Natural);
      std::vector<float> fromMatrix(down.cols), fromFile(down.cols);
      dequantizeMatrixRow(down, 5, fromMatrix.data());
      dequantizeRow(inFile->type, inFile->data + 5 * inFile->rowByteSize(), fromFile.data(),
                    down.cols);
      EXPECT_EQ(fromMatrix, fromFile);
    }
}

TEST(LmModelLoad, MissingTensor) {
  TinyLlamaSpec spec;
  spec.omitTensors = {"blk.1.ffn_up.weight"};
  EXPECT_THAT(loadError(spec), HasSubstr("missing tensor 'blk.1.ffn_up.weight'"));
  spec.omitTensors = {"output_norm.weight"};
  EXPECT_THAT(loadError(spec), HasSubstr("missing tensor 'output_norm.weight'"));
  spec.omitTensors = {"token_embd.weight"};
  EXPECT_THAT(loadError(spec), HasSubstr("missing tensor 'token_embd.weight'"));
}

TEST(LmModelLoad, WrongShape) {
  TinyLlamaSpec spec;
  spec.dimOverrides = {{"blk.0.attn_k.weight", {256, 256}}};
  EXPECT_THAT(loadError(spec),
              HasSubstr("tensor 'blk.0.attn_k.weight' has shape [256, 256], expected [256, 128]"));
  spec.dimOverrides = {{"blk.0.ffn_down.weight", {256, 512}}};
  EXPECT_THAT(loadError(spec), HasSubstr("'blk.0.ffn_down.weight' has shape [256, 512]"));
  spec.dimOverrides = {{"blk.1.ffn_norm.weight", {128}}};
  EXPECT_THAT(loadError(spec), HasSubstr("'blk.1.ffn_norm.weight' has shape [128]"));
  spec.dimOverrides = {{"output.weight", {256, 95}}};
  EXPECT_THAT(loadError(spec), HasSubstr("'output.weight' has shape [256, 95]"));
}

TEST(LmModelLoad, NormsMustBeF32) {
  TinyLlamaSpec spec;
  spec.typeOverrides = {{"blk.0.attn_norm.weight", TensorType::F16}};
  EXPECT_THAT(loadError(spec), HasSubstr("tensor 'blk.0.attn_norm.weight' has type f16; norm "
                                         "weights must be f32"));
}

TEST(LmModelLoad, WrongArchitectureOrHyperParameters) {
  GGUFWriter writer = makeTinyLlama({});
  writer.set("general.architecture", "gpt2");
  EXPECT_THAT(loadError(writer), HasSubstr("unsupported architecture 'gpt2'"));

  writer = makeTinyLlama({});
  writer.set("llama.attention.head_count", static_cast<uint32_t>(3));
  EXPECT_THAT(loadError(writer), HasSubstr("not a multiple of head count 3"));

  writer = makeTinyLlama({});
  writer.set("llama.attention.head_count_kv", static_cast<uint32_t>(3));
  EXPECT_THAT(loadError(writer), HasSubstr("not a multiple of KV head count 3"));

  writer = makeTinyLlama({});
  writer.set("llama.block_count", static_cast<uint32_t>(0));
  EXPECT_THAT(loadError(writer), HasSubstr("'llama.block_count' has an invalid value 0"));

  writer = makeTinyLlama({});
  writer.set("llama.block_count", static_cast<uint32_t>(3));
  EXPECT_THAT(loadError(writer), HasSubstr("missing tensor 'blk.2.attn_q.weight'"));

  writer = makeTinyLlama({});
  writer.set("llama.embedding_length", "wide");
  EXPECT_THAT(loadError(writer), HasSubstr("'llama.embedding_length' is not an integer"));

  writer = makeTinyLlama({});
  writer.set("llama.rope.freq_base", -1.0f);
  EXPECT_THAT(loadError(writer), HasSubstr("'llama.rope.freq_base' has an invalid value"));

  writer = makeTinyLlama({});
  writer.set("llama.rope.dimension_count", static_cast<uint32_t>(32));
  EXPECT_THAT(loadError(writer), HasSubstr("partial rotary embeddings are unsupported"));
}

TEST(LmModelLoad, MissingFile) {
  llvm::Expected<std::unique_ptr<Model>> model = Model::load("/nonexistent/model.gguf");
  ASSERT_FALSE(model);
  EXPECT_THAT(llvm::toString(model.takeError()), HasSubstr("model.gguf"));
}

} // namespace
