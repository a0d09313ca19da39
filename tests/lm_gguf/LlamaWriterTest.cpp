//===- LlamaWriterTest.cpp - Llama fixtures and the model summary ----------===//
#include "GGUFTestSupport.h"

#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/GGUFWriter.h"
#include "lm/gguf/LlamaWriter.h"
#include "lm/gguf/ModelInfo.h"
#include "testing/Testing.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace optlm::lm;
using namespace optlm::lm::testing;

namespace {

LlamaModelOptions tinyOptions(TensorType type = TensorType::F32) {
  LlamaModelOptions options;
  options.shape.vocabSize = 261;
  options.shape.embeddingDim = 256;
  options.shape.layerCount = 2;
  options.shape.headCount = 4;
  options.shape.kvHeadCount = 2;
  options.shape.feedForwardDim = 512;
  options.shape.contextLength = 128;
  options.weightType = type;
  options.seed = 7;
  return options;
}

std::unique_ptr<GGUFFile> writeAndRead(const LlamaModelOptions &options,
                                       const Vocabulary &vocabulary) {
  GGUFWriter writer;
  if (llvm::Error error = addLlamaModel(writer, options, vocabulary)) {
    ADD_FAILURE() << llvm::toString(std::move(error));
    return nullptr;
  }
  auto file = parseBytes(cantFail(writer.writeToString()));
  if (!file) {
    ADD_FAILURE() << llvm::toString(file.takeError());
    return nullptr;
  }
  return std::move(*file);
}

std::string errorOf(const LlamaModelOptions &options, const Vocabulary &vocabulary) {
  llvm::Error error = validateLlamaModel(options, vocabulary);
  return error ? llvm::toString(std::move(error)) : "";
}

} // namespace

TEST(GGUFLlamaWriter, ByteLevelVocabulary) {
  Vocabulary vocabulary = byteLevelVocabulary({"define", " i32"}, 300);
  ASSERT_EQ(vocabulary.size(), 300u);
  EXPECT_EQ(vocabulary.pieces[0], "<unk>");
  EXPECT_EQ(vocabulary.pieces[1], "<s>");
  EXPECT_EQ(vocabulary.pieces[2], "</s>");
  EXPECT_EQ(vocabulary.pieces[3], "<0x00>");
  EXPECT_EQ(vocabulary.pieces[3 + 0x0a], "<0x0A>");
  EXPECT_EQ(vocabulary.pieces[258], "<0xFF>");
  EXPECT_EQ(vocabulary.pieces[259], "define");
  EXPECT_EQ(vocabulary.pieces[260], " i32");
  EXPECT_EQ(vocabulary.pieces[261], "<unused_0>");
  EXPECT_EQ(vocabulary.types[0], int32_t(TokenType::Unknown));
  EXPECT_EQ(vocabulary.types[1], int32_t(TokenType::Control));
  EXPECT_EQ(vocabulary.types[100], int32_t(TokenType::Byte));
  EXPECT_EQ(vocabulary.types[259], int32_t(TokenType::Normal));
  EXPECT_EQ(vocabulary.types[299], int32_t(TokenType::Unused));
  EXPECT_GT(vocabulary.scores[259], vocabulary.scores[260]); // earlier pieces preferred
  EXPECT_EQ(vocabulary.bosId, 1u);
  EXPECT_EQ(vocabulary.eosId, 2u);
  EXPECT_EQ(byteLevelVocabulary().size(), 259u);
}

TEST(GGUFLlamaWriter, MetadataAndTensorsFollowLlamaCpp) {
  LlamaModelOptions options = tinyOptions();
  Vocabulary vocabulary = byteLevelVocabulary({"a", "b"});
  auto file = writeAndRead(options, vocabulary);
  ASSERT_TRUE(file);
  EXPECT_EQ(cantFail(file->getString("general.architecture")), "llama");
  EXPECT_EQ(cantFail(file->getU32("general.file_type")), 0u);
  EXPECT_EQ(cantFail(file->getU32("llama.context_length")), 128u);
  EXPECT_EQ(cantFail(file->getU32("llama.embedding_length")), 256u);
  EXPECT_EQ(cantFail(file->getU32("llama.block_count")), 2u);
  EXPECT_EQ(cantFail(file->getU32("llama.feed_forward_length")), 512u);
  EXPECT_EQ(cantFail(file->getU32("llama.attention.head_count")), 4u);
  EXPECT_EQ(cantFail(file->getU32("llama.attention.head_count_kv")), 2u);
  EXPECT_EQ(cantFail(file->getF32("llama.rope.freq_base")), 1e6f);
  EXPECT_EQ(cantFail(file->getU32("llama.rope.dimension_count")), 64u);
  EXPECT_EQ(cantFail(file->getF32("llama.attention.layer_norm_rms_epsilon")), 1e-5f);
  EXPECT_EQ(cantFail(file->getString("tokenizer.ggml.model")), "llama");
  EXPECT_EQ(cantFail(file->getStringArray("tokenizer.ggml.tokens")), vocabulary.pieces);
  EXPECT_EQ(cantFail(file->getF32Array("tokenizer.ggml.scores")), vocabulary.scores);
  EXPECT_EQ(cantFail(file->getI32Array("tokenizer.ggml.token_type")), vocabulary.types);
  EXPECT_EQ(cantFail(file->getU32("tokenizer.ggml.bos_token_id")), 1u);
  EXPECT_EQ(cantFail(file->getU32("tokenizer.ggml.eos_token_id")), 2u);
  EXPECT_EQ(cantFail(file->getU32("tokenizer.ggml.unknown_token_id")), 0u);

  using Dims = llvm::SmallVector<int64_t, 4>;
  auto expectTensor = [&](const std::string &name, TensorType type, Dims dims) {
    const GGUFTensor *tensor = file->findTensor(name);
    ASSERT_TRUE(tensor) << name;
    EXPECT_EQ(tensor->type, type) << name;
    EXPECT_EQ(tensor->dims, dims) << name;
  };
  expectTensor("token_embd.weight", TensorType::F32, {256, 261});
  expectTensor("output_norm.weight", TensorType::F32, {256});
  expectTensor("output.weight", TensorType::F32, {256, 261});
  for (uint32_t layer = 0; layer < 2; ++layer) {
    auto name = [&](const char *role) { return llamaLayerTensorName(role, layer); };
    expectTensor(name("attn_norm"), TensorType::F32, {256});
    expectTensor(name("attn_q"), TensorType::F32, {256, 256});
    expectTensor(name("attn_k"), TensorType::F32, {256, 128}); // 2 kv heads of 64
    expectTensor(name("attn_v"), TensorType::F32, {256, 128});
    expectTensor(name("attn_output"), TensorType::F32, {256, 256});
    expectTensor(name("ffn_norm"), TensorType::F32, {256});
    expectTensor(name("ffn_gate"), TensorType::F32, {256, 512});
    expectTensor(name("ffn_up"), TensorType::F32, {256, 512});
    expectTensor(name("ffn_down"), TensorType::F32, {512, 256});
  }
  EXPECT_EQ(file->tensors().size(), 3u + 2u * 9u);
  uint64_t parameters = 0;
  for (const GGUFTensor &tensor : file->tensors())
    parameters += uint64_t(tensor.elementCount);
  EXPECT_EQ(parameters, options.shape.parameterCount());

  // Weights are finite, spread around zero at about 1/sqrt(fan-in); norms
  // vary around one.
  const GGUFTensor *q = file->findTensor("blk.0.attn_q.weight");
  const float *weights = reinterpret_cast<const float *>(q->data);
  double sum = 0, squares = 0;
  for (int64_t i = 0; i < q->elementCount; ++i) {
    ASSERT_LE(std::fabs(weights[i]), 1.0f / 16.0f);
    sum += weights[i];
    squares += double(weights[i]) * weights[i];
  }
  EXPECT_NEAR(sum / double(q->elementCount), 0.0, 0.002);
  EXPECT_NEAR(std::sqrt(squares / double(q->elementCount)), 1.0 / 16.0 / std::sqrt(3.0), 0.002);
  const float *norm = reinterpret_cast<const float *>(file->findTensor("output_norm.weight")->data);
  for (int i = 0; i < 256; ++i)
    ASSERT_NEAR(norm[i], 1.0f, 0.1f);
}

TEST(GGUFLlamaWriter, QuantizedWeightsKeepNormsInF32) {
  for (TensorType type : {TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K, TensorType::Q8_0,
                          TensorType::Q4_0, TensorType::F16, TensorType::BF16}) {
    auto file = writeAndRead(tinyOptions(type), byteLevelVocabulary({"a", "b"}));
    ASSERT_TRUE(file);
    EXPECT_EQ(cantFail(file->getU32("general.file_type")), llamaFileType(type));
    EXPECT_EQ(file->findTensor("blk.1.ffn_down.weight")->type, type);
    EXPECT_EQ(file->findTensor("blk.1.ffn_norm.weight")->type, TensorType::F32);
    EXPECT_EQ(file->findTensor("token_embd.weight")->type, type);
  }
  EXPECT_EQ(llamaFileType(TensorType::Q4_K), 14u); // LLAMA_FTYPE_MOSTLY_Q4_K_S
  EXPECT_EQ(llamaFileType(TensorType::Q6_K), 18u);
}

TEST(GGUFLlamaWriter, SameSeedSameFile) {
  GGUFWriter first, second, other;
  Vocabulary vocabulary = byteLevelVocabulary({"a", "b"});
  LlamaModelOptions options = tinyOptions(TensorType::Q8_0);
  cantFail(addLlamaModel(first, options, vocabulary));
  cantFail(addLlamaModel(second, options, vocabulary));
  options.seed = 8;
  cantFail(addLlamaModel(other, options, vocabulary));
  std::string a = cantFail(first.writeToString());
  EXPECT_EQ(a, cantFail(second.writeToString()));
  EXPECT_NE(a, cantFail(other.writeToString()));
}

TEST(GGUFLlamaWriter, WritesToAPath) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("llama-fixture", "gguf", path));
  ASSERT_FALSE(bool(writeLlamaModel(path, tinyOptions(), byteLevelVocabulary({"a", "b"}))));
  auto file = GGUFFile::open(path);
  OPTLM_ASSERT_OK(file);
  EXPECT_EQ((*file)->tensors().size(), 21u);
  llvm::sys::fs::remove(path);
}

TEST(GGUFLlamaWriter, RejectsInconsistentShapes) {
  Vocabulary vocabulary = byteLevelVocabulary({"a", "b"});
  EXPECT_EQ(errorOf(tinyOptions(), vocabulary), "");
  LlamaModelOptions options = tinyOptions();
  options.shape.headCount = 3;
  EXPECT_NE(errorOf(options, vocabulary).find("3 heads do not divide"), std::string::npos);
  options = tinyOptions();
  options.shape.kvHeadCount = 3;
  EXPECT_NE(errorOf(options, vocabulary).find("3 kv heads do not divide"), std::string::npos);
  options = tinyOptions();
  options.shape.layerCount = 0;
  EXPECT_NE(errorOf(options, vocabulary).find("positive"), std::string::npos);
  options = tinyOptions(TensorType::Q4_K);
  options.shape.feedForwardDim = 320;
  EXPECT_NE(errorOf(options, vocabulary).find("row length 320 is not a multiple of the q4_K"),
            std::string::npos);
  options = tinyOptions();
  options.shape.embeddingDim = 12; // head dimension 3
  EXPECT_NE(errorOf(options, vocabulary).find("odd"), std::string::npos);
  EXPECT_NE(errorOf(tinyOptions(), byteLevelVocabulary()).find("259 pieces but the shape says 261"),
            std::string::npos);
  Vocabulary badIds = vocabulary;
  badIds.eosId = 5000;
  EXPECT_NE(errorOf(tinyOptions(), badIds).find("5000 is outside"), std::string::npos);
  Vocabulary ragged = vocabulary;
  ragged.scores.pop_back();
  EXPECT_NE(errorOf(tinyOptions(), ragged).find("differ in length"), std::string::npos);
}

TEST(GGUFLlamaWriter, CodeLlama7BShape) {
  LlamaShape shape = LlamaShape::codeLlama7B();
  EXPECT_EQ(shape.headDim(), 128u);
  // Code Llama 7B has 6,738,546,688 parameters (with the 16 extra tokens).
  EXPECT_EQ(shape.parameterCount(), 6738546688ull);
}

TEST(GGUFModelInfo, SummarizesALlamaModel) {
  LlamaModelOptions options = tinyOptions(TensorType::Q8_0);
  auto file = writeAndRead(options, byteLevelVocabulary({"a", "b"}));
  ASSERT_TRUE(file);
  ModelSummary summary = summarizeModel(*file);
  EXPECT_EQ(summary.architecture, "llama");
  EXPECT_EQ(summary.ggufVersion, 3u);
  EXPECT_EQ(summary.parameterCount, options.shape.parameterCount());
  EXPECT_EQ(summary.contextLength, 128u);
  EXPECT_EQ(summary.embeddingDim, 256u);
  EXPECT_EQ(summary.layerCount, 2u);
  EXPECT_EQ(summary.headCount, 4u);
  EXPECT_EQ(summary.kvHeadCount, 2u);
  EXPECT_EQ(summary.feedForwardDim, 512u);
  EXPECT_EQ(summary.ropeFreqBase, 1e6);
  EXPECT_EQ(summary.vocabularySize, 261u);
  EXPECT_EQ(summary.bosId, 1u);
  EXPECT_EQ(summary.eosId, 2u);
  ASSERT_EQ(summary.typeHistogram.size(), 2u);
  EXPECT_EQ(summary.typeHistogram["f32"].tensors, 5u); // 2 per layer + output norm
  EXPECT_EQ(summary.typeHistogram["q8_0"].tensors, 16u);

  std::string text;
  llvm::raw_string_ostream textStream(text);
  printModelSummary(textStream, summary, *file, /*withTensors=*/true);
  EXPECT_NE(text.find("architecture:     llama\n"), std::string::npos) << text;
  EXPECT_NE(text.find("kv heads:         2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("rope base:        1e+06\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  q8_0:           16 tensors"), std::string::npos) << text;
  EXPECT_NE(text.find("blk.1.ffn_down.weight"), std::string::npos) << text;

  std::string json;
  llvm::raw_string_ostream jsonStream(json);
  printModelSummaryJson(jsonStream, summary, *file, /*withTensors=*/false);
  EXPECT_NE(json.find("\"head_count_kv\": 2"), std::string::npos) << json;
  EXPECT_NE(json.find("\"vocabulary_size\": 261"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"tensors\": ["), std::string::npos) << json;
}

TEST(GGUFModelInfo, MissingKeysAreAbsentNotErrors) {
  GGUFWriter writer;
  writer.set("general.architecture", GGUFValue(uint32_t(5))); // wrong type
  writer.set("general.name", "odd\x01\xff");
  auto file = parseBytes(cantFail(writer.writeToString()));
  ASSERT_TRUE(bool(file));
  ModelSummary summary = summarizeModel(**file);
  EXPECT_EQ(summary.architecture, "");
  EXPECT_FALSE(summary.contextLength.has_value());
  EXPECT_FALSE(summary.vocabularySize.has_value());
  std::string json;
  llvm::raw_string_ostream jsonStream(json);
  printModelSummaryJson(jsonStream, summary, **file, true); // invalid UTF-8 must not throw
  EXPECT_NE(json.find("\"context_length\": null"), std::string::npos) << json;
}
