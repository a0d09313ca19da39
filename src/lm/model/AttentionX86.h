//===- AttentionX86.h - attention over the F16 cache, any vector width -*- C++ -*-===//
//
// Included by KernelsAVX2.cpp (eight lanes) and KernelsAVX512.cpp (sixteen)
// after each has set its target attributes, like KernelsX86.h; each passes
// its own `Vec` traits (register type, lanes, loads, fused multiply-add,
// the reduction of four accumulators, exp), so the one algorithm below is
// compiled once per instruction set.
//
// A block of consecutive prompt tokens of one head reads the cache in tiles
// of positions (32 KiB of keys or values at 128 dimensions, 64 KiB converted
// to F32) that stay in cache while every query of the block uses them; each
// loaded and converted chunk of keys or values serves `Vec::QueryGroup`
// queries, or (with `Vec::ConvertTiles`) the block converts each tile to F32
// once. A score is one accumulator per (query, position) whatever the
// grouping, and an output element sums the positions in order, its running
// sum kept in the output between tiles: a token gets the same bits in a block
// of any size as alone (tested), so a prompt's logits do not depend on how its
// tokens are grouped.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/model/KernelsX86.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace optlm::lm::x86::attention {

template <class Vec> static inline float toFloat(uint16_t h) { return Vec::toFloat(h); }
template <class Vec> static inline float toFloat(float x) { return x; }

/// Positions [first, end) of the cache (`stride` apart) as rows of headDim
/// floats. Every F16 value is a float exactly, so a converted tile gives
/// the same scores and outputs as converting chunk by chunk.
template <class Vec>
static inline void convertTile(const uint16_t *cache, size_t stride, int first, int end,
                               int headDim, float *tile) {
  const int vectorDim = headDim - headDim % Vec::Lanes;
  for (int p = first; p < end; ++p) {
    const uint16_t *from = cache + static_cast<size_t>(p) * stride;
    float *to = tile + static_cast<size_t>(p - first) * headDim;
    int i = 0;
    for (; i < vectorDim; i += Vec::Lanes)
      Vec::store(to + i, Vec::load(from + i));
    for (; i < headDim; ++i)
      to[i] = Vec::toFloat(from[i]);
  }
}

/// With Vec::ConvertTiles, blocks of at least this many queries convert each
/// tile of keys and values to F32 once, instead of converting every chunk
/// once per query group: where F16 conversion is slow (a Zen-1-class core
/// retires about 0.4 256-bit vcvtph2ps per cycle) it bounds the block
/// otherwise. One token's attention (generation) would only pay for the
/// extra pass.
constexpr int kConvertedTileQueries = 8;

/// The four scores of positions p..p+3 (those below `end`) of `Q` queries:
/// one accumulator per (query, position). Each key chunk is loaded (and
/// converted, from F16) once for all queries. `keys` holds positions from
/// `first` on; positions past the last end read position `first` and are
/// dropped.
template <class Vec, int Q, typename Element>
static inline void scoreFour(const float *const (&query)[Q], const Element *keys, int first,
                             size_t stride, int p, const int (&end)[Q], int vectorDim, int headDim,
                             float scale, float *const (&rowScores)[Q]) {
  using Reg = typename Vec::Reg;
  const int last = end[Q - 1]; // the queries' ends ascend
  const Element *k[4];
  for (int j = 0; j < 4; ++j)
    k[j] = keys + static_cast<size_t>((p + j < last ? p + j : first) - first) * stride;
  Reg acc[Q][4];
  for (int q = 0; q < Q; ++q)
    for (int j = 0; j < 4; ++j)
      acc[q][j] = Vec::zero();
  for (int i = 0; i < vectorDim; i += Vec::Lanes) {
    Reg x[Q];
    for (int q = 0; q < Q; ++q)
      x[q] = Vec::load(query[q] + i);
    for (int j = 0; j < 4; ++j) {
      Reg key = Vec::load(k[j] + i);
      for (int q = 0; q < Q; ++q)
        acc[q][j] = Vec::fmadd(x[q], key, acc[q][j]);
    }
  }
  for (int q = 0; q < Q; ++q) {
    float four[4];
    Vec::sumFour(acc[q], four);
    for (int j = 0; j < 4 && p + j < end[q]; ++j) {
      float sum = four[j];
      for (int i = vectorDim; i < headDim; ++i)
        sum += query[q][i] * toFloat<Vec>(k[j][i]);
      rowScores[q][p + j] = scale * sum;
    }
  }
}

/// Adds positions [from, end[q]) of the values, weighted by each query's
/// scores, to each query's running output `y[q]`, in position order per
/// element. Positions below end[0] are shared: each value chunk is loaded
/// (and converted, from F16) once for all queries. `values` holds positions
/// from `from` on.
template <class Vec, int Q, typename Element>
static inline void addValues(const float *const (&weights)[Q], const Element *values, size_t stride,
                             int from, const int (&end)[Q], int headDim, float *const (&y)[Q]) {
  using Reg = typename Vec::Reg;
  constexpr int L = Vec::Lanes;
  auto valueRow = [&](int p) { return values + static_cast<size_t>(p - from) * stride; };
  const int shared = end[0];
  int column = 0;
  for (; column + 4 * L <= headDim; column += 4 * L) {
    Reg acc[Q][4];
    for (int q = 0; q < Q; ++q)
      for (int j = 0; j < 4; ++j)
        acc[q][j] = Vec::load(y[q] + column + L * j);
    for (int p = from; p < shared; ++p) {
      const Element *v = valueRow(p) + column;
      Reg weight[Q];
      for (int q = 0; q < Q; ++q)
        weight[q] = Vec::broadcast(weights[q][p]);
      for (int j = 0; j < 4; ++j) {
        Reg value = Vec::load(v + L * j);
        for (int q = 0; q < Q; ++q)
          acc[q][j] = Vec::fmadd(weight[q], value, acc[q][j]);
      }
    }
    for (int q = 1; q < Q; ++q)
      for (int p = std::max(from, shared); p < end[q]; ++p)
        for (int j = 0; j < 4; ++j)
          acc[q][j] = Vec::fmadd(Vec::broadcast(weights[q][p]),
                                 Vec::load(valueRow(p) + column + L * j), acc[q][j]);
    for (int q = 0; q < Q; ++q)
      for (int j = 0; j < 4; ++j)
        Vec::store(y[q] + column + L * j, acc[q][j]);
  }
  for (; column + L <= headDim; column += L)
    for (int q = 0; q < Q; ++q) {
      Reg acc = Vec::load(y[q] + column);
      for (int p = from; p < end[q]; ++p)
        acc = Vec::fmadd(Vec::broadcast(weights[q][p]), Vec::load(valueRow(p) + column), acc);
      Vec::store(y[q] + column, acc);
    }
  for (; column < headDim; ++column)
    for (int q = 0; q < Q; ++q) {
      float sum = y[q][column];
      for (int p = from; p < end[q]; ++p)
        sum += weights[q][p] * toFloat<Vec>(valueRow(p)[column]);
      y[q][column] = sum;
    }
}

/// Replaces scores[0, count) by exp(score - max score) and returns their
/// sum, a vector at a time with the vector exp of glibc's libmvec (within 4
/// ulp of expf). The last partial vector is masked, so a score's numerator
/// does not depend on where it falls in the row.
template <class Vec> static inline float softmaxNumerators(float *scores, int count) {
  using Reg = typename Vec::Reg;
  const int whole = count - count % Vec::Lanes;
  const int tail = count - whole;
  Reg maxima = Vec::broadcast(-INFINITY);
  for (int p = 0; p < whole; p += Vec::Lanes)
    maxima = Vec::max(maxima, Vec::load(scores + p));
  const Reg last = Vec::loadFirst(scores + whole, tail, -INFINITY);
  const Reg maxScore = Vec::broadcast(Vec::reduceMax(Vec::max(maxima, last)));
  Reg total = Vec::zero();
  for (int p = 0; p < whole; p += Vec::Lanes) {
    Reg numerators = Vec::exp(Vec::sub(Vec::load(scores + p), maxScore));
    Vec::store(scores + p, numerators);
    total = Vec::add(total, numerators);
  }
  if (tail > 0) {
    // The lanes past the row hold -inf - max = -inf, whose exp is 0.
    Reg numerators = Vec::exp(Vec::sub(last, maxScore));
    Vec::storeFirst(scores + whole, tail, numerators);
    total = Vec::add(total, numerators);
  }
  return Vec::reduceAdd(total);
}

/// Adds positions [first, end) of the values (`tileValues`, position first
/// at its start, `tileStride` apart) to the output of every query of a block
/// that sees them (query q sees positions below firstCount + q), weighted by
/// its row of weights (rowOf(q), indexed by position), Vec::QueryGroup
/// queries at a time.
template <class Vec, typename Element, class RowOf>
static inline void addValueTile(int queryCount, int firstCount, RowOf rowOf,
                                const Element *tileValues, size_t tileStride, int first, int end,
                                int headDim, float *out, size_t outStride) {
  inQueryGroups<Vec::QueryGroup>(0, queryCount, [&](auto size, int q) {
    constexpr int N = decltype(size)::value;
    const float *weights[N];
    float *y[N];
    int ends[N];
    for (int i = 0; i < N; ++i) {
      weights[i] = rowOf(q + i);
      y[i] = out + (q + i) * outStride;
      ends[i] = std::min(firstCount + q + i, end);
    }
    addValues<Vec, N>(weights, tileValues, tileStride, first, ends, headDim, y);
  });
}

/// KernelSet::attendF16Block for one instruction set: query q of the block
/// (at queries + q * queryStride, its output at out + q * outStride) sees
/// positions [0, firstCount + q).
template <class Vec>
static void attendF16Block(const float *queries, size_t queryStride, int queryCount,
                           const uint16_t *keys, const uint16_t *values, size_t stride,
                           int firstCount, int headDim, float scale, float *scores, float *out,
                           size_t outStride) {
  // A multiple of 4: tiles start where four-position passes do. 128 rather
  // than 256 positions: with blocks of 64 queries a 16k prompt ran about 4%
  // faster on a Zen-1-class core (512 KiB L2), and the AVX-512 development
  // machine measured both tile sizes alike (docs/benchmarks.md).
  constexpr int Tile = 128;
  constexpr int G = Vec::QueryGroup;
  const int lastCount = firstCount + queryCount - 1;
  const size_t row = static_cast<size_t>(lastCount);
  const int vectorDim = headDim - headDim % Vec::Lanes;
  auto rowOf = [&](int q) { return scores + q * row; };
  auto endsOf = [&](int q, int tileEnd, auto &end) {
    for (size_t i = 0; i < std::size(end); ++i)
      end[i] = std::min(firstCount + q + static_cast<int>(i), tileEnd);
  };

  // Where a block converts its tiles: one per thread, kept between calls.
  static thread_local std::vector<float> converted;
  const bool convertTiles = Vec::ConvertTiles && queryCount >= kConvertedTileQueries;
  if (convertTiles)
    converted.resize(static_cast<size_t>(Tile) * headDim);

  // pass(tile, tileEnd, positions, their stride) for each tile of the cache,
  // its positions where they are: in the cache (F16, `stride` apart) or
  // converted (F32, rows of headDim).
  auto eachTile = [&](const uint16_t *cache, auto pass) {
    for (int tile = 0; tile < lastCount; tile += Tile) {
      const int tileEnd = std::min(lastCount, tile + Tile);
      if (convertTiles) {
        convertTile<Vec>(cache, stride, tile, tileEnd, headDim, converted.data());
        pass(tile, tileEnd, converted.data(), static_cast<size_t>(headDim));
      } else {
        pass(tile, tileEnd, cache + static_cast<size_t>(tile) * stride, stride);
      }
    }
  };
  auto scoreTile = [&](int tile, int tileEnd, const auto *tileKeys, size_t tileStride) {
    inQueryGroups<G>(0, queryCount, [&](auto size, int q) {
      constexpr int N = decltype(size)::value;
      const float *query[N];
      float *rows[N];
      int end[N];
      for (int i = 0; i < N; ++i) {
        query[i] = queries + (q + i) * queryStride;
        rows[i] = rowOf(q + i);
      }
      endsOf(q, tileEnd, end);
      for (int p = tile; p < end[N - 1]; p += 4)
        scoreFour<Vec, N>(query, tileKeys, tile, tileStride, p, end, vectorDim, headDim, scale,
                          rows);
    });
  };
  eachTile(keys, scoreTile);
  for (int q = 0; q < queryCount; ++q) {
    const int count = firstCount + q;
    float total = softmaxNumerators<Vec>(rowOf(q), count);
    for (int p = 0; p < count; ++p)
      rowOf(q)[p] /= total;
    std::fill(out + q * outStride, out + q * outStride + headDim, 0.0f);
  }
  auto addTile = [&](int tile, int tileEnd, const auto *tileValues, size_t tileStride) {
    addValueTile<Vec>(queryCount, firstCount, rowOf, tileValues, tileStride, tile, tileEnd, headDim,
                      out, outStride);
  };
  eachTile(values, addTile);
}

/// KernelSet::attendF16: a block of one token.
template <class Vec>
static void attendF16(const float *query, const uint16_t *keys, const uint16_t *values,
                      size_t stride, int count, int headDim, float scale, float *scores,
                      float *out) {
  attendF16Block<Vec>(query, 0, 1, keys, values, stride, count, headDim, scale, scores, out, 0);
}

} // namespace optlm::lm::x86::attention
