//===- LlamaNetwork.h - a trainable Llama on libtorch --------------*- C++ -*-===//
//
// The Llama architecture of optlm's runtime (src/lm/model) as a libtorch
// network with its AdamW optimizer: forward, causal language-model loss,
// one optimizer step, checkpoints of weights + optimizer + generator state,
// and the weights as the GGUF rows the runtime reads.
//
// Weights are kept in GGUF's layout from the start: each matrix is
// [outputs, inputs] (GGUF dims {inputs, outputs}), and rotary embeddings
// turn adjacent pairs (2i, 2i+1) of each head, the runtime's convention. The
// attn_q/attn_k row permutation that llama.cpp's converter applies to
// Hugging Face checkpoints is therefore not needed: a network trained here
// *is* in the converted layout, and export is a copy (tested by comparing
// the runtime's logits with forward()).
//
// This header is libtorch-free (and C++17, like LlamaWriter.h, which it
// uses): libtorch 1.13's headers do not compile as C++20, so the one file
// that includes them is built as C++17 and the rest of optlm only sees this
// interface.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/LlamaWriter.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace optlm::train {

struct OptimizerSettings {
  float beta1 = 0.9f;
  float beta2 = 0.95f;
  float epsilon = 1e-8f;
  /// Decoupled weight decay (AdamW), on the matrices only, never the norms.
  float weightDecay = 0.1f;
  /// Global gradient norm clip; 0 turns clipping off.
  float clipNorm = 1.0f;
};

/// A batch of equal-length rows: tokens[r * columns + c] is the input at
/// position c of row r, targets[...] the token it must predict there, or
/// kNoTarget where no loss is taken (prompts, padding).
struct TokenBatch {
  static constexpr int32_t kNoTarget = -1;
  int64_t rows = 0;
  int64_t columns = 0;
  std::vector<int32_t> tokens;
  std::vector<int32_t> targets;
  /// Input positions that are not padding (for tokens/s).
  int64_t positions = 0;

  /// Positions that have a target.
  int64_t targetCount() const;
};

/// One weight tensor as GGUF stores it: dims in GGML order (dims[0] is the
/// row length), rows contiguous, float values owned by the network.
struct WeightView {
  std::string name;
  std::vector<int64_t> dims;
  const float *data = nullptr;

  int64_t rowLength() const { return dims.front(); }
  int64_t elementCount() const;
};

class LlamaNetwork {
public:
  /// A network with seeded initial weights: matrices normal(0, 0.02), the
  /// output projections of attention and feed-forward (attn_output,
  /// ffn_down) scaled by 1/sqrt(2 * layers), norm weights 1. The same seed
  /// gives the same weights, whatever the thread count.
  static llvm::Expected<std::unique_ptr<LlamaNetwork>>
  create(const lm::LlamaShape &shape, uint64_t seed, const OptimizerSettings &optimizer = {});
  ~LlamaNetwork();

  /// Threads of libtorch's intra-op pool (and OpenBLAS's); 0: every core.
  /// Process-wide.
  static void setThreads(int threads);

  /// The numeric kernels in use ("OpenBLAS Haswell, 1 thread", ...). Two
  /// runs compute bit-identical results only with the same kernels and
  /// threads: OpenBLAS picks kernels by CPU (or OPENBLAS_CORETYPE).
  static std::string kernelDescription();

  const lm::LlamaShape &shape() const;
  uint64_t parameterCount() const;
  /// Optimizer steps taken (restored by load()).
  int64_t steps() const;

  /// Forward, loss, backward, clip, one AdamW step at learningRate. Returns
  /// the mean cross-entropy over the batch's targets (NaN without targets,
  /// in which case nothing is changed). Rows go through the network one at
  /// a time, up to their last target, with gradients accumulated: memory is
  /// one sequence's activations, and padding costs nothing.
  llvm::Expected<float> trainStep(const TokenBatch &batch, float learningRate);
  /// Summed cross-entropy over the batch's targets and their count; no
  /// gradients.
  llvm::Expected<std::pair<double, int64_t>> evaluate(const TokenBatch &batch) const;
  /// Logits of one sequence, positions × vocabulary, row-major.
  llvm::Expected<std::vector<float>> logits(llvm::ArrayRef<int32_t> tokens) const;

  /// Writes weights.pt, optimizer.pt and generator.pt into directory (which
  /// must exist). With the data position kept by the caller this is all a
  /// run needs to continue bit for bit.
  llvm::Error save(llvm::StringRef directory) const;
  /// Restores what save() wrote; the shape must be the same.
  llvm::Error load(llvm::StringRef directory);

  /// Every tensor under its GGUF name, in the file order LlamaWriter uses.
  std::vector<WeightView> weights() const;

private:
  struct State;
  explicit LlamaNetwork(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

} // namespace optlm::train
