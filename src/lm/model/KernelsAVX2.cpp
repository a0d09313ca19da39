//===- KernelsAVX2.cpp - the kernels with AVX2, FMA and F16C --------------===//
//
// Compiled with target attributes rather than -mavx2, so the rest of the
// binary keeps the baseline ISA and this code only runs after
// cpuHasAVX2() said yes. The integer kernels multiply unsigned weight quants
// by signed activation quants with vpmaddubsw (pairs summed to int16, which
// cannot overflow for quants below 64 times 127), then widen with vpmaddwd,
// which also applies the sub-block scales.
//
//===----------------------------------------------------------------------===//

#include "lm/model/Kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c")
#endif

#include "lm/model/AttentionX86.h"
#include "lm/model/KernelsX86.h"

#include <algorithm>
#include <type_traits>

/// glibc's vector math library (libmvec): expf on eight lanes, the AVX2
/// variant of its vector ABI.
extern "C" __m256 _ZGVdN8v_expf(__m256 x);

namespace optlm::lm {
namespace {

using namespace x86;

inline __m256 loadHalf8(const uint16_t *h) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(h)));
}

inline __m256 loadBf16x8(const uint16_t *h) {
  __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(h)));
  return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
}

/// A vector of int32 lanes holding value in lane 0 and zeros elsewhere.
inline __m256i lane0(int value) { return _mm256_zextsi128_si256(_mm_cvtsi32_si128(value)); }

/// Unsigned quants times signed activations, times the int16 scale of each
/// lane, summed in groups of four into 8 int32 lanes.
inline __m256i scaledProduct(__m256i unsignedQuants, __m256i activations, __m256i scale16) {
  return _mm256_madd_epi16(_mm256_maddubs_epi16(unsignedQuants, activations), scale16);
}

// The quantized kernels take T activation vectors (T tokens of a batch) at
// once: the weight block is loaded and unpacked once and used T times,
// which is what makes batched prompt processing faster per token than
// generation. T = 1 is the generation kernel.

/// How far ahead of the block being multiplied the single-token kernels
/// prefetch: generation walks a matrix's rows in order, so this is the data
/// needed a few microseconds later, whichever row it belongs to.
constexpr size_t kPrefetchAhead = 4096;

template <int T>
void dotQ8_0Rows(const void *weightRow, const void *activations, size_t stride, int64_t n,
                 float *out) {
  const auto *w = static_cast<const BlockQ8_0 *>(weightRow);
  const ActivationBlock32 *a[T];
  for (int t = 0; t < T; ++t)
    a[t] = activationRow<T, ActivationBlock32>(activations, stride, t);
  const __m256i ones = _mm256_set1_epi16(1);
  __m256 acc[T];
  for (int t = 0; t < T; ++t)
    acc[t] = _mm256_setzero_ps();
  for (int64_t b = 0; b < n / 32; ++b) {
    if (T == 1)
      prefetchBlock<BlockQ8_0>(reinterpret_cast<const uint8_t *>(w + b) + kPrefetchAhead);
    __m256i wq = load256(w[b].qs);
    // vpmaddubsw needs one unsigned operand: move the weight's sign over.
    __m256i magnitudes = _mm256_sign_epi8(wq, wq);
    float d = half(w[b].d);
    for (int t = 0; t < T; ++t) {
      __m256i products = scaledProduct(magnitudes, _mm256_sign_epi8(load256(a[t][b].qs), wq), ones);
      acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(d * a[t][b].d), _mm256_cvtepi32_ps(products), acc[t]);
    }
  }
  for (int t = 0; t < T; ++t)
    out[t] = horizontalSum(acc[t]);
}

template <int T>
void dotQ4_0Rows(const void *weightRow, const void *activations, size_t stride, int64_t n,
                 float *out) {
  const auto *w = static_cast<const BlockQ4_0 *>(weightRow);
  const ActivationBlock32 *a[T];
  for (int t = 0; t < T; ++t)
    a[t] = activationRow<T, ActivationBlock32>(activations, stride, t);
  const __m128i lowNibbles = _mm_set1_epi8(0x0F);
  const __m256i ones = _mm256_set1_epi16(1);
  __m256 acc[T];
  for (int t = 0; t < T; ++t)
    acc[t] = _mm256_setzero_ps();
  for (int64_t b = 0; b < n / 32; ++b) {
    if (T == 1)
      prefetchBlock<BlockQ4_0>(reinterpret_cast<const uint8_t *>(w + b) + kPrefetchAhead);
    __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i *>(w[b].qs));
    __m256i quants = _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(raw, 4), lowNibbles),
                                      _mm_and_si128(raw, lowNibbles));
    float d = half(w[b].d);
    for (int t = 0; t < T; ++t) {
      __m256i products = scaledProduct(quants, load256(a[t][b].qs), ones);
      // The quants' offset of 8, subtracted exactly while the sum is integer.
      products = _mm256_sub_epi32(products, lane0(8 * a[t][b].sum));
      acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(d * a[t][b].d), _mm256_cvtepi32_ps(products), acc[t]);
    }
  }
  for (int t = 0; t < T; ++t)
    out[t] = horizontalSum(acc[t]);
}

/// The first 16 bytes of one or two Q4_K/Q5_K blocks, one per 128-bit lane,
/// unpacked in place to scales and minimums (KScaleUnpackLane): byte shuffles
/// and masks, no scalar work and no moves between general and vector
/// registers per block.
inline __m256i unpackKScaleBytes(__m256i heads) {
  const KScaleUnpackLane lane = kScaleUnpackLane();
  auto everyLane = [](__m128i table) { return _mm256_broadcastsi128_si256(table); };
  __m256i nibbleSource = _mm256_shuffle_epi8(heads, everyLane(lane.nibbleSourceControl));
  __m256i topBitSource = _mm256_shuffle_epi8(heads, everyLane(lane.topBitSourceControl));
  return _mm256_or_si256(
      _mm256_or_si256(
          _mm256_and_si256(nibbleSource, everyLane(lane.keepLow)),
          _mm256_and_si256(_mm256_srli_epi16(nibbleSource, 4), everyLane(lane.keepHighNibble))),
      _mm256_and_si256(_mm256_srli_epi16(topBitSource, 2), everyLane(lane.keepTopBits)));
}

/// Q4_K or Q5_K (which differ only in how 64 quants are unpacked): R <= 2
/// weight rows (rowBytes apart, WeightLayout::Woven) times T activation
/// vectors (stride bytes apart, ActivationFormat::Q8x256Woven), out[r * T +
/// t]. Generation uses R = 2, T = 1: the rows share the activation loads and
/// the work on scales (each block's first 16 bytes, d, dmin and the packed
/// scales, in one 128-bit lane per row); the next rows are prefetched
/// meanwhile. Four rows at a time spilled to the stack (sixteen registers
/// hold neither four rows' accumulators nor their weights): 11.3 Gelem/s
/// against 12.9 in pairs on a Zen-1-class core. Prompt processing uses
/// R = 1, T <= 4: a row is unpacked once for T tokens. Weights and
/// activations are both woven, so the four vpmaddubsw pair sums of a token
/// add up in int16 (at most 8 products of 31 by 127: 31,496) and one
/// vpmaddwd applies the four sub-blocks' scales. The weights were woven when
/// the model loaded: weaving them here (eight vpunpck a half block) took
/// half the shuffle pipes' time, the bound of this loop on that core (12.9
/// against 16.4-16.8 Gelem/s for Q4_K). Every (row, token) pair goes through the
/// same operations in the same lanes and order in every instantiation, so
/// grouping never changes a result.
template <int R, int T, typename Block, typename Unpack>
void dotK4or5(const uint8_t *firstRow, size_t rowBytes, const void *activations, size_t stride,
              int64_t n, float *out, Unpack unpack) {
  static_assert(R >= 1 && R <= 2, "a pair of rows, one 128-bit lane each");
  const Block *w[R];
  for (int r = 0; r < R; ++r)
    w[r] = reinterpret_cast<const Block *>(firstRow + r * rowBytes);
  const ActivationBlock256 *a[T];
  for (int t = 0; t < T; ++t)
    a[t] = activationRow<T, ActivationBlock256>(activations, stride, t);
  const uint8_t *nextGroup = firstRow + R * rowBytes;
  // Minimums' zero-extending vpshufb control: bytes 8-15 of each lane.
  const __m256i minimumWords = _mm256_broadcastsi128_si256(
      _mm_setr_epi16(0x8008, 0x8009, 0x800A, 0x800B, 0x800C, 0x800D, 0x800E, 0x800F));
  // The woven order's scales: pair i of a lane belongs to sub-block 4h + i % 4.
  const __m256i wovenScaleWords[2] = {
      _mm256_set1_epi64x(static_cast<long long>(0x8003800280018000)),
      _mm256_set1_epi64x(static_cast<long long>(0x8007800680058004))};
  // After conversion [d, dmin] of the pair's rows are floats [0, 1] and [2, 3].
  const __m256i dminOfLane = _mm256_setr_epi32(1, 1, 1, 1, 3, 3, 3, 3);
  __m256 acc[R][T];
  // The minimums' sums, one (row, token) a 128-bit lane: for a pair of rows
  // lane r of minimums[t] is row r; for one row, lane t % 2 of
  // minimums[t / 2] is token t, so that a vpmaddwd serves two tokens (the
  // prompt's tiles are bound by the one multiply pipe of Zen-1-class cores).
  constexpr int kMinimumSums = R == 2 ? T : (T + 1) / 2;
  __m256 minimums[kMinimumSums];
  for (int t = 0; t < T; ++t)
    for (int r = 0; r < R; ++r)
      acc[r][t] = _mm256_setzero_ps();
  for (__m256 &sum : minimums)
    sum = _mm256_setzero_ps();
  for (int64_t b = 0; b < n / kSuperBlock; ++b) {
    if (T == 1)
      for (int r = 0; r < R; ++r)
        prefetchBlock<Block>(nextGroup + r * rowBytes + b * sizeof(Block));
    __m128i sums[T];
    for (int t = 0; t < T; ++t)
      sums[t] = subBlockSums(a[t][b]);
    // The pair's heads, or one row's in both lanes.
    __m128i firstHead = _mm_loadu_si128(reinterpret_cast<const __m128i *>(&w[0][b]));
    __m256i heads = R == 2
                        ? _mm256_inserti128_si256(
                              _mm256_castsi128_si256(firstHead),
                              _mm_loadu_si128(reinterpret_cast<const __m128i *>(&w[R - 1][b])), 1)
                        : _mm256_broadcastsi128_si256(firstHead);
    __m256i scaleBytes = unpackKScaleBytes(heads);
    // [d, dmin] of both lanes' rows as floats.
    __m128 blockScales = _mm_cvtph_ps(_mm256_castsi256_si128(
        _mm256_permutevar8x32_epi32(heads, _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0))));
    __m256i mins = _mm256_shuffle_epi8(scaleBytes, minimumWords);
    __m256 factors[T]; // [d, dmin] of both lanes' rows times the activations' scale
    for (int t = 0; t < T; ++t)
      factors[t] = _mm256_zextps128_ps256(_mm_mul_ps(_mm_set1_ps(a[t][b].d), blockScales));
    if constexpr (R == 2) {
      for (int t = 0; t < T; ++t)
        minimums[t] = _mm256_fmadd_ps(
            _mm256_permutevar8x32_ps(factors[t], dminOfLane),
            _mm256_cvtepi32_ps(_mm256_madd_epi16(mins, _mm256_broadcastsi128_si256(sums[t]))),
            minimums[t]);
    } else {
      for (int t = 0; t < T; t += 2) {
        const int next = std::min(t + 1, T - 1); // an odd last token fills both lanes
        __m256i tokenSums = _mm256_inserti128_si256(_mm256_castsi128_si256(sums[t]), sums[next], 1);
        __m256 dmins = _mm256_permute_ps(
            _mm256_insertf128_ps(factors[t], _mm256_castps256_ps128(factors[next]), 1),
            _MM_SHUFFLE(1, 1, 1, 1));
        minimums[t / 2] = _mm256_fmadd_ps(
            dmins, _mm256_cvtepi32_ps(_mm256_madd_epi16(mins, tokenSums)), minimums[t / 2]);
      }
    }
    for (int j = 0; j < R; ++j) {
      const Block &block = w[j][b];
      // This row's scale bytes in both lanes.
      __m256i scaleTable = R == 1 ? scaleBytes
                           : j    ? _mm256_permute2x128_si256(scaleBytes, scaleBytes, 0x11)
                                  : _mm256_permute2x128_si256(scaleBytes, scaleBytes, 0x00);
      __m256i isum[T];
      for (int t = 0; t < T; ++t)
        isum[t] = _mm256_setzero_si256();
      for (int half = 0; half < 2; ++half) {
        __m256i woven[4];
        unpack(block, 2 * half, woven[0], woven[1]);
        unpack(block, 2 * half + 1, woven[2], woven[3]);
        __m256i scales = _mm256_shuffle_epi8(scaleTable, wovenScaleWords[half]);
        for (int t = 0; t < T; ++t) {
          const int8_t *x = a[t][b].qs + 128 * half;
          __m256i pairs = _mm256_add_epi16(_mm256_maddubs_epi16(woven[0], load256(x)),
                                           _mm256_maddubs_epi16(woven[1], load256(x + 32)));
          pairs = _mm256_add_epi16(pairs, _mm256_maddubs_epi16(woven[2], load256(x + 64)));
          pairs = _mm256_add_epi16(pairs, _mm256_maddubs_epi16(woven[3], load256(x + 96)));
          isum[t] = _mm256_add_epi32(isum[t], _mm256_madd_epi16(pairs, scales));
        }
      }
      for (int t = 0; t < T; ++t)
        acc[j][t] = _mm256_fmadd_ps(_mm256_permutevar8x32_ps(factors[t], _mm256_set1_epi32(2 * j)),
                                    _mm256_cvtepi32_ps(isum[t]), acc[j][t]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) {
      const __m256 &sum = minimums[R == 2 ? t : t / 2];
      bool upperLane = R == 2 ? r == 1 : t % 2 == 1;
      __m128 rowMinimums = upperLane ? _mm256_extractf128_ps(sum, 1) : _mm256_castps256_ps128(sum);
      out[r * T + t] = horizontalSum(acc[r][t]) - horizontalSum(rowMinimums);
    }
}

/// The 64 quants at positions 64c..64c+63 of a Q4_K block as bytes:
/// each 32 bytes of quants hold the low nibbles first, then the high ones.
struct UnpackQ4_K {
  void operator()(const BlockQ4_K &block, int chunk, __m256i &low, __m256i &high) const {
    const __m256i lowNibbles = _mm256_set1_epi8(0x0F);
    __m256i q = load256(block.qs + 32 * chunk);
    low = _mm256_and_si256(q, lowNibbles);
    high = _mm256_and_si256(_mm256_srli_epi16(q, 4), lowNibbles);
  }
};

/// The same for Q5_K: bit 2c of qh[l] is the fifth bit of element 64c + l,
/// bit 2c+1 of 64c + 32 + l.
struct UnpackQ5_K {
  void operator()(const BlockQ5_K &block, int chunk, __m256i &low, __m256i &high) const {
    const __m256i lowNibbles = _mm256_set1_epi8(0x0F);
    const __m256i lowBit = _mm256_set1_epi8(1);
    __m256i q = load256(block.qs + 32 * chunk);
    __m256i fifthBits = _mm256_srl_epi16(load256(block.qh), _mm_cvtsi32_si128(2 * chunk));
    __m256i lowFifth = _mm256_slli_epi16(_mm256_and_si256(fifthBits, lowBit), 4);
    __m256i highFifth =
        _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(fifthBits, 1), lowBit), 4);
    low = _mm256_or_si256(_mm256_and_si256(q, lowNibbles), lowFifth);
    high = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(q, 4), lowNibbles), highFifth);
  }
};

/// Natural Q4_K/Q5_K blocks woven in place: each half block unpacked and
/// woven as the kernels read it, then packed back as the format stores
/// quants: 5 GB/s a core, where the portable permutation (permuteQuants)
/// that defines the layout runs at 0.7 (5 CPU seconds for a 7B model).
template <typename Block, typename Unpack> void weaveBlocks(Block *blocks, size_t count) {
  const __m256i lowNibbles = _mm256_set1_epi8(0x0F);
  const __m256i fifthBit = _mm256_set1_epi8(0x10);
  for (size_t index = 0; index < count; ++index) {
    Block &block = blocks[index];
    __m256i woven[8]; // positions 32k..32k+31
    for (int half = 0; half < 2; ++half) {
      __m256i natural[4];
      Unpack()(block, 2 * half, natural[0], natural[1]);
      Unpack()(block, 2 * half + 1, natural[2], natural[3]);
      // Pairs of sub-blocks 0 and 1, then 2 and 3, in turn; then all four.
      __m256i low01 = _mm256_unpacklo_epi16(natural[0], natural[1]);
      __m256i high01 = _mm256_unpackhi_epi16(natural[0], natural[1]);
      __m256i low23 = _mm256_unpacklo_epi16(natural[2], natural[3]);
      __m256i high23 = _mm256_unpackhi_epi16(natural[2], natural[3]);
      woven[4 * half + 0] = _mm256_unpacklo_epi32(low01, low23);
      woven[4 * half + 1] = _mm256_unpackhi_epi32(low01, low23);
      woven[4 * half + 2] = _mm256_unpacklo_epi32(high01, high23);
      woven[4 * half + 3] = _mm256_unpackhi_epi32(high01, high23);
    }
    __m256i fifthBits = _mm256_setzero_si256();
    for (int chunk = 0; chunk < 4; ++chunk) {
      __m256i low = woven[2 * chunk], high = woven[2 * chunk + 1];
      __m256i packed = _mm256_or_si256(_mm256_and_si256(low, lowNibbles),
                                       _mm256_slli_epi16(_mm256_and_si256(high, lowNibbles), 4));
      _mm256_storeu_si256(reinterpret_cast<__m256i *>(block.qs + 32 * chunk), packed);
      if constexpr (std::is_same_v<Block, BlockQ5_K>) {
        // Bit 2c of qh[l] is the fifth bit of position 64c + l, bit 2c+1 of 64c + 32 + l.
        __m256i lowFifth = _mm256_srli_epi16(_mm256_and_si256(low, fifthBit), 4);
        __m256i highFifth = _mm256_srli_epi16(_mm256_and_si256(high, fifthBit), 4);
        __m256i bits = _mm256_or_si256(lowFifth, _mm256_slli_epi16(highFifth, 1));
        fifthBits = _mm256_or_si256(
            fifthBits, _mm256_and_si256(_mm256_sll_epi16(bits, _mm_cvtsi32_si128(2 * chunk)),
                                        _mm256_set1_epi8(static_cast<char>(3 << (2 * chunk)))));
      }
    }
    if constexpr (std::is_same_v<Block, BlockQ5_K>)
      _mm256_storeu_si256(reinterpret_cast<__m256i *>(block.qh), fifthBits);
  }
}

template <int R>
void dotQ4_KRowGroup(const uint8_t *firstRow, size_t rowBytes, const void *activations, int64_t n,
                     float *out) {
  dotK4or5<R, 1, BlockQ4_K>(firstRow, rowBytes, activations, 0, n, out, UnpackQ4_K());
}

template <int R>
void dotQ5_KRowGroup(const uint8_t *firstRow, size_t rowBytes, const void *activations, int64_t n,
                     float *out) {
  dotK4or5<R, 1, BlockQ5_K>(firstRow, rowBytes, activations, 0, n, out, UnpackQ5_K());
}

template <int T>
void dotQ4_KRows(const void *weightRow, const void *activations, size_t stride, int64_t n,
                 float *out) {
  dotK4or5<1, T, BlockQ4_K>(static_cast<const uint8_t *>(weightRow), 0, activations, stride, n, out,
                            UnpackQ4_K());
}

template <int T>
void dotQ5_KRows(const void *weightRow, const void *activations, size_t stride, int64_t n,
                 float *out) {
  dotK4or5<1, T, BlockQ5_K>(static_cast<const uint8_t *>(weightRow), 0, activations, stride, n, out,
                            UnpackQ5_K());
}

template <int T>
void dotQ6_KRows(const void *weightRow, const void *activations, size_t stride, int64_t n,
                 float *out) {
  const auto *w = static_cast<const BlockQ6_K *>(weightRow);
  const ActivationBlock256 *a[T];
  for (int t = 0; t < T; ++t)
    a[t] = activationRow<T, ActivationBlock256>(activations, stride, t);
  const __m256i lowNibbles = _mm256_set1_epi8(0x0F);
  const __m256i twoBits = _mm256_set1_epi8(0x03);
  __m256 acc[T];
  for (int t = 0; t < T; ++t)
    acc[t] = _mm256_setzero_ps();
  for (int64_t b = 0; b < n / kSuperBlock; ++b) {
    if (T == 1)
      prefetchBlock<BlockQ6_K>(reinterpret_cast<const uint8_t *>(w + b) + kPrefetchAhead);
    __m128i scaleBytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(w[b].scales));
    __m256i allScales = _mm256_cvtepi8_epi16(scaleBytes);
    __m256i isum[T];
    for (int t = 0; t < T; ++t) {
      // The quants carry an offset of 32: subtract 32 * sum(scale * group sum).
      __m256i offsets = _mm256_madd_epi16(allScales, load256(a[t][b].groupSums));
      isum[t] = _mm256_sub_epi32(_mm256_setzero_si256(), _mm256_slli_epi32(offsets, 5));
    }
    for (int part = 0; part < 2; ++part) {
      __m256i ql0 = load256(w[b].ql + 64 * part);
      __m256i ql1 = load256(w[b].ql + 64 * part + 32);
      __m256i qh = load256(w[b].qh + 32 * part);
      __m256i quants[4] = {
          _mm256_and_si256(ql0, lowNibbles),
          _mm256_and_si256(ql1, lowNibbles),
          _mm256_and_si256(_mm256_srli_epi16(ql0, 4), lowNibbles),
          _mm256_and_si256(_mm256_srli_epi16(ql1, 4), lowNibbles),
      };
      // This part's eight scales as int16 in both 128-bit lanes.
      __m256i scales = _mm256_broadcastsi128_si256(
          _mm_cvtepi8_epi16(part ? _mm_unpackhi_epi64(scaleBytes, scaleBytes) : scaleBytes));
      for (int k = 0; k < 4; ++k) {
        __m256i high = _mm256_and_si256(qh, twoBits);
        qh = _mm256_srli_epi16(qh, 2);
        __m256i q = _mm256_or_si256(quants[k], _mm256_slli_epi16(high, 4));
        // 32 elements with two scales: 2k for the first 16, 2k+1 for the rest.
        __m256i scale = _mm256_shuffle_epi8(
            scales,
            _mm256_set_m128i(_mm_set1_epi16(static_cast<int16_t>(((4 * k + 3) << 8) | (4 * k + 2))),
                             _mm_set1_epi16(static_cast<int16_t>(((4 * k + 1) << 8) | (4 * k)))));
        for (int t = 0; t < T; ++t)
          isum[t] = _mm256_add_epi32(
              isum[t], scaledProduct(q, load256(a[t][b].qs + 128 * part + 32 * k), scale));
      }
    }
    float d = half(w[b].d);
    for (int t = 0; t < T; ++t)
      acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(a[t][b].d * d), _mm256_cvtepi32_ps(isum[t]), acc[t]);
  }
  for (int t = 0; t < T; ++t)
    out[t] = horizontalSum(acc[t]);
}

/// Float weights for T tokens: each group of 16 weights is converted once.
/// load8(i) gives weights i..i+7 as floats, loadOne(i) weight i.
template <int T, typename Load8, typename LoadOne>
void floatRows(const void *activations, size_t stride, int64_t n, float *out, Load8 load8,
               LoadOne loadOne) {
  const float *x[T];
  for (int t = 0; t < T; ++t)
    x[t] = activationRow<T, float>(activations, stride, t);
  __m256 acc0[T], acc1[T];
  for (int t = 0; t < T; ++t)
    acc0[t] = acc1[t] = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 w0 = load8(i), w1 = load8(i + 8);
    for (int t = 0; t < T; ++t) {
      acc0[t] = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x[t] + i), acc0[t]);
      acc1[t] = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x[t] + i + 8), acc1[t]);
    }
  }
  for (int t = 0; t < T; ++t) {
    float sum = horizontalSum(_mm256_add_ps(acc0[t], acc1[t]));
    for (int64_t j = i; j < n; ++j)
      sum += loadOne(j) * x[t][j];
    out[t] = sum;
  }
}

template <int T>
void dotF32Rows(const void *weightRow, const void *activations, size_t stride, int64_t n,
                float *out) {
  const auto *w = static_cast<const float *>(weightRow);
  floatRows<T>(
      activations, stride, n, out, [w](int64_t i) { return _mm256_loadu_ps(w + i); },
      [w](int64_t i) { return w[i]; });
}

template <int T>
void dotF16Rows(const void *weightRow, const void *activations, size_t stride, int64_t n,
                float *out) {
  const auto *w = static_cast<const uint16_t *>(weightRow);
  floatRows<T>(
      activations, stride, n, out, [w](int64_t i) { return loadHalf8(w + i); },
      [w](int64_t i) { return half(w[i]); });
}

template <int T>
void dotBF16Rows(const void *weightRow, const void *activations, size_t stride, int64_t n,
                 float *out) {
  const auto *w = static_cast<const uint16_t *>(weightRow);
  floatRows<T>(
      activations, stride, n, out, [w](int64_t i) { return loadBf16x8(w + i); },
      [w](int64_t i) { return bf16ToFloat(w[i]); });
}

using RowsFn = void (*)(const void *, const void *, size_t, int64_t, float *);

/// The kernel for one token, as the generation path calls it.
template <RowsFn Rows1> float single(const void *weightRow, const void *activations, int64_t n) {
  float result;
  Rows1(weightRow, activations, 0, n, &result);
  return result;
}

/// Any number of tokens: four at a time, then the rest.
template <RowsFn Rows1, RowsFn Rows2, RowsFn Rows3, RowsFn Rows4>
void batched(const void *weightRow, const void *activations, size_t stride, int tokens, int64_t n,
             float *out) {
  const auto *bytes = static_cast<const uint8_t *>(activations);
  for (; tokens >= 4; tokens -= 4, bytes += 4 * stride, out += 4)
    Rows4(weightRow, bytes, stride, n, out);
  if (tokens == 3)
    Rows3(weightRow, bytes, stride, n, out);
  else if (tokens == 2)
    Rows2(weightRow, bytes, stride, n, out);
  else if (tokens == 1)
    Rows1(weightRow, bytes, stride, n, out);
}

#define OPTLM_BATCHED(kernel) batched<kernel<1>, kernel<2>, kernel<3>, kernel<4>>

using RowGroupFn = void (*)(const uint8_t *, size_t, const void *, int64_t, float *);

/// One row through a row-group kernel.
template <RowGroupFn Group1>
float singleRow(const void *weightRow, const void *activations, int64_t n) {
  float result;
  Group1(static_cast<const uint8_t *>(weightRow), 0, activations, n, &result);
  return result;
}

/// Any number of rows: pairs, then the last one.
template <RowGroupFn Group1, RowGroupFn Group2>
void inRowPairs(const void *firstRow, size_t rowBytes, int64_t rows, const void *activations,
                int64_t n, float *out) {
  const auto *row = static_cast<const uint8_t *>(firstRow);
  for (; rows >= 2; rows -= 2, row += 2 * rowBytes, out += 2)
    Group2(row, rowBytes, activations, n, out);
  if (rows == 1)
    Group1(row, rowBytes, activations, n, out);
}

#define OPTLM_ROW_PAIRS(kernel) inRowPairs<kernel<1>, kernel<2>>

float dotF16Cache(const float *x, const uint16_t *h, int n) {
  __m256 acc = _mm256_setzero_ps();
  int i = 0;
  for (; i + 8 <= n; i += 8)
    acc = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), loadHalf8(h + i), acc);
  float sum = horizontalSum(acc);
  for (; i < n; ++i)
    sum += x[i] * half(h[i]);
  return sum;
}

void axpyF16Cache(float a, const uint16_t *h, float *y, int n) {
  __m256 scale = _mm256_set1_ps(a);
  int i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(y + i, _mm256_fmadd_ps(scale, loadHalf8(h + i), _mm256_loadu_ps(y + i)));
  for (; i < n; ++i)
    y[i] += a * half(h[i]);
}

/// Eight-lane traits of the attention (AttentionX86.h).
struct Lanes8 {
  using Reg = __m256;
  static constexpr int Lanes = 8;
  /// Two queries per pass: eight accumulators, two queries and a key fill
  /// the sixteen registers.
  static constexpr int QueryGroup = 2;
  /// A block's tiles converted to F32 once (AttentionX86.h): on a
  /// Zen-1-class core the block kernel goes from 8.2 to 12.0 GMAC/s; on the
  /// AVX-512 development machine AVX2 blocks were as fast either way.
  static constexpr bool ConvertTiles = true;
  static Reg zero() { return _mm256_setzero_ps(); }
  static Reg broadcast(float x) { return _mm256_set1_ps(x); }
  static Reg load(const float *x) { return _mm256_loadu_ps(x); }
  static Reg load(const uint16_t *h) { return loadHalf8(h); }
  static void store(float *x, Reg v) { _mm256_storeu_ps(x, v); }
  static float toFloat(uint16_t h) { return half(h); }
  static Reg fmadd(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  static Reg add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
  static Reg sub(Reg a, Reg b) { return _mm256_sub_ps(a, b); }
  static Reg mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
  static Reg div(Reg a, Reg b) { return _mm256_div_ps(a, b); }
  static Reg max(Reg a, Reg b) { return _mm256_max_ps(a, b); }
  static Reg exp(Reg x) { return _ZGVdN8v_expf(x); }
  static float reduceAdd(Reg v) { return horizontalSum(v); }
  static float reduceMax(Reg v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    return _mm_cvtss_f32(_mm_max_ss(m, _mm_movehdup_ps(m)));
  }
  static __m256i firstLanes(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  /// x[0, n) and `fill` in the other lanes.
  static Reg loadFirst(const float *x, int n, float fill) {
    __m256i lanes = firstLanes(n);
    return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(x, lanes),
                            _mm256_castsi256_ps(lanes));
  }
  static void storeFirst(float *x, int n, Reg v) { _mm256_maskstore_ps(x, firstLanes(n), v); }
  static void sumFour(const Reg (&acc)[4], float (&out)[4]) {
    __m256 pairs = _mm256_hadd_ps(_mm256_hadd_ps(acc[0], acc[1]), _mm256_hadd_ps(acc[2], acc[3]));
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(pairs), _mm256_extractf128_ps(pairs, 1)));
  }
};

void storeF16(const float *x, uint16_t *h, int n) {
  int i = 0;
  for (; i + 8 <= n; i += 8)
    _mm_storeu_si128(reinterpret_cast<__m128i *>(h + i),
                     _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
  for (; i < n; ++i)
    h[i] = _cvtss_sh(x[i], _MM_FROUND_TO_NEAREST_INT);
}

} // namespace

void weaveKQuantRowsAVX2(TensorType type, uint8_t *rows, size_t bytes) {
  if (type == TensorType::Q4_K)
    weaveBlocks<BlockQ4_K, UnpackQ4_K>(reinterpret_cast<BlockQ4_K *>(rows),
                                       bytes / sizeof(BlockQ4_K));
  else if (type == TensorType::Q5_K)
    weaveBlocks<BlockQ5_K, UnpackQ5_K>(reinterpret_cast<BlockQ5_K *>(rows),
                                       bytes / sizeof(BlockQ5_K));
}

const KernelSet &avx2Kernels() {
  static const KernelSet kernels = [] {
    KernelSet set;
    set.isa = KernelIsa::AVX2;
    set.kQuant45Activations = ActivationFormat::Q8x256Woven;
    set.kQuant45Weights = WeightLayout::Woven;
    set.f32 = single<dotF32Rows<1>>;
    set.f16 = single<dotF16Rows<1>>;
    set.bf16 = single<dotBF16Rows<1>>;
    set.q8_0 = single<dotQ8_0Rows<1>>;
    set.q4_0 = single<dotQ4_0Rows<1>>;
    set.q4_K = singleRow<dotQ4_KRowGroup<1>>;
    set.q5_K = singleRow<dotQ5_KRowGroup<1>>;
    set.q6_K = single<dotQ6_KRows<1>>;
    set.f32Tile = batchPerRow<OPTLM_BATCHED(dotF32Rows)>;
    set.f16Tile = batchPerRow<OPTLM_BATCHED(dotF16Rows)>;
    set.bf16Tile = batchPerRow<OPTLM_BATCHED(dotBF16Rows)>;
    set.q8_0Tile = batchPerRow<OPTLM_BATCHED(dotQ8_0Rows)>;
    set.q4_0Tile = batchPerRow<OPTLM_BATCHED(dotQ4_0Rows)>;
    set.q4_KTile = batchPerRow<OPTLM_BATCHED(dotQ4_KRows)>;
    set.q5_KTile = batchPerRow<OPTLM_BATCHED(dotQ5_KRows)>;
    set.q6_KTile = batchPerRow<OPTLM_BATCHED(dotQ6_KRows)>;
    set.f32Rows = rowByRow<single<dotF32Rows<1>>>;
    set.f16Rows = rowByRow<single<dotF16Rows<1>>>;
    set.bf16Rows = rowByRow<single<dotBF16Rows<1>>>;
    set.q8_0Rows = rowByRow<single<dotQ8_0Rows<1>>>;
    set.q4_0Rows = rowByRow<single<dotQ4_0Rows<1>>>;
    set.q4_KRows = OPTLM_ROW_PAIRS(dotQ4_KRowGroup);
    set.q5_KRows = OPTLM_ROW_PAIRS(dotQ5_KRowGroup);
    set.q6_KRows = rowByRow<single<dotQ6_KRows<1>>>;
    set.dotF16 = dotF16Cache;
    set.axpyF16 = axpyF16Cache;
    set.storeF16 = storeF16;
    set.swiGLU = swiGLU<Lanes8>;
    set.attendF16 = attention::attendF16<Lanes8>;
    set.attendF16Block = attention::attendF16Block<Lanes8>;
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
const KernelSet &avx2Kernels() { return portableKernels(); }
// Never called where cpuHasAVX2() is false; the portable permutation.
void weaveKQuantRowsAVX2(TensorType type, uint8_t *rows, size_t bytes) {
  relayoutRows(type, WeightLayout::Natural, WeightLayout::Woven, rows, bytes);
}
} // namespace optlm::lm

#endif
