//===- AttentionAMX.cpp - the attention over the F16 cache on the AMX unit -===//
//
// AMX-BF16's tdpbf16ps multiplies a tile of 16 x 32 BF16 with one of 32 x 16
// into 16 x 16 floats: 8,192 multiply-adds, where an AVX-512 FMA does 16. A
// BF16 has 8 significant bits, so every operand is split in two, x = high +
// low (high = x's upper half, a BF16; low = x - high rounded to BF16): an
// F16 key or value (11 bits) exactly, a float query or attention weight to
// 16 bits.
// Each product is high.high + low.high + high.low (the low.low term is below
// 2^-16 of it): three tile products, so the queries and weights are kept to
// about 16 bits, where llama.cpp rounds both to F16 (11 bits).
//
// A block of queries walks the cache in tiles of 128 positions, each tile's
// keys and values converted (and the keys transposed into the unit's layout)
// once for every group of 16 queries of the block. The softmax is online: a
// query keeps its running maximum, denominator and unnormalized output, and
// rescales them when a tile raises the maximum, so no row of scores wider
// than a tile is ever stored (a 16k prompt's rows would not stay in cache).
// The unit makes one group's scores while the vector units turn the previous
// group's into weights.
//
// Every step is per query row and per tile of positions aligned to 0, so a
// query gets the same bits in any block of at least kAMXAttentionQueries
// (tested): positions past its own end are masked to a weight of exactly 0,
// which leaves its maximum, denominator and output unchanged bit for bit.
// Smaller blocks, a generated token's among them, take the AVX-512 kernel:
// a tile of one query pays the whole conversion of the cache for 1/16 of
// the unit's work (5.7 against 20 G multiply-adds a second at 4k
// positions; the tiles win from about 10 queries on).
//
//===----------------------------------------------------------------------===//

#include "lm/model/Kernels.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__linux__)
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__clang__)
#pragma clang attribute push(                                                                      \
    __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512bf16,amx-tile,"  \
                          "amx-bf16"))),                                                           \
    apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512bf16,amx-tile,amx-bf16")
#endif

#include "lm/model/KernelsX86.h"
#include "lm/model/TilesAMX.h"

namespace optlm::lm {
namespace {

using namespace x86;

/// Positions per tile of the cache: eight tiles of scores (16 positions
/// each, two passes of the four accumulators), four of weights (32 each).
/// With the cache tiles read past the first-level cache (tileloaddt1,
/// below), tiles of 128 ran the kernel 10% faster than tiles of 64 at 16k
/// positions on one thread (1-4% at 4k), and the 7B model's 16k prompt on
/// two threads at 55.5 against 53.9 tok/s; loaded normally, they had read
/// that prompt slower (48.3-49.8 against 50.3-52.2).
constexpr int kPositions = 128;
/// Subtiles of 16 positions (a tile of scores), halves of 32 (of weights).
constexpr int kSubtiles = kPositions / 16, kHalves = kPositions / 32;
/// Queries per group: the rows of a tile, and the fewest a block that
/// takes the tiles has.
constexpr int kGroup = kAMXAttentionQueries;

/// The tile registers: four accumulators (of scores: four subtiles of 16
/// positions; of the output: four columns of 16 dimensions), the two parts of
/// the left operand (queries, or attention weights) and of the right one
/// (keys, or values). The four accumulators share each loaded left operand:
/// two tile loads for every three products. The converted cache tile (128
/// KiB) is read with tileloaddt1, which leaves it out of the first-level
/// cache: it would not fit there anyway, and loaded normally it evicts the
/// queries, weights and outputs that do (4-6% at 16k positions).
enum Tile : int { kPartHigh = 4, kPartLow = 5, kCacheHigh = 6, kCacheLow = 7 };
constexpr int kAccumulators = 4;

/// fn(std::integral_constant<int, T>()) for each accumulator T: tile
/// instructions take their registers as immediates.
template <class Fn> inline void forEachAccumulator(Fn fn) {
  [&]<int... T>(std::integer_sequence<int, T...>) { (fn(std::integral_constant<int, T>()), ...); }
  (std::make_integer_sequence<int, kAccumulators>());
}

/// Accumulator C += left . right for both parts of each: high.high +
/// low.high + high.low.
template <int C> inline void multiplySplit() {
  _tile_dpbf16ps(C, kPartHigh, kCacheHigh);
  _tile_dpbf16ps(C, kPartLow, kCacheHigh);
  _tile_dpbf16ps(C, kPartHigh, kCacheLow);
}

/// Each 32-bit lane's upper half: a float's BF16 high part.
inline __m512i upperHalves() { return _mm512_set1_epi32(static_cast<int>(0xFFFF0000u)); }

/// 32 floats (first: elements 0-15, second: 16-31) as 32 BF16 high parts
/// (each float's upper half: truncated) and 32 low parts (the rest, rounded
/// to nearest), in element order. An F16 value (11 significant bits) splits
/// exactly, its rest having at most 3; any other float keeps 16 bits.
inline void splitBF16(__m512 first, __m512 second, __m512i &high, __m512i &low) {
  const __m512i upper = upperHalves();
  const __m512i upperWords =
      _mm512_set_epi16(63, 61, 59, 57, 55, 53, 51, 49, 47, 45, 43, 41, 39, 37, 35, 33, 31, 29, 27,
                       25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
  const __m512i firstHigh = _mm512_and_si512(_mm512_castps_si512(first), upper);
  const __m512i secondHigh = _mm512_and_si512(_mm512_castps_si512(second), upper);
  high = _mm512_permutex2var_epi16(firstHigh, upperWords, secondHigh);
  low = reinterpret_cast<__m512i>(
      _mm512_cvtne2ps_pbh(_mm512_sub_ps(second, _mm512_castsi512_ps(secondHigh)),
                          _mm512_sub_ps(first, _mm512_castsi512_ps(firstHigh))));
}

/// Two F16 values' floats (16 each) as 16 dwords of BF16 pairs [a_i, b_i],
/// both parts: high = the upper halves, low = the rest, exact in a BF16
/// (at most 3 significant bits), so no rounding and no permutation: a
/// shift and a bitwise select per part.
inline void interleaveSplitF16(__m512 a, __m512 b, __m512i &high, __m512i &low) {
  const __m512i upper = upperHalves();
  // (x & upper) | y: ternary logic's truth table for (A & B) | C.
  constexpr int kAndOr = 0xEA;
  const __m512i aBits = _mm512_castps_si512(a), bBits = _mm512_castps_si512(b);
  high = _mm512_ternarylogic_epi32(bBits, upper, _mm512_srli_epi32(aBits, 16), kAndOr);
  const __m512i aLow =
      _mm512_castps_si512(_mm512_sub_ps(a, _mm512_castsi512_ps(_mm512_and_si512(aBits, upper))));
  const __m512i bLow =
      _mm512_castps_si512(_mm512_sub_ps(b, _mm512_castsi512_ps(_mm512_and_si512(bBits, upper))));
  low = _mm512_ternarylogic_epi32(bLow, upper, _mm512_srli_epi32(aLow, 16), kAndOr);
}

/// One BF16 tile operand: 16 rows of 64 bytes.
struct alignas(64) TileBytes {
  __m512i rows[16];
};

/// A tile of the cache as the unit reads it, both parts of each element.
struct CacheTile {
  /// Keys, transposed: [subtile s of 16 positions][chunk c of 32 dimensions]
  /// is tdpbf16ps's right operand: row k holds dimensions 32c + 2k, 2k + 1 of
  /// each of the 16 positions.
  std::vector<TileBytes> keysHigh, keysLow;
  /// Values: [half h of 32 positions][16 dimensions j]: row k holds
  /// dimensions 16j..16j + 15 of positions 32h + 2k and 2k + 1, interleaved.
  std::vector<TileBytes> valuesHigh, valuesLow;
};

/// Positions [first, first + kPositions) of the head's cache as `tile`;
/// those at or past `end` (not yet written) as zeros.
void convertCacheTile(const uint16_t *keys, const uint16_t *values, size_t stride, int first,
                      int end, int headDim, CacheTile &tile) {
  const int chunks = headDim / 32, columns = headDim / 16;
  // Keys: the F16 pairs of 16 positions transposed first (one transposition
  // instead of one per part), then split in place: each row of the result
  // is already the unit's row of pairs.
  for (int s = 0; s < kSubtiles; ++s)
    for (int c = 0; c < chunks; ++c) {
      __m512i pairs[16];
      for (int n = 0; n < 16; ++n) {
        const int position = first + 16 * s + n;
        pairs[n] = position < end ? _mm512_loadu_si512(keys + position * stride + 32 * c)
                                  : _mm512_setzero_si512();
      }
      transpose16(pairs);
      for (int k = 0; k < 16; ++k)
        splitBF16(_mm512_cvtph_ps(_mm512_castsi512_si256(pairs[k])),
                  _mm512_cvtph_ps(_mm512_extracti64x4_epi64(pairs[k], 1)),
                  tile.keysHigh[s * chunks + c].rows[k], tile.keysLow[s * chunks + c].rows[k]);
    }
  // Values: two positions' parts side by side, [a0 b0 a1 b1 ...].
  auto element = [&](int position, int i) {
    return position < end ? _mm512_cvtph_ps(load256(values + position * stride + i))
                          : _mm512_setzero_ps();
  };
  for (int h = 0; h < kHalves; ++h)
    for (int k = 0; k < 16; ++k) {
      const int position = first + 32 * h + 2 * k;
      for (int j = 0; j < columns; ++j)
        interleaveSplitF16(element(position, 16 * j), element(position + 1, 16 * j),
                           tile.valuesHigh[h * columns + j].rows[k],
                           tile.valuesLow[h * columns + j].rows[k]);
    }
}

/// Per-thread scratch, grown to the largest head and block seen.
struct Scratch {
  CacheTile cache;
  /// The queries' two parts, rows of headDim BF16, padded to whole groups.
  std::vector<uint16_t> queriesHigh, queriesLow;
  /// Each query's running maximum score.
  std::vector<float> maximum;
  /// Each query's running softmax denominator, in 16 partial sums (one per
  /// lane: summed once, at the end).
  std::vector<__m512> denominators;
  /// Each query's running output (not yet divided by the denominator),
  /// rows of headDim, padded to whole groups: the tiles accumulate into it.
  std::vector<float> outputs;
  /// Two groups' scores: one group's are made while the other's are read.
  alignas(64) float scores[2][kGroup][kPositions];
  /// The weights' two parts: [half of the tile][query] rows of 32 BF16.
  TileBytes weightsHigh[kHalves], weightsLow[kHalves];
};

/// Heads whose dimension is a multiple of 64 (a tile's depth is 32
/// dimensions, four accumulators' width 64) run on tiles; others, and
/// blocks of fewer than kAMXAttentionQueries queries, get the AVX-512 set's
/// attention.
bool tilesFit(int headDim) { return headDim % (16 * kAccumulators) == 0; }

void attendBlockOnTiles(const float *queries, size_t queryStride, int queryCount,
                        const uint16_t *keys, const uint16_t *values, size_t stride, int firstCount,
                        int headDim, float scale, float *out, size_t outStride) {
  static thread_local Scratch scratch;
  const int chunks = headDim / 32, columns = headDim / 16;
  const int groups = (queryCount + kGroup - 1) / kGroup;
  const int lastCount = firstCount + queryCount - 1;
  CacheTile &cache = scratch.cache;
  cache.keysHigh.resize(static_cast<size_t>(kSubtiles) * chunks);
  cache.keysLow.resize(cache.keysHigh.size());
  cache.valuesHigh.resize(static_cast<size_t>(kHalves) * columns);
  cache.valuesLow.resize(cache.valuesHigh.size());
  const size_t paddedQueries = static_cast<size_t>(groups) * kGroup;
  // Only the padding rows need zeros: the loop below writes the others.
  scratch.queriesHigh.resize(paddedQueries * headDim);
  scratch.queriesLow.resize(paddedQueries * headDim);
  std::fill(scratch.queriesHigh.begin() + queryCount * headDim, scratch.queriesHigh.end(), 0);
  std::fill(scratch.queriesLow.begin() + queryCount * headDim, scratch.queriesLow.end(), 0);
  scratch.maximum.assign(queryCount, -INFINITY);
  scratch.denominators.assign(queryCount, _mm512_setzero_ps());
  scratch.outputs.assign(paddedQueries * headDim, 0.0f);
  // The scores come out in base 2 (scale * log2(e) * q.k) for powerOfTwo.
  const __m512 scaling = _mm512_set1_ps(scale * 1.44269504f);
  for (int q = 0; q < queryCount; ++q) {
    const float *query = queries + q * queryStride;
    for (int c = 0; c < chunks; ++c) {
      __m512i high, low;
      splitBF16(_mm512_mul_ps(scaling, _mm512_loadu_ps(query + 32 * c)),
                _mm512_mul_ps(scaling, _mm512_loadu_ps(query + 32 * c + 16)), high, low);
      _mm512_storeu_si512(&scratch.queriesHigh[q * headDim + 32 * c], high);
      _mm512_storeu_si512(&scratch.queriesLow[q * headDim + 32 * c], low);
    }
  }

  amx::configureTiles({{0, kGroup, 64},
                       {1, kGroup, 64},
                       {2, kGroup, 64},
                       {3, kGroup, 64},
                       {kPartHigh, kGroup, 64},
                       {kPartLow, kGroup, 64},
                       {kCacheHigh, 16, 64},
                       {kCacheLow, 16, 64}});
  const size_t queryRowBytes = static_cast<size_t>(headDim) * sizeof(uint16_t);
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  // A group's scores: two passes of the four accumulators over the tile's
  // subtiles. `between` runs after every second product step (16 times a
  // group), where the caller puts the vector work of another group.
  auto scoreGroup = [&](int g, float(*scores)[kPositions], auto &&between) {
    const uint16_t *queryHigh = &scratch.queriesHigh[g * kGroup * headDim];
    const uint16_t *queryLow = &scratch.queriesLow[g * kGroup * headDim];
    for (int s0 = 0; s0 < kSubtiles; s0 += kAccumulators) {
      forEachAccumulator([](auto s) { _tile_zero(decltype(s)::value); });
      for (int c = 0; c < chunks; ++c) {
        _tile_loadd(kPartHigh, queryHigh + 32 * c, queryRowBytes);
        _tile_loadd(kPartLow, queryLow + 32 * c, queryRowBytes);
        forEachAccumulator([&](auto s) {
          _tile_stream_loadd(kCacheHigh, cache.keysHigh[(s0 + s) * chunks + c].rows, 64);
          _tile_stream_loadd(kCacheLow, cache.keysLow[(s0 + s) * chunks + c].rows, 64);
          multiplySplit<decltype(s)::value>();
          if constexpr (decltype(s)::value % 2 == 1)
            between();
        });
      }
      forEachAccumulator([&](auto s) {
        _tile_stored(decltype(s)::value, &scores[0][16 * (s0 + s)], sizeof(scores[0]));
      });
    }
  };
  // Query q0 + i's weights over the tile starting at `first` from its
  // scores, and its running maximum, denominator and output rescaled.
  auto softmaxRow = [&](int first, int q0, int i, const float(*scores)[kPositions]) {
    const int q = q0 + i;
    // Positions first + 16k + lane below the query's end count.
    const int visible = firstCount + q - first;
    __m512 x[kSubtiles], p[kSubtiles];
    // Which lanes of each subtile the query sees: only on its last tile.
    __mmask16 seen[kSubtiles];
    if (visible >= kPositions) {
      for (int k = 0; k < kSubtiles; ++k)
        x[k] = _mm512_load_ps(&scores[i][16 * k]);
    } else {
      for (int k = 0; k < kSubtiles; ++k) {
        seen[k] = _mm512_cmplt_epi32_mask(_mm512_add_epi32(lane, _mm512_set1_epi32(16 * k)),
                                          _mm512_set1_epi32(visible));
        x[k] = _mm512_mask_load_ps(_mm512_set1_ps(-INFINITY), seen[k], &scores[i][16 * k]);
      }
    }
    __m512 maxima = x[0];
    for (int k = 1; k < kSubtiles; ++k)
      maxima = _mm512_max_ps(maxima, x[k]);
    const float previous = scratch.maximum[q];
    float maximum = previous;
    if (_mm512_cmp_ps_mask(maxima, _mm512_set1_ps(previous), _CMP_GT_OQ)) {
      maximum = _mm512_reduce_max_ps(maxima);
      // On the first tile (previous -inf) 0, for a denominator and an
      // output still 0.
      const __m512 rescale = _mm512_set1_ps(std::exp2(previous - maximum));
      scratch.denominators[q] = _mm512_mul_ps(scratch.denominators[q], rescale);
      float *y = &scratch.outputs[q * headDim];
      for (int d = 0; d < headDim; d += 16)
        _mm512_storeu_ps(y + d, _mm512_mul_ps(_mm512_loadu_ps(y + d), rescale));
      scratch.maximum[q] = maximum;
    }
    // Unseen positions (score -inf) get NaN from powerOfTwo: 0 for them.
    const __m512 shift = _mm512_set1_ps(maximum);
    for (int k = 0; k < kSubtiles; ++k) {
      p[k] = powerOfTwo(_mm512_sub_ps(x[k], shift));
      if (visible < kPositions)
        p[k] = _mm512_maskz_mov_ps(seen[k], p[k]);
    }
    __m512 sum = p[0];
    for (int k = 1; k < kSubtiles; ++k)
      sum = _mm512_add_ps(sum, p[k]);
    scratch.denominators[q] = _mm512_add_ps(scratch.denominators[q], sum);
    for (int h = 0; h < kHalves; ++h)
      splitBF16(p[2 * h], p[2 * h + 1], scratch.weightsHigh[h].rows[i],
                scratch.weightsLow[h].rows[i]);
  };
  // The group's outputs accumulate in the tiles, 4 x 16 dimensions at a
  // time.
  auto outputGroup = [&](int g) {
    float *outputs = &scratch.outputs[g * kGroup * headDim];
    const size_t outputRowBytes = static_cast<size_t>(headDim) * sizeof(float);
    for (int j0 = 0; j0 < columns; j0 += kAccumulators) {
      forEachAccumulator([&](auto j) {
        _tile_loadd(decltype(j)::value, outputs + 16 * (j0 + j), outputRowBytes);
      });
      for (int h = 0; h < kHalves; ++h) {
        _tile_loadd(kPartHigh, scratch.weightsHigh[h].rows, 64);
        _tile_loadd(kPartLow, scratch.weightsLow[h].rows, 64);
        forEachAccumulator([&](auto j) {
          _tile_stream_loadd(kCacheHigh, cache.valuesHigh[h * columns + j0 + j].rows, 64);
          _tile_stream_loadd(kCacheLow, cache.valuesLow[h * columns + j0 + j].rows, 64);
          multiplySplit<decltype(j)::value>();
        });
      }
      forEachAccumulator([&](auto j) {
        _tile_stored(decltype(j)::value, outputs + 16 * (j0 + j), outputRowBytes);
      });
    }
  };
  for (int first = 0; first < lastCount; first += kPositions) {
    convertCacheTile(keys, values, stride, first, lastCount, headDim, cache);
    // Groups see more positions the later they come: those that reach this
    // tile are the last ones, from g0 on. The last group always does.
    int g0 = 0;
    while (first >= firstCount + g0 * kGroup + std::min(kGroup, queryCount - g0 * kGroup) - 1)
      ++g0;
    // The unit computes group g + 1's scores while the vector units turn
    // group g's scores into weights: the two do not wait for each other.
    scoreGroup(g0, scratch.scores[g0 % 2], [] {});
    for (int g = g0; g < groups; ++g) {
      const int q0 = g * kGroup;
      const int count = std::min(kGroup, queryCount - q0);
      // A share of the next tile's keys and values, from memory into cache
      // while this group computes (a long prompt's cache is far larger than
      // the caches: 8.6 GB for a 7B model at 16k positions).
      {
        const int next = first + kPositions, share = (kPositions + groups - 1) / groups;
        const int begin = std::min(lastCount, next + g * share);
        const int end = std::min({lastCount, next + (g + 1) * share, next + kPositions});
        for (int position = begin; position < end; ++position)
          for (int i = 0; i < headDim; i += 32) {
            _mm_prefetch(reinterpret_cast<const char *>(keys + position * stride + i), _MM_HINT_T0);
            _mm_prefetch(reinterpret_cast<const char *>(values + position * stride + i),
                         _MM_HINT_T0);
          }
      }
      const float(*scores)[kPositions] = scratch.scores[g % 2];
      int row = 0;
      if (g + 1 < groups)
        scoreGroup(g + 1, scratch.scores[(g + 1) % 2], [&] {
          if (row < count)
            softmaxRow(first, q0, row++, scores);
        });
      for (; row < count; ++row)
        softmaxRow(first, q0, row, scores);
      outputGroup(g);
    }
  }
  _tile_release();
  for (int q = 0; q < queryCount; ++q) {
    const __m512 denominator = _mm512_set1_ps(_mm512_reduce_add_ps(scratch.denominators[q]));
    for (int d = 0; d < headDim; d += 16)
      _mm512_storeu_ps(
          out + q * outStride + d,
          _mm512_div_ps(_mm512_loadu_ps(&scratch.outputs[q * headDim + d]), denominator));
  }
}

/// Blocks the tiles leave to the AVX-512 set: heads they do not fit, and
/// blocks too small to pay for a tile's conversion.
bool onAVX512(int queryCount, int headDim) {
  return !tilesFit(headDim) || queryCount < kAMXAttentionQueries;
}

} // namespace

bool amxAttendsBlockInIntegers(int queryCount, int headDim) {
  const KernelSet &avx512 = avx512Kernels();
  return onAVX512(queryCount, headDim) && avx512.attendsBlockInIntegers &&
         avx512.attendsBlockInIntegers(queryCount, headDim);
}

void amxAttendF16Block(const float *queries, size_t queryStride, int queryCount,
                       const uint16_t *keys, const uint16_t *values, size_t stride, int firstCount,
                       int headDim, float scale, float *scores, float *out, size_t outStride) {
  if (onAVX512(queryCount, headDim))
    return avx512Kernels().attendF16Block(queries, queryStride, queryCount, keys, values, stride,
                                          firstCount, headDim, scale, scores, out, outStride);
  attendBlockOnTiles(queries, queryStride, queryCount, keys, values, stride, firstCount, headDim,
                     scale, out, outStride);
}

} // namespace optlm::lm

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else

namespace optlm::lm {
void amxAttendF16Block(const float *, size_t, int, const uint16_t *, const uint16_t *, size_t, int,
                       int, float, float *, float *, size_t) {}
bool amxAttendsBlockInIntegers(int, int) { return false; }
} // namespace optlm::lm

#endif
