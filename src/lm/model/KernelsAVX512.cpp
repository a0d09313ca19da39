//===- KernelsAVX512.cpp - K-quant kernels with AVX-512 BW and VNNI -------===//
//
// With AVX2 the K-quant kernels are limited by instruction throughput, not
// by memory: per 256 weights they spend ~75 vector instructions, half of
// them moving nibbles and sub-block scales into place. Here one 512-bit
// register holds a whole 64-element chunk of a block, in element order: the
// 32 quant bytes are broadcast to both halves and the upper half shifted, so
// low nibbles (elements 0-31) and high nibbles (32-63) sit side by side and
// the activations load contiguously. vpdpwssd applies the int16 sub-block
// scales and accumulates in one instruction. Per chunk that is 5 vector
// instructions where AVX2 needs 11.
//
// Every kernel here sums each block's integer products completely before any
// float operation ("exact blocks"), so that the prompt's integer tiles, which
// get one integer a block (VNNI, KernelsVNNI.cpp; AMX, KernelsAMX.cpp), give
// the same floats. The quantized types (K-quants, Q8_0, Q4_0) and the
// attention have kernels here; the float types use the AVX2 ones. The AMX
// set (amxKernels) is assembled here too.
// The set is chosen at run time (cpuHasAVX512()); compiled with target
// attributes like the AVX2 file.
//
//===----------------------------------------------------------------------===//

#include "lm/model/Kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include <type_traits>

#if defined(__clang__)
#pragma clang attribute push(                                                                      \
    __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni"))),        \
    apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")
#endif

#include "lm/model/AttentionX86.h"
#include "lm/model/KernelsX86.h"

namespace optlm::lm {
namespace {

using namespace x86;

inline __m512i load512(const void *p) { return _mm512_loadu_si512(p); }

/// The 64 quants of a chunk in element order: the low nibbles of the 32
/// bytes at q in bytes 0-31, their high nibbles in bytes 32-63.
inline __m512i nibblesInOrder(const uint8_t *q) {
  __m512i bytes = _mm512_broadcast_i64x4(load256(q));
  bytes = _mm512_mask_srli_epi16(bytes, 0xFFFF0000, bytes, 4);
  return _mm512_and_si512(bytes, _mm512_set1_epi8(0x0F));
}

/// A vpshufb control hidden from the optimizer, which would otherwise turn
/// the one shuffle into several (it does for the AVX2 version).
inline __m512i opaque(__m512i control) {
  __asm__("" : "+v"(control));
  return control;
}

/// From a table of byte values in every 128-bit lane: byte `first`
/// zero-extended to every int16 of the lower 256 bits, byte `second` to the
/// upper 256 (vpshufb writes 0 for a control byte with its top bit set).
inline __m512i twoWords(__m512i table, int first, int second) {
  auto word = [](int index) { return static_cast<int16_t>(0x8000 | index); };
  return _mm512_shuffle_epi8(table, opaque(_mm512_inserti64x4(_mm512_set1_epi16(word(first)),
                                                              _mm256_set1_epi16(word(second)), 1)));
}

/// v with its 128-bit lane `lane` replaced by x.
inline __m512i withLane(__m512i v, int lane, __m128i x) {
  switch (lane) {
  case 0:
    return _mm512_inserti32x4(v, x, 0);
  case 1:
    return _mm512_inserti32x4(v, x, 1);
  case 2:
    return _mm512_inserti32x4(v, x, 2);
  default:
    return _mm512_inserti32x4(v, x, 3);
  }
}

/// The 128-bit lane `lane` of v in all four lanes.
inline __m512i laneEverywhere(__m512i v, int lane) {
  switch (lane) {
  case 0:
    return _mm512_shuffle_i32x4(v, v, 0x00);
  case 1:
    return _mm512_shuffle_i32x4(v, v, 0x55);
  case 2:
    return _mm512_shuffle_i32x4(v, v, 0xAA);
  default:
    return _mm512_shuffle_i32x4(v, v, 0xFF);
  }
}

/// The first 16 bytes of up to four Q4_K/Q5_K blocks, one per 128-bit lane,
/// unpacked in place to scales and minimums (KScaleUnpackLane).
inline __m512i unpackKScaleBytes(__m512i heads) {
  const KScaleUnpackLane lane = kScaleUnpackLane();
  auto everyLane = [](__m128i table) { return _mm512_broadcast_i32x4(table); };
  __m512i nibbleSource = _mm512_shuffle_epi8(heads, everyLane(lane.nibbleSourceControl));
  __m512i topBitSource = _mm512_shuffle_epi8(heads, everyLane(lane.topBitSourceControl));
  return _mm512_or_si512(
      _mm512_or_si512(
          _mm512_and_si512(nibbleSource, everyLane(lane.keepLow)),
          _mm512_and_si512(_mm512_srli_epi16(nibbleSource, 4), everyLane(lane.keepHighNibble))),
      _mm512_and_si512(_mm512_srli_epi16(topBitSource, 2), everyLane(lane.keepTopBits)));
}

/// acc + the pairwise sums of the int16 products of a and b, in one
/// instruction. Written out because LLVM, tuning for a generic CPU, splits the
/// intrinsic back into vpmaddwd + vpaddd.
inline __m512i dotAccumulate(__m512i acc, __m512i a, __m512i b) {
  __asm__("vpdpwssd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b));
  return acc;
}

/// Q4_K: chunk c is the 32 quant bytes at 32c.
struct UnpackQ4_K {
  __m512i operator()(const BlockQ4_K &block, int chunk) const {
    return nibblesInOrder(block.qs + 32 * chunk);
  }
};

/// Q5_K: bit 2c of qh[l] is the fifth bit of element 64c + l, bit 2c+1 that
/// of 64c + 32 + l.
struct UnpackQ5_K {
  __m512i operator()(const BlockQ5_K &block, int chunk) const {
    __m512i fifthBits = _mm512_broadcast_i64x4(load256(block.qh));
    fifthBits = _mm512_mask_srli_epi16(fifthBits, 0xFFFF0000, fifthBits, 1);
    fifthBits = _mm512_srl_epi16(fifthBits, _mm_cvtsi32_si128(2 * chunk));
    // Bit 0 of each byte moves to bit 4.
    __m512i fifth = _mm512_and_si512(_mm512_slli_epi16(fifthBits, 4), _mm512_set1_epi8(0x10));
    return _mm512_or_si512(nibblesInOrder(block.qs + 32 * chunk), fifth);
  }
};

/// Integer sums of four vectors of int32: lane r of the result is the sum of
/// the sixteen lanes of v[r].
inline __m128i sumEachOfFour(__m512i v0, __m512i v1, __m512i v2, __m512i v3) {
  __m512i pairs01 = _mm512_add_epi32(_mm512_unpacklo_epi32(v0, v1), _mm512_unpackhi_epi32(v0, v1));
  __m512i pairs23 = _mm512_add_epi32(_mm512_unpacklo_epi32(v2, v3), _mm512_unpackhi_epi32(v2, v3));
  __m512i lanes = _mm512_add_epi32(_mm512_unpacklo_epi64(pairs01, pairs23),
                                   _mm512_unpackhi_epi64(pairs01, pairs23));
  lanes = _mm512_add_epi32(lanes, _mm512_shuffle_i32x4(lanes, lanes, 0x4E));
  return _mm512_castsi512_si128(_mm512_add_epi32(lanes, _mm512_shuffle_i32x4(lanes, lanes, 0xB1)));
}

/// Exact blocks: the integer sums of rows R..3, which a group of R <
/// 4 rows does not have, are zero; lane r of exact[t] is out[r * T + t].
template <int R, int T> inline void zeroRowsPast(__m512i (&rowSums)[4][T]) {
  for (int r = R; r < 4; ++r)
    for (int t = 0; t < T; ++t)
      rowSums[r][t] = _mm512_setzero_si512();
}

template <int R, int T> inline void storeExact(const __m128 (&exact)[T], float *out) {
  for (int t = 0; t < T; ++t) {
    alignas(16) float lanes[4];
    _mm_store_ps(lanes, exact[t]);
    for (int r = 0; r < R; ++r)
      out[r * T + t] = lanes[r];
  }
}

/// R <= 4 weight rows (rowBytes apart) times T activation vectors (stride
/// bytes apart): out[r * T + t]. Generation uses R = 4, T = 1 (the rows
/// share the activation loads and the work on scales: each block's first 16
/// bytes, d, dmin and the packed scales, go into one 128-bit lane per row and
/// are unpacked and converted together; the next four rows are prefetched
/// meanwhile); prompt processing R = 1, T <= 4 (a row is unpacked once for T
/// tokens). Every (row, token) pair goes through the same operations in the
/// same lanes and order in every instantiation, so grouping never changes a
/// result.
///
/// Each block's products are summed as integers first (S, the scaled quant
/// products, and M, the minimums times the activations' sub-block sums), and
/// the float result is then, block after block, acc = fma(d * dx, S, acc)
/// followed by acc = fnmadd(dmin * dx, M, acc): any kernel that reaches the
/// same integers (the VNNI and AMX tiles) gives the same floats.
template <int R, int T, typename Block, typename Unpack>
void dotK4or5(const uint8_t *firstRow, size_t rowBytes, const void *activations, size_t stride,
              int64_t n, float *out, Unpack unpack) {
  static_assert(R >= 1 && R <= 4, "one 128-bit lane per row");
  const Block *w[R];
  for (int r = 0; r < R; ++r)
    w[r] = reinterpret_cast<const Block *>(firstRow + r * rowBytes);
  const ActivationBlock256 *a[T];
  for (int t = 0; t < T; ++t)
    a[t] = activationRow<T, ActivationBlock256>(activations, stride, t);
  const uint8_t *nextGroup = firstRow + R * rowBytes;
  // Minimums' zero-extending vpshufb control: bytes 8-15 of each lane.
  const __m512i minimumWords = _mm512_broadcast_i32x4(
      _mm_setr_epi16(0x8008, 0x8009, 0x800A, 0x800B, 0x800C, 0x800D, 0x800E, 0x800F));
  __m128 exact[T]; // lane r, row r
  for (int t = 0; t < T; ++t)
    exact[t] = _mm_setzero_ps();
  for (int64_t b = 0; b < n / kSuperBlock; ++b) {
    if (T == 1)
      for (int r = 0; r < R; ++r)
        prefetchBlock<Block>(nextGroup + r * rowBytes + b * sizeof(Block));
    __m512i heads = _mm512_setzero_si512();
#pragma unroll
    for (int r = 0; r < R; ++r)
      heads = withLane(heads, r, _mm_loadu_si128(reinterpret_cast<const __m128i *>(&w[r][b])));
    __m512i scaleBytes = unpackKScaleBytes(heads);
    // d and dmin of every row, as floats [d0, dmin0, d1, dmin1, ...].
    __m256 blockScales = _mm256_cvtph_ps(_mm512_castsi512_si128(_mm512_permutexvar_epi32(
        _mm512_setr_epi32(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), heads)));
    __m512i mins = _mm512_shuffle_epi8(scaleBytes, minimumWords);
    __m512 factors[T]; // [d0, dmin0, d1, dmin1, ...] times the activations' scale
    __m512i minimumSums[T];
#pragma unroll
    for (int t = 0; t < T; ++t) {
      factors[t] = _mm512_zextps256_ps512(_mm256_mul_ps(_mm256_set1_ps(a[t][b].d), blockScales));
      __m512i sums = _mm512_broadcast_i32x4(subBlockSums(a[t][b]));
      minimumSums[t] = _mm512_madd_epi16(mins, sums);
    }
    __m512i rowSums[4][T];
#pragma unroll
    for (int r = 0; r < R; ++r) {
      const Block &block = w[r][b];
      // Row r's scale bytes in every lane.
      __m512i scaleTable = laneEverywhere(scaleBytes, r);
      __m512i isum[T];
#pragma unroll
      for (int t = 0; t < T; ++t)
        isum[t] = _mm512_setzero_si512();
#pragma unroll
      for (int chunk = 0; chunk < 4; ++chunk) {
        __m512i quants = unpack(block, chunk);
        __m512i scale = twoWords(scaleTable, 2 * chunk, 2 * chunk + 1);
#pragma unroll
        for (int t = 0; t < T; ++t)
          isum[t] = dotAccumulate(
              isum[t], _mm512_maddubs_epi16(quants, load512(a[t][b].qs + 64 * chunk)), scale);
      }
#pragma unroll
      for (int t = 0; t < T; ++t)
        rowSums[r][t] = isum[t];
    }
    zeroRowsPast<R>(rowSums);
#pragma unroll
    for (int t = 0; t < T; ++t) {
      __m128i scaled = sumEachOfFour(rowSums[0][t], rowSums[1][t], rowSums[2][t], rowSums[3][t]);
      // Lane r of minimumSums holds row r's four partial sums.
      __m512i m = minimumSums[t];
      m = _mm512_add_epi32(m, _mm512_shuffle_epi32(m, _MM_PERM_BADC));
      m = _mm512_add_epi32(m, _mm512_shuffle_epi32(m, _MM_PERM_CDAB));
      __m128i minimumSum = _mm512_castsi512_si128(_mm512_permutexvar_epi32(
          _mm512_setr_epi32(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), m));
      __m256 scales = _mm512_castps512_ps256(factors[t]);
      __m128 d = _mm256_castps256_ps128(
          _mm256_permutevar8x32_ps(scales, _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0)));
      __m128 dmin = _mm256_castps256_ps128(
          _mm256_permutevar8x32_ps(scales, _mm256_setr_epi32(1, 3, 5, 7, 0, 0, 0, 0)));
      exact[t] = _mm_fmadd_ps(d, _mm_cvtepi32_ps(scaled), exact[t]);
      exact[t] = _mm_fnmadd_ps(dmin, _mm_cvtepi32_ps(minimumSum), exact[t]);
    }
  }
  storeExact<R>(exact, out);
}

/// Word indices for vpermw giving every word of 128-bit lane L the index
/// first + L.
inline __m512i laneIndices(int first) {
  auto lane = [first](int l) { return static_cast<long long>(first + l) * 0x0001000100010001ll; };
  return _mm512_set_epi64(lane(3), lane(3), lane(2), lane(2), lane(1), lane(1), lane(0), lane(0));
}

/// Q6_K, R rows times T tokens like dotK4or5. Element 128p + 32k + l takes
/// its low 4 bits from ql[64p + 32(k & 1) + l] (low nibble for k < 2, high
/// for k >= 2) and its top 2 bits from bits 2k, 2k+1 of qh[32p + l]; so the
/// 64 elements 128p + 64h + (0..63) are the 64 bytes ql[64p..] shifted by
/// 4h, with the qh bytes of 32p.. shifted by 4h (first 32) and 4h + 2 (last
/// 32). Scales are int8 per 16 elements: one per 128-bit lane.
/// As in dotK4or5, each block's integer sum (offset included) first, then
/// acc = fma(d * dx, sum, acc).
template <int R, int T>
void dotQ6_K(const uint8_t *firstRow, size_t rowBytes, const void *activations, size_t stride,
             int64_t n, float *out) {
  const BlockQ6_K *w[R];
  for (int r = 0; r < R; ++r)
    w[r] = reinterpret_cast<const BlockQ6_K *>(firstRow + r * rowBytes);
  const ActivationBlock256 *a[T];
  for (int t = 0; t < T; ++t)
    a[t] = activationRow<T, ActivationBlock256>(activations, stride, t);
  const uint8_t *nextGroup = firstRow + R * rowBytes;
  const __m512i lowNibbles = _mm512_set1_epi8(0x0F), topBits = _mm512_set1_epi8(0x30);
  __m128 exact[T]; // lane r, row r
  for (int t = 0; t < T; ++t)
    exact[t] = _mm_setzero_ps();
  for (int64_t b = 0; b < n / kSuperBlock; ++b) {
    if (T == 1)
      for (int r = 0; r < R; ++r)
        prefetchBlock<BlockQ6_K>(nextGroup + r * rowBytes + b * sizeof(BlockQ6_K));
    __m512i rowSums[4][T];
#pragma unroll
    for (int r = 0; r < R; ++r) {
      const BlockQ6_K &block = w[r][b];
      __m256i scales16 =
          _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i *>(block.scales)));
      __m512i scaleTable = _mm512_castsi256_si512(scales16);
      __m512i isum[T];
#pragma unroll
      for (int t = 0; t < T; ++t) {
        // The quants carry an offset of 32: subtract 32 * sum(scale * group sum).
        __m256i offsets = _mm256_madd_epi16(scales16, load256(a[t][b].groupSums));
        isum[t] = _mm512_zextsi256_si512(
            _mm256_sub_epi32(_mm256_setzero_si256(), _mm256_slli_epi32(offsets, 5)));
      }
#pragma unroll
      for (int part = 0; part < 2; ++part) {
        __m512i low = load512(block.ql + 64 * part);
        __m512i high = _mm512_broadcast_i64x4(load256(block.qh + 32 * part));
        high = _mm512_mask_srli_epi16(high, 0xFFFF0000, high, 2);
#pragma unroll
        for (int upper = 0; upper < 2; ++upper) {
          __m512i quants =
              upper ? _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(low, 4), lowNibbles),
                                      _mm512_and_si512(high, topBits))
                    : _mm512_or_si512(_mm512_and_si512(low, lowNibbles),
                                      _mm512_and_si512(_mm512_slli_epi16(high, 4), topBits));
          // 128-bit lane L has the scale of 16-element group 8 part + 4 upper + L.
          __m512i scale = _mm512_permutexvar_epi16(laneIndices(8 * part + 4 * upper), scaleTable);
#pragma unroll
          for (int t = 0; t < T; ++t)
            isum[t] = dotAccumulate(
                isum[t],
                _mm512_maddubs_epi16(quants, load512(a[t][b].qs + 128 * part + 64 * upper)), scale);
        }
      }
#pragma unroll
      for (int t = 0; t < T; ++t)
        rowSums[r][t] = isum[t];
    }
    zeroRowsPast<R>(rowSums);
#pragma unroll
    for (int t = 0; t < T; ++t) {
      alignas(16) float scales[4] = {};
      for (int r = 0; r < R; ++r)
        scales[r] = a[t][b].d * half(w[r][b].d);
      __m128i sums = sumEachOfFour(rowSums[0][t], rowSums[1][t], rowSums[2][t], rowSums[3][t]);
      exact[t] = _mm_fmadd_ps(_mm_load_ps(scales), _mm_cvtepi32_ps(sums), exact[t]);
    }
  }
  storeExact<R>(exact, out);
}

/// Q8_0 (Block): each block's integer dot product first, then
/// acc = fma(d * dx, sum, acc) block after block, as the tiles compute (the
/// AVX2 kernel keeps eight float lanes). R <= 4 rows, T <= 4 tokens,
/// out[r * T + t].
/// Q4_0 alike, with the quants' offset of 8 subtracted through the
/// activations' sum: sum = quants . activations - 8 * activation sum.
template <int R, int T, typename Block>
void dotBlocks32Exact(const uint8_t *firstRow, size_t rowBytes, const void *activations,
                      size_t stride, int64_t n, float *out) {
  constexpr bool kQ4_0 = std::is_same_v<Block, BlockQ4_0>;
  const Block *w[R];
  for (int r = 0; r < R; ++r)
    w[r] = reinterpret_cast<const Block *>(firstRow + r * rowBytes);
  const ActivationBlock32 *a[T];
  for (int t = 0; t < T; ++t)
    a[t] = activationRow<T, ActivationBlock32>(activations, stride, t);
  const uint8_t *nextGroup = firstRow + R * rowBytes;
  __m128 exact[T];
  for (int t = 0; t < T; ++t)
    exact[t] = _mm_setzero_ps();
  for (int64_t b = 0; b < n / 32; ++b) {
    if (T == 1)
      for (int r = 0; r < R; ++r)
        prefetchBlock<Block>(nextGroup + r * rowBytes + b * sizeof(Block));
    __m512i weights[R];
#pragma unroll
    for (int r = 0; r < R; ++r) {
      if constexpr (kQ4_0) {
        __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(w[r][b].qs));
        const __m128i lowNibbles = _mm_set1_epi8(0x0F);
        weights[r] = _mm512_cvtepu8_epi16(_mm256_set_m128i(
            _mm_and_si128(_mm_srli_epi16(bytes, 4), lowNibbles), _mm_and_si128(bytes, lowNibbles)));
      } else {
        weights[r] = _mm512_cvtepi8_epi16(load256(w[r][b].qs));
      }
    }
#pragma unroll
    for (int t = 0; t < T; ++t) {
      __m512i x = _mm512_cvtepi8_epi16(load256(a[t][b].qs));
      __m512i sums[4][1];
#pragma unroll
      for (int r = 0; r < R; ++r)
        sums[r][0] = _mm512_madd_epi16(weights[r], x);
      zeroRowsPast<R>(sums);
      alignas(16) float scales[4] = {};
      for (int r = 0; r < R; ++r)
        scales[r] = half(w[r][b].d) * a[t][b].d;
      __m128i blockSums = sumEachOfFour(sums[0][0], sums[1][0], sums[2][0], sums[3][0]);
      if constexpr (kQ4_0)
        blockSums = _mm_sub_epi32(blockSums, _mm_set1_epi32(8 * a[t][b].sum));
      exact[t] = _mm_fmadd_ps(_mm_load_ps(scales), _mm_cvtepi32_ps(blockSums), exact[t]);
    }
  }
  storeExact<R>(exact, out);
}

/// The R x T kernels as types for EntryPoints: the row and generation
/// kernels of the AVX-512 and AMX sets, and their tiles' edges.
template <typename Block, typename Unpack> struct KQuant45Kernel {
  template <int R, int T>
  static void dot(const uint8_t *firstRow, size_t rowBytes, const void *activations, size_t stride,
                  int64_t n, float *out) {
    dotK4or5<R, T, Block, Unpack>(firstRow, rowBytes, activations, stride, n, out, Unpack());
  }
};

struct Q6_KKernel {
  template <int R, int T>
  static void dot(const uint8_t *firstRow, size_t rowBytes, const void *activations, size_t stride,
                  int64_t n, float *out) {
    dotQ6_K<R, T>(firstRow, rowBytes, activations, stride, n, out);
  }
};

template <typename Block> struct Blocks32ExactKernel {
  template <int R, int T>
  static void dot(const uint8_t *firstRow, size_t rowBytes, const void *activations, size_t stride,
                  int64_t n, float *out) {
    dotBlocks32Exact<R, T, Block>(firstRow, rowBytes, activations, stride, n, out);
  }
};

/// The three entry points of a kernel set (Kernels.h) over one R x T kernel.
template <typename Kernel> struct EntryPoints {
  static float row(const void *weightRow, const void *activations, int64_t n) {
    float result;
    Kernel::template dot<1, 1>(static_cast<const uint8_t *>(weightRow), 0, activations, 0, n,
                               &result);
    return result;
  }

  static void rows(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   int64_t n, float *out) {
    const auto *row = static_cast<const uint8_t *>(firstRow);
    for (; rows >= 4; rows -= 4, row += 4 * rowBytes, out += 4)
      Kernel::template dot<4, 1>(row, rowBytes, activations, 0, n, out);
    oneByOne(row, rowBytes, rows, activations, n, out);
  }

  static void oneByOne(const uint8_t *row, size_t rowBytes, int64_t rows, const void *activations,
                       int64_t n, float *out) {
    for (; rows > 0; --rows, row += rowBytes, ++out)
      Kernel::template dot<1, 1>(row, rowBytes, activations, 0, n, out);
  }

  /// rows() one row at a time where rows are short: the rows are then read
  /// as one stream of consecutive bytes, with the next row prefetched,
  /// instead of four streams a row apart; long rows stay in groups of four.
  /// On the AMX Xeon (two threads, the 7B shape's Q4_K matrices of 4,096
  /// and 11,008 columns in huge pages, 3.6 GB a token) 28.7-29.3 GB/s
  /// against 25.0-25.6 in groups of four throughout, and 26.4-27.2 one by
  /// one throughout: 4,096-column rows (2,304 bytes) streamed at 27-28 GB/s
  /// one by one and 22-24 in groups, 11,008-column rows (6,192 bytes) at
  /// 21-22 one by one and 29-30 in groups.
  static void rowsOneByOneWhenShort(const void *firstRow, size_t rowBytes, int64_t rows,
                                    const void *activations, int64_t n, float *out) {
    constexpr size_t kShortRowBytes = 4096;
    if (rowBytes >= kShortRowBytes)
      EntryPoints::rows(firstRow, rowBytes, rows, activations, n, out);
    else
      oneByOne(static_cast<const uint8_t *>(firstRow), rowBytes, rows, activations, n, out);
  }

  /// Tiles of four rows and four tokens: each unpacked block of a row
  /// serves four tokens, each token's per-block work (its scale, the
  /// minimums' sums) four rows.
  static void tile(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                   size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
    const auto *row = static_cast<const uint8_t *>(firstRow);
    int64_t r = 0;
    for (; r + 4 <= rows; r += 4)
      allTokens<4>(row + r * rowBytes, rowBytes, activations, stride, tokens, n, out + r,
                   outStride);
    for (; r < rows; ++r)
      allTokens<1>(row + r * rowBytes, rowBytes, activations, stride, tokens, n, out + r,
                   outStride);
  }

  template <int R>
  static void allTokens(const uint8_t *row, size_t rowBytes, const void *activations, size_t stride,
                        int tokens, int64_t n, float *out, size_t outStride) {
    const auto *bytes = static_cast<const uint8_t *>(activations);
    int t = 0;
    for (; t + 4 <= tokens; t += 4)
      dotInto<R, 4>(row, rowBytes, bytes + t * stride, stride, n, out + t * outStride, outStride);
    if (tokens - t == 3)
      dotInto<R, 3>(row, rowBytes, bytes + t * stride, stride, n, out + t * outStride, outStride);
    else if (tokens - t == 2)
      dotInto<R, 2>(row, rowBytes, bytes + t * stride, stride, n, out + t * outStride, outStride);
    else if (tokens - t == 1)
      dotInto<R, 1>(row, rowBytes, bytes + t * stride, stride, n, out + t * outStride, outStride);
  }

  template <int R, int T>
  static void dotInto(const uint8_t *row, size_t rowBytes, const uint8_t *activations,
                      size_t stride, int64_t n, float *out, size_t outStride) {
    float results[R * T];
    Kernel::template dot<R, T>(row, rowBytes, activations, stride, n, results);
    for (int r = 0; r < R; ++r)
      for (int t = 0; t < T; ++t)
        out[t * outStride + r] = results[r * T + t];
  }
};

using Q4_KExact = EntryPoints<KQuant45Kernel<BlockQ4_K, UnpackQ4_K>>;
using Q5_KExact = EntryPoints<KQuant45Kernel<BlockQ5_K, UnpackQ5_K>>;
using Q6_KExact = EntryPoints<Q6_KKernel>;
using Q8_0Exact = EntryPoints<Blocks32ExactKernel<BlockQ8_0>>;
using Q4_0Exact = EntryPoints<Blocks32ExactKernel<BlockQ4_0>>;

/// A prompt tile of an integer-tile set: whole blocks of 16 rows (and, for
/// the AMX unit, of TokenGroup tokens) in Tiles, the rows and tokens beyond
/// them with the exact-block row kernels (Exact), which give the same floats.
template <typename Exact, TileDotFn Tiles, int TokenGroup>
void tilesThenExact(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                    size_t stride, int tokens, int64_t n, float *out, size_t outStride) {
  int64_t tiledRows = rowBytes <= kTileMaxRowBytes ? rows / 16 * 16 : 0;
  int tiledTokens = tokens / TokenGroup * TokenGroup;
  if (tiledRows == 0 || tiledTokens == 0) {
    Exact::tile(firstRow, rowBytes, rows, activations, stride, tokens, n, out, outStride);
    return;
  }
  const auto *rowBytesStart = static_cast<const uint8_t *>(firstRow);
  const auto *tokenBytes = static_cast<const uint8_t *>(activations);
  Tiles(firstRow, rowBytes, tiledRows, activations, stride, tiledTokens, n, out, outStride);
  if (tiledTokens < tokens)
    Exact::tile(firstRow, rowBytes, tiledRows, tokenBytes + tiledTokens * stride, stride,
                tokens - tiledTokens, n, out + tiledTokens * outStride, outStride);
  if (tiledRows < rows)
    Exact::tile(rowBytesStart + tiledRows * rowBytes, rowBytes, rows - tiledRows, activations,
                stride, tokens, n, out + tiledRows, outStride);
}

/// Sixteen-lane traits of the attention (AttentionX86.h).
struct Lanes16 {
  using Reg = __m512;
  static constexpr int Lanes = 16;
  /// Four queries per pass: sixteen accumulators, four queries and a key
  /// in the thirty-two registers.
  static constexpr int QueryGroup = 4;
  /// Tiles converted once per block were measured no faster here (F16
  /// conversion is cheap beside the multiply-adds on AVX-512 cores); blocks
  /// that take vnniAttendF16Block round theirs to integers once.
  static constexpr bool ConvertTiles = false;
  static Reg zero() { return _mm512_setzero_ps(); }
  static Reg broadcast(float x) { return _mm512_set1_ps(x); }
  static Reg load(const float *x) { return _mm512_loadu_ps(x); }
  static Reg load(const uint16_t *h) { return _mm512_cvtph_ps(load256(h)); }
  static void store(float *x, Reg v) { _mm512_storeu_ps(x, v); }
  static float toFloat(uint16_t h) { return half(h); }
  static Reg fmadd(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
  static Reg add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
  static Reg sub(Reg a, Reg b) { return _mm512_sub_ps(a, b); }
  static Reg mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
  static Reg div(Reg a, Reg b) { return _mm512_div_ps(a, b); }
  static Reg max(Reg a, Reg b) { return _mm512_max_ps(a, b); }
  static Reg exp(Reg x) { return _ZGVeN16v_expf(x); }
  static float reduceAdd(Reg v) { return _mm512_reduce_add_ps(v); }
  static float reduceMax(Reg v) { return _mm512_reduce_max_ps(v); }
  static __mmask16 firstLanes(int n) { return static_cast<__mmask16>((1u << n) - 1); }
  /// x[0, n) and `fill` in the other lanes.
  static Reg loadFirst(const float *x, int n, float fill) {
    return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), firstLanes(n), x);
  }
  static void storeFirst(float *x, int n, Reg v) { _mm512_mask_storeu_ps(x, firstLanes(n), v); }
  static void sumFour(const Reg (&acc)[4], float (&out)[4]) {
    __m256 folded[4];
    for (int j = 0; j < 4; ++j)
      folded[j] = _mm256_add_ps(_mm512_castps512_ps256(acc[j]), _mm512_extractf32x8_ps(acc[j], 1));
    __m256 pairs =
        _mm256_hadd_ps(_mm256_hadd_ps(folded[0], folded[1]), _mm256_hadd_ps(folded[2], folded[3]));
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(pairs), _mm256_extractf128_ps(pairs, 1)));
  }
};

/// KernelSet::attendF16Block: blocks that fit it in integers
/// (vnniAttendF16Block), others in floats, each query as attendF16.
void attendF16Block(const float *queries, size_t queryStride, int queryCount, const uint16_t *keys,
                    const uint16_t *values, size_t stride, int firstCount, int headDim, float scale,
                    float *scores, float *out, size_t outStride) {
  if (vnniAttentionFits(queryCount, headDim))
    return vnniAttendF16Block(queries, queryStride, queryCount, keys, values, stride, firstCount,
                              headDim, scale, out, outStride);
  attention::attendF16Block<Lanes16>(queries, queryStride, queryCount, keys, values, stride,
                                     firstCount, headDim, scale, scores, out, outStride);
}

} // namespace

const KernelSet &amxKernels() {
  static const KernelSet kernels = [] {
    KernelSet set = avx512Kernels();
    set.isa = KernelIsa::AMX;
    // Short Q4_K/Q5_K rows streamed faster one by one on the AMX Xeon; Q6_K,
    // Q8_0 and Q4_0 rows in groups of four, short ones too (docs/lm-runtime.md).
    set.q4_KRows = Q4_KExact::rowsOneByOneWhenShort;
    set.q5_KRows = Q5_KExact::rowsOneByOneWhenShort;
    set.q4_KTile = tilesThenExact<Q4_KExact, amxQ4_KTiles, 16>;
    set.q5_KTile = tilesThenExact<Q5_KExact, amxQ5_KTiles, 16>;
    set.q6_KTile = tilesThenExact<Q6_KExact, amxQ6_KTiles, 16>;
    set.q8_0Tile = tilesThenExact<Q8_0Exact, amxQ8_0Tiles, 16>;
    set.q4_0Tile = tilesThenExact<Q4_0Exact, amxQ4_0Tiles, 16>;
    if (cpuHasAMXBF16()) {
      set.promptBatch = set.tileTokens = 256;
      set.attendF16Block = amxAttendF16Block;
      set.attentionTileQueries = kAMXAttentionQueries;
      set.attendsBlockInIntegers = amxAttendsBlockInIntegers;
    }
    return set;
  }();
  return kernels;
}

const KernelSet &avx512Kernels() {
  static const KernelSet kernels = [] {
    KernelSet set = avx2Kernels();
    set.isa = KernelIsa::AVX512;
    // The AVX2 set's woven order is for its own Q4_K/Q5_K kernels; these hold
    // a 64-weight chunk in element order.
    set.kQuant45Activations = ActivationFormat::Q8x256;
    set.kQuant45Weights = WeightLayout::Natural;
    // The quantized types' prompt products go through the VNNI tiles
    // (KernelsVNNI.cpp), about 1.8 times as fast as four rows by four tokens
    // on a 7B Q4_K prompt (docs/benchmarks.md); rows and generation sum each
    // block as an integer first, as the tiles do, so the two agree bit for bit.
    set.q4_K = Q4_KExact::row;
    set.q4_KRows = Q4_KExact::rows;
    set.q4_KTile = tilesThenExact<Q4_KExact, vnniQ4_KTiles, 1>;
    set.q5_K = Q5_KExact::row;
    set.q5_KRows = Q5_KExact::rows;
    set.q5_KTile = tilesThenExact<Q5_KExact, vnniQ5_KTiles, 1>;
    set.q6_K = Q6_KExact::row;
    set.q6_KRows = Q6_KExact::rows;
    set.q6_KTile = tilesThenExact<Q6_KExact, vnniQ6_KTiles, 1>;
    set.q8_0 = Q8_0Exact::row;
    set.q8_0Rows = Q8_0Exact::rows;
    set.q8_0Tile = tilesThenExact<Q8_0Exact, vnniQ8_0Tiles, 1>;
    set.q4_0 = Q4_0Exact::row;
    set.q4_0Rows = Q4_0Exact::rows;
    set.q4_0Tile = tilesThenExact<Q4_0Exact, vnniQ4_0Tiles, 1>;
    set.attendF16 = attention::attendF16<Lanes16>;
    // Blocks of fewer queries keep attendF16's bits, and so do the AMX
    // set's smaller blocks, which come here.
    static_assert(kVNNIAttentionQueries >= kAMXAttentionQueries);
    set.attendF16Block = attendF16Block;
    set.attentionTileQueries = kVNNIAttentionQueries;
    set.attendsBlockInIntegers = vnniAttentionFits;
    // Each tile's rounding then serves 256 queries instead of 64 (with the
    // float kernel before it, a 7B prompt of 16k tokens read about 10%
    // faster on a Zen 5 EPYC), and the products still take 64 tokens a
    // tile (tileTokens).
    set.promptBatch = 256;
    set.swiGLU = swiGLU<Lanes16>;
    return set;
  }();
  return kernels;
}

} // namespace optlm::lm

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else

namespace optlm::lm {
const KernelSet &avx512Kernels() { return avx2Kernels(); }
const KernelSet &amxKernels() { return avx2Kernels(); }
} // namespace optlm::lm

#endif
