//===- KernelsTest.cpp - each kernel against dequantize-then-multiply -----===//

#include "lm/model/Kernels.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace optlm::lm;

namespace {

const TensorType kAllTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16,
                                TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_K,
                                TensorType::Q5_K, TensorType::Q6_K};

std::vector<float> randomVector(size_t n, uint64_t seed, float offset = 0.0f) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(offset, 1.0f);
  std::vector<float> values(n);
  for (float &value : values)
    value = normal(rng);
  return values;
}

std::vector<uint8_t> prepared(ActivationFormat format, const std::vector<float> &x) {
  int64_t n = static_cast<int64_t>(x.size());
  std::vector<uint8_t> activations(activationBytes(format, n));
  prepareActivations(format, x.data(), activations.data(), n);
  return activations;
}

/// Rows of `type` as `kernels` reads them (KernelSet::weightLayout).
std::vector<uint8_t> laidOutFor(const KernelSet &kernels, TensorType type,
                                std::vector<uint8_t> rows) {
  relayoutRows(type, WeightLayout::Natural, kernels.weightLayout(type), rows.data(), rows.size());
  return rows;
}

struct EncodedRow {
  std::vector<uint8_t> weights;
  std::vector<float> dequantizedWeights;
  /// The weights as `kernels` reads them.
  std::vector<uint8_t> weightsFor(const KernelSet &kernels, TensorType type) const {
    return laidOutFor(kernels, type, weights);
  }
  /// The activations as `kernels` reads them.
  std::vector<uint8_t> activations(const KernelSet &kernels, TensorType type) const {
    return prepared(kernels.activationFormat(type), x);
  }
  std::vector<float> x;
};

EncodedRow encode(TensorType type, const std::vector<float> &w, const std::vector<float> &x) {
  int64_t n = static_cast<int64_t>(w.size());
  EncodedRow row;
  row.weights.resize(rowBytes(type, n));
  quantizeRow(type, w.data(), row.weights.data(), n);
  row.dequantizedWeights.resize(n);
  dequantizeRow(type, row.weights.data(), row.dequantizedWeights.data(), n);
  row.x = x;
  return row;
}

/// The activations the kernels actually see, back in float.
std::vector<float> dequantizedActivations(ActivationFormat format, const uint8_t *data, int64_t n) {
  std::vector<float> x(n);
  if (format == ActivationFormat::Float) {
    std::copy_n(reinterpret_cast<const float *>(data), n, x.begin());
  } else if (format == ActivationFormat::Q8x32) {
    auto *blocks = reinterpret_cast<const ActivationBlock32 *>(data);
    for (int64_t i = 0; i < n; ++i)
      x[i] = blocks[i / 32].d * blocks[i / 32].qs[i % 32];
  } else {
    auto *blocks = reinterpret_cast<const ActivationBlock256 *>(data);
    for (int64_t i = 0; i < n; ++i) {
      int position = static_cast<int>(i % 256);
      int natural = format == ActivationFormat::Q8x256Woven ? wovenQuantSource(position) : position;
      x[(i / 256) * 256 + natural] = blocks[i / 256].d * blocks[i / 256].qs[position];
    }
  }
  return x;
}

double dot(const std::vector<float> &a, const std::vector<float> &b) {
  double sum = 0.0;
  for (size_t i = 0; i < a.size(); ++i)
    sum += static_cast<double>(a[i]) * b[i];
  return sum;
}

double norm(const std::vector<float> &a) { return std::sqrt(dot(a, a)); }

std::vector<const KernelSet *> availableKernelSets() {
  std::vector<const KernelSet *> sets = {&portableKernels()};
  if (cpuHasAVX2())
    sets.push_back(&avx2Kernels());
  if (cpuHasAVX512())
    sets.push_back(&avx512Kernels());
  if (cpuHasAMX())
    sets.push_back(&amxKernels());
  return sets;
}

class LmModelKernelTest : public ::testing::TestWithParam<TensorType> {};

// The kernel's integer arithmetic must equal the float product of the
// dequantized weights and the dequantized activations, up to float rounding.
TEST_P(LmModelKernelTest, MatchesDequantizeThenMultiply) {
  TensorType type = GetParam();
  const int64_t n = 1024;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    // A non-zero mean exercises the minimums and offsets of the formats.
    std::vector<float> w = randomVector(n, seed, seed % 3 == 0 ? 0.5f : 0.0f);
    std::vector<float> x = randomVector(n, seed + 1000);
    EncodedRow row = encode(type, w, x);
    for (const KernelSet *kernels : availableKernelSets()) {
      ActivationFormat format = kernels->activationFormat(type);
      std::vector<uint8_t> activations = row.activations(*kernels, type);
      std::vector<float> seen = dequantizedActivations(format, activations.data(), n);
      double expected = dot(row.dequantizedWeights, seen);
      // Rounding of n products of this magnitude.
      double tolerance = 1e-5 * norm(row.dequantizedWeights) * norm(seen) + 1e-6;
      float got =
          kernels->rowDot(type)(row.weightsFor(*kernels, type).data(), activations.data(), n);
      EXPECT_NEAR(got, expected, tolerance)
          << traits(type).name << " seed " << seed << " isa " << kernelIsaName(kernels->isa);
    }
  }
}

// Against the unquantized activations the only extra error is the 8-bit
// activation quantization: at most half a step (max/254) per element.
TEST_P(LmModelKernelTest, CloseToFloatActivations) {
  TensorType type = GetParam();
  const int64_t n = 512;
  std::vector<float> w = randomVector(n, 7);
  std::vector<float> x = randomVector(n, 8);
  EncodedRow row = encode(type, w, x);
  const KernelSet &kernels = kernelSet(KernelIsa::Best);
  double expected = dot(row.dequantizedWeights, x);
  double maxAbsX = 0.0;
  for (float value : x)
    maxAbsX = std::max(maxAbsX, static_cast<double>(std::fabs(value)));
  double tolerance = activationFormat(type) == ActivationFormat::Float
                         ? 1e-4 * norm(row.dequantizedWeights) * norm(x)
                         : norm(row.dequantizedWeights) * std::sqrt(double(n)) * maxAbsX / 254.0;
  float got = kernels.rowDot(type)(row.weightsFor(kernels, type).data(),
                                   row.activations(kernels, type).data(), n);
  EXPECT_NEAR(got, expected, tolerance) << traits(type).name;
}

// The vector sets compute the same integer sums as the portable one, so
// they differ from it only by float rounding.
TEST_P(LmModelKernelTest, VectorSetsMatchPortable) {
  std::vector<const KernelSet *> sets = availableKernelSets();
  if (sets.size() == 1)
    GTEST_SKIP() << "this CPU has no AVX2/FMA/F16C: only the portable kernels run";
  TensorType type = GetParam();
  const int64_t n = 4096;
  std::vector<float> w = randomVector(n, 11, 0.25f);
  std::vector<float> x = randomVector(n, 12);
  EncodedRow row = encode(type, w, x);
  float portable = portableKernels().rowDot(type)(
      row.weights.data(), row.activations(portableKernels(), type).data(), n);
  for (const KernelSet *kernels : sets) {
    float vector = kernels->rowDot(type)(row.weightsFor(*kernels, type).data(),
                                         row.activations(*kernels, type).data(), n);
    EXPECT_NEAR(vector, portable, 1e-4 * std::fabs(portable) + 1e-3)
        << "isa " << kernelIsaName(kernels->isa);
  }
}

// The prompt's tiles unpack a weight block once for several tokens and share
// a token's per-block work between rows; each (row, token) result must be
// exactly the single kernel's, whatever the tile's shape (rows and tokens
// not divisible by the kernels' groups, any start row; 16 and more of each
// reach the AMX tiles).
TEST_P(LmModelKernelTest, TileKernelMatchesSingleKernel) {
  TensorType type = GetParam();
  const int64_t n = 768;
  const int totalRows = 36;
  size_t bytesPerRow = rowBytes(type, n);
  std::vector<uint8_t> matrix(bytesPerRow * totalRows);
  for (int r = 0; r < totalRows; ++r) {
    std::vector<float> w = randomVector(n, 21 + r, 0.1f);
    quantizeRow(type, w.data(), matrix.data() + r * bytesPerRow, n);
  }
  const int maxTokens = 35;
  const std::vector<uint8_t> natural = matrix;
  for (const KernelSet *kernels : availableKernelSets()) {
    matrix = laidOutFor(*kernels, type, natural);
    ActivationFormat format = kernels->activationFormat(type);
    size_t stride = activationBytes(format, n);
    std::vector<uint8_t> activations(stride * maxTokens);
    for (int t = 0; t < maxTokens; ++t) {
      std::vector<float> x = randomVector(n, 100 + t);
      prepareActivations(format, x.data(), activations.data() + t * stride, n);
    }
    for (int first : {0, 3})
      for (int rows : {1, 4, 5, 8, 16, 33})
        for (int tokens : {1, 2, 3, 4, 5, 7, 9, 16, 17, 35}) {
          // Rows of the output are `outStride` apart, one more than the tile
          // is wide, so a write past a row's last column shows.
          const size_t outStride = rows + 1;
          std::vector<float> out(outStride * tokens, -1.0f);
          kernels->tileDot(type)(matrix.data() + first * bytesPerRow, bytesPerRow, rows,
                                 activations.data(), stride, tokens, n, out.data(), outStride);
          for (int t = 0; t < tokens; ++t) {
            for (int r = 0; r < rows; ++r)
              EXPECT_EQ(out[t * outStride + r],
                        kernels->rowDot(type)(matrix.data() + (first + r) * bytesPerRow,
                                              activations.data() + t * stride, n))
                  << traits(type).name << " rows " << first << "+" << rows << " tokens " << tokens
                  << " row " << r << " token " << t << " isa " << kernelIsaName(kernels->isa);
            EXPECT_EQ(out[t * outStride + rows], -1.0f) << "wrote past the tile";
          }
        }
  }
}

// Generation multiplies groups of rows at once; every row's result must be
// exactly the single-row kernel's, whatever the group sizes and however the
// threads split the rows (row counts not divisible by the grouping, starts
// anywhere in the matrix). Rows of both lengths: a set may group short rows
// and long ones differently (the AMX set's Q4_K and Q5_K rows of under 4 KiB
// go one by one).
TEST_P(LmModelKernelTest, RowsKernelMatchesSingleKernel) {
  TensorType type = GetParam();
  const int totalRows = 13;
  for (const int64_t n : {512, 8192}) {
    size_t bytesPerRow = rowBytes(type, n);
    std::vector<uint8_t> matrix(bytesPerRow * totalRows);
    for (int r = 0; r < totalRows; ++r) {
      std::vector<float> w = randomVector(n, 300 + r, r % 2 ? 0.3f : 0.0f);
      quantizeRow(type, w.data(), matrix.data() + r * bytesPerRow, n);
    }
    std::vector<float> x = randomVector(n, 400);
    const std::vector<uint8_t> natural = matrix;
    for (const KernelSet *kernels : availableKernelSets()) {
      matrix = laidOutFor(*kernels, type, natural);
      std::vector<uint8_t> activations = prepared(kernels->activationFormat(type), x);
      std::vector<float> single(totalRows);
      for (int r = 0; r < totalRows; ++r)
        single[r] = kernels->rowDot(type)(matrix.data() + r * bytesPerRow, activations.data(), n);
      for (int first = 0; first < 4; ++first)
        for (int rows = 0; first + rows <= totalRows; ++rows) {
          std::vector<float> out(rows + 1, -1.0f);
          kernels->rowsDot(type)(matrix.data() + first * bytesPerRow, bytesPerRow, rows,
                                 activations.data(), n, out.data());
          for (int r = 0; r < rows; ++r)
            EXPECT_EQ(out[r], single[first + r])
                << traits(type).name << " n " << n << " rows " << first << "+" << rows << " row "
                << r << " isa " << kernelIsaName(kernels->isa);
          EXPECT_EQ(out[rows], -1.0f) << "wrote past the last row";
        }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllTypes, LmModelKernelTest, ::testing::ValuesIn(kAllTypes),
                         [](const auto &info) { return std::string(traits(info.param).name); });

TEST(LmModelKernel, F16CacheKernelsMatchAcrossIsas) {
  const int n = 100; // not a multiple of 8: exercises the tails
  std::vector<float> x = randomVector(n, 3), values = randomVector(n, 4);
  for (const KernelSet *kernels : availableKernelSets()) {
    std::vector<uint16_t> halves(n);
    kernels->storeF16(values.data(), halves.data(), n);
    for (int i = 0; i < n; ++i)
      ASSERT_EQ(halves[i], floatToHalf(values[i])) << i;
    double expected = 0.0;
    for (int i = 0; i < n; ++i)
      expected += x[i] * halfToFloat(halves[i]);
    EXPECT_NEAR(kernels->dotF16(x.data(), halves.data(), n), expected, 1e-4);
    std::vector<float> y(n, 1.0f);
    kernels->axpyF16(0.5f, halves.data(), y.data(), n);
    for (int i = 0; i < n; ++i)
      EXPECT_NEAR(y[i], 1.0f + 0.5f * halfToFloat(halves[i]), 1e-6);
  }
}

// The feed-forward's activation against double precision on every set, for
// lengths with and without the vector sets' tails, and gates far enough out
// that exp(-gate) overflows to infinity or underflows to 0.
TEST(LmModelKernel, SwiGLUMatchesDoublePrecision) {
  for (int n : {1, 7, 16, 100}) {
    std::vector<float> gate = randomVector(n, 70 + n), up = randomVector(n, 80 + n);
    for (int i = 0; i < n; ++i)
      gate[i] *= 8.0f;
    if (n >= 16) {
      gate[3] = -200.0f;
      gate[9] = 200.0f;
    }
    for (const KernelSet *kernels : availableKernelSets()) {
      std::vector<float> out = gate;
      kernels->swiGLU(out.data(), up.data(), n);
      for (int i = 0; i < n; ++i) {
        double g = gate[i], expected = g / (1.0 + std::exp(-g)) * up[i];
        EXPECT_NEAR(out[i], expected, 1e-6 * (1.0 + std::abs(expected)))
            << kernelIsaName(kernels->isa) << " n " << n << " i " << i;
      }
    }
  }
}

// Attention of one head over the F16 cache against the same computation in
// double, for position counts around the AVX2 kernel's groups of four and
// the AMX set's tiles of 128, and head dimensions with and without 32-column
// blocks and 8-element tails.
TEST(LmModelKernel, AttendF16MatchesDoublePrecision) {
  for (int headDim : {64, 128, 44}) {
    const size_t stride = headDim + 24; // other heads between positions
    for (int count : {1, 2, 3, 4, 5, 8, 9, 33, 64, 65, 127, 128, 129, 200}) {
      std::vector<float> query = randomVector(headDim, 50 + count);
      std::vector<float> cache = randomVector(stride * count * 2, 60 + count);
      std::vector<uint16_t> keys(stride * count), values(stride * count);
      for (size_t i = 0; i < keys.size(); ++i) {
        keys[i] = floatToHalf(cache[i]);
        values[i] = floatToHalf(cache[keys.size() + i]);
      }
      float scale = 1.0f / std::sqrt(static_cast<float>(headDim));
      std::vector<double> scores(count), expected(headDim, 0.0);
      double maxScore = -1e300, total = 0.0;
      for (int p = 0; p < count; ++p) {
        double sum = 0.0;
        for (int i = 0; i < headDim; ++i)
          sum += static_cast<double>(query[i]) * halfToFloat(keys[p * stride + i]);
        scores[p] = scale * sum;
        maxScore = std::max(maxScore, scores[p]);
      }
      for (int p = 0; p < count; ++p)
        total += scores[p] = std::exp(scores[p] - maxScore);
      for (int p = 0; p < count; ++p)
        for (int i = 0; i < headDim; ++i)
          expected[i] += scores[p] / total * halfToFloat(values[p * stride + i]);
      for (const KernelSet *kernels : availableKernelSets()) {
        std::vector<float> scratch(count), out(headDim + 1, -7.0f);
        kernels->attendF16(query.data(), keys.data(), values.data(), stride, count, headDim, scale,
                           scratch.data(), out.data());
        for (int i = 0; i < headDim; ++i)
          EXPECT_NEAR(out[i], expected[i], 1e-5) << kernelIsaName(kernels->isa) << " headDim "
                                                 << headDim << " count " << count << " i " << i;
        EXPECT_EQ(out[headDim], -7.0f) << "wrote past the head";
        // A set with tile attention: the query as the last of a block that
        // takes the tiles. The AMX tiles keep queries and attention weights
        // to 16 bits (two BF16 parts; llama.cpp rounds both to F16's 11);
        // the AVX-512 set's integers (vnniAttendF16Block) round queries,
        // keys, values and weights to about 13 bits of each one's largest
        // element, within what F16 rounding of the queries and weights
        // alone gives on such data (up to 3.5e-4, docs/lm-runtime.md).
        const int tile = kernels->attentionTileQueries;
        if (tile == 0 || count < tile)
          continue;
        std::vector<float> block = randomVector(static_cast<size_t>(tile) * headDim, 90 + count);
        std::copy(query.begin(), query.end(), block.end() - headDim);
        std::vector<float> blockScratch(attentionScratchFloats(tile, count)),
            blockOut(static_cast<size_t>(tile) * headDim + 1, -7.0f);
        kernels->attendF16Block(block.data(), headDim, tile, keys.data(), values.data(), stride,
                                count - tile + 1, headDim, scale, blockScratch.data(),
                                blockOut.data(), headDim);
        const bool inIntegers =
            kernels->attendsBlockInIntegers && kernels->attendsBlockInIntegers(tile, headDim);
        const float *last = blockOut.data() + (tile - 1) * headDim;
        for (int i = 0; i < headDim; ++i)
          EXPECT_NEAR(last[i], expected[i], inIntegers ? 5e-4 : 4e-5)
              << kernelIsaName(kernels->isa) << " block, headDim " << headDim << " count " << count
              << " i " << i;
        EXPECT_EQ(blockOut.back(), -7.0f) << "wrote past the block";
      }
    }
  }
}

// The integer attention's sums stay within int32 at its rounding limits:
// queries and keys whose every element is its row's largest make each
// score's sum the largest there is, and an overflow would flip its sign.
// Positions alternate keys +2 and -2 (queries all 3): the weight lies on the
// + positions, so each output is their values' mean. A zero query weighs
// every position alike. Blocks span several tiles of 64 positions.
TEST(LmModelKernel, VNNIAttentionSumsStayInRange) {
  if (!cpuHasAVX512())
    GTEST_SKIP() << "no AVX-512 on this CPU";
  for (int headDim : {64, 128, 256}) {
    const int count = 200, queryCount = 16, firstCount = count - queryCount + 1;
    ASSERT_TRUE(vnniAttentionFits(queryCount, headDim));
    std::vector<uint16_t> keys(static_cast<size_t>(count) * headDim), values(keys.size());
    std::vector<float> valueFloats = randomVector(values.size(), 7);
    for (int p = 0; p < count; ++p)
      for (int i = 0; i < headDim; ++i) {
        keys[p * headDim + i] = floatToHalf(p % 2 == 0 ? 2.0f : -2.0f);
        values[p * headDim + i] = floatToHalf(valueFloats[p * headDim + i]);
      }
    for (float queryElement : {3.0f, 0.0f}) {
      std::vector<float> queries(static_cast<size_t>(queryCount) * headDim, queryElement);
      std::vector<float> out(queries.size());
      vnniAttendF16Block(queries.data(), headDim, queryCount, keys.data(), values.data(), headDim,
                         firstCount, headDim, 1.0f / std::sqrt(static_cast<float>(headDim)),
                         out.data(), headDim);
      for (int q = 0; q < queryCount; ++q) {
        const int seen = firstCount + q;
        for (int i = 0; i < headDim; ++i) {
          double sum = 0.0;
          int weighed = 0;
          for (int p = 0; p < seen; ++p)
            if (queryElement == 0.0f || p % 2 == 0) {
              sum += halfToFloat(values[p * headDim + i]);
              ++weighed;
            }
          ASSERT_NEAR(out[q * headDim + i], sum / weighed, 5e-4)
              << "headDim " << headDim << " query element " << queryElement << " query " << q
              << " i " << i;
        }
      }
    }
  }
}

// A block of tokens gives each exactly what attendF16 gives it alone, or in
// a set with tile attention, for blocks that take the tiles, exactly what
// any other such block gives it (bit for bit: the prompt's logits must not
// depend on how tokens are grouped), across tiles of positions, and writes
// nothing past any head.
TEST(LmModelKernel, AttendF16BlockIsAttendF16OnEachToken) {
  struct Case {
    int headDim, firstCount, queryCount;
  };
  const Case cases[] = {{128, 1, 1},    {128, 1, 2},     {128, 5, 3},   {64, 1, 32},
                        {44, 9, 7},     {7, 3, 4},       {128, 255, 3}, {128, 250, 32},
                        {128, 600, 5},  {100, 513, 9},   {128, 1, 40},  {44, 20, 12},
                        {128, 100, 64}, {128, 1000, 64}, {64, 3, 17},   {128, 70, 200}};
  for (const Case &c : cases) {
    const int lastCount = c.firstCount + c.queryCount - 1;
    const size_t stride = c.headDim + 24;
    const size_t queryStride = c.headDim + 8, outStride = c.headDim + 3;
    std::vector<float> queries = randomVector(queryStride * c.queryCount, 70 + lastCount);
    std::vector<float> cache = randomVector(stride * lastCount * 2, 80 + lastCount);
    std::vector<uint16_t> keys(stride * lastCount), values(stride * lastCount);
    for (size_t i = 0; i < keys.size(); ++i) {
      keys[i] = floatToHalf(cache[i]);
      values[i] = floatToHalf(cache[keys.size() + i]);
    }
    const float scale = 1.0f / std::sqrt(static_cast<float>(c.headDim));
    for (const KernelSet *kernels : availableKernelSets()) {
      // The scratch the contract promises, then a guard that must stay.
      const size_t scratchFloats = attentionScratchFloats(c.queryCount, lastCount);
      std::vector<float> scratch(scratchFloats + 64, -9.0f);
      std::vector<float> out(outStride * c.queryCount, -7.0f);
      kernels->attendF16Block(queries.data(), queryStride, c.queryCount, keys.data(), values.data(),
                              stride, c.firstCount, c.headDim, scale, scratch.data(), out.data(),
                              outStride);
      EXPECT_TRUE(std::all_of(scratch.begin() + scratchFloats, scratch.end(),
                              [](float x) { return x == -9.0f; }))
          << kernelIsaName(kernels->isa) << " wrote past the scratch, headDim " << c.headDim
          << " queries " << c.queryCount;
      const int tile = kernels->attentionTileQueries;
      const bool tiled = tile > 0 && c.queryCount >= tile;
      for (int q = 0; q < c.queryCount; ++q) {
        std::vector<float> single(attentionScratchFloats(std::max(tile, 1), lastCount)),
            alone(c.headDim);
        if (tiled) {
          // Blocks that take the tiles agree: the block of `tile` queries
          // that holds q.
          const int start = std::min(q, c.queryCount - tile);
          std::vector<float> other(outStride * tile);
          kernels->attendF16Block(queries.data() + start * queryStride, queryStride, tile,
                                  keys.data(), values.data(), stride, c.firstCount + start,
                                  c.headDim, scale, single.data(), other.data(), outStride);
          std::copy_n(other.begin() + (q - start) * outStride, c.headDim, alone.begin());
        } else {
          kernels->attendF16(queries.data() + q * queryStride, keys.data(), values.data(), stride,
                             c.firstCount + q, c.headDim, scale, single.data(), alone.data());
        }
        for (int i = 0; i < c.headDim; ++i)
          ASSERT_EQ(out[q * outStride + i], alone[i])
              << kernelIsaName(kernels->isa) << " headDim " << c.headDim << " count "
              << c.firstCount + q << " query " << q << " i " << i;
        for (size_t i = c.headDim; i < outStride; ++i)
          EXPECT_EQ(out[q * outStride + i], -7.0f) << "wrote past head " << q;
      }
    }
  }
}

// Activations round to nearest, ties to even (as lrintf does), like GGML.
TEST(LmModelKernel, ActivationQuantizationRoundsToNearestEven) {
  std::vector<float> x(32, 0.0f);
  x[0] = 127.0f; // scale 1: quants are the rounded values themselves
  const float halves[] = {-126.5f, -2.5f, -1.5f,  -0.5f,  0.5f, 1.5f, 2.5f,
                          3.49f,   3.51f, 126.5f, -0.49f, 7.0f, -7.0f};
  std::copy(std::begin(halves), std::end(halves), x.begin() + 1);
  ActivationBlock32 block;
  prepareActivations(ActivationFormat::Q8x32, x.data(), &block, 32);
  ASSERT_EQ(block.d, 1.0f);
  for (int i = 0; i < 32; ++i)
    EXPECT_EQ(block.qs[i], std::lrintf(x[i])) << "x = " << x[i];
}

TEST(LmModelKernel, ActivationQuantizationKeepsGroupSums) {
  std::vector<float> x = randomVector(512, 5);
  std::vector<ActivationBlock256> blocks(2);
  prepareActivations(ActivationFormat::Q8x256, x.data(), blocks.data(), 512);
  for (const ActivationBlock256 &block : blocks)
    for (int g = 0; g < 16; ++g) {
      int sum = 0;
      for (int i = 0; i < 16; ++i)
        sum += block.qs[16 * g + i];
      EXPECT_EQ(block.groupSums[g], sum);
    }
  // An all-zero block must not divide by zero.
  std::vector<float> zeros(32, 0.0f);
  ActivationBlock32 zeroBlock;
  prepareActivations(ActivationFormat::Q8x32, zeros.data(), &zeroBlock, 32);
  EXPECT_EQ(zeroBlock.d, 0.0f);
  EXPECT_EQ(zeroBlock.sum, 0);
}

// The woven order is a permutation of the natural one (the AVX2 kernels'
// woven weights are checked against it by every product above), and the
// block's scale and group sums stay those of the natural order.
TEST(LmModelKernel, WovenActivationsPermuteTheNaturalOnes) {
  std::vector<bool> seen(256, false);
  for (int p = 0; p < 256; ++p) {
    int source = wovenQuantSource(p);
    ASSERT_TRUE(source >= 0 && source < 256 && !seen[source]) << "position " << p;
    seen[source] = true;
  }
  // Consecutive pairs of a 128-quant half come from its four sub-blocks in turn.
  EXPECT_EQ(wovenQuantSource(0), 0);
  EXPECT_EQ(wovenQuantSource(1), 1);
  EXPECT_EQ(wovenQuantSource(2), 32);
  EXPECT_EQ(wovenQuantSource(4), 64);
  EXPECT_EQ(wovenQuantSource(6), 96);
  EXPECT_EQ(wovenQuantSource(8), 2);
  EXPECT_EQ(wovenQuantSource(128), 128);
  std::vector<float> x = randomVector(512, 9);
  std::vector<ActivationBlock256> natural(2), woven(2);
  prepareActivations(ActivationFormat::Q8x256, x.data(), natural.data(), 512);
  prepareActivations(ActivationFormat::Q8x256Woven, x.data(), woven.data(), 512);
  for (int b = 0; b < 2; ++b) {
    EXPECT_EQ(woven[b].d, natural[b].d);
    for (int g = 0; g < 16; ++g)
      EXPECT_EQ(woven[b].groupSums[g], natural[b].groupSums[g]);
    for (int p = 0; p < 256; ++p)
      EXPECT_EQ(woven[b].qs[p], natural[b].qs[wovenQuantSource(p)]) << "position " << p;
  }
}

// Woven rows read as the natural ones and go back to the bytes they came
// from; types without a woven layout are left alone. (That each quant sits
// where the woven activations hold its partner is what the AVX2 products
// above check.)
TEST(LmModelKernel, WovenWeightsPermuteTheNaturalOnes) {
  const int64_t n = 512;
  for (TensorType type : kAllTypes) {
    std::vector<float> w = randomVector(n, 31, 0.2f);
    std::vector<uint8_t> natural(rowBytes(type, n));
    quantizeRow(type, w.data(), natural.data(), n);
    std::vector<uint8_t> woven = natural;
    relayoutRows(type, WeightLayout::Natural, WeightLayout::Woven, woven.data(), woven.size());
    if (type != TensorType::Q4_K && type != TensorType::Q5_K) {
      EXPECT_EQ(woven, natural) << traits(type).name;
      continue;
    }
    EXPECT_NE(woven, natural) << traits(type).name;
    WeightMatrix matrix{type, WeightLayout::Woven, woven.data(), 1, n, woven.size()};
    std::vector<float> expected(n), got(n);
    dequantizeRow(type, natural.data(), expected.data(), n);
    dequantizeMatrixRow(matrix, 0, got.data());
    EXPECT_EQ(got, expected) << traits(type).name;
    // The same permutation as the definition (wovenQuantSource) gives,
    // whichever way relayoutRows made it (with AVX2 where the CPU has it).
    uint8_t sources[256];
    for (int p = 0; p < 256; ++p)
      sources[p] = static_cast<uint8_t>(wovenQuantSource(p));
    std::vector<uint8_t> permuted = natural;
    permuteQuants(type, permuted.data(), n, sources);
    EXPECT_EQ(woven, permuted) << traits(type).name;
    relayoutRows(type, WeightLayout::Woven, WeightLayout::Natural, woven.data(), woven.size());
    EXPECT_EQ(woven, natural) << traits(type).name;
  }
}

} // namespace
