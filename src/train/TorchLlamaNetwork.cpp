//===- TorchLlamaNetwork.cpp - a trainable Llama on libtorch --------------===//
//
// LlamaNetwork on libtorch: the one file that includes libtorch, built as
// C++17 into the plugin liboptlm_train_network.so (see LlamaNetwork.h). It
// uses nothing of optlm's libraries, only LLVM Support from the shared
// libLLVM that optlm itself loads.
// The forward pass is the runtime's (src/lm/model/ReferenceForward.cpp), on
// batches of sequences (ComputeSettings, LlamaNetwork.h, says where and in
// which precision):
//   x = embedding[tokens]
//   per layer: h = rmsnorm(x) * attn_norm; q, k, v = h Wq^T, h Wk^T, h Wv^T;
//              rotate adjacent pairs of q and k; causal attention, head h on
//              KV head h / (heads / kv heads); x += heads Wo^T;
//              h = rmsnorm(x) * ffn_norm; x += (silu(h Wg^T) * h Wu^T) Wd^T
//   logits = (rmsnorm(x) * output_norm) Woutput^T
//
//===----------------------------------------------------------------------===//
#include "train/LlamaNetwork.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <algorithm>
#include <torch/cuda.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>
#include <torch/serialize.h>
#include <torch/version.h>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <dlfcn.h>
#include <limits>
#include <thread>

// TCMalloc's own entry points (tc_memalign, tc_free) for libtorch's CPU
// tensors, where CMake found TCMalloc and a libtorch 1.x, whose Allocator
// interface TCMallocTensors implements.
#ifdef OPTLM_TCMALLOC
#include <c10/core/CPUAllocator.h>
#include <gperftools/tcmalloc.h>
#endif

namespace optlm::train {

using llvm::Error;
using llvm::Expected;

namespace {

/// The most float attention scores one product makes on the CPU
/// (State::attend): glibc's largest dynamic mmap threshold, below which a
/// freed block is reused from its heap.
constexpr int64_t kScoresBytesAtOnce = int64_t(32) << 20;

Error torchError(const llvm::Twine &what, const std::exception &error) {
  // c10::Error's what() carries a backtrace after the first line.
  std::string message = error.what();
  message = message.substr(0, message.find('\n'));
  return llvm::createStringError(llvm::inconvertibleErrorCode(), what + ": " + message);
}

struct Layer {
  torch::Tensor attentionNorm, query, key, value, attentionOutput;
  torch::Tensor feedForwardNorm, gate, up, down;
};

} // namespace

struct State {
  lm::LlamaShape shape;
  OptimizerSettings settings;
  ComputeSettings compute;
  torch::Device device{torch::kCPU};
  at::Generator generator;
  torch::Tensor embedding, outputNorm, output;
  std::vector<Layer> layers;
  /// Every tensor with its GGUF name, in LlamaWriter's file order.
  std::vector<std::pair<std::string, torch::Tensor>> named;
  std::unique_ptr<torch::optim::AdamW> optimizer;
  int64_t steps = 0;
  /// rotaryTables(context) on the device, made once; a forward pass takes
  /// its first rows.
  torch::Tensor cosines, sines;

  /// tokens: [batch, positions] on device; logits [batch, positions, vocab]
  /// as float.
  torch::Tensor forward(const torch::Tensor &tokens) const;
  /// x W^T, in bfloat16 when the settings ask for it (the result is float
  /// either way, so that norms and the residual stream stay float).
  torch::Tensor product(const torch::Tensor &x, const torch::Tensor &weight) const {
    if (!compute.bf16MatrixProducts)
      return torch::matmul(x, weight.t());
    return torch::matmul(x.to(torch::kBFloat16), weight.to(torch::kBFloat16).t())
        .to(torch::kFloat32);
  }
  /// Causal attention of q [batch, heads, positions, headDim] over k and v
  /// [batch, kvHeads, positions, headDim]; [batch, heads, positions,
  /// headDim] as float.
  torch::Tensor attend(const torch::Tensor &q, const torch::Tensor &k,
                       const torch::Tensor &v) const;
  torch::Tensor rmsNorm(const torch::Tensor &x, const torch::Tensor &weight) const {
    return x * torch::rsqrt(x.pow(2).mean(-1, /*keepdim=*/true) + shape.rmsEpsilon) * weight;
  }
  /// cos and sin of position * base^(-2i/d), [positions, d/2], computed in
  /// double and rounded to float as the runtime does.
  std::pair<torch::Tensor, torch::Tensor> rotaryTables(int64_t positions) const;
  /// The first `length` values of rows [first, first + count) as a
  /// [count, length] tensor on the device.
  torch::Tensor rowsTensor(const std::vector<int32_t> &values, const TokenBatch &batch,
                           int64_t first, int64_t count, int64_t length) const {
    std::vector<int64_t> rows;
    rows.reserve(count * length);
    for (int64_t row = first; row < first + count; ++row) {
      const int32_t *begin = values.data() + row * batch.columns;
      rows.insert(rows.end(), begin, begin + length);
    }
    return torch::tensor(rows, torch::kLong).view({count, length}).to(device);
  }
  /// Positions of row up to its last target (later ones cannot change the
  /// loss: attention is causal); 0 when it has none.
  static int64_t rowLength(const TokenBatch &batch, int64_t row) {
    for (int64_t p = batch.columns; p > 0; --p)
      if (batch.targets[row * batch.columns + p - 1] != TokenBatch::kNoTarget)
        return p;
    return 0;
  }
  /// Summed cross-entropy of the targets of `count` rows from `first`, cut
  /// after `length` positions.
  torch::Tensor rowsLoss(const TokenBatch &batch, int64_t first, int64_t count,
                         int64_t length) const;
  /// Calls lossOf(loss) for each piece the batch is computed in: every row
  /// alone up to its last target, or (wholeBatches) the batch at once, cut
  /// after its last target. The losses are summed cross-entropies.
  template <typename Use> void forEachLoss(const TokenBatch &batch, Use lossOf) const {
    if (compute.wholeBatches) {
      int64_t length = 0;
      for (int64_t row = 0; row < batch.rows; ++row)
        length = std::max(length, rowLength(batch, row));
      if (length > 0)
        lossOf(rowsLoss(batch, 0, batch.rows, length));
      return;
    }
    for (int64_t row = 0; row < batch.rows; ++row)
      if (int64_t length = rowLength(batch, row))
        lossOf(rowsLoss(batch, row, 1, length));
  }
};

std::pair<torch::Tensor, torch::Tensor> State::rotaryTables(int64_t positions) const {
  int64_t pairs = shape.headDim() / 2;
  std::vector<float> cosines(positions * pairs), sines(positions * pairs);
  for (int64_t i = 0; i < pairs; ++i) {
    double inverseFrequency =
        std::pow(static_cast<double>(shape.ropeFreqBase), -2.0 * i / shape.headDim());
    for (int64_t p = 0; p < positions; ++p) {
      double angle = p * inverseFrequency;
      cosines[p * pairs + i] = static_cast<float>(std::cos(angle));
      sines[p * pairs + i] = static_cast<float>(std::sin(angle));
    }
  }
  return {torch::tensor(cosines).view({positions, pairs}).to(device),
          torch::tensor(sines).view({positions, pairs}).to(device)};
}

/// x: [batch, positions, heads, headDim]; pairs (2i, 2i+1) turn by the
/// angle of pair i at their position.
static torch::Tensor rotate(const torch::Tensor &x, const torch::Tensor &cosines,
                            const torch::Tensor &sines) {
  auto sizes = x.sizes().vec();
  torch::Tensor pairs = x.view({sizes[0], sizes[1], sizes[2], sizes[3] / 2, 2});
  torch::Tensor x0 = pairs.select(-1, 0), x1 = pairs.select(-1, 1);
  // [positions, d/2] -> [1, positions, 1, d/2]
  torch::Tensor c = cosines.unsqueeze(0).unsqueeze(2), s = sines.unsqueeze(0).unsqueeze(2);
  return torch::stack({x0 * c - x1 * s, x0 * s + x1 * c}, -1).view(sizes);
}

torch::Tensor State::attend(const torch::Tensor &q, const torch::Tensor &k,
                            const torch::Tensor &v) const {
  const int64_t heads = q.size(1), kvHeads = k.size(1), positions = q.size(2);
  const int64_t group = heads / kvHeads; // grouped-query attention: head h reads KV head h / group
  const auto type = compute.bf16MatrixProducts ? torch::kBFloat16 : torch::kFloat32;
#if TORCH_VERSION_MAJOR >= 2
  if (compute.wholeBatches)
    // Fused attention (flash or memory-efficient kernels on a GPU): the
    // positions x positions scores are never stored.
    return at::scaled_dot_product_attention(q.to(type), k.repeat_interleave(group, 1).to(type),
                                            v.repeat_interleave(group, 1).to(type), {}, 0.0,
                                            /*is_causal=*/true)
        .to(torch::kFloat32);
#endif
  // Scores, the causal mask and softmax in float, the products in `type`.
  const double root = std::sqrt(double(q.size(3)));
  torch::Tensor causal =
      torch::ones({positions, positions}, torch::kBool).triu(1).to(device); // true: masked
  torch::Tensor keys = k.repeat_interleave(group, 1).to(type);
  torch::Tensor values = v.repeat_interleave(group, 1).to(type);
  auto attendHeads = [&](int64_t first, int64_t count) {
    torch::Tensor scores = torch::matmul(q.narrow(1, first, count).to(type),
                                         keys.narrow(1, first, count).transpose(-2, -1))
                               .to(torch::kFloat32) /
                           root;
    scores = scores.masked_fill(causal, -std::numeric_limits<float>::infinity());
    return torch::matmul(torch::softmax(scores, -1).to(type), values.narrow(1, first, count))
        .to(torch::kFloat32);
  };
  // As many heads at once as keep a product's float scores within
  // kScoresBytesAtOnce. Every head alone issues each step (the products,
  // mask, softmax, conversions and their gradients) once per head, a
  // parallel region of its own: at rows of up to 1,024 positions all
  // heads at once trained 10-23% faster. Larger scores cost more than
  // they save: at 1,843 positions all 8 heads' (109 MB) trained no faster
  // with TCMalloc's tensors and took 1.8 times as long with glibc's, which
  // maps and unmaps any block over 32 MB on every use (docs/lm-training.md).
  const int64_t headScoresBytes = q.size(0) * positions * positions * int64_t(sizeof(float));
  // A GPU's caching allocator keeps large blocks: all heads at once there.
  const int64_t atOnce =
      device.is_cpu() ? std::clamp<int64_t>(kScoresBytesAtOnce / headScoresBytes, 1, heads) : heads;
  if (atOnce == heads)
    return attendHeads(0, heads);
  std::vector<torch::Tensor> attended;
  for (int64_t first = 0; first < heads; first += atOnce)
    attended.push_back(attendHeads(first, std::min(atOnce, heads - first)));
  return torch::cat(attended, 1);
}

torch::Tensor State::forward(const torch::Tensor &tokens) const {
  const int64_t batch = tokens.size(0), positions = tokens.size(1);
  const int64_t heads = shape.headCount, kvHeads = shape.kvHeadCount, headDim = shape.headDim();
  torch::Tensor cosines = this->cosines.narrow(0, 0, positions),
                sines = this->sines.narrow(0, 0, positions);
  torch::Tensor x = embedding.index_select(0, tokens.reshape({-1})).view({batch, positions, -1});
  for (const Layer &layer : layers) {
    torch::Tensor h = rmsNorm(x, layer.attentionNorm);
    torch::Tensor q = product(h, layer.query).view({batch, positions, heads, headDim});
    torch::Tensor k = product(h, layer.key).view({batch, positions, kvHeads, headDim});
    torch::Tensor v = product(h, layer.value).view({batch, positions, kvHeads, headDim});
    q = rotate(q, cosines, sines).transpose(1, 2); // [batch, heads, positions, headDim]
    k = rotate(k, cosines, sines).transpose(1, 2);
    v = v.transpose(1, 2);
    torch::Tensor attended =
        attend(q, k, v).transpose(1, 2).reshape({batch, positions, heads * headDim});
    x = x + product(attended, layer.attentionOutput);
    h = rmsNorm(x, layer.feedForwardNorm);
    torch::Tensor gated = torch::silu(product(h, layer.gate)) * product(h, layer.up);
    x = x + product(gated, layer.down);
  }
  return product(rmsNorm(x, outputNorm), output); // [batch, positions, vocab]
}

torch::Tensor State::rowsLoss(const TokenBatch &batch, int64_t first, int64_t count,
                              int64_t length) const {
  torch::Tensor logits = forward(rowsTensor(batch.tokens, batch, first, count, length));
  namespace F = torch::nn::functional;
  return F::cross_entropy(
      logits.view({count * length, logits.size(-1)}),
      rowsTensor(batch.targets, batch, first, count, length).view({count * length}),
      F::CrossEntropyFuncOptions().ignore_index(TokenBatch::kNoTarget).reduction(torch::kSum));
}

namespace {

class TorchLlamaNetwork final : public LlamaNetwork {
public:
  explicit TorchLlamaNetwork(std::unique_ptr<State> state) : TheState(std::move(state)) {}

  void setThreads(int threads) override;
  std::string kernelDescription() const override;
  std::string tensorAllocator() const override;
  const lm::LlamaShape &shape() const override { return TheState->shape; }
  uint64_t parameterCount() const override;
  int64_t steps() const override { return TheState->steps; }
  Expected<float> trainStep(const TokenBatch &batch, float learningRate,
                            ProcessGroup *group) override;
  Expected<std::pair<double, int64_t>> evaluate(const TokenBatch &batch) const override;
  Expected<std::vector<float>> logits(llvm::ArrayRef<int32_t> tokens) const override;
  Error save(llvm::StringRef directory) const override;
  Error load(llvm::StringRef directory) override;
  std::vector<WeightView> weights() const override;
  Error setWeights(llvm::StringRef name, llvm::ArrayRef<float> values) override;

private:
  std::unique_ptr<State> TheState;
  /// weights() of a network on a GPU: CPU copies the views point into.
  mutable std::vector<torch::Tensor> HostCopies;
};

} // namespace

#ifdef OPTLM_TCMALLOC
/// libtorch's CPU tensors from TCMalloc instead of the C library. A training
/// step frees and makes again the same few hundred tensors of tens of KiB to
/// tens of MiB; the C library's allocator searches its bins for each (8% of a
/// bf16 step in `_int_malloc` alone), where TCMalloc keeps freed spans for
/// the next step: 4-13% more tokens a second on the AMX Xeon
/// (docs/lm-training.md). Only tensors' storage changes allocator: the
/// plugin is loaded after the C library, so `malloc` stays the C library's
/// for everyone, and a tensor made before the switch is freed by the
/// deleter it was made with. The plugin is never unloaded
/// (getPermanentLibrary), so the deleter outlives every tensor.
class TCMallocTensors final : public c10::Allocator {
public:
  c10::DataPtr allocate(size_t bytes) const override {
    void *data = bytes == 0 ? nullptr : tc_memalign(c10::gAlignment, bytes);
    TORCH_CHECK(bytes == 0 || data, "out of memory allocating a tensor of ", bytes, " bytes");
    return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
  }
  c10::DeleterFnPtr raw_deleter() const override { return &release; }

private:
  static void release(void *data) { tc_free(data); }
};

static TCMallocTensors TheTCMallocTensors;
#endif

/// Makes libtorch's CPU tensors come from TCMalloc where the plugin was
/// built with it; once per process.
static void useFastTensorAllocator() {
#ifdef OPTLM_TCMALLOC
  static const bool installed = [] {
    c10::SetCPUAllocator(&TheTCMallocTensors, /*priority=*/1);
    return true;
  }();
  (void)installed;
#endif
}

/// Whether CPU tensors come from TCMalloc.
static bool tensorsFromTCMalloc() {
#ifdef OPTLM_TCMALLOC
  return c10::GetCPUAllocator() == &TheTCMallocTensors;
#else
  return false;
#endif
}

void TorchLlamaNetwork::setThreads(int threads) {
  if (threads <= 0)
    threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(threads);
}

std::string TorchLlamaNetwork::kernelDescription() const {
  const ComputeSettings &compute = TheState->compute;
  std::string how = std::string(compute.wholeBatches ? ", whole batches" : "") +
                    (compute.bf16MatrixProducts ? ", bf16 matrix products" : "");
  if (!TheState->device.is_cpu())
    return "libtorch " + TheState->device.str() + how;
  // libtorch calls whichever libblas.so.3 Debian's alternatives select;
  // OpenBLAS names its kernel set.
  std::string blas = "reference BLAS";
  using CoreName = char *(*)();
  if (auto coreName = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename")))
    blas = std::string("OpenBLAS ") + coreName();
  int threads = at::get_num_threads();
  return blas + ", " + std::to_string(threads) + (threads == 1 ? " thread" : " threads") + how;
}

std::string TorchLlamaNetwork::tensorAllocator() const {
  if (!TheState->device.is_cpu())
    return "";
  return tensorsFromTCMalloc() ? "TCMalloc" : "the C library";
}

/// The shape has been validated by LlamaNetwork::create.
static Expected<std::unique_ptr<LlamaNetwork>> createNetwork(const lm::LlamaShape &shape,
                                                             uint64_t seed,
                                                             const OptimizerSettings &settings,
                                                             const ComputeSettings &compute) {
  try {
    useFastTensorAllocator();
    auto state = std::make_unique<State>();
    state->shape = shape;
    state->settings = settings;
    state->compute = compute;
    state->device = torch::Device(compute.device); // throws on a malformed name
    if (state->device.is_cuda() && !torch::cuda::is_available())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "device " + compute.device +
                                         ": this libtorch has no CUDA, or no GPU is visible");
    if (!state->device.is_cpu() && !state->device.is_cuda())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "device " + compute.device +
                                         ": only cpu and cuda are supported");
    if (state->device.is_cuda() && state->device.has_index() &&
        state->device.index() >= static_cast<int>(torch::cuda::device_count()))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "device " + compute.device + ": no such GPU");
    state->generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    const int64_t dim = shape.embeddingDim, ff = shape.feedForwardDim, vocab = shape.vocabSize;
    const int64_t kvDim = int64_t(shape.kvHeadCount) * shape.headDim();
    const double scaledStd = 0.02 / std::sqrt(2.0 * shape.layerCount);
    torch::NoGradGuard noGrad;
    // Tensors are made and initialized in file order, so the generator's
    // draws (and hence the weights) depend on the seed and shape only.
    auto matrix = [&](const std::string &name, int64_t outputs, int64_t inputs, double std) {
      torch::Tensor tensor =
          torch::empty({outputs, inputs}).normal_(0.0, std, state->generator).to(state->device);
      state->named.emplace_back(name, tensor);
      return tensor;
    };
    auto norm = [&](const std::string &name) {
      torch::Tensor tensor = torch::ones({dim}).to(state->device);
      state->named.emplace_back(name, tensor);
      return tensor;
    };
    state->embedding = matrix("token_embd.weight", vocab, dim, 0.02);
    for (uint32_t l = 0; l < shape.layerCount; ++l) {
      auto name = [&](const char *role) { return lm::llamaLayerTensorName(role, l); };
      Layer layer;
      layer.attentionNorm = norm(name("attn_norm"));
      layer.query = matrix(name("attn_q"), dim, dim, 0.02);
      layer.key = matrix(name("attn_k"), kvDim, dim, 0.02);
      layer.value = matrix(name("attn_v"), kvDim, dim, 0.02);
      layer.attentionOutput = matrix(name("attn_output"), dim, dim, scaledStd);
      layer.feedForwardNorm = norm(name("ffn_norm"));
      layer.gate = matrix(name("ffn_gate"), ff, dim, 0.02);
      layer.up = matrix(name("ffn_up"), ff, dim, 0.02);
      layer.down = matrix(name("ffn_down"), dim, ff, scaledStd);
      state->layers.push_back(layer);
    }
    state->outputNorm = norm("output_norm.weight");
    state->output = matrix("output.weight", vocab, dim, 0.02);
    std::tie(state->cosines, state->sines) = state->rotaryTables(shape.contextLength);

    std::vector<torch::Tensor> decayed, undecayed;
    for (auto &[name, tensor] : state->named) {
      tensor.set_requires_grad(true);
      (tensor.dim() == 2 ? decayed : undecayed).push_back(tensor);
    }
    auto options = [&](double weightDecay) {
      return std::make_unique<torch::optim::AdamWOptions>(
          torch::optim::AdamWOptions(1e-3)
              .betas({settings.beta1, settings.beta2})
              .eps(settings.epsilon)
              .weight_decay(weightDecay));
    };
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decayed, options(settings.weightDecay));
    groups.emplace_back(undecayed, options(0.0));
    state->optimizer = std::make_unique<torch::optim::AdamW>(groups);
    return std::unique_ptr<LlamaNetwork>(new TorchLlamaNetwork(std::move(state)));
  } catch (const std::exception &error) {
    return torchError("creating the network", error);
  }
}

uint64_t TorchLlamaNetwork::parameterCount() const {
  uint64_t count = 0;
  for (const auto &[name, tensor] : TheState->named)
    count += tensor.numel();
  return count;
}

static Error checkBatch(const TokenBatch &batch, const lm::LlamaShape &shape) {
  auto invalid = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "batch: " + message);
  };
  if (batch.rows <= 0 || batch.columns <= 0)
    return invalid("empty");
  if (batch.columns > shape.contextLength)
    return invalid(llvm::Twine(batch.columns) + " positions exceed the context of " +
                   llvm::Twine(shape.contextLength));
  size_t size = static_cast<size_t>(batch.rows * batch.columns);
  if (batch.tokens.size() != size || batch.targets.size() != size)
    return invalid("tokens or targets do not fill rows x columns");
  for (size_t i = 0; i < size; ++i) {
    if (batch.tokens[i] < 0 || batch.tokens[i] >= int32_t(shape.vocabSize))
      return invalid("token " + llvm::Twine(batch.tokens[i]) + " outside the vocabulary");
    if (batch.targets[i] != TokenBatch::kNoTarget &&
        (batch.targets[i] < 0 || batch.targets[i] >= int32_t(shape.vocabSize)))
      return invalid("target " + llvm::Twine(batch.targets[i]) + " outside the vocabulary");
  }
  return Error::success();
}

Expected<float> TorchLlamaNetwork::trainStep(const TokenBatch &batch, float learningRate,
                                             ProcessGroup *group) {
  if (Error error = checkBatch(batch, TheState->shape))
    return std::move(error);
  const bool shared = group && group->size() > 1;
  double counted[] = {static_cast<double>(batch.targetCount())};
  if (shared)
    if (Error error = group->sum(counted))
      return std::move(error);
  if (counted[0] == 0)
    return std::numeric_limits<float>::quiet_NaN();
  try {
    for (auto &group : TheState->optimizer->param_groups())
      static_cast<torch::optim::AdamWOptions &>(group.options()).lr(learningRate);
    // One row at a time, gradients accumulated: activations (and the
    // positions x positions attention weights) exist for one sequence only,
    // trailing padding is never computed, and the step is the batch's mean.
    TheState->optimizer->zero_grad();
    const double targets = counted[0];
    double total = 0;
    TheState->forEachLoss(batch, [&](const torch::Tensor &loss) {
      total += loss.item<double>();
      (loss / targets).backward();
    });
    if (shared) {
      // Each process's gradients are its rows' share of the batch mean
      // (divided by the whole batch's target count): their sum is the
      // gradient of the whole batch.
      std::vector<float> flat;
      flat.reserve(parameterCount());
      for (auto &[name, tensor] : TheState->named) {
        if (!tensor.grad().defined())
          tensor.mutable_grad() = torch::zeros_like(tensor);
        torch::Tensor grad = tensor.grad().to(torch::kCPU).contiguous();
        flat.insert(flat.end(), grad.data_ptr<float>(), grad.data_ptr<float>() + grad.numel());
      }
      double losses[] = {total};
      if (Error error = group->sum(flat))
        return std::move(error);
      if (Error error = group->sum(losses))
        return std::move(error);
      total = losses[0];
      torch::NoGradGuard noGrad;
      size_t offset = 0;
      for (auto &[name, tensor] : TheState->named) {
        torch::Tensor summed =
            torch::from_blob(flat.data() + offset, tensor.sizes(), torch::kFloat32)
                .to(TheState->device);
        tensor.mutable_grad().copy_(summed);
        offset += static_cast<size_t>(tensor.numel());
      }
    }
    if (TheState->settings.clipNorm > 0) {
      std::vector<torch::Tensor> parameters;
      for (auto &[name, tensor] : TheState->named)
        parameters.push_back(tensor);
      torch::nn::utils::clip_grad_norm_(parameters, TheState->settings.clipNorm);
    }
    TheState->optimizer->step();
    ++TheState->steps;
    return static_cast<float>(total / targets);
  } catch (const std::exception &error) {
    return torchError("training step", error);
  }
}

Expected<std::pair<double, int64_t>> TorchLlamaNetwork::evaluate(const TokenBatch &batch) const {
  if (Error error = checkBatch(batch, TheState->shape))
    return std::move(error);
  try {
    torch::NoGradGuard noGrad;
    double total = 0;
    TheState->forEachLoss(batch, [&](const torch::Tensor &loss) { total += loss.item<double>(); });
    return std::make_pair(total, batch.targetCount());
  } catch (const std::exception &error) {
    return torchError("evaluation", error);
  }
}

Expected<std::vector<float>> TorchLlamaNetwork::logits(llvm::ArrayRef<int32_t> tokens) const {
  TokenBatch batch;
  batch.rows = 1;
  batch.columns = static_cast<int64_t>(tokens.size());
  batch.tokens = tokens.vec();
  batch.targets.assign(tokens.size(), TokenBatch::kNoTarget);
  if (Error error = checkBatch(batch, TheState->shape))
    return std::move(error);
  try {
    torch::NoGradGuard noGrad;
    torch::Tensor logits =
        TheState->forward(TheState->rowsTensor(batch.tokens, batch, 0, 1, batch.columns))
            .to(torch::kCPU)
            .contiguous();
    const float *data = logits.data_ptr<float>();
    return std::vector<float>(data, data + logits.numel());
  } catch (const std::exception &error) {
    return torchError("forward", error);
  }
}

static std::string inDirectory(llvm::StringRef directory, llvm::StringRef file) {
  llvm::SmallString<256> path(directory);
  llvm::sys::path::append(path, file);
  return std::string(path);
}

// Archive keys may not contain '.', GGUF names do.
static std::string archiveKey(llvm::StringRef name) {
  std::string key = name.str();
  std::replace(key.begin(), key.end(), '.', '/');
  return key;
}

Error TorchLlamaNetwork::save(llvm::StringRef directory) const {
  try {
    torch::serialize::OutputArchive weights;
    for (const auto &[name, tensor] : TheState->named)
      weights.write(archiveKey(name), tensor.detach().to(torch::kCPU));
    weights.write("steps", torch::tensor(TheState->steps, torch::kLong));
    weights.save_to(inDirectory(directory, "weights.pt"));

    torch::serialize::OutputArchive optimizer;
    TheState->optimizer->save(optimizer);
    optimizer.save_to(inDirectory(directory, "optimizer.pt"));

    torch::serialize::OutputArchive generator;
    generator.write("state", TheState->generator.get_state());
    generator.save_to(inDirectory(directory, "generator.pt"));
    return Error::success();
  } catch (const std::exception &error) {
    return torchError("saving the network to " + directory, error);
  }
}

Error TorchLlamaNetwork::load(llvm::StringRef directory) {
  try {
    torch::serialize::InputArchive weights;
    weights.load_from(inDirectory(directory, "weights.pt"));
    torch::NoGradGuard noGrad;
    for (auto &[name, tensor] : TheState->named) {
      torch::Tensor saved;
      weights.read(archiveKey(name), saved);
      if (!saved.sizes().equals(tensor.sizes()))
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "%s: tensor '%s' has another shape than the network's",
                                       directory.str().c_str(), name.c_str());
      tensor.copy_(saved);
    }
    torch::Tensor steps;
    weights.read("steps", steps);
    TheState->steps = steps.item<int64_t>();

    torch::serialize::InputArchive optimizer;
    optimizer.load_from(inDirectory(directory, "optimizer.pt"));
    TheState->optimizer->load(optimizer);

    torch::serialize::InputArchive generator;
    generator.load_from(inDirectory(directory, "generator.pt"));
    torch::Tensor generatorState;
    generator.read("state", generatorState);
    TheState->generator.set_state(generatorState);
    return Error::success();
  } catch (const std::exception &error) {
    return torchError("loading the network from " + directory, error);
  }
}

Error TorchLlamaNetwork::setWeights(llvm::StringRef name, llvm::ArrayRef<float> values) {
  for (auto &[tensorName, tensor] : TheState->named) {
    if (tensorName != name)
      continue;
    if (static_cast<size_t>(tensor.numel()) != values.size())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     name + ": " + llvm::Twine(values.size()) +
                                         " values for a tensor of " + llvm::Twine(tensor.numel()));
    torch::NoGradGuard noGrad;
    tensor.copy_(
        torch::from_blob(const_cast<float *>(values.data()), tensor.sizes(), torch::kFloat32));
    return Error::success();
  }
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "no tensor named " + name);
}

std::vector<WeightView> TorchLlamaNetwork::weights() const {
  std::vector<WeightView> views;
  HostCopies.clear();
  for (const auto &[name, tensor] : TheState->named) {
    WeightView view;
    view.name = name;
    // torch sizes are [rows, row length]; GGML lists the row length first.
    for (int64_t d = tensor.dim() - 1; d >= 0; --d)
      view.dims.push_back(tensor.size(d));
    if (TheState->device.is_cpu()) {
      view.data = tensor.data_ptr<float>(); // created contiguous, updated in place
    } else {
      HostCopies.push_back(tensor.detach().to(torch::kCPU).contiguous());
      view.data = HostCopies.back().data_ptr<float>();
    }
    views.push_back(std::move(view));
  }
  return views;
}

} // namespace optlm::train

extern "C" __attribute__((visibility("default"))) optlm::train::LlamaNetwork *
optlm_train_create_network(const optlm::lm::LlamaShape &shape, uint64_t seed,
                           const optlm::train::OptimizerSettings &optimizer,
                           const optlm::train::ComputeSettings &compute, std::string &error) {
  auto network = optlm::train::createNetwork(shape, seed, optimizer, compute);
  if (!network) {
    error = llvm::toString(network.takeError());
    return nullptr;
  }
  return network->release();
}
