//===- KernelsVNNI.cpp - the prompt's integer tiles with AVX-512 VNNI -----===//
//
// The AVX-512 set's own prompt tile (four rows by four tokens, KernelsAVX512.cpp)
// spends about 4.75 vector instructions per 64 multiply-adds: unpacking
// nibbles, vpmaddubsw, vpdpwssd for the sub-block scales, and each block's
// scale work. On a Xeon only two ports take 512-bit instructions, so those
// instructions, not the multiplier, bound a prompt. Here a block of 16 rows
// is unpacked and rearranged once for all the tokens of a pass
// (TileLayoutX86.h, the AMX tiles' layout): one vpdpbusd then multiplies
// four quant bytes of each of the 16 rows with four activation bytes
// broadcast to every row lane. K-quants keep their quants as they are and
// scale each sub-block's sum with a vpmulld (one per sub-block and token,
// where the AMX tiles' quants stored times their scale in two bytes would
// take a second vpdpbusd per 64 multiply-adds). A block ends as one integer
// per (token, row), turned into floats exactly as the exact-block row
// kernels do: the tiles' results are the row kernels' bit for bit
// (docs/lm-runtime.md).
//
// vpdpbusd multiplies unsigned bytes (here the weights) by signed ones (the
// activations). Q8_0's quants are signed: they are stored plus 128, and 128
// times the activations' sum is taken off the integer afterwards.
//
//===----------------------------------------------------------------------===//

#include "lm/model/Kernels.h"

// Only the x86 AVX-512 set (KernelsAVX512.cpp) refers to these tiles.
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include <cstring>
#include <type_traits>

#if defined(__clang__)
#pragma clang attribute push(                                                                      \
    __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni"))),        \
    apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")
#endif

#include "lm/model/KernelsX86.h"
#include "lm/model/TileLayoutX86.h"

namespace optlm::lm {
namespace {

/// Tokens one pass of the inner loop multiplies with a block of 16 rows: a
/// K-quant pass holds 2T accumulators (each token's sub-block and block
/// sums) beside the weights and scales; twelve measured no faster.
constexpr int kTokensAtOnce = 8;

/// Calls f(std::integral_constant<int, count>) for 1 <= count <= N.
template <int N, typename F> inline void withCount(int count, F &&f) {
  if constexpr (N > 0) {
    if (count == N)
      f(std::integral_constant<int, N>{});
    else
      withCount<N - 1>(count, f);
  }
}

/// Calls f(count, t0) for the tokens [0, tokens) in groups of kTokensAtOnce
/// from t0 on, the last group smaller; count is an integral_constant, so
/// each group size is a kernel of its own with its accumulators in registers.
template <typename F> inline void inTokenGroups(int tokens, F &&f) {
  int t0 = 0;
  for (; t0 + kTokensAtOnce <= tokens; t0 += kTokensAtOnce)
    f(std::integral_constant<int, kTokensAtOnce>{}, t0);
  withCount<kTokensAtOnce - 1>(tokens - t0, [&](auto count) { f(count, t0); });
}

/// Four activation bytes in every row lane.
inline __m512i fourBytes(const uint8_t *p) {
  int32_t four;
  std::memcpy(&four, p, sizeof four);
  return _mm512_set1_epi32(four);
}

/// Stored plus 128: signed bytes as the unsigned operand of vpdpbusd.
inline void offsetSignedBytes(uint8_t *bytes, size_t count) {
  const __m512i signBits = _mm512_set1_epi8(static_cast<char>(0x80));
  for (size_t i = 0; i < count; i += 64) {
    __m512i *at = reinterpret_cast<__m512i *>(bytes + i);
    _mm512_store_si512(at, _mm512_xor_si512(_mm512_load_si512(at), signBits));
  }
}

/// Block b of T tokens from t0 on, times the 16 rows of `group` (in
/// SubBlockChunks), into acc: one vpdpbusd per 64 multiply-adds, and a
/// vpmulld per sub-block (32 weights for Q4_K and Q5_K, 16 for Q6_K) and
/// token to scale its sum: the same integer as the AMX tiles' scaled bytes
/// give, exactly.
template <typename Format, int T>
inline void kQuantBlockBySubBlock(const typename Format::Group &group, const uint8_t *tokenBytes,
                                  size_t stride, int64_t b, int t0,
                                  const typename Format::TokenSums &sums, __m512 *acc) {
  const uint8_t *quants =
      tokenBytes + t0 * stride + b * sizeof(ActivationBlock256) + offsetof(ActivationBlock256, qs);
  __m512i scaled[T];
  for (int t = 0; t < T; ++t)
    scaled[t] = _mm512_setzero_si512();
  constexpr int kPerChunk = Format::Group::kSubBlocks / 4, kRows = 16 / kPerChunk;
  for (int j = 0; j < Format::Group::kSubBlocks; ++j) {
    const int c = j / kPerChunk, firstRow = kRows * (j % kPerChunk);
    __m512i subBlock[T];
    for (int t = 0; t < T; ++t)
      subBlock[t] = _mm512_setzero_si512();
    for (int k = firstRow; k < firstRow + kRows; ++k) {
      const __m512i weights = _mm512_load_si512(group.quants[c][k]);
#pragma unroll
      for (int t = 0; t < T; ++t)
        subBlock[t] = _mm512_dpbusd_epi32(subBlock[t], weights,
                                          fourBytes(quants + t * stride + 64 * c + 4 * k));
    }
    for (int t = 0; t < T; ++t)
      scaled[t] = _mm512_add_epi32(scaled[t], _mm512_mullo_epi32(subBlock[t], group.scales[j]));
  }
  for (int t = 0; t < T; ++t) {
    const auto &block =
        reinterpret_cast<const ActivationBlock256 *>(tokenBytes + (t0 + t) * stride)[b];
    acc[t0 + t] = Format::accumulate(acc[t0 + t], scaled[t], group, block, sums, t0 + t, b);
  }
}

/// The K-quant tiles for at most kTokensPerPass tokens.
template <typename Format>
void kQuantTilesForTokens(const void *firstRow, size_t rowBytes, int64_t rows,
                          const void *activations, size_t stride, int tokens, int64_t n, float *out,
                          size_t outStride) {
  const auto *weights = static_cast<const uint8_t *>(firstRow);
  const auto *tokenBytes = static_cast<const uint8_t *>(activations);
  const int64_t blocks = n / kSuperBlock;
  const typename Format::TokenSums sums(tokenBytes, stride, tokens, blocks);
  std::vector<__m512> acc(tokens);
  typename Format::Group group;
  const __m512i offsets = rowOffsets(rowBytes);
  for (int64_t r0 = 0; r0 < rows; r0 += 16) {
    for (__m512 &value : acc)
      value = _mm512_setzero_ps();
    for (int64_t b = 0; b < blocks; ++b) {
      Format::gather(weights + r0 * rowBytes, offsets, b, group);
      inTokenGroups(tokens, [&](auto count, int t0) {
        kQuantBlockBySubBlock<Format, count()>(group, tokenBytes, stride, b, t0, sums, acc.data());
      });
    }
    for (int t = 0; t < tokens; ++t)
      _mm512_storeu_ps(out + t * outStride + r0, acc[t]);
  }
}

/// Block b (32 weights, quants as TileLayoutX86.h's Q8_0/Q4_0 formats lay
/// them out) of T tokens from t0 on: what dotBlocks32Exact computes.
template <typename Format, int T>
inline void block32(const uint8_t (&quants)[8][64], __m512 d, const uint8_t *tokenBytes,
                    size_t stride, int64_t b, int t0, __m512 *acc) {
  const auto *first = reinterpret_cast<const ActivationBlock32 *>(tokenBytes + t0 * stride) + b;
  __m512i sums[T];
  for (int t = 0; t < T; ++t)
    sums[t] = _mm512_setzero_si512();
  for (int k = 0; k < 8; ++k) {
    const __m512i weights = _mm512_load_si512(quants[k]);
#pragma unroll
    for (int t = 0; t < T; ++t)
      sums[t] =
          _mm512_dpbusd_epi32(sums[t], weights,
                              fourBytes(reinterpret_cast<const uint8_t *>(first) + t * stride +
                                        offsetof(ActivationBlock32, qs) + 4 * k));
  }
  for (int t = 0; t < T; ++t) {
    const auto &block = *reinterpret_cast<const ActivationBlock32 *>(
        reinterpret_cast<const uint8_t *>(first) + t * stride);
    const int32_t offset = Format::kUnsignedQuants ? Format::offset(block) : 128 * block.sum;
    const __m512i exact = _mm512_sub_epi32(sums[t], _mm512_set1_epi32(offset));
    acc[t0 + t] = _mm512_fmadd_ps(_mm512_mul_ps(d, _mm512_set1_ps(block.d)),
                                  _mm512_cvtepi32_ps(exact), acc[t0 + t]);
  }
}

/// Q8_0 and Q4_0: a float scale every 32 weights, so each block's integers
/// are scaled on their own.
template <typename Format>
void blocks32TilesForTokens(const void *firstRow, size_t rowBytes, int64_t rows,
                            const void *activations, size_t stride, int tokens, int64_t n,
                            float *out, size_t outStride) {
  const auto *weights = static_cast<const uint8_t *>(firstRow);
  const auto *tokenBytes = static_cast<const uint8_t *>(activations);
  const int64_t blocks = n / 32;
  std::vector<__m512> acc(tokens);
  alignas(64) uint8_t quants[8][64];
  const __m512i offsets = rowOffsets(rowBytes);
  for (int64_t r0 = 0; r0 < rows; r0 += 16) {
    for (__m512 &value : acc)
      value = _mm512_setzero_ps();
    const uint8_t *group = weights + r0 * rowBytes;
    for (int64_t b = 0; b < blocks; ++b) {
      const __m512 d = Format::gather(group + b * sizeof(typename Format::Block), offsets, quants);
      if constexpr (!Format::kUnsignedQuants)
        offsetSignedBytes(&quants[0][0], sizeof quants);
      inTokenGroups(tokens, [&](auto count, int t0) {
        block32<Format, count()>(quants, d, tokenBytes, stride, b, t0, acc.data());
      });
    }
    for (int t = 0; t < tokens; ++t)
      _mm512_storeu_ps(out + t * outStride + r0, acc[t]);
  }
}

} // namespace

void vnniQ4_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  inPasses<kQuantTilesForTokens<KQuant45Format<BlockQ4_K, SubBlockChunks<8>>>>(
      firstRow, rowBytes, rows, activations, stride, tokens, n, out, outStride);
}

void vnniQ5_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  inPasses<kQuantTilesForTokens<KQuant45Format<BlockQ5_K, SubBlockChunks<8>>>>(
      firstRow, rowBytes, rows, activations, stride, tokens, n, out, outStride);
}

void vnniQ6_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  inPasses<kQuantTilesForTokens<Q6_KFormat<SubBlockChunks<16>>>>(
      firstRow, rowBytes, rows, activations, stride, tokens, n, out, outStride);
}

void vnniQ8_0Tiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  inPasses<blocks32TilesForTokens<Q8_0Blocks>>(firstRow, rowBytes, rows, activations, stride,
                                               tokens, n, out, outStride);
}

void vnniQ4_0Tiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  inPasses<blocks32TilesForTokens<Q4_0Blocks>>(firstRow, rowBytes, rows, activations, stride,
                                               tokens, n, out, outStride);
}

} // namespace optlm::lm

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif
