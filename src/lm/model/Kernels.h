//===- Kernels.h - dot products of weight rows and activations --*- C++ -*-===//
//
// The inner loops of the transformer. A weight row in any supported tensor
// type is multiplied with an activation vector prepared in the matching
// format: quantized weights meet activations quantized to 8-bit blocks, so
// the products are integer multiply-adds (what makes generation memory-bound
// rather than compute-bound); float weights meet float activations.
//
// Each kernel exists twice: portable C++ (KernelsPortable.cpp) and AVX2/FMA
// (KernelsAVX2.cpp, compiled with target attributes so the binary still runs
// on any x86-64); the K-quants a third time with AVX-512 BW/VNNI
// (KernelsAVX512.cpp); the prompt tiles of every quantized type a fourth
// time on the AMX unit (KernelsAMX.cpp). kernelSet() picks one at run time;
// all compute the same integer sums, so they differ only by float rounding.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/TensorTypes.h"
#include "lm/model/Model.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace optlm::lm {

/// How the activations multiplied with a weight type are prepared.
enum class ActivationFormat {
  Float,  ///< F32, F16, BF16 weights: plain floats
  Q8x32,  ///< Q4_0, Q8_0 weights: ActivationBlock32
  Q8x256, ///< K-quants: ActivationBlock256
  /// Q4_K, Q5_K weights under the AVX2 kernels: ActivationBlock256 whose
  /// quants are woven (wovenQuantSource): every 128 quants are four
  /// registers of 32 in which consecutive pairs come from the four 32-quant
  /// sub-blocks in turn. vpmaddubsw's pair sums of the four registers can
  /// then be added in int16 and scaled with one vpmaddwd per 128 weights
  /// instead of one per 32 (the multiplier is what bounds these kernels on
  /// CPUs with one vector multiply pipe).
  Q8x256Woven,
};
constexpr int kActivationFormats = 4;

/// 32 activations as int8 with one scale, plus the sum of the quants (for
/// Q4_0, whose quants carry an offset of 8).
struct ActivationBlock32 {
  float d;
  int16_t sum;
  int16_t unused;
  int8_t qs[32];
};

/// 256 activations as int8 with one scale, plus the sum of each group of 16
/// quants (K-quants subtract per-sub-block minimums or an offset).
struct ActivationBlock256 {
  float d;
  int8_t qs[256];
  int16_t groupSums[16];
};

/// The activations of weightType in the portable and AVX-512 kernels; a
/// kernel set may choose another (KernelSet::activationFormat).
ActivationFormat activationFormat(TensorType weightType);
/// Q8x256Woven: the natural index (0-255) of the quant stored at `position`
/// of a block. In each half h of 128 quants, the 16-bit pair at p (0-63) is
/// pair 8L + 2k + i/4 of sub-block 4h + i % 4, where k = p / 16 is the
/// 32-byte register, L = p / 8 % 2 its 128-bit lane and i = p % 8 the pair
/// in the lane: what two rounds of vpunpck (16-bit, then 32-bit) make of the
/// four sub-blocks' registers.
int wovenQuantSource(int position);
int activationBlockSize(ActivationFormat format);
/// Bytes taken by n activations in format (n a multiple of its block size).
size_t activationBytes(ActivationFormat format, int64_t n);
/// Prepares n floats for multiplication with weights of that format.
void prepareActivations(ActivationFormat format, const float *x, void *dst, int64_t n);

/// Rearranges `bytes` bytes of rows of `type` in place from one layout to
/// the other (only Q4_K and Q5_K rows have a woven layout; others stay).
void relayoutRows(TensorType type, WeightLayout from, WeightLayout to, uint8_t *rows, size_t bytes);
/// Row `row` of `matrix` as floats, whatever its layout.
void dequantizeMatrixRow(const WeightMatrix &matrix, int64_t row, float *out);

/// Dot product of one weight row of n elements with prepared activations.
using RowDotFn = float (*)(const void *weightRow, const void *activations, int64_t n);
/// The same row with `tokens` activation vectors `stride` bytes apart:
/// out[t] = dot(row, activations of token t). Unpacks the row once for
/// several tokens; the building block of the portable and AVX2 tiles.
using BatchDotFn = void (*)(const void *weightRow, const void *activations, size_t stride,
                            int tokens, int64_t n, float *out);

/// `rows` consecutive weight rows, `rowBytes` apart, times `tokens`
/// activation vectors, `stride` bytes apart: out[t * outStride + r] =
/// dot(row r, activations of token t). The prompt's entry point: a kernel
/// may unpack each block of weights once for several tokens and share each
/// token's per-block work between several rows, but every result is bit for
/// bit what RowDotFn gives, so how a tile is cut never changes an output.
using TileDotFn = void (*)(const void *firstRow, size_t rowBytes, int64_t rows,
                           const void *activations, size_t stride, int tokens, int64_t n,
                           float *out, size_t outStride);

/// `rows` consecutive weight rows, `rowBytes` apart, each multiplied with the
/// same activations: out[r] = dot(row r, activations). The generation entry
/// point: a kernel may work on several rows at once (sharing activation loads
/// and per-block work between them), but every row's result is bit for bit
/// what RowDotFn gives, so how rows are grouped never changes an output.
using RowsDotFn = void (*)(const void *firstRow, size_t rowBytes, int64_t rows,
                           const void *activations, int64_t n, float *out);

/// A RowsDotFn made of one RowDotFn call per row.
template <RowDotFn Dot>
void rowByRow(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
              int64_t n, float *out) {
  for (int64_t r = 0; r < rows; ++r)
    out[r] = Dot(static_cast<const uint8_t *>(firstRow) + r * rowBytes, activations, n);
}

/// A BatchDotFn made of one RowDotFn call per token.
template <RowDotFn Dot>
void tokenByToken(const void *weightRow, const void *activations, size_t stride, int tokens,
                  int64_t n, float *out) {
  for (int t = 0; t < tokens; ++t)
    out[t] = Dot(weightRow, static_cast<const uint8_t *>(activations) + t * stride, n);
}

/// A TileDotFn made of one BatchDotFn call per row and group of up to 16
/// tokens.
template <BatchDotFn Batch>
void batchPerRow(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                 size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  constexpr int kTokensPerCall = 16;
  float results[kTokensPerCall];
  for (int64_t r = 0; r < rows; ++r)
    for (int t0 = 0; t0 < tokens; t0 += kTokensPerCall) {
      int count = std::min(kTokensPerCall, tokens - t0);
      Batch(static_cast<const uint8_t *>(firstRow) + r * rowBytes,
            static_cast<const uint8_t *>(activations) + t0 * stride, stride, count, n, results);
      for (int t = 0; t < count; ++t)
        out[(t0 + t) * outStride + r] = results[t];
    }
}

/// Floats of scratch a KernelSet::attendF16Block call needs for a block of
/// `queryCount` queries whose last sees `lastCount` positions: a row of
/// scores a query (blocks that take a set's tile attention need none).
inline size_t attentionScratchFloats(int queryCount, int lastCount) {
  return static_cast<size_t>(queryCount) * static_cast<size_t>(lastCount);
}

struct KernelSet {
  KernelIsa isa;
  /// Prompt tokens per batch where a session is not told (and per
  /// attendF16Block call): the AMX and AVX-512 sets' attention converts each
  /// tile of the cache once per call, so it reads long prompts faster in
  /// larger blocks.
  int promptBatch = 64;
  /// Tokens per tileDot call in a prompt's products (a batch of more is cut
  /// into calls of this many): a tile streams each of its tokens'
  /// activations once per group of rows, and 64 tokens of an 11,008-column
  /// product (750 KB as Q8) stay in a 1 MiB L2 where 128 do not.
  int tileTokens = 64;
  /// How this set's Q4_K and Q5_K kernels want their activations.
  ActivationFormat kQuant45Activations = ActivationFormat::Q8x256;
  /// And their weight rows (Woven: in the order of Q8x256Woven).
  WeightLayout kQuant45Weights = WeightLayout::Natural;
  /// Indexed by weight type via rowDot(type), tileDot(type) and rowsDot(type).
  RowDotFn f32, f16, bf16, q8_0, q4_0, q4_K, q5_K, q6_K;
  TileDotFn f32Tile, f16Tile, bf16Tile, q8_0Tile, q4_0Tile, q4_KTile, q5_KTile, q6_KTile;
  RowsDotFn f32Rows, f16Rows, bf16Rows, q8_0Rows, q4_0Rows, q4_KRows, q5_KRows, q6_KRows;
  /// Attention over the F16 KV cache: dot(q, k) and y += a * v.
  float (*dotF16)(const float *x, const uint16_t *h, int n);
  void (*axpyF16)(float a, const uint16_t *h, float *y, int n);
  /// Stores n floats as F16 (round to nearest even).
  void (*storeF16)(const float *x, uint16_t *h, int n);
  /// The feed-forward's activation: gate[i] = gate[i] / (1 + exp(-gate[i]))
  /// * up[i] for i < n (SiLU of the gate times the up projection). Scalar
  /// expf took about 3% of a 7B prompt's time on two threads.
  void (*swiGLU)(float *gate, const float *up, int64_t n);
  /// One attention head over `count` cached positions (keys and values F16,
  /// position p at keys + p * stride and values + p * stride):
  /// out[0, headDim) = sum over p of softmax(scale * query . key p) * value p.
  /// scores is scratch for count floats.
  void (*attendF16)(const float *query, const uint16_t *keys, const uint16_t *values, size_t stride,
                    int count, int headDim, float scale, float *scores, float *out);
  /// `queryCount` consecutive tokens of a prompt on one head: query q (at
  /// queries + q * queryStride, its output at out + q * outStride) sees
  /// positions [0, firstCount + q). A block smaller than
  /// attentionTileQueries gives each query exactly what attendF16 gives it
  /// (the same operations in the same order per score and per output
  /// element); a larger one (a set with tile attention) exactly what any
  /// other such block gives it. So a prompt's logits depend on how it is
  /// batched only through which of its blocks reach attentionTileQueries.
  /// Either way keys and values are read in tiles that stay in cache while
  /// every query of the block uses them: a long prompt's attention is bound
  /// by reading the cache, once per block instead of once per token.
  /// scores: scratch of attentionScratchFloats(queryCount, firstCount +
  /// queryCount - 1) floats.
  void (*attendF16Block)(const float *queries, size_t queryStride, int queryCount,
                         const uint16_t *keys, const uint16_t *values, size_t stride,
                         int firstCount, int headDim, float scale, float *scores, float *out,
                         size_t outStride);
  /// See attendF16Block (0: no tiles, every block is attendF16 on each).
  int attentionTileQueries = 0;
  /// Whether attendF16Block rounds a block of this shape to 16-bit integers
  /// (vnniAttendF16Block: within about 5e-4 of exact attention, where the
  /// float kernels keep float rounding's 4e-5); null where it never does.
  bool (*attendsBlockInIntegers)(int queryCount, int headDim) = nullptr;

  /// The activations this set's kernels for weights of `type` read.
  ActivationFormat activationFormat(TensorType type) const;
  /// The layout of the rows of `type` its kernels read.
  WeightLayout weightLayout(TensorType type) const;
  RowDotFn rowDot(TensorType type) const;
  TileDotFn tileDot(TensorType type) const;
  RowsDotFn rowsDot(TensorType type) const;
};

/// Lays `matrices` out as `kernels` reads them, on every core: each whose
/// layout differs is rearranged in the bytes writable(matrix) gives (its
/// own, when they may be changed in place) or else in a copy kept in
/// `copies`, and points there afterwards.
void layOutMatrices(llvm::ArrayRef<WeightMatrix *> matrices, const KernelSet &kernels,
                    llvm::function_ref<uint8_t *(const WeightMatrix &)> writable,
                    std::vector<std::unique_ptr<uint8_t[]>> &copies);

/// Replaces scores[0, count) by exp(score - max score) and returns their sum:
/// the softmax numerators and denominator of the portable attention (the x86
/// kernels take exp a vector at a time, AttentionX86.h).
float softmaxNumerators(float *scores, int count);

/// True when this CPU can run the AVX2/FMA/F16C kernels.
bool cpuHasAVX2();
/// True when it can also run the AVX-512 (F, BW, VL, DQ, VNNI) kernels.
bool cpuHasAVX512();
/// The kernels for isa; Best resolves to the best set available. Asking for
/// a set the CPU cannot run gives the best one it can (check .isa).
const KernelSet &kernelSet(KernelIsa isa);
/// "portable", "avx2", "avx512", "amx" (and "best").
const char *kernelIsaName(KernelIsa isa);

const KernelSet &portableKernels();
/// Only valid when cpuHasAVX2().
const KernelSet &avx2Kernels();
/// relayoutRows from Natural to Woven with AVX2 (what relayoutRows uses
/// when the CPU has it). Only valid when cpuHasAVX2().
void weaveKQuantRowsAVX2(TensorType type, uint8_t *rows, size_t bytes);
/// Only valid when cpuHasAVX512().
const KernelSet &avx512Kernels();
/// True when the CPU also has AMX-TILE and AMX-INT8 and the kernel lets
/// this process use the tile registers (Linux: asked for on the first call).
bool cpuHasAMX();
/// True when the AMX set can also run its attention on the tile unit:
/// AMX-BF16 and AVX512-BF16 besides cpuHasAMX().
bool cpuHasAMXBF16();
/// The AVX-512 set with the quantized types' prompt tiles on the AMX unit
/// (and, where cpuHasAMXBF16(), the attention too: amxAttendF16Block);
/// every other kernel is the AVX-512 set's. Only valid when cpuHasAMX().
const KernelSet &amxKernels();
/// The AVX-512 set's prompt tiles of Q4_K, Q5_K, Q6_K, Q8_0 and Q4_0 with
/// VNNI over blocks of 16 rows laid out once for all tokens of a pass
/// (TileLayoutX86.h): `rows` a multiple of 16, rowBytes at most
/// kTileMaxRowBytes, any number of tokens; out as TileDotFn. Only valid when
/// cpuHasAVX512().
void vnniQ4_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   size_t stride, int tokens, int64_t n, float *out, size_t outStride);
void vnniQ5_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   size_t stride, int tokens, int64_t n, float *out, size_t outStride);
void vnniQ6_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   size_t stride, int tokens, int64_t n, float *out, size_t outStride);
void vnniQ8_0Tiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   size_t stride, int tokens, int64_t n, float *out, size_t outStride);
void vnniQ4_0Tiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   size_t stride, int tokens, int64_t n, float *out, size_t outStride);
/// The AMX tiles themselves: `rows` and `tokens` multiples of 16, rowBytes
/// at most kTileMaxRowBytes; out as TileDotFn. Only valid when cpuHasAMX().
void amxQ4_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                  size_t stride, int tokens, int64_t n, float *out, size_t outStride);
void amxQ5_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                  size_t stride, int tokens, int64_t n, float *out, size_t outStride);
void amxQ8_0Tiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                  size_t stride, int tokens, int64_t n, float *out, size_t outStride);
void amxQ4_0Tiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                  size_t stride, int tokens, int64_t n, float *out, size_t outStride);
void amxQ6_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                  size_t stride, int tokens, int64_t n, float *out, size_t outStride);
/// KernelSet::attendF16Block in BF16 tiles, each operand split in two
/// (AttentionAMX.cpp), for blocks of at least kAMXAttentionQueries queries
/// on heads whose dimension is a multiple of 64; others get the AVX-512
/// set's. Only valid when cpuHasAMXBF16().
void amxAttendF16Block(const float *queries, size_t queryStride, int queryCount,
                       const uint16_t *keys, const uint16_t *values, size_t stride, int firstCount,
                       int headDim, float scale, float *scores, float *out, size_t outStride);
/// KernelSet::attendsBlockInIntegers with amxAttendF16Block: the blocks it
/// gives the AVX-512 set that that set rounds to integers.
bool amxAttendsBlockInIntegers(int queryCount, int headDim);
/// KernelSet::attendF16Block in 16-bit integers with VNNI (AttentionVNNI.cpp),
/// its queries, keys, values and attention weights each rounded to about 13
/// bits of its largest element; only where vnniAttentionFits. Only valid
/// when cpuHasAVX512().
void vnniAttendF16Block(const float *queries, size_t queryStride, int queryCount,
                        const uint16_t *keys, const uint16_t *values, size_t stride, int firstCount,
                        int headDim, float scale, float *out, size_t outStride);
/// Blocks of fewer queries would pay a tile's rounding for too few of them.
constexpr int kVNNIAttentionQueries = 16;
inline bool vnniAttentionFits(int queryCount, int headDim) {
  return queryCount >= kVNNIAttentionQueries && headDim % 64 == 0 && headDim <= 256;
}
/// A tile's rows: smaller blocks would pay the cache's conversion for a
/// fraction of the unit's work.
constexpr int kAMXAttentionQueries = 16;
/// The tiles (AMX and VNNI) gather a block of 16 rows with 32-bit offsets.
constexpr size_t kTileMaxRowBytes = size_t(1) << 26;

} // namespace optlm::lm
