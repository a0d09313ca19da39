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
// as the AMX set's row kernels compute them (ExactBlocks in
// KernelsAVX512.cpp), so a tile's results are bit for bit the row kernel's.
//
// The weights of a block of 16 rows are rearranged once and serve every
// group of 16 tokens of a pass (docs/lm-runtime.md).
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

/// The byte offsets of 16 consecutive rows, for vpgatherdd.
inline __m512i rowOffsets(size_t rowBytes) {
  return _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                            _mm512_set1_epi32(static_cast<int32_t>(rowBytes)));
}

/// Each row's 32-bit lane of scale in its even bytes, and in its odd ones:
/// vpmaddubsw of four quants with them gives the 16-bit products of the
/// even quant bytes, and of the odd ones.
inline void storeScaled(__m512i quants, __m512i scale, uint8_t *low, uint8_t *high) {
  const __m512i evenBytes = _mm512_set1_epi32(0x00010001), oddBytes = _mm512_set1_epi32(0x01000100);
  const __m512i lowByte = _mm512_set1_epi16(0x00FF);
  scale = _mm512_and_si512(scale, _mm512_set1_epi32(0xFF)); // a signed scale's byte
  __m512i even = _mm512_maddubs_epi16(quants, _mm512_mullo_epi32(scale, evenBytes));
  __m512i odd = _mm512_maddubs_epi16(quants, _mm512_mullo_epi32(scale, oddBytes));
  // low = even's low bytes | odd's low bytes above them; high likewise (for
  // a negative product, its high byte is the signed floor of product / 256).
  _mm512_store_si512(low, _mm512_ternarylogic_epi32(even, _mm512_slli_epi16(odd, 8), lowByte,
                                                    0xE4)); // mask ? even : odd << 8
  _mm512_store_si512(high, _mm512_ternarylogic_epi32(_mm512_srli_epi16(even, 8), odd, lowByte,
                                                     0xE4)); // mask ? even >> 8 : odd
}

/// One block of 16 weight rows, laid out for the tiles: each quant is stored
/// multiplied by its sub-block scale, in two bytes, so that the unit sums
/// quant * scale * activation over the whole block, low bytes and high bytes
/// apart, and no per-sub-block integer is left for the vector units to scale.
/// Chunk c (elements 64c..64c + 63) as tdpbsud's right operand: row k holds
/// elements 4k..4k+3 of each of the 16 weight rows.
struct ScaledChunks {
  alignas(64) uint8_t low[4][16][64];
  alignas(64) uint8_t high[4][16][64];
};

/// Q4_K and Q5_K (Block): quant * 6-bit scale is at most 31 * 63 = 1,953, so
/// the high bytes are unsigned; the minimums' term stays on the vector units.
template <typename BlockType> struct KQuant45Format {
  static constexpr bool kSignedHigh = false;
  using Block = BlockType;
  static constexpr bool kFifthBit = std::is_same_v<Block, BlockQ5_K>;

  struct Group : ScaledChunks {
    __m512i minPairs[4]; ///< int16 pairs: minimums 2p and 2p + 1 of each row
    __m512 d, dmin;
  };

  /// The four 32-bit pairs of sub-block sums of every token's every block.
  struct TokenSums {
    std::vector<int32_t> pairs;
    int64_t blocks;
    TokenSums(const uint8_t *activations, size_t stride, int tokens, int64_t blocks)
        : pairs(static_cast<size_t>(tokens) * blocks * 4), blocks(blocks) {
      for (int t = 0; t < tokens; ++t)
        for (int64_t b = 0; b < blocks; ++b) {
          const auto &block =
              reinterpret_cast<const ActivationBlock256 *>(activations + t * stride)[b];
          _mm_storeu_si128(reinterpret_cast<__m128i *>(&pairs[(t * blocks + b) * 4]),
                           subBlockSums(block));
        }
    }
  };

  /// Block b of rows firstRow + r * rowBytes, r < 16.
  static void gather(const uint8_t *firstRow, __m512i rowOffsets, int64_t b, Group &out) {
    const uint8_t *base = firstRow + b * sizeof(Block);
    auto gather = [&](size_t offset) {
      return _mm512_i32gather_epi32(rowOffsets, base + offset, 1);
    };
    __m512i head = gather(offsetof(Block, d)); // d | dmin << 16
    out.d = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(head));
    out.dmin = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_srli_epi32(head, 16)));
    // The packed 6-bit scales and minimums (KScales.h): bytes 0-3, 4-7, 8-11.
    __m512i packed[3];
    for (int i = 0; i < 3; ++i)
      packed[i] = gather(offsetof(Block, scales) + 4 * i);
    auto field = [](__m512i v, int shift, int mask) {
      return _mm512_and_si512(_mm512_srli_epi32(v, shift), _mm512_set1_epi32(mask));
    };
    __m512i scales[8], mins[8];
    for (int j = 0; j < 4; ++j) {
      scales[j] = field(packed[0], 8 * j, 63);
      mins[j] = field(packed[1], 8 * j, 63);
      scales[j + 4] = _mm512_or_si512(field(packed[2], 8 * j, 15),
                                      _mm512_slli_epi32(field(packed[0], 8 * j + 6, 3), 4));
      mins[j + 4] = _mm512_or_si512(field(packed[2], 8 * j + 4, 15),
                                    _mm512_slli_epi32(field(packed[1], 8 * j + 6, 3), 4));
    }
    for (int p = 0; p < 4; ++p)
      out.minPairs[p] = _mm512_or_si512(mins[2 * p], _mm512_slli_epi32(mins[2 * p + 1], 16));
    // Quant byte 32c + 4k..4k+3 holds elements 64c + 4k.. in its low nibbles
    // (sub-block 2c) and 64c + 32 + 4k.. in its high ones (sub-block 2c + 1);
    // Q5_K: bit 2c of qh[4k..] is the fifth bit of the first, 2c + 1 of the
    // second.
    const __m512i lowNibbles = _mm512_set1_epi8(0x0F), oneBit = _mm512_set1_epi8(0x01);
    __m512i fifthBits[8];
    if constexpr (kFifthBit)
      for (int k = 0; k < 8; ++k)
        fifthBits[k] = gather(offsetof(Block, qh) + 4 * k);
    auto fifth = [&](int k, int bit) {
      return _mm512_slli_epi16(_mm512_and_si512(_mm512_srli_epi16(fifthBits[k], bit), oneBit), 4);
    };
    for (int c = 0; c < 4; ++c)
      for (int k = 0; k < 8; ++k) {
        __m512i bytes = gather(offsetof(Block, qs) + 32 * c + 4 * k);
        __m512i first = _mm512_and_si512(bytes, lowNibbles);
        __m512i second = _mm512_and_si512(_mm512_srli_epi16(bytes, 4), lowNibbles);
        if constexpr (kFifthBit) {
          first = _mm512_or_si512(first, fifth(k, 2 * c));
          second = _mm512_or_si512(second, fifth(k, 2 * c + 1));
        }
        storeScaled(first, scales[2 * c], out.low[c][k], out.high[c][k]);
        storeScaled(second, scales[2 * c + 1], out.low[c][k + 8], out.high[c][k + 8]);
      }
  }

  /// acc after block b of token t, whose scaled products are `scaled`: what
  /// dotK4or5 with ExactBlocks computes.
  static __m512 accumulate(__m512 acc, __m512i scaled, const Group &group,
                           const ActivationBlock256 &block, const TokenSums &sums, int t,
                           int64_t b) {
    const int32_t *pairs = &sums.pairs[(t * sums.blocks + b) * 4];
    __m512i minimums = _mm512_setzero_si512();
    for (int p = 0; p < 4; ++p)
      minimums = _mm512_dpwssd_epi32(minimums, group.minPairs[p], _mm512_set1_epi32(pairs[p]));
    acc = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_set1_ps(block.d), group.d),
                          _mm512_cvtepi32_ps(scaled), acc);
    return _mm512_fnmadd_ps(_mm512_mul_ps(_mm512_set1_ps(block.d), group.dmin),
                            _mm512_cvtepi32_ps(minimums), acc);
  }
};

/// Q6_K: quant (0-63) * signed 8-bit scale of its 16 elements fits 15 bits
/// with its sign, so the high bytes are signed (tdpbssd); the quants' offset
/// of 32 is subtracted through the activations' group sums, in integers.
struct Q6_KFormat {
  static constexpr bool kSignedHigh = true;
  using Block = BlockQ6_K;

  struct Group : ScaledChunks {
    __m512i scalePairs[8]; ///< int16 pairs: scales 2i and 2i + 1 of each row
    __m512 d;
  };

  /// The activations' group sums are read where they are.
  struct TokenSums {
    TokenSums(const uint8_t *, size_t, int, int64_t) {}
  };

  static void gather(const uint8_t *firstRow, __m512i rowOffsets, int64_t b, Group &out) {
    const uint8_t *base = firstRow + b * sizeof(Block);
    auto gather = [&](size_t offset) {
      return _mm512_i32gather_epi32(rowOffsets, base + offset, 1);
    };
    // d is the block's last two bytes: read with the two scale bytes before
    // it, never past the block.
    out.d = _mm512_cvtph_ps(
        _mm512_cvtepi32_epi16(_mm512_srli_epi32(gather(offsetof(Block, d) - 2), 16)));
    __m512i scales[16];
    for (int i = 0; i < 4; ++i) {
      __m512i bytes = gather(offsetof(Block, scales) + 4 * i);
      for (int j = 0; j < 4; ++j)
        scales[4 * i + j] = _mm512_srai_epi32(_mm512_slli_epi32(bytes, 24 - 8 * j), 24);
    }
    for (int i = 0; i < 8; ++i)
      out.scalePairs[i] =
          _mm512_or_si512(_mm512_and_si512(scales[2 * i], _mm512_set1_epi32(0xFFFF)),
                          _mm512_slli_epi32(scales[2 * i + 1], 16));
    // Element 128p + 32k + l takes its low 4 bits from ql[64p + 32(k & 1) +
    // l] (low nibble for k < 2, high for k >= 2) and its top 2 bits from bits
    // 2k, 2k + 1 of qh[32p + l]; its scale is that of its 16 elements.
    const __m512i lowNibbles = _mm512_set1_epi8(0x0F), twoBits = _mm512_set1_epi8(0x03);
    for (int p = 0; p < 2; ++p) {
      __m512i low[16], top[8];
      for (int k = 0; k < 16; ++k)
        low[k] = gather(offsetof(Block, ql) + 64 * p + 32 * (k / 8) + 4 * (k % 8));
      for (int k = 0; k < 8; ++k)
        top[k] = gather(offsetof(Block, qh) + 32 * p + 4 * k);
      for (int half = 0; half < 2; ++half) {
        const int c = 2 * p + half;
        for (int k = 0; k < 16; ++k) {
          const int quarter = 2 * half + k / 8; // k of the layout above
          __m512i quants = _mm512_or_si512(
              _mm512_and_si512(_mm512_srli_epi16(low[k], 4 * half), lowNibbles),
              _mm512_slli_epi16(
                  _mm512_and_si512(_mm512_srli_epi16(top[k % 8], 2 * quarter), twoBits), 4));
          const int j = 8 * p + 2 * quarter + (k % 8) / 4;
          storeScaled(quants, scales[j], out.low[c][k], out.high[c][k]);
        }
      }
    }
  }

  /// What dotQ6_K with ExactBlocks computes.
  static __m512 accumulate(__m512 acc, __m512i scaled, const Group &group,
                           const ActivationBlock256 &block, const TokenSums &, int, int64_t) {
    const auto *groupPairs = reinterpret_cast<const int32_t *>(block.groupSums);
    __m512i offsets = _mm512_setzero_si512();
    for (int i = 0; i < 8; ++i)
      offsets = _mm512_dpwssd_epi32(offsets, group.scalePairs[i], _mm512_set1_epi32(groupPairs[i]));
    scaled = _mm512_sub_epi32(scaled, _mm512_slli_epi32(offsets, 5));
    return _mm512_fmadd_ps(_mm512_mul_ps(_mm512_set1_ps(block.d), group.d),
                           _mm512_cvtepi32_ps(scaled), acc);
  }
};

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

/// Every row group sweeps the activations of all the tokens of a pass once
/// per block: 64 tokens of a 7B feed-forward row (11,008 columns) take
/// 0.8 MB and stay in a core's L2 with the group's rows; 256 did not (the
/// 7B prompt read 15% slower in batches of 256 than of 64).
constexpr int kTokensPerPass = 64;

/// Q8_0: signed quants, the unit's tdpbssd.
struct Q8_0Blocks {
  using Block = BlockQ8_0;
  static constexpr bool kUnsignedQuants = false;
  /// Block b of 16 rows as the unit's right operand, and the rows' d.
  static __m512 gather(const uint8_t *base, __m512i rowOffsets, uint8_t (&quants)[8][64]) {
    for (int k = 0; k < 8; ++k)
      _mm512_store_si512(quants[k],
                         _mm512_i32gather_epi32(rowOffsets, base + offsetof(Block, qs) + 4 * k, 1));
    // d and the first two quants: the dword never reaches past the block.
    return _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_i32gather_epi32(rowOffsets, base, 1)));
  }
  static int32_t offset(const ActivationBlock32 &) { return 0; }
};

/// Q4_0: quants 0-15 (tdpbsud) whose offset of 8 is subtracted through the
/// activations' sum; element j in the low nibble of qs[j], j + 16 in the high.
struct Q4_0Blocks {
  using Block = BlockQ4_0;
  static constexpr bool kUnsignedQuants = true;
  static __m512 gather(const uint8_t *base, __m512i rowOffsets, uint8_t (&quants)[8][64]) {
    const __m512i lowNibbles = _mm512_set1_epi8(0x0F);
    for (int k = 0; k < 4; ++k) {
      __m512i bytes = _mm512_i32gather_epi32(rowOffsets, base + offsetof(Block, qs) + 4 * k, 1);
      _mm512_store_si512(quants[k], _mm512_and_si512(bytes, lowNibbles));
      _mm512_store_si512(quants[k + 4], _mm512_and_si512(_mm512_srli_epi16(bytes, 4), lowNibbles));
    }
    return _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_i32gather_epi32(rowOffsets, base, 1)));
  }
  static int32_t offset(const ActivationBlock32 &block) { return 8 * block.sum; }
};

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

/// Pass over at most kTokensPerPass tokens at a time.
template <TileDotFn Pass>
void inPasses(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
              size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  const auto *tokenBytes = static_cast<const uint8_t *>(activations);
  for (int t0 = 0; t0 < tokens; t0 += kTokensPerPass)
    Pass(firstRow, rowBytes, rows, tokenBytes + t0 * stride, stride,
         std::min(kTokensPerPass, tokens - t0), n, out + t0 * outStride, outStride);
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
  inPasses<tilesForTokens<Q6_KFormat>>(firstRow, rowBytes, rows, activations, stride, tokens, n,
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
