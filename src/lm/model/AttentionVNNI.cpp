//===- AttentionVNNI.cpp - a prompt's attention in 16-bit integers ---------===//
//
// A long prompt's attention is two products per cached position and query,
// scores (q . k) and the weighted values, 256 multiply-adds each at 128
// dimensions. In floats an AVX-512 multiply-add does 16; on a Xeon whose two
// 512-bit ports retire about 5.5 of them a nanosecond that bounds the
// attention at about 87 G multiply-adds a second a thread, and a 16k prompt
// of a 7B model spends most of its time there. AVX-512 VNNI's vpdpwssd
// multiplies 16-bit integers in pairs, 32 multiply-adds an instruction at
// about the same rate, so this kernel keeps both products in integers:
//
// - each query, and each cached position's key and value (128 F16 values),
//   is scaled so that its largest magnitude is a fixed limit and rounded to
//   integers: a key's elements to within 1/8,190 of its largest one (F16
//   itself keeps 11 bits of each, 1/4,096 of the element; llama.cpp rounds
//   the queries to F16);
// - a query's weights over a tile of 64 positions (the online softmax's
//   exp2 of the scores, in floats) times each position's value scale are
//   rounded the same way, to within 1/16,382 of the tile's largest;
// - every integer sum stays within int32 (the limits below), is exact, and
//   so does not depend on order: each score and each tile's weighted values
//   become floats once, scaled by the factors the rounding took out.
//
// The softmax is online (as in AttentionAMX.cpp): a query keeps its running
// maximum, denominator and unnormalized output, rescaled when a tile raises
// the maximum, so no row of scores wider than a tile is stored: a 16k
// block's rows (16 MiB a thread) left the second-level cache, and two
// threads reading and writing them halved each other's rate.
//
// Every step is per query and per tile of positions aligned to 0, so a query
// gets the same bits in any block that takes this kernel (tested); positions
// past its end get a weight of exactly 0. Blocks of fewer than
// kVNNIAttentionQueries queries (a generated token's among them: the tile's
// rounding is paid once per block), and heads whose dimension is not a
// multiple of 64, take the AVX-512 set's float kernel (vnniAttentionFits).
//
//===----------------------------------------------------------------------===//

#include "lm/model/Kernels.h"

// Only the x86 AVX-512 set (KernelsAVX512.cpp) refers to this kernel.
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <vector>

#if defined(__clang__)
#pragma clang attribute push(                                                                      \
    __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni"))),        \
    apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")
#endif

#include "lm/model/KernelsX86.h"

namespace optlm::lm {
namespace {

using namespace x86;

/// Positions per tile: four registers of 16 scores, 32 pairs of weights.
constexpr int kPositions = 64, kPairs = kPositions / 2, kPositionRegs = kPositions / 16;
/// Queries per pass of the products: 16 accumulators, 4 tile registers.
constexpr int kGroup = 4;
/// A weighted value sums kPositions products of a weight (at most
/// kWeightLimit) and a value (kValueLimit): 64 * 8,191 * 4,095 < 2^31.
constexpr int kWeightLimit = 8191, kValueLimit = 4095;
static_assert(double(kPositions) * kWeightLimit * kValueLimit <= INT_MAX);

/// The largest magnitude of a rounded query or key: a score sums headDim
/// products of two such (at 128 dimensions, 4,095).
int keyLimit(int headDim) {
  return std::min(kWeightLimit, static_cast<int>(std::sqrt(double(INT_MAX) / headDim)));
}

/// The largest magnitude of `count` registers.
inline float largestMagnitude(const __m512 *x, int count) {
  __m512 largest = _mm512_setzero_ps();
  for (int i = 0; i < count; ++i)
    largest = _mm512_max_ps(largest, _mm512_abs_ps(x[i]));
  return _mm512_reduce_max_ps(largest);
}

/// Rounds 32 * pairRegs floats (x, two registers a pair register) times
/// `factor` to integers, stored as pairs of 16-bit integers in element
/// order (element 2i in the low half of dword i).
inline void roundToPairs(const __m512 *x, int pairRegs, __m512 factor, void *pairs) {
  for (int i = 0; i < pairRegs; ++i) {
    const __m256i low = _mm512_cvtepi32_epi16(_mm512_cvtps_epi32(_mm512_mul_ps(x[2 * i], factor)));
    const __m256i high =
        _mm512_cvtepi32_epi16(_mm512_cvtps_epi32(_mm512_mul_ps(x[2 * i + 1], factor)));
    _mm512_storeu_si512(static_cast<__m512i *>(pairs) + i,
                        _mm512_inserti64x4(_mm512_castsi256_si512(low), high, 1));
  }
}

/// What rounds a row whose largest magnitude is `largest` to integers of
/// at most `limit`: the factor to multiply it by, and the scale that takes
/// the integers back (both 0 for a row of zeros).
struct Rounding {
  __m512 factor;
  float scale;
  Rounding(float largest, int limit)
      : factor(_mm512_set1_ps(largest > 0.0f ? limit / largest : 0.0f)), scale(largest / limit) {}
};

/// roundToPairs with the factor that makes the largest magnitude `limit`;
/// returns the scale that takes the integers back.
inline float roundToPairs(const __m512 *x, int pairRegs, int limit, void *pairs) {
  const Rounding rounding(largestMagnitude(x, 2 * pairRegs), limit);
  roundToPairs(x, pairRegs, rounding.factor, pairs);
  return rounding.scale;
}

/// Lane i: the largest lane of rows[i]. One transposition for 16 rows,
/// where a reduction each is a chain of shuffles that the weights of a
/// query would wait for.
inline __m512 largestLanes(const __m512 (&rows)[16]) {
  __m512i bits[16];
  for (int i = 0; i < 16; ++i)
    bits[i] = _mm512_castps_si512(rows[i]);
  transpose16(bits);
  __m512 largest = _mm512_castsi512_ps(bits[0]);
  for (int i = 1; i < 16; ++i)
    largest = _mm512_max_ps(largest, _mm512_castsi512_ps(bits[i]));
  return largest;
}

/// Per-thread scratch, grown to the largest head and block seen.
struct Scratch {
  /// The queries rounded: rows of headDim / 2 pairs, and each one's scale
  /// (times the score's scale and log2(e): scores come out in base 2).
  std::vector<int32_t> queries;
  std::vector<float> queryScales;
  /// The tile's keys, transposed: [pair j of dimensions][register r] holds
  /// dimensions 2j, 2j + 1 of positions 16r..16r + 15.
  std::vector<__m512i> keys;
  /// The tile's values: [pair k of positions][register c] holds dimensions
  /// 16c..16c + 15 of positions 2k and 2k + 1, interleaved.
  std::vector<__m512i> values;
  alignas(64) float keyScales[kPositions];
  alignas(64) float valueScales[kPositions];
  /// The tile's scores of each query (floats, base 2), then its rounded
  /// weights: [query][pair of positions].
  std::vector<float> scores;
  std::vector<int32_t> weights;
  std::vector<float> weightScales;
  /// Each query's running maximum score and denominator (a partial sum a
  /// lane); the maxima and weight scales padded to whole batches of 16.
  std::vector<float> maximum;
  std::vector<__m512> denominators;
  /// One position's rounded key, before the transposition: [position][pair register].
  std::vector<__m512i> keyRows;
};

/// Positions [first, first + kPositions) of the head's cache into the
/// scratch's tile, rounded; those at or past `end` as zeros.
void roundCacheTile(const uint16_t *keys, const uint16_t *values, size_t stride, int first, int end,
                    int headDim, int limit, Scratch &s) {
  const int regs = headDim / 16, pairRegs = headDim / 32;
  __m512 x[16]; // a row of up to 256 dimensions
  for (int i = 0; i < kPositions; ++i) {
    const int position = first + i;
    __m512i *row = &s.keyRows[static_cast<size_t>(i) * pairRegs];
    if (position >= end) {
      std::fill(row, row + pairRegs, _mm512_setzero_si512());
      s.keyScales[i] = 0.0f;
      continue;
    }
    const uint16_t *key = keys + static_cast<size_t>(position) * stride;
    for (int r = 0; r < regs; ++r)
      x[r] = _mm512_cvtph_ps(load256(key + 16 * r));
    s.keyScales[i] = roundToPairs(x, pairRegs, limit, row);
  }
  // 16 positions by 16 pairs at a time.
  for (int r = 0; r < kPositionRegs; ++r)
    for (int c = 0; c < pairRegs; ++c) {
      __m512i block[16];
      for (int n = 0; n < 16; ++n)
        block[n] = s.keyRows[static_cast<size_t>(16 * r + n) * pairRegs + c];
      transpose16(block);
      for (int n = 0; n < 16; ++n)
        s.keys[static_cast<size_t>(16 * c + n) * kPositionRegs + r] = block[n];
    }
  // Values: each position rounded to 32-bit integers, then two positions'
  // 16-bit halves side by side.
  for (int k = 0; k < kPairs; ++k) {
    __m512i rounded[2][16];
    for (int half = 0; half < 2; ++half) {
      const int i = 2 * k + half, position = first + i;
      if (position >= end) {
        std::fill(rounded[half], rounded[half] + regs, _mm512_setzero_si512());
        s.valueScales[i] = 0.0f;
        continue;
      }
      const uint16_t *value = values + static_cast<size_t>(position) * stride;
      for (int r = 0; r < regs; ++r)
        x[r] = _mm512_cvtph_ps(load256(value + 16 * r));
      const Rounding rounding(largestMagnitude(x, regs), kValueLimit);
      for (int r = 0; r < regs; ++r)
        rounded[half][r] = _mm512_cvtps_epi32(_mm512_mul_ps(x[r], rounding.factor));
      s.valueScales[i] = rounding.scale;
    }
    for (int r = 0; r < regs; ++r)
      s.values[static_cast<size_t>(k) * regs + r] =
          _mm512_or_si512(_mm512_and_si512(rounded[0][r], _mm512_set1_epi32(0xFFFF)),
                          _mm512_slli_epi32(rounded[1][r], 16));
  }
}

} // namespace

void vnniAttendF16Block(const float *queries, size_t queryStride, int queryCount,
                        const uint16_t *keys, const uint16_t *values, size_t stride, int firstCount,
                        int headDim, float scale, float *out, size_t outStride) {
  static thread_local Scratch s;
  const int regs = headDim / 16, pairRegs = headDim / 32, halfDim = headDim / 2;
  const int lastCount = firstCount + queryCount - 1;
  const int limit = keyLimit(headDim);
  s.queries.resize(static_cast<size_t>(queryCount) * halfDim);
  s.queryScales.resize(queryCount);
  s.keys.resize(static_cast<size_t>(halfDim) * kPositionRegs);
  s.values.resize(static_cast<size_t>(kPairs) * regs);
  s.keyRows.resize(static_cast<size_t>(kPositions) * pairRegs);
  s.scores.resize(static_cast<size_t>(queryCount) * kPositions);
  s.weights.resize(static_cast<size_t>(queryCount) * kPairs);
  s.weightScales.resize(queryCount + 16);
  s.maximum.assign(queryCount + 16, -INFINITY);
  s.denominators.assign(queryCount, _mm512_setzero_ps());
  const float base2 = scale * 1.44269504f;
  for (int q = 0; q < queryCount; ++q) {
    __m512 x[16];
    for (int r = 0; r < regs; ++r)
      x[r] = _mm512_loadu_ps(queries + q * queryStride + 16 * r);
    s.queryScales[q] = base2 * roundToPairs(x, pairRegs, limit, &s.queries[q * halfDim]);
    std::fill(out + q * outStride, out + q * outStride + headDim, 0.0f);
  }

  for (int first = 0; first < lastCount; first += kPositions) {
    const int end = std::min(lastCount, first + kPositions);
    // Query q sees positions below firstCount + q: the block's first
    // queries may end before this tile.
    const int seeing = std::max(0, first - firstCount + 1);
    roundCacheTile(keys, values, stride, first, end, headDim, limit, s);

    // Scores: a broadcast pair of a query's dimensions times a pair row of
    // the transposed keys, one integer per (query, position).
    inQueryGroups<kGroup>(seeing, queryCount, [&](auto size, int q) {
      constexpr int N = decltype(size)::value;
      __m512i acc[N][kPositionRegs];
      for (int i = 0; i < N; ++i)
        for (int r = 0; r < kPositionRegs; ++r)
          acc[i][r] = _mm512_setzero_si512();
      for (int j = 0; j < halfDim; ++j) {
        const __m512i *key = &s.keys[static_cast<size_t>(j) * kPositionRegs];
        for (int i = 0; i < N; ++i) {
          const __m512i pair = _mm512_set1_epi32(s.queries[(q + i) * halfDim + j]);
          for (int r = 0; r < kPositionRegs; ++r)
            acc[i][r] = _mm512_dpwssd_epi32(acc[i][r], pair, key[r]);
        }
      }
      for (int i = 0; i < N; ++i) {
        const __m512 queryScale = _mm512_set1_ps(s.queryScales[q + i]);
        for (int r = 0; r < kPositionRegs; ++r)
          _mm512_storeu_ps(&s.scores[(q + i) * kPositions + 16 * r],
                           _mm512_mul_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(acc[i][r]), queryScale),
                                         _mm512_loadu_ps(&s.keyScales[16 * r])));
      }
    });

    // Weights: the online softmax in floats, then each weight times its
    // position's value scale, rounded; 16 queries at a time, so that each
    // step's largest lanes come from one transposition.
    for (int q0 = seeing; q0 < queryCount; q0 += 16) {
      const int batch = std::min(16, queryCount - q0);
      __m512 rows[16];
      for (int i = 0; i < 16; ++i) {
        rows[i] = _mm512_set1_ps(-INFINITY);
        if (i >= batch)
          continue;
        float *row = &s.scores[(q0 + i) * kPositions];
        // Positions past the query's end score the lowest float: their
        // weight, powerOfTwo of about -2^128, is exactly 0.
        const int visible = std::min(firstCount + q0 + i, end) - first;
        for (int r = 0; visible < kPositions && r < kPositionRegs; ++r) {
          const int lanes = std::clamp(visible - 16 * r, 0, 16);
          _mm512_mask_storeu_ps(row + 16 * r, static_cast<__mmask16>(~((1u << lanes) - 1)),
                                _mm512_set1_ps(-FLT_MAX));
        }
        for (int r = 0; r < kPositionRegs; ++r)
          rows[i] = _mm512_max_ps(rows[i], _mm512_loadu_ps(row + 16 * r));
      }
      const __m512 previous = _mm512_loadu_ps(&s.maximum[q0]);
      const __m512 maximum = _mm512_max_ps(previous, largestLanes(rows));
      _mm512_storeu_ps(&s.maximum[q0], maximum);
      // A tile that raises a maximum shrinks what came before with it (on
      // the first tile, -inf, there is nothing yet).
      alignas(64) float rescales[16], maxima[16];
      _mm512_store_ps(rescales, powerOfTwo(_mm512_sub_ps(previous, maximum)));
      _mm512_store_ps(maxima, maximum);
      const __mmask16 raised = _mm512_cmp_ps_mask(maximum, previous, _CMP_GT_OQ) &
                               _mm512_cmp_ps_mask(previous, _mm512_set1_ps(-INFINITY), _CMP_NEQ_OQ);
      for (int i = 0; i < batch; ++i)
        if (raised >> i & 1) {
          const int q = q0 + i;
          const __m512 rescale = _mm512_set1_ps(rescales[i]);
          s.denominators[q] = _mm512_mul_ps(s.denominators[q], rescale);
          float *y = out + q * outStride;
          for (int d = 0; d < headDim; d += 16)
            _mm512_storeu_ps(y + d, _mm512_mul_ps(_mm512_loadu_ps(y + d), rescale));
        }
      for (int i = 0; i < 16; ++i) {
        rows[i] = _mm512_setzero_ps();
        if (i >= batch)
          continue;
        const int q = q0 + i;
        float *row = &s.scores[q * kPositions];
        const __m512 shift = _mm512_set1_ps(maxima[i]);
        for (int r = 0; r < kPositionRegs; ++r) {
          const __m512 p = powerOfTwo(_mm512_sub_ps(_mm512_loadu_ps(row + 16 * r), shift));
          s.denominators[q] = _mm512_add_ps(s.denominators[q], p);
          const __m512 weighted = _mm512_mul_ps(p, _mm512_loadu_ps(&s.valueScales[16 * r]));
          _mm512_storeu_ps(row + 16 * r, weighted);
          rows[i] = _mm512_max_ps(rows[i], weighted);
        }
      }
      const __m512 largest = largestLanes(rows);
      const __m512 factors =
          _mm512_maskz_div_ps(_mm512_cmp_ps_mask(largest, _mm512_setzero_ps(), _CMP_GT_OQ),
                              _mm512_set1_ps(kWeightLimit), largest);
      _mm512_storeu_ps(&s.weightScales[q0], _mm512_div_ps(largest, _mm512_set1_ps(kWeightLimit)));
      alignas(64) float factor[16];
      _mm512_store_ps(factor, factors);
      for (int i = 0; i < batch; ++i) {
        const float *row = &s.scores[(q0 + i) * kPositions];
        __m512 weighted[kPositionRegs];
        for (int r = 0; r < kPositionRegs; ++r)
          weighted[r] = _mm512_loadu_ps(row + 16 * r);
        roundToPairs(weighted, kPositionRegs / 2, _mm512_set1_ps(factor[i]),
                     &s.weights[static_cast<size_t>(q0 + i) * kPairs]);
      }
    }

    // Weighted values: a broadcast pair of weights times a pair row of the
    // values, 64 dimensions of kGroup queries at a time; each tile's
    // integers join the float output once.
    const int pairsSeen = (end - first + 1) / 2;
    for (int c0 = 0; c0 < regs; c0 += 4)
      inQueryGroups<kGroup>(seeing, queryCount, [&](auto size, int q) {
        constexpr int N = decltype(size)::value;
        __m512i acc[N][4];
        for (int i = 0; i < N; ++i)
          for (int c = 0; c < 4; ++c)
            acc[i][c] = _mm512_setzero_si512();
        for (int k = 0; k < pairsSeen; ++k) {
          const __m512i *value = &s.values[static_cast<size_t>(k) * regs + c0];
          for (int i = 0; i < N; ++i) {
            const __m512i pair = _mm512_set1_epi32(s.weights[(q + i) * kPairs + k]);
            for (int c = 0; c < 4; ++c)
              acc[i][c] = _mm512_dpwssd_epi32(acc[i][c], pair, value[c]);
          }
        }
        for (int i = 0; i < N; ++i) {
          const __m512 weightScale = _mm512_set1_ps(s.weightScales[q + i]);
          float *y = out + (q + i) * outStride + 16 * c0;
          for (int c = 0; c < 4; ++c)
            _mm512_storeu_ps(y + 16 * c, _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[i][c]), weightScale,
                                                         _mm512_loadu_ps(y + 16 * c)));
        }
      });
  }
  for (int q = 0; q < queryCount; ++q) {
    const __m512 total = _mm512_set1_ps(_mm512_reduce_add_ps(s.denominators[q]));
    float *y = out + q * outStride;
    for (int d = 0; d < headDim; d += 16)
      _mm512_storeu_ps(y + d, _mm512_div_ps(_mm512_loadu_ps(y + d), total));
  }
}

} // namespace optlm::lm

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif
