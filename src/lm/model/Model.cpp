//===- Model.cpp - load and validate a Llama GGUF -------------------------===//
//
// Loading checks everything the forward pass will rely on, so that a
// malformed or unsupported file is an Error here and never a crash later:
// the architecture, every hyper-parameter, and each tensor's presence,
// shape, type and alignment.
//
//===----------------------------------------------------------------------===//

#include "lm/model/Model.h"

#include "lm/gguf/GGUFFile.h"
#include "lm/model/Kernels.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <cstdint>

namespace optlm::lm {

namespace {

llvm::Error modelError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Upper bounds that keep every size computation far from overflow while
/// admitting any real Llama (the largest have 128k vocabularies and 16k
/// dimensions).
constexpr int64_t kMaxDim = 1 << 20;
constexpr int64_t kMaxLayers = 4096;

llvm::Expected<int> readDimension(const GGUFFile &file, llvm::StringRef key) {
  const GGUFValue *value = file.find(key);
  if (!value)
    return modelError(llvm::formatv("missing metadata key '{0}'", key));
  std::optional<int64_t> number = value->asInt64();
  if (!number)
    return modelError(llvm::formatv("metadata key '{0}' is not an integer", key));
  if (*number <= 0 || *number > kMaxDim)
    return modelError(llvm::formatv("metadata key '{0}' has an invalid value {1}", key, *number));
  return static_cast<int>(*number);
}

llvm::Expected<float> readPositiveFloat(const GGUFFile &file, llvm::StringRef key, float fallback) {
  const GGUFValue *value = file.find(key);
  if (!value)
    return fallback;
  std::optional<double> number = value->asDouble();
  if (!number)
    return modelError(llvm::formatv("metadata key '{0}' is not a float", key));
  if (!(*number > 0.0) || *number > 1e30)
    return modelError(llvm::formatv("metadata key '{0}' has an invalid value {1}", key, *number));
  return static_cast<float>(*number);
}

llvm::Expected<ModelConfig> readConfig(const GGUFFile &file) {
  llvm::StringRef architecture = file.stringOr("general.architecture").value_or("");
  if (architecture.empty())
    return modelError("missing metadata key 'general.architecture'");
  if (architecture != "llama")
    return modelError(
        llvm::formatv("unsupported architecture '{0}' (expected 'llama')", architecture));
  ModelConfig config;
  struct {
    const char *key;
    int *field;
  } dimensions[] = {
      {"llama.context_length", &config.contextLength},
      {"llama.embedding_length", &config.embeddingDim},
      {"llama.block_count", &config.layerCount},
      {"llama.feed_forward_length", &config.feedForwardDim},
      {"llama.attention.head_count", &config.headCount},
  };
  for (auto &dimension : dimensions) {
    llvm::Expected<int> value = readDimension(file, dimension.key);
    if (!value)
      return value.takeError();
    *dimension.field = *value;
  }
  config.kvHeadCount = config.headCount;
  if (file.has("llama.attention.head_count_kv")) {
    llvm::Expected<int> value = readDimension(file, "llama.attention.head_count_kv");
    if (!value)
      return value.takeError();
    config.kvHeadCount = *value;
  }
  llvm::Expected<float> base = readPositiveFloat(file, "llama.rope.freq_base", 10000.0f);
  if (!base)
    return base.takeError();
  config.ropeFreqBase = *base;
  llvm::Expected<float> epsilon =
      readPositiveFloat(file, "llama.attention.layer_norm_rms_epsilon", 1e-5f);
  if (!epsilon)
    return epsilon.takeError();
  config.rmsEpsilon = *epsilon;

  if (config.layerCount > kMaxLayers)
    return modelError(llvm::formatv("too many layers ({0})", config.layerCount));
  if (config.embeddingDim % config.headCount != 0)
    return modelError(llvm::formatv("embedding length {0} is not a multiple of head count {1}",
                                    config.embeddingDim, config.headCount));
  if (config.headDim() % 2 != 0)
    return modelError(
        llvm::formatv("head dimension {0} is odd; rotary embeddings need pairs", config.headDim()));
  if (config.kvHeadCount > config.headCount || config.headCount % config.kvHeadCount != 0)
    return modelError(llvm::formatv("head count {0} is not a multiple of KV head count {1}",
                                    config.headCount, config.kvHeadCount));
  if (file.has("llama.rope.dimension_count")) {
    llvm::Expected<int> ropeDims = readDimension(file, "llama.rope.dimension_count");
    if (!ropeDims)
      return ropeDims.takeError();
    if (*ropeDims != config.headDim())
      return modelError(llvm::formatv("llama.rope.dimension_count {0} differs from the head "
                                      "dimension {1}; partial rotary embeddings are unsupported",
                                      *ropeDims, config.headDim()));
  }
  return config;
}

std::string describeDims(llvm::ArrayRef<int64_t> dims) {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + "]";
}

bool isSupportedWeightType(TensorType type) {
  switch (type) {
  case TensorType::F32:
  case TensorType::F16:
  case TensorType::BF16:
  case TensorType::Q8_0:
  case TensorType::Q4_0:
  case TensorType::Q4_K:
  case TensorType::Q5_K:
  case TensorType::Q6_K:
    return true;
  }
  return false;
}

/// A matrix of `rows` outputs of `cols` inputs; rows == 0 accepts any count.
llvm::Expected<WeightMatrix> readMatrix(const GGUFFile &file, const std::string &name, int64_t cols,
                                        int64_t rows) {
  const GGUFTensor *tensor = file.findTensor(name);
  if (!tensor)
    return modelError(llvm::formatv("missing tensor '{0}'", name));
  bool shapeOk = tensor->dims.size() == 2 && tensor->dims[0] == cols &&
                 (rows == 0 || tensor->dims[1] == rows) && tensor->dims[1] > 0 &&
                 tensor->dims[1] <= kMaxDim;
  if (!shapeOk)
    return modelError(llvm::formatv("tensor '{0}' has shape {1}, expected [{2}, {3}]", name,
                                    describeDims(tensor->dims), cols,
                                    rows ? std::to_string(rows) : std::string("n")));
  if (!isSupportedWeightType(tensor->type))
    return modelError(llvm::formatv("tensor '{0}' has unsupported type {1}", name,
                                    static_cast<uint32_t>(tensor->type)));
  TensorTypeTraits typeTraits = traits(tensor->type);
  if (cols % typeTraits.blockSize != 0)
    return modelError(llvm::formatv("tensor '{0}': row length {1} is not a multiple of the {2} "
                                    "block size {3}",
                                    name, cols, typeTraits.name, typeTraits.blockSize));
  WeightMatrix matrix;
  matrix.type = tensor->type;
  matrix.data = tensor->data;
  matrix.cols = cols;
  matrix.rows = tensor->dims[1];
  matrix.rowBytes = rowBytes(tensor->type, cols);
  if (matrix.byteSize() != tensor->byteSize)
    return modelError(llvm::formatv("tensor '{0}' has {1} bytes, expected {2}", name,
                                    tensor->byteSize, matrix.byteSize()));
  // Float kernels read 16-bit and 32-bit elements in place.
  if (reinterpret_cast<uintptr_t>(matrix.data) % 4 != 0)
    return modelError(llvm::formatv("tensor '{0}' data is not 4-byte aligned", name));
  return matrix;
}

llvm::Expected<const float *> readNorm(const GGUFFile &file, const std::string &name,
                                       int64_t length) {
  const GGUFTensor *tensor = file.findTensor(name);
  if (!tensor)
    return modelError(llvm::formatv("missing tensor '{0}'", name));
  if (tensor->dims.size() != 1 || tensor->dims[0] != length)
    return modelError(llvm::formatv("tensor '{0}' has shape {1}, expected [{2}]", name,
                                    describeDims(tensor->dims), length));
  if (tensor->type != TensorType::F32)
    return modelError(llvm::formatv("tensor '{0}' has type {1}; norm weights must be f32", name,
                                    traits(tensor->type).name));
  if (reinterpret_cast<uintptr_t>(tensor->data) % alignof(float) != 0)
    return modelError(llvm::formatv("tensor '{0}' data is not 4-byte aligned", name));
  return reinterpret_cast<const float *>(tensor->data);
}

} // namespace

Model::~Model() = default;

llvm::Expected<std::unique_ptr<Model>> Model::load(llvm::StringRef path, KernelIsa layoutFor) {
  llvm::Expected<std::unique_ptr<GGUFFile>> file =
      GGUFFile::open(path, GGUFFile::Residence::Private);
  if (!file)
    return file.takeError();
  return fromFile(std::move(*file), layoutFor);
}

llvm::Expected<std::unique_ptr<Model>> Model::fromFile(std::unique_ptr<GGUFFile> file,
                                                       KernelIsa layoutFor) {
  llvm::Expected<ModelConfig> config = readConfig(*file);
  if (!config)
    return config.takeError();
  std::unique_ptr<Model> model(new Model());
  model->Config = *config;
  const int64_t dim = config->embeddingDim;
  const int64_t kvDim = config->kvDim();
  const int64_t ff = config->feedForwardDim;

  llvm::Expected<WeightMatrix> embedding = readMatrix(*file, "token_embd.weight", dim, 0);
  if (!embedding)
    return embedding.takeError();
  model->TokenEmbedding = *embedding;
  model->Config.vocabSize = static_cast<int>(embedding->rows);

  llvm::Expected<const float *> outputNorm = readNorm(*file, "output_norm.weight", dim);
  if (!outputNorm)
    return outputNorm.takeError();
  model->OutputNorm = *outputNorm;
  if (file->findTensor("output.weight")) {
    llvm::Expected<WeightMatrix> output =
        readMatrix(*file, "output.weight", dim, model->Config.vocabSize);
    if (!output)
      return output.takeError();
    model->Output = *output;
  } else {
    model->Output = model->TokenEmbedding;
  }

  model->Layers.resize(config->layerCount);
  for (int index = 0; index < config->layerCount; ++index) {
    std::string prefix = "blk." + std::to_string(index) + ".";
    LayerWeights &layer = model->Layers[index];
    struct {
      const char *name;
      WeightMatrix *field;
      int64_t cols, rows;
    } matrices[] = {
        {"attn_q.weight", &layer.query, dim, dim},
        {"attn_k.weight", &layer.key, dim, kvDim},
        {"attn_v.weight", &layer.value, dim, kvDim},
        {"attn_output.weight", &layer.attentionOutput, dim, dim},
        {"ffn_gate.weight", &layer.gate, dim, ff},
        {"ffn_up.weight", &layer.up, dim, ff},
        {"ffn_down.weight", &layer.down, ff, dim},
    };
    for (auto &entry : matrices) {
      llvm::Expected<WeightMatrix> matrix =
          readMatrix(*file, prefix + entry.name, entry.cols, entry.rows);
      if (!matrix)
        return matrix.takeError();
      *entry.field = *matrix;
    }
    struct {
      const char *name;
      const float **field;
    } norms[] = {{"attn_norm.weight", &layer.attentionNorm},
                 {"ffn_norm.weight", &layer.feedForwardNorm}};
    for (auto &entry : norms) {
      llvm::Expected<const float *> norm = readNorm(*file, prefix + entry.name, dim);
      if (!norm)
        return norm.takeError();
      *entry.field = *norm;
    }
  }
  model->File = std::move(file);
  model->layOutFor(layoutFor);
  return model;
}

void Model::layOutFor(KernelIsa isa) {
  std::vector<WeightMatrix *> matrices;
  for (LayerWeights &layer : Layers)
    llvm::append_range(matrices, layer.matrices());
  // A tied output matrix is the token embedding, whose rows are looked up
  // by dequantizing them: it stays as the file has it.
  if (Output.data != TokenEmbedding.data)
    matrices.push_back(&Output);
  layOutMatrices(
      matrices, kernelSet(isa),
      [&](const WeightMatrix &matrix) { return File->writable(matrix.data); }, RelaidRows);
}

size_t Model::weightBytesPerToken() const {
  size_t bytes = Output.byteSize() + TokenEmbedding.rowBytes;
  for (const LayerWeights &layer : Layers)
    for (const WeightMatrix *matrix : layer.matrices())
      bytes += matrix->byteSize();
  return bytes;
}

} // namespace optlm::lm
