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
// uses). The implementation, TorchLlamaNetwork.cpp, is a plugin
// (liboptlm_train_network.so) that create() loads on first use: linked
// into optlm, libtorch's ~300 shared libraries would cost every optlm
// command (optlm cc runs once per compilation) over a second and 150 MB
// to load; and libtorch 1.13's headers do not compile as C++20, so the
// plugin is built as C++17.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/LlamaWriter.h"
#include "train/ProcessGroup.h"

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

/// Where and how the network computes. The CPU default is the one whose
/// resumed runs are bit-identical (docs/lm-training.md); a GPU run trades
/// that for speed.
struct ComputeSettings {
  /// "cpu", or "cuda" / "cuda:N" where libtorch was built with CUDA.
  std::string device = "cpu";
  /// Whole batches in one forward pass (padded to the batch's longest row)
  /// instead of rows one at a time. Faster where many rows fit at once (a
  /// GPU); on a CPU the per-row pass keeps the memory of one sequence.
  bool wholeBatches = false;
  /// Matrix products and attention in bfloat16 with float weights, norms,
  /// softmax statistics and loss (mixed precision, as autocast does it).
  bool bf16MatrixProducts = false;

  /// How the matrix products are computed: Auto is what the device does
  /// fastest (bfloat16 on a GPU, and on a CPU whose tile unit multiplies
  /// bfloat16, AMX-BF16; float on other CPUs, which have no faster product).
  enum class Precision { Auto, Float, BFloat16 };

  /// The settings a device is best trained with: whole batches on a GPU,
  /// the per-row pass on the CPU; products as `precision` says.
  static ComputeSettings forDevice(const std::string &device,
                                   Precision precision = Precision::Auto);
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
  int64_t targetCount() const {
    int64_t count = 0;
    for (int32_t target : targets)
      count += target != kNoTarget;
    return count;
  }
};

/// One weight tensor as GGUF stores it: dims in GGML order (dims[0] is the
/// row length), rows contiguous, float values owned by the network.
struct WeightView {
  std::string name;
  std::vector<int64_t> dims;
  const float *data = nullptr;

  int64_t rowLength() const { return dims.front(); }
  int64_t elementCount() const {
    int64_t count = 1;
    for (int64_t dim : dims)
      count *= dim;
    return count;
  }
};

class LlamaNetwork {
public:
  /// A network with seeded initial weights: matrices normal(0, 0.02), the
  /// output projections of attention and feed-forward (attn_output,
  /// ffn_down) scaled by 1/sqrt(2 * layers), norm weights 1. The same seed
  /// gives the same weights, whatever the thread count. Fails on a shape
  /// LlamaWriter would refuse, or when the libtorch plugin cannot be loaded.
  /// The weights are drawn on the CPU and then moved to compute.device, so
  /// a seed gives the same initial weights on every device.
  static llvm::Expected<std::unique_ptr<LlamaNetwork>>
  create(const lm::LlamaShape &shape, uint64_t seed, const OptimizerSettings &optimizer = {},
         const ComputeSettings &compute = {});
  /// What create checks of the shape first: the error for a shape
  /// LlamaWriter would refuse (a dimension or context of 0, heads that do
  /// not divide the dimension, ...).
  static llvm::Error checkShape(const lm::LlamaShape &shape);
  virtual ~LlamaNetwork() = default;

  /// Threads of libtorch's intra-op pool (and OpenBLAS's); 0: every core.
  /// Process-wide.
  virtual void setThreads(int threads) = 0;
  /// The numeric kernels in use ("OpenBLAS Haswell, 1 thread", "CUDA
  /// (NVIDIA H200), whole batches, bf16 matrix products", ...). Two runs
  /// compute bit-identical results only with the same kernels and threads:
  /// OpenBLAS picks kernels by CPU (or OPENBLAS_CORETYPE); GPU kernels are
  /// not bit-reproducible at all.
  virtual std::string kernelDescription() const = 0;
  /// Where a CPU network's tensors take their memory from ("TCMalloc" or
  /// "the C library"; empty on a GPU). Not part of kernelDescription: it
  /// changes speed, never a result.
  virtual std::string tensorAllocator() const = 0;

  virtual const lm::LlamaShape &shape() const = 0;
  virtual uint64_t parameterCount() const = 0;
  /// Optimizer steps taken (restored by load()).
  virtual int64_t steps() const = 0;

  /// Forward, loss, backward, clip, one AdamW step at learningRate. Returns
  /// the mean cross-entropy over the batch's targets (NaN without targets,
  /// in which case nothing is changed). Rows go through the network one at
  /// a time, up to their last target, with gradients accumulated: memory is
  /// one sequence's activations, and padding costs nothing; with
  /// ComputeSettings::wholeBatches the batch goes through at once, cut
  /// after its last target.
  ///
  /// With a group (data-parallel training, ProcessGroup.h), `batch` is this
  /// process's share of the rows: the target counts, losses and gradients
  /// are summed over the group before clipping and the step, so every
  /// process takes the step of the whole batch. Collective: every process
  /// of the group calls it, each with at least one row.
  virtual llvm::Expected<float> trainStep(const TokenBatch &batch, float learningRate,
                                          ProcessGroup *group) = 0;
  llvm::Expected<float> trainStep(const TokenBatch &batch, float learningRate) {
    return trainStep(batch, learningRate, nullptr);
  }
  /// Summed cross-entropy over the batch's targets and their count; no
  /// gradients.
  virtual llvm::Expected<std::pair<double, int64_t>> evaluate(const TokenBatch &batch) const = 0;
  /// Logits of one sequence, positions × vocabulary, row-major.
  virtual llvm::Expected<std::vector<float>> logits(llvm::ArrayRef<int32_t> tokens) const = 0;

  /// Writes weights.pt, optimizer.pt and generator.pt into directory (which
  /// must exist). With the data position kept by the caller this is all a
  /// run needs to continue bit for bit.
  virtual llvm::Error save(llvm::StringRef directory) const = 0;
  /// Restores what save() wrote; the shape must be the same.
  virtual llvm::Error load(llvm::StringRef directory) = 0;

  /// Every tensor under its GGUF name, in the file order LlamaWriter uses.
  /// A network on a GPU shows CPU copies, valid until the next call.
  virtual std::vector<WeightView> weights() const = 0;
  /// Replaces the values of the tensor `name` (row-major, as weights()
  /// shows them); an error for an unknown name or another element count.
  virtual llvm::Error setWeights(llvm::StringRef name, llvm::ArrayRef<float> values) = 0;
};

/// The plugin's entry point (extern "C" so that it can be looked up by
/// name): a network, or null with error set.
using CreateNetworkFunction = LlamaNetwork *(*)(const lm::LlamaShape &shape, uint64_t seed,
                                                const OptimizerSettings &optimizer,
                                                const ComputeSettings &compute, std::string &error);
inline constexpr const char *kCreateNetworkSymbol = "optlm_train_create_network";

} // namespace optlm::train
