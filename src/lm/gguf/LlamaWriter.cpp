//===- LlamaWriter.cpp - write Llama-architecture GGUF models --------------===//
#include "lm/gguf/LlamaWriter.h"
#include "lm/gguf/GGUFWriter.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdio>

using llvm::Error;

namespace optlm::lm {

uint64_t LlamaShape::parameterCount() const {
  uint64_t dim = embeddingDim, kvDim = uint64_t(kvHeadCount) * headDim();
  uint64_t perLayer = 2 * dim                           // attention and ffn norms
                      + 2 * dim * dim + 2 * dim * kvDim // q, output; k, v
                      + 3 * dim * uint64_t(feedForwardDim);
  return 2 * uint64_t(vocabSize) * dim + dim + uint64_t(layerCount) * perLayer;
}

LlamaShape LlamaShape::codeLlama7B() {
  LlamaShape shape;
  shape.vocabSize = 32016;
  shape.embeddingDim = 4096;
  shape.layerCount = 32;
  shape.headCount = 32;
  shape.kvHeadCount = 32;
  shape.feedForwardDim = 11008;
  shape.contextLength = 16384;
  shape.ropeFreqBase = 1e6f;
  shape.rmsEpsilon = 1e-5f;
  return shape;
}

void Vocabulary::add(std::string piece, float score, TokenType type) {
  pieces.push_back(std::move(piece));
  scores.push_back(score);
  types.push_back(int32_t(type));
}

Vocabulary byteLevelVocabulary(llvm::ArrayRef<std::string> extraPieces, size_t padToSize) {
  Vocabulary vocabulary;
  vocabulary.add("<unk>", 0.0f, TokenType::Unknown);
  vocabulary.add("<s>", 0.0f, TokenType::Control);
  vocabulary.add("</s>", 0.0f, TokenType::Control);
  for (int byte = 0; byte < 256; ++byte) {
    char piece[8];
    std::snprintf(piece, sizeof(piece), "<0x%02X>", byte);
    vocabulary.add(piece, 0.0f, TokenType::Byte);
  }
  for (size_t i = 0; i < extraPieces.size(); ++i)
    vocabulary.add(extraPieces[i], -float(i + 1), TokenType::Normal);
  for (size_t unused = 0; vocabulary.size() < padToSize; ++unused)
    vocabulary.add("<unused_" + std::to_string(unused) + ">", -1e9f, TokenType::Unused);
  vocabulary.bosId = 1;
  vocabulary.eosId = 2;
  vocabulary.unknownId = 0;
  return vocabulary;
}

uint32_t llamaFileType(TensorType type) {
  switch (type) {
  case TensorType::F32:
    return 0;
  case TensorType::F16:
    return 1;
  case TensorType::Q4_0:
    return 2;
  case TensorType::Q8_0:
    return 7;
  case TensorType::Q4_K:
    return 14;
  case TensorType::Q5_K:
    return 16;
  case TensorType::Q6_K:
    return 18;
  case TensorType::BF16:
    return 32;
  }
  return 0;
}

namespace {

Error invalid(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "llama model: %s",
                                 message.str().c_str());
}

/// splitmix64: a tiny, well-mixed generator whose output is the same on every
/// platform (std::uniform_real_distribution is not).
uint64_t splitmix64(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t nameHash(llvm::StringRef name) {
  uint64_t hash = 0xcbf29ce484222325ULL; // FNV-1a
  for (unsigned char c : name)
    hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

/// Fills rows with values uniform in [center - spread, center + spread]. Each
/// row is seeded from (seed, tensor name, row), so a tensor's contents do not
/// depend on which other tensors the file holds or on the order of writing.
GGUFWriter::RowFiller randomRows(uint64_t seed, llvm::StringRef name, int64_t rowLength,
                                 float center, float spread) {
  uint64_t tensorSeed = seed ^ nameHash(name);
  return [=](int64_t row, float *values) {
    uint64_t state = tensorSeed + uint64_t(row) * 0xd1b54a32d192ed03ULL;
    for (int64_t i = 0; i < rowLength; ++i) {
      double unit = double(splitmix64(state) >> 11) * 0x1.0p-53; // [0, 1)
      values[i] = center + spread * float(2.0 * unit - 1.0);
    }
  };
}

} // namespace

Error validateLlamaModel(const LlamaModelOptions &options, const Vocabulary &vocabulary) {
  const LlamaShape &shape = options.shape;
  if (!shape.vocabSize || !shape.embeddingDim || !shape.layerCount || !shape.headCount ||
      !shape.kvHeadCount || !shape.feedForwardDim || !shape.contextLength)
    return invalid("every dimension of the shape must be positive");
  if (shape.embeddingDim % shape.headCount)
    return invalid(llvm::formatv("{0} heads do not divide the embedding dimension {1}",
                                 shape.headCount, shape.embeddingDim));
  if (shape.headCount % shape.kvHeadCount)
    return invalid(llvm::formatv("{0} kv heads do not divide the {1} heads", shape.kvHeadCount,
                                 shape.headCount));
  if (shape.headDim() % 2)
    return invalid(
        llvm::formatv("head dimension {0} is odd; rotary embeddings need pairs", shape.headDim()));
  if (!(shape.ropeFreqBase > 0) || !(shape.rmsEpsilon > 0))
    return invalid("rope frequency base and rms epsilon must be positive");
  std::optional<TensorTypeTraits> traits = tensorTypeTraits(uint32_t(options.weightType));
  if (!traits)
    return invalid("unsupported weight type");
  for (uint32_t rowLength : {shape.embeddingDim, shape.feedForwardDim})
    if (rowLength % traits->blockSize)
      return invalid(llvm::formatv("row length {0} is not a multiple of the {1} block size {2}",
                                   rowLength, traits->name, traits->blockSize));
  if (vocabulary.size() != shape.vocabSize)
    return invalid(llvm::formatv("the vocabulary has {0} pieces but the shape says {1}",
                                 vocabulary.size(), shape.vocabSize));
  if (vocabulary.scores.size() != vocabulary.size() || vocabulary.types.size() != vocabulary.size())
    return invalid("the vocabulary's pieces, scores and types differ in length");
  for (uint32_t id : {vocabulary.bosId, vocabulary.eosId, vocabulary.unknownId})
    if (id >= vocabulary.size())
      return invalid(llvm::formatv("special token id {0} is outside the vocabulary", id));
  return Error::success();
}

void addLlamaTokenizer(GGUFWriter &writer, const Vocabulary &vocabulary) {
  writer.set("tokenizer.ggml.model", "llama");
  writer.set("tokenizer.ggml.tokens", GGUFValue::array(GGUFValueType::String, vocabulary.pieces));
  writer.set("tokenizer.ggml.scores", GGUFValue::array(GGUFValueType::Float32, vocabulary.scores));
  writer.set("tokenizer.ggml.token_type", GGUFValue::array(GGUFValueType::Int32, vocabulary.types));
  writer.set("tokenizer.ggml.bos_token_id", GGUFValue(vocabulary.bosId));
  writer.set("tokenizer.ggml.eos_token_id", GGUFValue(vocabulary.eosId));
  writer.set("tokenizer.ggml.unknown_token_id", GGUFValue(vocabulary.unknownId));
  writer.set("tokenizer.ggml.add_bos_token", GGUFValue(true));
  writer.set("tokenizer.ggml.add_eos_token", GGUFValue(false));
  // Absent means true (llama.cpp's default for Llama vocabularies).
  if (!vocabulary.addSpacePrefix)
    writer.set("tokenizer.ggml.add_space_prefix", GGUFValue(false));
}

Error addLlamaModel(GGUFWriter &writer, const LlamaModelOptions &options,
                    const Vocabulary &vocabulary) {
  if (Error error = validateLlamaModel(options, vocabulary))
    return error;
  const LlamaShape &shape = options.shape;
  writer.set("general.architecture", "llama");
  writer.set("general.name", options.name);
  writer.set("general.file_type", GGUFValue(llamaFileType(options.weightType)));
  writer.set("llama.vocab_size", GGUFValue(shape.vocabSize));
  writer.set("llama.context_length", GGUFValue(shape.contextLength));
  writer.set("llama.embedding_length", GGUFValue(shape.embeddingDim));
  writer.set("llama.block_count", GGUFValue(shape.layerCount));
  writer.set("llama.feed_forward_length", GGUFValue(shape.feedForwardDim));
  writer.set("llama.attention.head_count", GGUFValue(shape.headCount));
  writer.set("llama.attention.head_count_kv", GGUFValue(shape.kvHeadCount));
  writer.set("llama.rope.freq_base", GGUFValue(shape.ropeFreqBase));
  writer.set("llama.rope.dimension_count", GGUFValue(shape.headDim()));
  writer.set("llama.attention.layer_norm_rms_epsilon", GGUFValue(shape.rmsEpsilon));
  addLlamaTokenizer(writer, vocabulary);
  if (!options.chatTemplate.empty())
    writer.set("tokenizer.chat_template", options.chatTemplate);

  int64_t dim = shape.embeddingDim, ff = shape.feedForwardDim, vocab = shape.vocabSize;
  int64_t kvDim = int64_t(shape.kvHeadCount) * shape.headDim();
  TensorType weightType = options.weightType;
  // Uniform weights with a spread of 1/sqrt(fan-in) keep activations of
  // order one through every layer, so the random model computes finite,
  // non-trivial logits. Norm weights vary around 1 so that a kernel that
  // ignores them is caught.
  // Given weights replace the random ones row for row.
  auto rows = [&](const std::string &name, GGUFWriter::RowFiller random) {
    if (!options.weights)
      return random;
    return GGUFWriter::RowFiller([source = options.weights, name](int64_t row, float *values) {
      source(name, row, values);
    });
  };
  auto matrix = [&](const std::string &name, int64_t inputs, int64_t outputs) {
    return writer.addTensor(
        name, weightType, {inputs, outputs},
        rows(name, randomRows(options.seed, name, inputs, 0.0f, 1.0f / std::sqrt(float(inputs)))));
  };
  auto norm = [&](const std::string &name) {
    return writer.addTensor(name, TensorType::F32, {dim},
                            rows(name, randomRows(options.seed, name, dim, 1.0f, 0.1f)));
  };
  if (Error error = matrix("token_embd.weight", dim, vocab))
    return error;
  for (uint32_t layer = 0; layer < shape.layerCount; ++layer) {
    auto name = [&](llvm::StringRef role) { return llamaLayerTensorName(role, layer); };
    if (Error error = norm(name("attn_norm")))
      return error;
    if (Error error = matrix(name("attn_q"), dim, dim))
      return error;
    if (Error error = matrix(name("attn_k"), dim, kvDim))
      return error;
    if (Error error = matrix(name("attn_v"), dim, kvDim))
      return error;
    if (Error error = matrix(name("attn_output"), dim, dim))
      return error;
    if (Error error = norm(name("ffn_norm")))
      return error;
    if (Error error = matrix(name("ffn_gate"), dim, ff))
      return error;
    if (Error error = matrix(name("ffn_up"), dim, ff))
      return error;
    if (Error error = matrix(name("ffn_down"), ff, dim))
      return error;
  }
  if (Error error = norm("output_norm.weight"))
    return error;
  return matrix("output.weight", dim, vocab);
}

Error writeLlamaModel(llvm::StringRef path, const LlamaModelOptions &options,
                      const Vocabulary &vocabulary) {
  GGUFWriter writer;
  if (Error error = addLlamaModel(writer, options, vocabulary))
    return error;
  return writer.writeFile(path);
}

} // namespace optlm::lm
