//===- LlamaWriter.h - write Llama-architecture GGUF models --------*- C++ -*-===//
//
// Writes a GGUF model with the Llama architecture (the architecture of Code
// Llama and LLM Compiler) under the metadata keys and tensor names llama.cpp
// uses, with the weights of a trained model (LlamaModelOptions::weights:
// what `optlm train --task lm` exports) or seeded random ones: the fixtures
// the runtime is tested and benchmarked on, from a 1-layer toy up to the 7B
// shape. Weights stream to disk row by row, so even the 7B shape needs
// little memory.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/TensorTypes.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace optlm::lm {

class GGUFWriter;

struct LlamaShape {
  uint32_t vocabSize = 0;
  uint32_t embeddingDim = 0;
  uint32_t layerCount = 0;
  uint32_t headCount = 0;
  uint32_t kvHeadCount = 0; ///< fewer than headCount: grouped-query attention
  uint32_t feedForwardDim = 0;
  uint32_t contextLength = 4096;
  float ropeFreqBase = 1e6f; ///< Code Llama's; Llama 2 used 1e4
  float rmsEpsilon = 1e-5f;

  uint32_t headDim() const { return headCount ? embeddingDim / headCount : 0; }
  /// Weights in every tensor the writer emits.
  uint64_t parameterCount() const;
  /// The shape of Code Llama 7B (and LLM Compiler 7B).
  static LlamaShape codeLlama7B();
};

/// SentencePiece token types as llama.cpp stores them in tokenizer.ggml.token_type.
enum class TokenType : int32_t {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  UserDefined = 4,
  Unused = 5,
  Byte = 6,
};

struct Vocabulary {
  std::vector<std::string> pieces;
  std::vector<float> scores;
  std::vector<int32_t> types; ///< TokenType values
  uint32_t bosId = 1;
  uint32_t eosId = 2;
  uint32_t unknownId = 0;
  /// Whether a text is encoded with a space before it (SentencePiece's
  /// dummy prefix; Llama's vocabularies have it, optlm's code-style ones
  /// not). Written as tokenizer.ggml.add_space_prefix when false.
  bool addSpacePrefix = true;

  size_t size() const { return pieces.size(); }
  void add(std::string piece, float score, TokenType type);
};

/// The smallest vocabulary that can spell any text: <unk>, <s>, </s>, the 256
/// byte tokens <0x00>..<0xFF>, then extraPieces (normal tokens, scored so
/// that earlier pieces are preferred), then "<unused_N>" pieces up to
/// padToSize when that is larger.
Vocabulary byteLevelVocabulary(llvm::ArrayRef<std::string> extraPieces = {}, size_t padToSize = 0);

/// Sets the tokenizer.ggml.* keys of a Llama vocabulary (BOS added, EOS not).
void addLlamaTokenizer(GGUFWriter &writer, const Vocabulary &vocabulary);

/// Fills row `row` of tensor `name` (rowLength floats; matrices are stored
/// [outputs][inputs], so a row is one output's weights).
using LlamaWeightSource = std::function<void(llvm::StringRef name, int64_t row, float *values)>;

struct LlamaModelOptions {
  LlamaShape shape;
  /// Type of the matrices (embedding, attention, feed-forward, output); the
  /// norm weights are always F32.
  TensorType weightType = TensorType::F32;
  /// The weights, asked for row by row while the file is written; when
  /// empty, seeded random weights (below).
  LlamaWeightSource weights;
  uint64_t seed = 0;
  std::string name = "optlm-random-llama";
  /// Written as tokenizer.chat_template (Jinja source) when not empty.
  std::string chatTemplate;
};

/// The general.file_type (llama.cpp's LLAMA_FTYPE) of a model whose
/// matrices all have type; K-quants map to the "_S" variants.
uint32_t llamaFileType(TensorType type);

/// Checks the shape (heads divide the embedding dimension, kv heads divide
/// heads, an even head dimension for RoPE, rows fit the weight type's block
/// size) and the vocabulary (its size is the shape's, ids in range, parallel
/// arrays of equal length).
llvm::Error validateLlamaModel(const LlamaModelOptions &options, const Vocabulary &vocabulary);

/// Adds the metadata and tensors of the model to writer (the tensors are
/// produced when the writer writes).
llvm::Error addLlamaModel(GGUFWriter &writer, const LlamaModelOptions &options,
                          const Vocabulary &vocabulary);

/// Writes the model to path.
llvm::Error writeLlamaModel(llvm::StringRef path, const LlamaModelOptions &options,
                            const Vocabulary &vocabulary);

/// The per-layer tensor name llama.cpp uses, e.g. ("attn_q", 3) -> "blk.3.attn_q.weight".
/// (Inline: the trainer's libtorch plugin uses it and links no optlm library.)
inline std::string llamaLayerTensorName(llvm::StringRef role, uint32_t layer) {
  return "blk." + std::to_string(layer) + "." + role.str() + ".weight";
}

} // namespace optlm::lm
