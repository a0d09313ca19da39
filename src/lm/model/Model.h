//===- Model.h - a Llama model and one sequence's inference state -*- C++ -*-===//
//
// The Llama architecture as Code Llama and LLM Compiler use it, run on the
// CPU from a GGUF file read once into private memory (huge pages where the
// system gives them): a model costs its file size plus a session's KV cache.
//
// Model holds the configuration and a typed view of every weight; it is
// immutable after load() and may be shared by any number of sessions (one per
// thread). InferenceSession is one sequence: its KV cache, its scratch
// buffers and its thread pool. The conventions (rope, KV cache precision,
// tolerances) are described in docs/lm-runtime.md.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/TensorTypes.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace optlm::lm {

/// Hyper-parameters read from the llama.* metadata of a GGUF file.
struct ModelConfig {
  int vocabSize = 0;
  int contextLength = 0;         ///< llama.context_length: the trained context
  int embeddingDim = 0;          ///< llama.embedding_length
  int layerCount = 0;            ///< llama.block_count
  int headCount = 0;             ///< llama.attention.head_count
  int kvHeadCount = 0;           ///< llama.attention.head_count_kv (= headCount if absent)
  int feedForwardDim = 0;        ///< llama.feed_forward_length
  float ropeFreqBase = 10000.0f; ///< llama.rope.freq_base (Code Llama: 1e6)
  float rmsEpsilon = 1e-5f;      ///< llama.attention.layer_norm_rms_epsilon

  int headDim() const { return embeddingDim / headCount; }
  int kvDim() const { return kvHeadCount * headDim(); }
};

/// Which kernel implementation a session uses. Best picks the AMX set
/// (Q4_K prompt tiles on the AMX unit, the AVX-512 set for the rest), the
/// AVX-512 set (AVX-512 BW/VNNI K-quant kernels, AVX2 for the rest) or
/// AVX2/FMA when the CPU has them (checked at run time), and the portable C++
/// code otherwise.
enum class KernelIsa { Best, Portable, AVX2, AVX512, AMX };

/// The order of the quants inside a weight matrix's blocks: GGUF's own, or
/// the one the AVX2 Q4_K/Q5_K kernels read (each block's quants permuted by
/// wovenQuantSource, lm/model/Kernels.h). Rearranging them once when the
/// model loads spares every kernel call the shuffles: those kernels are
/// bound by the shuffle pipes of Zen-1-class cores, where they ran 1.3x
/// faster on rows laid out ahead (docs/benchmarks.md, twenty-third session).
enum class WeightLayout { Natural, Woven };

/// A weight matrix in the file: `rows` outputs, each a row of `cols` inputs
/// stored contiguously in `type` (GGUF dims {cols, rows}), its blocks'
/// quants in `layout`.
struct WeightMatrix {
  TensorType type = TensorType::F32;
  WeightLayout layout = WeightLayout::Natural;
  const uint8_t *data = nullptr;
  int64_t rows = 0;
  int64_t cols = 0;
  size_t rowBytes = 0;

  const uint8_t *row(int64_t r) const { return data + static_cast<size_t>(r) * rowBytes; }
  size_t byteSize() const { return static_cast<size_t>(rows) * rowBytes; }
};

/// The weights of one transformer block. Norm weights are F32 vectors.
struct LayerWeights {
  const float *attentionNorm = nullptr;
  WeightMatrix query, key, value, attentionOutput;
  const float *feedForwardNorm = nullptr;
  WeightMatrix gate, up, down;

  /// The seven matrices, for what treats them alike.
  std::array<WeightMatrix *, 7> matrices() {
    return {&query, &key, &value, &attentionOutput, &gate, &up, &down};
  }
  std::array<const WeightMatrix *, 7> matrices() const {
    return {&query, &key, &value, &attentionOutput, &gate, &up, &down};
  }
};

class Model {
public:
  /// Reads the GGUF file at path and validates that it is a Llama model
  /// whose tensors all have the shapes and types this runtime supports. The
  /// layer and output matrices are laid out for the kernels of `layoutFor`
  /// (in place: the file was read into private memory); a session of
  /// another kernel set copies what it reads in another layout.
  static llvm::Expected<std::unique_ptr<Model>> load(llvm::StringRef path,
                                                     KernelIsa layoutFor = KernelIsa::Best);
  /// The same, for a file already opened (a matrix to lay out anew is
  /// copied unless the file is in private memory).
  static llvm::Expected<std::unique_ptr<Model>> fromFile(std::unique_ptr<GGUFFile> file,
                                                         KernelIsa layoutFor = KernelIsa::Best);

  ~Model();
  Model(const Model &) = delete;
  Model &operator=(const Model &) = delete;

  const ModelConfig &config() const { return Config; }
  /// The underlying file, for the tokenizer's metadata. Its tensors' bytes
  /// are those of the matrices: in their layout, which may not be GGUF's.
  const GGUFFile &file() const { return *File; }

  const WeightMatrix &tokenEmbedding() const { return TokenEmbedding; }
  const LayerWeights &layer(int index) const { return Layers[index]; }
  const float *outputNorm() const { return OutputNorm; }
  /// output.weight, or the token embedding when the file has none (tied).
  const WeightMatrix &output() const { return Output; }

  /// Bytes of weights one token's forward pass reads: every layer matrix,
  /// the output matrix and one embedding row (what bounds generation speed).
  size_t weightBytesPerToken() const;

private:
  Model() = default;
  void layOutFor(KernelIsa isa);

  std::unique_ptr<GGUFFile> File;
  ModelConfig Config;
  WeightMatrix TokenEmbedding;
  std::vector<LayerWeights> Layers;
  const float *OutputNorm = nullptr;
  WeightMatrix Output;
  /// Matrices laid out anew where the file's memory is not writable.
  std::vector<std::unique_ptr<uint8_t[]>> RelaidRows;
};

struct SessionOptions {
  /// Positions the KV cache holds; 0 means the model's trained context.
  int contextLength = 0;
  /// Threads used by the kernels, the calling thread included; 0 means every
  /// hardware thread.
  int threads = 0;
  KernelIsa isa = KernelIsa::Best;
  /// Prompt tokens processed per batch; longer inputs are split. Bounds the
  /// scratch memory (about 0.25 MiB per token for a 7B model). 0 means the
  /// kernel set's (KernelSet::promptBatch).
  int maxBatch = 0;
};

struct SessionState;

/// One sequence being evaluated: the KV cache (F16, sized to the session's
/// context) and scratch buffers. Not thread-safe; use one per thread.
class InferenceSession {
public:
  /// Longest KV cache a session accepts (Code Llama was trained on 16k).
  static constexpr int kMaxContextLength = 1 << 17;
  static constexpr int kMaxThreads = 1024;

  /// Out-of-range options are clamped: contextLength to
  /// [1, kMaxContextLength] (0 or less: the model's), threads to at most
  /// kMaxThreads (0 or less: every hardware thread).
  explicit InferenceSession(const Model &model, int contextLength = 0, int threads = 0);
  InferenceSession(const Model &model, const SessionOptions &options);
  /// Checks the options instead of clamping them (for options that come
  /// from users) and fails when the KV cache cannot be allocated.
  static llvm::Expected<std::unique_ptr<InferenceSession>> create(const Model &model,
                                                                  const SessionOptions &options);
  /// Bytes of KV cache a session of contextLength positions reserves.
  static size_t kvCacheBytes(const ModelConfig &config, int contextLength);
  ~InferenceSession();
  InferenceSession(const InferenceSession &) = delete;
  InferenceSession &operator=(const InferenceSession &) = delete;

  /// Appends tokens at the current position and runs them through the model
  /// as one batch (batched prompt processing). Returns the logits of the last
  /// token (vocabSize floats), valid until the next call on this session.
  /// Fails, leaving the session unchanged, on an empty input, a token outside
  /// the vocabulary or when the tokens would not fit the context.
  llvm::Expected<llvm::ArrayRef<float>> evaluate(llvm::ArrayRef<int32_t> tokens);

  /// Number of positions in the KV cache (tokens evaluated so far).
  int position() const;
  int contextLength() const;
  int threadCount() const;
  /// The kernel implementation actually in use (never Best).
  KernelIsa isa() const;
  /// Drops cached positions >= position, so that a shared prompt prefix can
  /// be reused; a position beyond the current one changes nothing.
  void truncate(int position);

  const Model &model() const { return TheModel; }

private:
  const Model &TheModel;
  std::unique_ptr<SessionState> TheState;
};

} // namespace optlm::lm
