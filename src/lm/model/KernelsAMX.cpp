//===- KernelsAMX.cpp - prompt tiles on the AMX unit ----------------------===//
//
// AMX-INT8's tdpbsud multiplies a tile of 16 x 64 signed bytes with one of
// 64 x 16 unsigned bytes into 16 x 16 int32 in one instruction: 16,384
// multiply-adds, where an AVX-512 VNNI instruction does 64. The left tile is
// 16 tokens' activations, loaded straight from their blocks; the right one
// the same 64 elements of 16 weight rows, four consecutive elements of a row
// to a 32-bit column (the layout the unit reads), gathered with vpgatherdd.
//
// K-quants: each quant is stored multiplied by its sub-block scale, in two
// bytes (low, high) in two tiles, so the unit sums a whole block of 256 and
// the vector units are left one integer a (token, row, block) to scale, plus
// the minimums' or offset's term through the activations' sums. Q8_0, Q4_0:
// a float scale every 32 weights, so the unit sums one block at a time and
// the vector units scale each. Either way the floats are computed exactly
// as the row kernels compute them (the exact-block kernels of
// KernelsAVX512.cpp), so a tile's results are bit for bit the row kernel's.
//
// The weights of a block of 16 rows are rearranged once (TileLayoutX86.h,
// which the VNNI tiles share) and serve every group of 16 tokens of a pass
// (docs/lm-runtime.md).
//
//===----------------------------------------------------------------------===//

#include "lm/model/Kernels.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__linux__)
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <vector>

#if defined(__clang__)
#pragma clang attribute push(                                                                      \
    __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,amx-tile,"  \
                          "amx-int8"))),                                                           \
    apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,amx-tile,amx-int8")
#endif

#include "lm/model/KernelsX86.h"
#include "lm/model/TileLayoutX86.h"
#include "lm/model/TilesAMX.h"

namespace optlm::lm {
namespace {

using namespace x86;
using amx::configureTiles;

/// C += A . B with A's bytes signed and B's signed or unsigned.
template <bool SignedB, int C, int A, int B> inline void multiplyTiles() {
  if constexpr (SignedB)
    _tile_dpbssd(C, A, B);
  else
    _tile_dpbsud(C, A, B);
}

/// The tiles for at most kTokensPerPass tokens.
template <typename Format>
void tilesForTokens(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                    size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  const auto *weights = static_cast<const uint8_t *>(firstRow);
  const auto *tokenBytes = static_cast<const uint8_t *>(activations);
  const int64_t blocks = n / kSuperBlock;
  const typename Format::TokenSums sums(tokenBytes, stride, tokens, blocks);
  // One float accumulator (16 rows) per token. A per-thread buffer kept
  // between calls measured about 6% slower on the 7B prompt than this.
  std::vector<__m512> acc(tokens);
  typename Format::Group group;
  alignas(64) int32_t products[4][16][16];
  const __m512i offsets = rowOffsets(rowBytes);
  // Tiles 0-3 accumulate (16 tokens x 16 rows of int32) the low and the high
  // bytes' products of two groups of 16 tokens; 4 and 5 hold those tokens'
  // activations (16 x 64 bytes), 6 and 7 the low and high bytes of the scaled
  // quants (16 rows of four quants for each of the 16 weight rows): each chunk
  // of weights loaded serves 32 tokens, and the unit has four independent
  // sums to work on.
  configureTiles({{0, 16, 64},
                  {1, 16, 64},
                  {2, 16, 64},
                  {3, 16, 64},
                  {4, 16, 64},
                  {5, 16, 64},
                  {6, 16, 64},
                  {7, 16, 64}});
  for (int64_t r0 = 0; r0 < rows; r0 += 16) {
    for (__m512 &value : acc)
      value = _mm512_setzero_ps();
    for (int64_t b = 0; b < blocks; ++b) {
      Format::gather(weights + r0 * rowBytes, offsets, b, group);
      for (int t0 = 0; t0 < tokens; t0 += 32) {
        const bool pair = t0 + 16 < tokens;
        const uint8_t *quants = tokenBytes + t0 * stride + b * sizeof(ActivationBlock256) +
                                offsetof(ActivationBlock256, qs);
        const uint8_t *nextQuants = quants + 16 * stride;
        _tile_zero(0);
        _tile_zero(1);
        _tile_zero(2);
        _tile_zero(3);
        for (int c = 0; c < 4; ++c) {
          _tile_loadd(4, quants + 64 * c, stride);
          _tile_loadd(6, group.low[c], 64);
          _tile_loadd(7, group.high[c], 64);
          multiplyTiles<false, 0, 4, 6>();
          multiplyTiles<Format::kSignedHigh, 1, 4, 7>();
          if (pair) {
            _tile_loadd(5, nextQuants + 64 * c, stride);
            multiplyTiles<false, 2, 5, 6>();
            multiplyTiles<Format::kSignedHigh, 3, 5, 7>();
          }
        }
        _tile_stored(0, products[0], 64);
        _tile_stored(1, products[1], 64);
        if (pair) {
          _tile_stored(2, products[2], 64);
          _tile_stored(3, products[3], 64);
        }
        for (int t = 0; t < (pair ? 32 : 16); ++t) {
          const int32_t(*tileProducts)[16][16] = &products[t < 16 ? 0 : 2];
          __m512i scaled =
              _mm512_add_epi32(_mm512_load_si512(tileProducts[0][t % 16]),
                               _mm512_slli_epi32(_mm512_load_si512(tileProducts[1][t % 16]), 8));
          const auto &block =
              reinterpret_cast<const ActivationBlock256 *>(tokenBytes + (t0 + t) * stride)[b];
          acc[t0 + t] = Format::accumulate(acc[t0 + t], scaled, group, block, sums, t0 + t, b);
        }
      }
    }
    for (int t = 0; t < tokens; ++t)
      _mm512_storeu_ps(out + t * outStride + r0, acc[t]);
  }
  _tile_release();
}

/// Q8_0 and Q4_0 (Format): every block of 32 has its own scale, so the unit
/// multiplies one block at a time (32 bytes) and the vector units scale each
/// block's integers: what dotBlocks32Exact computes. Tiles 0 and
/// 2 accumulate two groups of 16 tokens, 4 and 5 hold their activations (16
/// x 32 bytes), 6 the block of the 16 rows (8 rows of four quants a row).
template <typename Format>
void blocks32TilesForTokens(const void *firstRow, size_t rowBytes, int64_t rows,
                            const void *activations, size_t stride, int tokens, int64_t n,
                            float *out, size_t outStride) {
  configureTiles({{0, 16, 64}, {2, 16, 64}, {4, 16, 32}, {5, 16, 32}, {6, 8, 64}});
  const auto *weights = static_cast<const uint8_t *>(firstRow);
  const auto *tokenBytes = static_cast<const uint8_t *>(activations);
  const int64_t blocks = n / 32;
  // One float accumulator (16 rows) per token. A per-thread buffer kept
  // between calls measured about 6% slower on the 7B prompt than this.
  std::vector<__m512> acc(tokens);
  alignas(64) uint8_t quants[8][64];
  alignas(64) int32_t products[2][16][16];
  const __m512i offsets = rowOffsets(rowBytes);
  for (int64_t r0 = 0; r0 < rows; r0 += 16) {
    for (__m512 &value : acc)
      value = _mm512_setzero_ps();
    const uint8_t *group = weights + r0 * rowBytes;
    for (int64_t b = 0; b < blocks; ++b) {
      const __m512 d = Format::gather(group + b * sizeof(typename Format::Block), offsets, quants);
      for (int t0 = 0; t0 < tokens; t0 += 32) {
        const bool pair = t0 + 16 < tokens;
        const uint8_t *first = tokenBytes + t0 * stride + b * sizeof(ActivationBlock32) +
                               offsetof(ActivationBlock32, qs);
        _tile_loadd(6, quants, 64);
        _tile_zero(0);
        _tile_loadd(4, first, stride);
        multiplyTiles<!Format::kUnsignedQuants, 0, 4, 6>();
        if (pair) {
          _tile_zero(2);
          _tile_loadd(5, first + 16 * stride, stride);
          multiplyTiles<!Format::kUnsignedQuants, 2, 5, 6>();
        }
        _tile_stored(0, products[0], 64);
        if (pair)
          _tile_stored(2, products[1], 64);
        for (int t = 0; t < (pair ? 32 : 16); ++t) {
          const auto &block =
              reinterpret_cast<const ActivationBlock32 *>(tokenBytes + (t0 + t) * stride)[b];
          __m512i sums = _mm512_load_si512(products[t / 16][t % 16]);
          if constexpr (Format::kUnsignedQuants)
            sums = _mm512_sub_epi32(sums, _mm512_set1_epi32(Format::offset(block)));
          __m512 &value = acc[t0 + t];
          value = _mm512_fmadd_ps(_mm512_mul_ps(d, _mm512_set1_ps(block.d)),
                                  _mm512_cvtepi32_ps(sums), value);
        }
      }
    }
    for (int t = 0; t < tokens; ++t)
      _mm512_storeu_ps(out + t * outStride + r0, acc[t]);
  }
  _tile_release();
}

} // namespace

void amxQ4_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                  size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  inPasses<tilesForTokens<KQuant45Format<BlockQ4_K>>>(firstRow, rowBytes, rows, activations, stride,
                                                      tokens, n, out, outStride);
}

void amxQ5_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                  size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  inPasses<tilesForTokens<KQuant45Format<BlockQ5_K>>>(firstRow, rowBytes, rows, activations, stride,
                                                      tokens, n, out, outStride);
}

void amxQ8_0Tiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                  size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  inPasses<blocks32TilesForTokens<Q8_0Blocks>>(firstRow, rowBytes, rows, activations, stride,
                                               tokens, n, out, outStride);
}

void amxQ4_0Tiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                  size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  inPasses<blocks32TilesForTokens<Q4_0Blocks>>(firstRow, rowBytes, rows, activations, stride,
                                               tokens, n, out, outStride);
}

void amxQ6_KTiles(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                  size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  inPasses<tilesForTokens<Q6_KFormat<>>>(firstRow, rowBytes, rows, activations, stride, tokens, n,
                                         out, outStride);
}

} // namespace optlm::lm

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else

namespace optlm::lm {
void amxQ4_KTiles(const void *, size_t, int64_t, const void *, size_t, int, int64_t, float *,
                  size_t) {}
void amxQ5_KTiles(const void *, size_t, int64_t, const void *, size_t, int, int64_t, float *,
                  size_t) {}
void amxQ8_0Tiles(const void *, size_t, int64_t, const void *, size_t, int, int64_t, float *,
                  size_t) {}
void amxQ4_0Tiles(const void *, size_t, int64_t, const void *, size_t, int, int64_t, float *,
                  size_t) {}
void amxQ6_KTiles(const void *, size_t, int64_t, const void *, size_t, int, int64_t, float *,
                  size_t) {}
} // namespace optlm::lm

#endif
