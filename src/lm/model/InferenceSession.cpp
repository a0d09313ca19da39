//===- InferenceSession.cpp - the fast forward pass -----------------------===//
//
// The same computation as ReferenceForward.cpp, arranged for speed:
//  - a batch of tokens goes through each layer together, so every weight row
//    is read from memory once per batch and reused from L1 for every token;
//  - the matrix products of one layer that share an input (q/k/v, gate/up)
//    run as one parallel region, their rows split dynamically over threads;
//  - activations are quantized once per product input to the formats the
//    weight types need (Kernels.h);
//  - keys and values are cached as F16 (half the memory of F32; the rounding
//    is far below the activation quantization's);
//  - only the last token's logits are computed.
//
//===----------------------------------------------------------------------===//

#include "lm/model/Kernels.h"
#include "lm/model/Model.h"
#include "lm/model/Rope.h"
#include "lm/model/ThreadPool.h"

#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <new>
#include <vector>

namespace optlm::lm {

/// A matrix product to run: rows of `weights` times the shared input, each
/// token's results at out + token * weights->rows.
struct Product {
  const WeightMatrix *weights;
  float *out;
};

struct SessionState {
  SessionState(const Model &model, const SessionOptions &options);

  void forwardBatch(llvm::ArrayRef<int32_t> tokens);
  void multiply(const float *input, int64_t cols, int tokens, llvm::ArrayRef<Product> products);
  /// fn(t) for every token t < tokens, shared by the pool's threads when
  /// there are several tokens: a prompt's norms, rotations, activation
  /// preparation and element-wise steps would otherwise leave every thread
  /// but the caller waiting (about 8% of a 7B prompt on the AMX kernels).
  /// Each step (each lambda, and `width` where one lambda serves inputs of
  /// several widths) is a loop kind of its own for the pool's comparison of
  /// sharing with running alone: a norm and a rotation of the same tokens
  /// differ in cost.
  template <typename Fn> void forEachToken(int tokens, Fn fn, int64_t width = 0) {
    if (tokens == 1) {
      fn(0);
      return;
    }
    // One object per instantiation, so its address names the step.
    static const char step = 0;
    pool.parallelFor(
        tokens, 1,
        [&](int64_t begin, int64_t end, int) {
          for (int64_t t = begin; t < end; ++t)
            fn(static_cast<int>(t));
        },
        llvm::hash_combine(&step, width));
  }
  void attention(int layer, int tokens);
  void rmsNorm(const float *x, const float *weight, float *out) const;

  const Model &model;
  const ModelConfig &config;
  const KernelSet &kernels;
  // The model's matrices as these kernels read them: the model's own where
  // it was laid out for this set (Model::load), else this session's copy.
  std::vector<LayerWeights> layers;
  WeightMatrix output;
  std::vector<std::unique_ptr<uint8_t[]>> relaidRows;
  ThreadPool pool;
  int contextLength;
  int maxBatch;
  int position = 0;

  // KV cache: [layer][kvHead][position][headDim] as F16, so that the
  // positions of one head, which its attention reads in tiles, lie next to
  // each other (position-major, a tile of 256 positions of a 7B head was 256
  // slices 8 KiB apart). Allocated uninitialized so that only the positions
  // actually used become resident.
  std::unique_ptr<uint16_t[]> keys;
  std::unique_ptr<uint16_t[]> values;
  /// Where position `position` of kvHead's keys (or values) starts.
  size_t cacheSlot(int layer, int kvHead, int position) const {
    return ((static_cast<size_t>(layer) * config.kvHeadCount + kvHead) * contextLength + position) *
           config.headDim();
  }

  // Per-batch scratch, maxBatch tokens each.
  std::vector<float> hidden, normed, queries, newKeys, newValues, attended, gate, up;
  std::vector<float> logits;
  RotaryEmbedding rope;
  // Activations prepared for each format, and per-thread attention scores.
  std::vector<uint8_t> prepared[kActivationFormats];
  std::vector<std::unique_ptr<float[]>> scores;
};

SessionState::SessionState(const Model &model, const SessionOptions &options)
    : model(model), config(model.config()), kernels(kernelSet(options.isa)),
      pool(std::min(options.threads, InferenceSession::kMaxThreads)),
      rope(config.headDim(), config.ropeFreqBase) {
  for (int l = 0; l < config.layerCount; ++l)
    layers.push_back(model.layer(l));
  output = model.output();
  std::vector<WeightMatrix *> matrices = {&output};
  for (LayerWeights &layer : layers)
    llvm::append_range(matrices, layer.matrices());
  layOutMatrices(
      matrices, kernels, [](const WeightMatrix &) -> uint8_t * { return nullptr; }, relaidRows);

  contextLength = options.contextLength > 0 ? options.contextLength : config.contextLength;
  contextLength = std::clamp(contextLength, 1, InferenceSession::kMaxContextLength);
  maxBatch = std::clamp(options.maxBatch > 0 ? options.maxBatch : kernels.promptBatch, 1, 4096);
  size_t cacheSize = InferenceSession::kvCacheBytes(config, contextLength) / 2 / sizeof(uint16_t);
  // Not std::bad_alloc: a context the machine cannot hold is reported by
  // evaluate() (and by create()) as an Error.
  keys.reset(new (std::nothrow) uint16_t[cacheSize]);
  values.reset(new (std::nothrow) uint16_t[cacheSize]);

  size_t dim = config.embeddingDim, kvDim = config.kvDim(), ff = config.feedForwardDim;
  hidden.resize(maxBatch * dim);
  normed.resize(maxBatch * dim);
  queries.resize(maxBatch * dim);
  attended.resize(maxBatch * dim);
  newKeys.resize(maxBatch * kvDim);
  newValues.resize(maxBatch * kvDim);
  gate.resize(maxBatch * ff);
  up.resize(maxBatch * ff);
  logits.resize(config.vocabSize);

  int64_t widest = std::max<int64_t>(dim, ff);
  for (ActivationFormat format : {ActivationFormat::Float, ActivationFormat::Q8x32,
                                  ActivationFormat::Q8x256, kernels.kQuant45Activations})
    prepared[static_cast<int>(format)].resize(maxBatch * activationBytes(format, widest));
  // Uninitialized: blocks whose attention keeps no rows here (the AMX
  // tiles) never make these pages resident. A block's last token sees at
  // most contextLength positions.
  for (int t = 0; t < pool.size(); ++t)
    scores.emplace_back(new float[attentionScratchFloats(kernels.promptBatch, contextLength)]);
}

void SessionState::rmsNorm(const float *x, const float *weight, float *out) const {
  int dim = config.embeddingDim;
  double sumOfSquares = 0.0;
  for (int i = 0; i < dim; ++i)
    sumOfSquares += static_cast<double>(x[i]) * x[i];
  float scale = static_cast<float>(1.0 / std::sqrt(sumOfSquares / dim + config.rmsEpsilon));
  for (int i = 0; i < dim; ++i)
    out[i] = x[i] * scale * weight[i];
}

void SessionState::multiply(const float *input, int64_t cols, int tokens,
                            llvm::ArrayRef<Product> products) {
  // Prepare the input once for every format these weights need.
  bool needed[kActivationFormats] = {};
  for (const Product &product : products)
    needed[static_cast<int>(kernels.activationFormat(product.weights->type))] = true;
  for (int f = 0; f < kActivationFormats; ++f) {
    if (!needed[f])
      continue;
    auto format = static_cast<ActivationFormat>(f);
    size_t stride = activationBytes(format, cols);
    forEachToken(
        tokens,
        [&](int t) {
          prepareActivations(format, input + t * cols, prepared[f].data() + t * stride, cols);
        },
        cols);
  }

  int64_t totalRows = 0;
  for (const Product &product : products)
    totalRows += product.weights->rows;
  // Enough chunks that a thread slowed by other work hands rows to the rest,
  // in multiples of the kernels' groups of four rows. Generation, which
  // streams the weights from memory, takes four chunks a thread: long runs
  // of consecutive rows keep the prefetchers' streams going (7B Q4_K on two
  // threads 5.80-5.96 tok/s against 5.52-5.58 with 16 chunks of 64 rows).
  const int64_t chunksPerThread = tokens == 1 ? 4 : 16;
  const int64_t most = tokens == 1 ? totalRows : 64;
  int64_t grain =
      (std::clamp<int64_t>(totalRows / (pool.size() * chunksPerThread), 1, most) + 3) / 4 * 4;
  // The loop's kind for the pool: the attention's output and the
  // feed-forward's down product have as many rows, 2.7 times as many columns
  // in the second, and a layer's weight types may differ.
  const uint64_t kind =
      llvm::hash_combine(cols, tokens, static_cast<int>(products.front().weights->type));
  auto rowsOfProducts = [&](int64_t begin, int64_t end, int) {
    int64_t first = 0;
    for (const Product &product : products) {
      const WeightMatrix &w = *product.weights;
      int64_t lo = std::max(begin, first), hi = std::min(end, first + w.rows);
      if (lo < hi) {
        int f = static_cast<int>(kernels.activationFormat(w.type));
        size_t stride = activationBytes(static_cast<ActivationFormat>(f), cols);
        const uint8_t *activations = prepared[f].data();
        if (tokens == 1) {
          kernels.rowsDot(w.type)(w.row(lo - first), w.rowBytes, hi - lo, activations, cols,
                                  product.out + (lo - first));
        } else {
          for (int t = 0; t < tokens; t += kernels.tileTokens)
            kernels.tileDot(w.type)(w.row(lo - first), w.rowBytes, hi - lo,
                                    activations + t * stride, stride,
                                    std::min(kernels.tileTokens, tokens - t), cols,
                                    product.out + t * w.rows + (lo - first), w.rows);
        }
      }
      first += w.rows;
    }
  };
  pool.parallelFor(totalRows, grain, rowsOfProducts, kind);
}

void SessionState::attention(int layer, int tokens) {
  const int headDim = config.headDim(), dim = config.embeddingDim;
  const int groupSize = config.headCount / config.kvHeadCount;
  const float scale = 1.0f / std::sqrt(static_cast<float>(headDim));
  // Items are blocks of consecutive tokens of one head (attendF16Block
  // reads the head's cache in tiles shared by the whole block), head-major:
  // a thread's range walks one head's blocks. Each (token, head) is
  // computed the same way whoever runs it (KernelSet::attendF16Block).
  // Blocks of the set's whole batch (KernelSet::promptBatch): the cache is
  // read (and converted) once per block, and scratch holds that many rows of
  // scores per thread (for the kernels that keep rows). With 64 and tiles of
  // 128 positions a 16k prompt ran about 4% faster on a Zen-1-class core
  // than with 32; the AMX set's tiles read a 4k context 1.3 times as fast in
  // blocks of 256 as of 64, and the AVX-512 set's float kernel before its
  // integer one a 16k one about 1.1 times (the whole layer on a Zen 5 EPYC's
  // two cores).
  const int block = kernels.promptBatch;
  const int blocks = (tokens + block - 1) / block;
  pool.parallelFor(
      static_cast<int64_t>(blocks) * config.headCount, 1,
      [&](int64_t begin, int64_t end, int threadIndex) {
        float *weights = scores[threadIndex].get();
        for (int64_t item = begin; item < end; ++item) {
          const int head = static_cast<int>(item / blocks);
          const int t = block * static_cast<int>(item % blocks);
          const int count = std::min(block, tokens - t);
          const size_t slot = cacheSlot(layer, head / groupSize, 0);
          const size_t offset = static_cast<size_t>(t) * dim + head * headDim;
          // Token t sees positions 0..position+t (causal).
          kernels.attendF16Block(queries.data() + offset, dim, count, keys.get() + slot,
                                 values.get() + slot, headDim, position + t + 1, headDim, scale,
                                 weights, attended.data() + offset, dim);
        }
      },
      tokens);
}

void SessionState::forwardBatch(llvm::ArrayRef<int32_t> tokens) {
  const int n = static_cast<int>(tokens.size());
  const int64_t dim = config.embeddingDim, kvDim = config.kvDim(), ff = config.feedForwardDim;
  const WeightMatrix &embedding = model.tokenEmbedding();
  for (int t = 0; t < n; ++t)
    dequantizeRow(embedding.type, embedding.row(tokens[t]), hidden.data() + t * dim, dim);

  for (int l = 0; l < config.layerCount; ++l) {
    const LayerWeights &layer = layers[l];
    forEachToken(n, [&](int t) {
      rmsNorm(hidden.data() + t * dim, layer.attentionNorm, normed.data() + t * dim);
    });
    multiply(normed.data(), dim, n,
             {{&layer.query, queries.data()},
              {&layer.key, newKeys.data()},
              {&layer.value, newValues.data()}});
    const int headDim = config.headDim();
    forEachToken(n, [&](int t) {
      rope.apply(queries.data() + t * dim, config.headCount, position + t);
      rope.apply(newKeys.data() + t * kvDim, config.kvHeadCount, position + t);
      for (int h = 0; h < config.kvHeadCount; ++h) {
        size_t slot = cacheSlot(l, h, position + t);
        kernels.storeF16(newKeys.data() + t * kvDim + h * headDim, keys.get() + slot, headDim);
        kernels.storeF16(newValues.data() + t * kvDim + h * headDim, values.get() + slot, headDim);
      }
    });
    attention(l, n);
    // The query buffer is free again: it receives the projected output.
    multiply(attended.data(), dim, n, {{&layer.attentionOutput, queries.data()}});
    forEachToken(n, [&](int t) {
      for (int64_t i = t * dim; i < (t + 1) * dim; ++i)
        hidden[i] += queries[i];
      rmsNorm(hidden.data() + t * dim, layer.feedForwardNorm, normed.data() + t * dim);
    });
    multiply(normed.data(), dim, n, {{&layer.gate, gate.data()}, {&layer.up, up.data()}});
    forEachToken(n, [&](int t) { kernels.swiGLU(gate.data() + t * ff, up.data() + t * ff, ff); });
    multiply(gate.data(), ff, n, {{&layer.down, queries.data()}});
    forEachToken(n, [&](int t) {
      for (int64_t i = t * dim; i < (t + 1) * dim; ++i)
        hidden[i] += queries[i];
    });
  }

  rmsNorm(hidden.data() + (n - 1) * dim, model.outputNorm(), normed.data());
  multiply(normed.data(), dim, 1, {{&output, logits.data()}});
  position += n;
}

InferenceSession::InferenceSession(const Model &model, int contextLength, int threads)
    : InferenceSession(model, SessionOptions{contextLength, threads}) {}

InferenceSession::InferenceSession(const Model &model, const SessionOptions &options)
    : TheModel(model), TheState(std::make_unique<SessionState>(model, options)) {}

InferenceSession::~InferenceSession() = default;

size_t InferenceSession::kvCacheBytes(const ModelConfig &config, int contextLength) {
  // Keys and values, F16, for every layer and position.
  return 2 * sizeof(uint16_t) * static_cast<size_t>(config.layerCount) *
         static_cast<size_t>(contextLength) * static_cast<size_t>(config.kvDim());
}

llvm::Expected<std::unique_ptr<InferenceSession>>
InferenceSession::create(const Model &model, const SessionOptions &options) {
  if (options.contextLength < 0 || options.contextLength > kMaxContextLength)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   llvm::formatv("context length {0} is outside [0, {1}]",
                                                 options.contextLength, kMaxContextLength));
  if (options.threads < 0 || options.threads > kMaxThreads)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("thread count {0} is outside [0, {1}]", options.threads, kMaxThreads));
  if (options.maxBatch < 0 || options.maxBatch > 4096)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("batch size {0} is outside [0, 4096]", options.maxBatch));
  auto session = std::make_unique<InferenceSession>(model, options);
  if (!session->TheState->keys || !session->TheState->values)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("cannot allocate the KV cache ({0} MiB for {1} positions)",
                      kvCacheBytes(model.config(), session->contextLength()) >> 20,
                      session->contextLength()));
  return session;
}

llvm::Expected<llvm::ArrayRef<float>> InferenceSession::evaluate(llvm::ArrayRef<int32_t> tokens) {
  SessionState &state = *TheState;
  if (!state.keys || !state.values)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("the KV cache for {0} positions ({1} MiB) could not be allocated",
                      state.contextLength, kvCacheBytes(state.config, state.contextLength) >> 20));
  if (tokens.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "no tokens to evaluate");
  for (int32_t token : tokens)
    if (token < 0 || token >= state.config.vocabSize)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     llvm::formatv("token {0} is outside the vocabulary (size {1})",
                                                   token, state.config.vocabSize));
  if (static_cast<int64_t>(tokens.size()) > state.contextLength - state.position)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("context overflow: {0} tokens at position {1} exceed the context of {2}",
                      tokens.size(), state.position, state.contextLength));
  for (size_t start = 0; start < tokens.size(); start += state.maxBatch)
    state.forwardBatch(
        tokens.slice(start, std::min<size_t>(state.maxBatch, tokens.size() - start)));
  return llvm::ArrayRef<float>(state.logits);
}

int InferenceSession::position() const { return TheState->position; }
int InferenceSession::contextLength() const { return TheState->contextLength; }
int InferenceSession::threadCount() const { return TheState->pool.size(); }
KernelIsa InferenceSession::isa() const { return TheState->kernels.isa; }

void InferenceSession::truncate(int position) {
  TheState->position = std::clamp(position, 0, TheState->position);
}

} // namespace optlm::lm
