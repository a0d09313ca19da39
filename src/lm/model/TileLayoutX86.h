//===- TileLayoutX86.h - 16 weight rows laid out for integer tiles -*- C++ -*-===//
//
// The prompt's integer tiles take a block of 16 weight rows at a time,
// rearranged so that one 64-byte row holds four consecutive quants of each of
// the 16 rows, one row to a 32-bit column: the right operand of AMX-INT8's
// tdpbsud/tdpbssd (KernelsAMX.cpp), and sixteen row lanes for AVX-512 VNNI's
// vpdpbusd with four activation bytes broadcast (KernelsVNNI.cpp). Each
// format also says how a block's integer sums become the floats of the
// exact-block row kernels (KernelsAVX512.cpp), so either file's tiles give the
// row kernels' results bit for bit.
//
// Included by both files after each has set target attributes that include
// AVX-512 BW and VNNI; everything here is in an unnamed namespace, so each
// file compiles its own copy.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/model/Kernels.h"
#include "lm/model/KernelsX86.h"

#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace optlm::lm {
namespace {

using namespace x86;

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

/// The quants of a block of 16 rows as they are, in ScaledChunks' order (the
/// SubBlocks / 4 sub-blocks of chunk c in its rows one after the other), and
/// each row's sub-block scales: for kernels that scale each sub-block's sum.
template <int SubBlocks> struct SubBlockChunks {
  static constexpr int kSubBlocks = SubBlocks;
  alignas(64) uint8_t quants[4][16][64];
  __m512i scales[SubBlocks]; ///< int32 lanes: sub-block j's scale of each row
};

/// Q4_K and Q5_K (Block): quant * 6-bit scale is at most 31 * 63 = 1,953, so
/// the high bytes are unsigned; the minimums' term stays on the vector units.
/// Chunks: ScaledChunks (the AMX tiles), or SubBlockChunks<8>.
template <typename BlockType, typename Chunks = ScaledChunks> struct KQuant45Format {
  static constexpr bool kSignedHigh = false;
  using Block = BlockType;
  static constexpr bool kFifthBit = std::is_same_v<Block, BlockQ5_K>;
  static constexpr bool kScaled = std::is_same_v<Chunks, ScaledChunks>;

  struct Group : Chunks {
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
        if constexpr (kScaled) {
          storeScaled(first, scales[2 * c], out.low[c][k], out.high[c][k]);
          storeScaled(second, scales[2 * c + 1], out.low[c][k + 8], out.high[c][k + 8]);
        } else {
          _mm512_store_si512(out.quants[c][k], first);
          _mm512_store_si512(out.quants[c][k + 8], second);
        }
      }
    if constexpr (!kScaled)
      std::copy_n(scales, 8, out.scales);
  }

  /// acc after block b of token t, whose scaled products are `scaled`: what
  /// dotK4or5 computes.
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
/// Chunks: ScaledChunks (the AMX tiles), or SubBlockChunks<16>.
template <typename Chunks = ScaledChunks> struct Q6_KFormat {
  static constexpr bool kSignedHigh = true;
  static constexpr bool kScaled = std::is_same_v<Chunks, ScaledChunks>;
  using Block = BlockQ6_K;

  struct Group : Chunks {
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
    if constexpr (!kScaled)
      std::copy_n(scales, 16, out.scales);
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
          if constexpr (kScaled)
            storeScaled(quants, scales[j], out.low[c][k], out.high[c][k]);
          else
            _mm512_store_si512(out.quants[c][k], quants);
        }
      }
    }
  }

  /// What dotQ6_K computes.
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
} // namespace optlm::lm
