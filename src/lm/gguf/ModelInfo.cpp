//===- ModelInfo.cpp - summarize a GGUF model ------------------------------===//
#include "lm/gguf/ModelInfo.h"

#include "llvm/Support/Format.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdlib>

namespace optlm::lm {

namespace {

std::optional<uint64_t> unsignedValue(const GGUFFile &file, const std::string &key) {
  const GGUFValue *value = file.find(key);
  return value ? value->asUInt64() : std::nullopt;
}

std::optional<double> floatValue(const GGUFFile &file, const std::string &key) {
  const GGUFValue *value = file.find(key);
  if (!value)
    return std::nullopt;
  // An f32 widened to double prints as 9.999999747378752e-06; going through
  // its shortest decimal form reports the 1e-05 the file's author wrote.
  if (const float *single = std::get_if<float>(&value->data)) {
    char text[32];
    auto [end, error] = std::to_chars(text, text + sizeof(text), *single);
    if (error == std::errc())
      return std::strtod(std::string(text, end).c_str(), nullptr);
  }
  return value->asDouble();
}

std::string humanCount(uint64_t count) {
  char text[32];
  if (count >= 1000000000ULL)
    std::snprintf(text, sizeof(text), "%.2f B", double(count) / 1e9);
  else if (count >= 1000000ULL)
    std::snprintf(text, sizeof(text), "%.2f M", double(count) / 1e6);
  else if (count >= 1000ULL)
    std::snprintf(text, sizeof(text), "%.2f K", double(count) / 1e3);
  else
    std::snprintf(text, sizeof(text), "%llu", (unsigned long long)count);
  return text;
}

std::string humanBytes(uint64_t bytes) {
  char text[32];
  if (bytes >= (1ULL << 30))
    std::snprintf(text, sizeof(text), "%.2f GiB", double(bytes) / double(1ULL << 30));
  else if (bytes >= (1ULL << 20))
    std::snprintf(text, sizeof(text), "%.2f MiB", double(bytes) / double(1ULL << 20));
  else if (bytes >= (1ULL << 10))
    std::snprintf(text, sizeof(text), "%.2f KiB", double(bytes) / double(1ULL << 10));
  else
    std::snprintf(text, sizeof(text), "%llu B", (unsigned long long)bytes);
  return text;
}

template <typename T> std::string orDash(const std::optional<T> &value) {
  if (!value)
    return "-";
  if constexpr (std::is_floating_point_v<T>) {
    char text[32];
    std::snprintf(text, sizeof(text), "%g", double(*value));
    return text;
  } else {
    return std::to_string(*value);
  }
}

template <typename T> nlohmann::json orNull(const std::optional<T> &value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string dimsText(const GGUFTensor &tensor) {
  std::string text;
  for (size_t i = 0; i < tensor.dims.size(); ++i)
    text += (i ? " x " : "") + std::to_string(tensor.dims[i]);
  return text;
}

} // namespace

ModelSummary summarizeModel(const GGUFFile &file) {
  ModelSummary summary;
  summary.ggufVersion = file.version();
  summary.fileSize = file.fileSize();
  summary.metadataCount = file.metadata().size();
  summary.architecture = file.stringOr("general.architecture").value_or("").str();
  summary.name = file.stringOr("general.name").value_or("").str();
  summary.fileType = file.u32Or("general.file_type");
  for (const GGUFTensor &tensor : file.tensors()) {
    summary.parameterCount += uint64_t(tensor.elementCount);
    summary.tensorBytes += tensor.byteSize;
    TensorTypeUsage &usage = summary.typeHistogram[std::string(traits(tensor.type).name)];
    usage.tensors += 1;
    usage.parameters += uint64_t(tensor.elementCount);
    usage.bytes += tensor.byteSize;
  }
  // Hyper-parameters live under the architecture's name ("llama.", ...).
  std::string prefix = summary.architecture + ".";
  summary.contextLength = unsignedValue(file, prefix + "context_length");
  summary.embeddingDim = unsignedValue(file, prefix + "embedding_length");
  summary.layerCount = unsignedValue(file, prefix + "block_count");
  summary.headCount = unsignedValue(file, prefix + "attention.head_count");
  summary.kvHeadCount = unsignedValue(file, prefix + "attention.head_count_kv");
  summary.feedForwardDim = unsignedValue(file, prefix + "feed_forward_length");
  summary.ropeDimensionCount = unsignedValue(file, prefix + "rope.dimension_count");
  summary.ropeFreqBase = floatValue(file, prefix + "rope.freq_base");
  summary.rmsEpsilon = floatValue(file, prefix + "attention.layer_norm_rms_epsilon");
  summary.tokenizerModel = file.stringOr("tokenizer.ggml.model").value_or("").str();
  if (const GGUFValue *tokens = file.find("tokenizer.ggml.tokens"); tokens && tokens->asArray())
    summary.vocabularySize = tokens->asArray()->elements.size();
  else
    summary.vocabularySize = unsignedValue(file, prefix + "vocab_size");
  summary.bosId = unsignedValue(file, "tokenizer.ggml.bos_token_id");
  summary.eosId = unsignedValue(file, "tokenizer.ggml.eos_token_id");
  summary.unknownId = unsignedValue(file, "tokenizer.ggml.unknown_token_id");
  return summary;
}

/// The architecture's own keys that the summary's fields do not show (a
/// flag-tuning model's target and library, say), as short text.
static std::vector<std::pair<std::string, std::string>>
otherArchitectureKeys(const ModelSummary &summary, const GGUFFile &file) {
  static const char *const shown[] = {"context_length",
                                      "embedding_length",
                                      "block_count",
                                      "attention.head_count",
                                      "attention.head_count_kv",
                                      "feed_forward_length",
                                      "rope.dimension_count",
                                      "rope.freq_base",
                                      "attention.layer_norm_rms_epsilon",
                                      "vocab_size"};
  std::vector<std::pair<std::string, std::string>> keys;
  if (summary.architecture.empty())
    return keys;
  const std::string prefix = summary.architecture + ".";
  for (const auto &[key, value] : file.metadata()) {
    llvm::StringRef name(key);
    if (!name.consume_front(prefix) || llvm::is_contained(shown, name))
      continue;
    keys.push_back({key, value.summary(4)});
  }
  return keys;
}

void printModelSummary(llvm::raw_ostream &out, const ModelSummary &summary, const GGUFFile &file,
                       bool withTensors) {
  auto line = [&](llvm::StringRef label, const std::string &value) {
    out << llvm::left_justify(label, 18) << value << "\n";
  };
  line("architecture:", summary.architecture.empty() ? "-" : summary.architecture);
  if (!summary.name.empty())
    line("name:", summary.name);
  line("gguf version:", std::to_string(summary.ggufVersion));
  line("file size:",
       humanBytes(summary.fileSize) + " (" + std::to_string(summary.fileSize) + " bytes)");
  line("parameters:",
       humanCount(summary.parameterCount) + " (" + std::to_string(summary.parameterCount) + ")");
  line("file type:", orDash(summary.fileType));
  line("tensors:", std::to_string(file.tensors().size()));
  for (const auto &[type, usage] : summary.typeHistogram)
    line("  " + type + ":", std::to_string(usage.tensors) + " tensors, " +
                                humanCount(usage.parameters) + " parameters, " +
                                humanBytes(usage.bytes));
  line("context length:", orDash(summary.contextLength));
  line("embedding dim:", orDash(summary.embeddingDim));
  line("layers:", orDash(summary.layerCount));
  line("heads:", orDash(summary.headCount));
  line("kv heads:", orDash(summary.kvHeadCount));
  line("ff dim:", orDash(summary.feedForwardDim));
  line("rope base:", orDash(summary.ropeFreqBase));
  line("rope dims:", orDash(summary.ropeDimensionCount));
  line("rms epsilon:", orDash(summary.rmsEpsilon));
  line("tokenizer:", summary.tokenizerModel.empty() ? "-" : summary.tokenizerModel);
  line("vocabulary size:", orDash(summary.vocabularySize));
  line("bos id:", orDash(summary.bosId));
  line("eos id:", orDash(summary.eosId));
  line("unknown id:", orDash(summary.unknownId));
  line("metadata keys:", std::to_string(summary.metadataCount));
  for (const auto &[key, value] : otherArchitectureKeys(summary, file))
    out << "  " << key << ": " << value << "\n";
  if (!withTensors)
    return;
  out << "\n";
  for (const GGUFTensor &tensor : file.tensors())
    out << llvm::left_justify(tensor.name, 32) << " "
        << llvm::left_justify(traits(tensor.type).name, 5) << " "
        << llvm::left_justify(dimsText(tensor), 16) << " " << tensor.byteSize << " bytes at "
        << tensor.offset << "\n";
}

void printModelSummaryJson(llvm::raw_ostream &out, const ModelSummary &summary,
                           const GGUFFile &file, bool withTensors) {
  nlohmann::ordered_json json;
  json["architecture"] = summary.architecture;
  json["name"] = summary.name;
  json["gguf_version"] = summary.ggufVersion;
  json["file_size"] = summary.fileSize;
  json["parameter_count"] = summary.parameterCount;
  json["tensor_bytes"] = summary.tensorBytes;
  json["file_type"] = orNull(summary.fileType);
  json["tensor_count"] = file.tensors().size();
  nlohmann::ordered_json histogram = nlohmann::ordered_json::object();
  for (const auto &[type, usage] : summary.typeHistogram)
    histogram[type] = {
        {"tensors", usage.tensors}, {"parameters", usage.parameters}, {"bytes", usage.bytes}};
  json["tensor_types"] = histogram;
  json["context_length"] = orNull(summary.contextLength);
  json["embedding_length"] = orNull(summary.embeddingDim);
  json["block_count"] = orNull(summary.layerCount);
  json["head_count"] = orNull(summary.headCount);
  json["head_count_kv"] = orNull(summary.kvHeadCount);
  json["feed_forward_length"] = orNull(summary.feedForwardDim);
  json["rope_freq_base"] = orNull(summary.ropeFreqBase);
  json["rope_dimension_count"] = orNull(summary.ropeDimensionCount);
  json["rms_epsilon"] = orNull(summary.rmsEpsilon);
  json["tokenizer_model"] = summary.tokenizerModel;
  json["vocabulary_size"] = orNull(summary.vocabularySize);
  json["bos_token_id"] = orNull(summary.bosId);
  json["eos_token_id"] = orNull(summary.eosId);
  json["unknown_token_id"] = orNull(summary.unknownId);
  json["metadata_count"] = summary.metadataCount;
  nlohmann::ordered_json architectureKeys = nlohmann::ordered_json::object();
  for (const auto &[key, value] : otherArchitectureKeys(summary, file))
    architectureKeys[key] = value;
  json["architecture_metadata"] = architectureKeys;
  if (withTensors) {
    nlohmann::ordered_json tensors = nlohmann::ordered_json::array();
    for (const GGUFTensor &tensor : file.tensors())
      tensors.push_back({{"name", tensor.name},
                         {"type", std::string(traits(tensor.type).name)},
                         {"dims", std::vector<int64_t>(tensor.dims.begin(), tensor.dims.end())},
                         {"elements", tensor.elementCount},
                         {"bytes", tensor.byteSize},
                         {"offset", tensor.offset}});
    json["tensors"] = tensors;
  }
  // Names and strings come from the file: replace invalid UTF-8 rather than
  // throwing.
  out << json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

} // namespace optlm::lm
