//===- TensorTypesTest.cpp - tensor types: conversions and block formats ---===//
#include "lm/gguf/TensorTypes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace optlm::lm;

namespace {

uint64_t nextRandom(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Roughly normal values (sum of four uniforms), scaled.
std::vector<float> randomValues(uint64_t seed, size_t n, float scale) {
  std::vector<float> values(n);
  for (float &v : values) {
    double sum = 0;
    for (int k = 0; k < 4; ++k)
      sum += double(nextRandom(seed) >> 11) * 0x1.0p-53 - 0.5;
    v = float(sum) * scale;
  }
  return values;
}

std::vector<float> roundTrip(TensorType type, const std::vector<float> &values) {
  std::vector<uint8_t> encoded(rowBytes(type, int64_t(values.size())));
  quantizeRow(type, values.data(), encoded.data(), int64_t(values.size()));
  std::vector<float> decoded(values.size());
  dequantizeRow(type, encoded.data(), decoded.data(), int64_t(values.size()));
  return decoded;
}

} // namespace

TEST(GGUFTensorTypes, TraitsFollowGGML) {
  struct Expected {
    TensorType type;
    uint32_t id;
    const char *name;
    int blockSize;
    size_t blockBytes;
  } table[] = {
      {TensorType::F32, 0, "f32", 1, 4},        {TensorType::F16, 1, "f16", 1, 2},
      {TensorType::Q4_0, 2, "q4_0", 32, 18},    {TensorType::Q8_0, 8, "q8_0", 32, 34},
      {TensorType::Q4_K, 12, "q4_K", 256, 144}, {TensorType::Q5_K, 13, "q5_K", 256, 176},
      {TensorType::Q6_K, 14, "q6_K", 256, 210}, {TensorType::BF16, 30, "bf16", 1, 2},
  };
  for (const Expected &e : table) {
    auto t = tensorTypeTraits(e.id);
    ASSERT_TRUE(t.has_value()) << e.name;
    EXPECT_EQ(t->name, e.name);
    EXPECT_EQ(t->blockSize, e.blockSize);
    EXPECT_EQ(t->blockBytes, e.blockBytes);
    EXPECT_EQ(uint32_t(e.type), e.id);
    EXPECT_EQ(ggmlTypeName(e.id), e.name);
  }
  for (uint32_t unsupported : {3u, 4u, 6u, 9u, 10u, 11u, 15u, 16u, 28u, 31u, 99u, 0xffffffffu})
    EXPECT_FALSE(tensorTypeTraits(unsupported).has_value()) << unsupported;
  EXPECT_EQ(ggmlTypeName(3), "q4_1");
  EXPECT_EQ(ggmlTypeName(11), "q3_K");
  EXPECT_EQ(ggmlTypeName(1000), "");
  EXPECT_EQ(rowBytes(TensorType::Q4_K, 4096), 16u * 144u);
  EXPECT_EQ(rowBytes(TensorType::F16, 10), 20u);
}

TEST(GGUFTensorTypes, HalfEdgeCases) {
  EXPECT_EQ(floatToHalf(0.0f), 0x0000);
  EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65519.0f), 0x7bff); // below the midpoint to 65536
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00); // the tie goes to even: infinity
  EXPECT_EQ(floatToHalf(1e10f), 0x7c00);
  EXPECT_EQ(floatToHalf(-INFINITY), 0xfc00);
  EXPECT_EQ(floatToHalf(INFINITY), 0x7c00);
  f16_bits nan = floatToHalf(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(nan & 0x7c00, 0x7c00);
  EXPECT_NE(nan & 0x03ff, 0);
  EXPECT_NE(floatToHalf(std::bit_cast<float>(0x7f800001u)) & 0x03ff, 0); // signalling nan stays nan
  EXPECT_EQ(floatToHalf(0x1.0p-14f), 0x0400);                            // smallest normal
  EXPECT_EQ(floatToHalf(0x1.0p-24f), 0x0001);                            // smallest subnormal
  EXPECT_EQ(floatToHalf(0x1.0p-25f), 0x0000); // tie between 0 and 2^-24: even is 0
  EXPECT_EQ(floatToHalf(0x1.000002p-25f), 0x0001);
  EXPECT_EQ(floatToHalf(0x3.0p-25f), 0x0002);        // 1.5 units: tie, even is 2
  EXPECT_EQ(floatToHalf(0x5.0p-25f), 0x0002);        // 2.5 units: tie, even is 2
  EXPECT_EQ(floatToHalf(0x1.ffcp-15f), 0x0400);      // tie: rounds up out of the subnormals
  EXPECT_EQ(floatToHalf(0x1.ffbp-15f), 0x03ff);      // the largest subnormal
  EXPECT_EQ(floatToHalf(1.0f + 0x1.0p-11f), 0x3c00); // tie, even mantissa
  EXPECT_EQ(floatToHalf(1.0f + 0x3.0p-11f), 0x3c02); // tie, rounds up to even
  EXPECT_EQ(floatToHalf(1.0f + 0x1.8p-11f), 0x3c01);
  EXPECT_EQ(halfToFloat(0x0001), 0x1.0p-24f);
  EXPECT_EQ(halfToFloat(0x03ff), 0x1.ff8p-15f);
  EXPECT_EQ(halfToFloat(0x7bff), 65504.0f);
  EXPECT_EQ(halfToFloat(0xfc00), -INFINITY);
  EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
  EXPECT_TRUE(std::signbit(halfToFloat(0x8000)));
}

TEST(GGUFTensorTypes, HalfRoundTripsEveryValue) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    float value = halfToFloat(f16_bits(bits));
    if (std::isnan(value)) {
      EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(value)))) << bits;
      continue;
    }
    ASSERT_EQ(floatToHalf(value), bits) << bits;
  }
}

TEST(GGUFTensorTypes, HalfRoundsToNearestEven) {
  // The compiler's own float -> _Float16 conversion rounds to nearest even:
  // use it as the oracle over random bit patterns of every magnitude.
  uint64_t state = 7;
  for (int i = 0; i < 2000000; ++i) {
    float value = std::bit_cast<float>(uint32_t(nextRandom(state)));
    if (std::isnan(value))
      continue;
    _Float16 oracle = static_cast<_Float16>(value);
    ASSERT_EQ(floatToHalf(value), std::bit_cast<uint16_t>(oracle)) << value;
  }
}

TEST(GGUFTensorTypes, BFloat16EdgeCases) {
  EXPECT_EQ(floatToBf16(1.0f), 0x3f80);
  EXPECT_EQ(floatToBf16(1.0f + 0x1.0p-8f), 0x3f80); // tie, even
  EXPECT_EQ(floatToBf16(1.0f + 0x3.0p-8f), 0x3f82); // tie, up to even
  EXPECT_EQ(floatToBf16(1.0f + 0x1.8p-8f), 0x3f81);
  EXPECT_EQ(floatToBf16(std::numeric_limits<float>::max()), 0x7f80); // rounds to inf
  EXPECT_EQ(floatToBf16(-INFINITY), 0xff80);
  EXPECT_EQ(floatToBf16(std::numeric_limits<float>::denorm_min()), 0x0000);
  EXPECT_EQ(floatToBf16(0x1.0p-133f), 0x0001); // bfloat16 keeps float's subnormals
  EXPECT_TRUE(std::isnan(bf16ToFloat(floatToBf16(std::bit_cast<float>(0x7f800001u)))));
  EXPECT_TRUE(std::isnan(bf16ToFloat(floatToBf16(std::numeric_limits<float>::quiet_NaN()))));
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    float value = bf16ToFloat(uint16_t(bits));
    if (!std::isnan(value))
      ASSERT_EQ(floatToBf16(value), bits);
  }
  uint64_t state = 11;
  for (int i = 0; i < 1000000; ++i) {
    float value = std::bit_cast<float>(uint32_t(nextRandom(state)));
    if (std::isnan(value))
      continue;
    // The two bfloat16 neighbours of value; the nearer one, or on a tie the
    // one with an even last bit, is the correctly rounded result (distances
    // are exact in double).
    uint32_t bits = std::bit_cast<uint32_t>(value);
    uint16_t below = uint16_t(bits >> 16), above = uint16_t(below + 1);
    double toBelow = std::fabs(double(value) - double(bf16ToFloat(below)));
    // Past the largest finite value, infinity stands where 2^128 would be.
    double aboveValue = std::isinf(bf16ToFloat(above)) ? std::copysign(0x1.0p128, double(value))
                                                       : double(bf16ToFloat(above));
    double toAbove = std::fabs(aboveValue - double(value));
    if ((bits & 0xffff) == 0)
      toAbove = INFINITY;
    uint16_t oracle = toBelow < toAbove   ? below
                      : toAbove < toBelow ? above
                                          : ((below & 1) ? above : below);
    ASSERT_EQ(floatToBf16(value), oracle) << value;
  }
}

// --- dequantizing hand-built blocks gives exactly the defined values --------

TEST(GGUFTensorTypes, DequantizeQ4_0Block) {
  BlockQ4_0 block;
  block.d = 0x3800; // 0.5
  for (int j = 0; j < 16; ++j)
    block.qs[j] = uint8_t(j | ((15 - j) << 4));
  float out[32];
  dequantizeRow(TensorType::Q4_0, &block, out, 32);
  for (int j = 0; j < 16; ++j) {
    EXPECT_EQ(out[j], float(j - 8) * 0.5f) << j;
    EXPECT_EQ(out[j + 16], float(7 - j) * 0.5f) << j;
  }
}

TEST(GGUFTensorTypes, DequantizeQ8_0Block) {
  BlockQ8_0 blocks[2];
  blocks[0].d = 0x3400; // 0.25
  blocks[1].d = 0xc000; // -2
  for (int j = 0; j < 32; ++j) {
    blocks[0].qs[j] = int8_t(j - 16);
    blocks[1].qs[j] = int8_t(j == 0 ? -128 : 127 - j);
  }
  float out[64];
  dequantizeRow(TensorType::Q8_0, blocks, out, 64);
  for (int j = 0; j < 32; ++j)
    EXPECT_EQ(out[j], float(j - 16) * 0.25f);
  EXPECT_EQ(out[32], 256.0f);
  EXPECT_EQ(out[33], -252.0f);
}

namespace {
// Scales and mins chosen so that sub-blocks 4-7 use the high-bit packing:
// scales 1 2 3 4 17 3 5 7, mins 5 6 7 8 34 4 6 8.
const uint8_t kPackedScales[12] = {0x41, 2, 3, 4, 0x85, 6, 7, 8, 0x21, 0x43, 0x65, 0x87};
} // namespace

TEST(GGUFTensorTypes, DequantizeQ4_KBlock) {
  BlockQ4_K block;
  block.d = 0x3c00;    // 1
  block.dmin = 0x3800; // 0.5
  std::memcpy(block.scales, kPackedScales, 12);
  for (int l = 0; l < 128; ++l)
    block.qs[l] = uint8_t(l);
  float out[256];
  dequantizeRow(TensorType::Q4_K, &block, out, 256);
  // Element i of sub-block s: byte (s / 2) * 32 + i % 32, low nibble for even s.
  EXPECT_EQ(out[0], 1 * 0 - 0.5f * 5);     // sub 0, qs[0] low = 0
  EXPECT_EQ(out[5], 1 * 5 - 0.5f * 5);     // sub 0, qs[5] low = 5
  EXPECT_EQ(out[33], 2 * 0 - 0.5f * 6);    // sub 1, qs[1] high = 0
  EXPECT_EQ(out[70], 3 * 6 - 0.5f * 7);    // sub 2, qs[38] = 0x26 low = 6
  EXPECT_EQ(out[120], 4 * 3 - 0.5f * 8);   // sub 3, qs[56] = 0x38 high = 3
  EXPECT_EQ(out[130], 17 * 2 - 0.5f * 34); // sub 4, qs[66] = 0x42 low = 2
  EXPECT_EQ(out[191], 3 * 5 - 0.5f * 4);   // sub 5, qs[95] = 0x5f high = 5
  EXPECT_EQ(out[200], 5 * 8 - 0.5f * 6);   // sub 6, qs[104] = 0x68 low = 8
  EXPECT_EQ(out[225], 7 * 6 - 0.5f * 8);   // sub 7, qs[97] = 0x61 high = 6
}

TEST(GGUFTensorTypes, DequantizeQ5_KBlock) {
  BlockQ5_K block;
  block.d = 0x3c00;
  block.dmin = 0x3800;
  std::memcpy(block.scales, kPackedScales, 12);
  for (int l = 0; l < 128; ++l)
    block.qs[l] = uint8_t(l);
  std::memset(block.qh, 0, 32);
  block.qh[1] = 0x80; // fifth bit of sub-block 7, position 1
  block.qh[6] = 0x04; // fifth bit of sub-block 2, position 6
  float out[256];
  dequantizeRow(TensorType::Q5_K, &block, out, 256);
  EXPECT_EQ(out[1], 1 * 1 - 0.5f * 5);
  EXPECT_EQ(out[33], 2 * 0 - 0.5f * 6);
  EXPECT_EQ(out[70], 3 * (6 + 16) - 0.5f * 7);
  EXPECT_EQ(out[130], 17 * 2 - 0.5f * 34);
  EXPECT_EQ(out[225], 7 * (6 + 16) - 0.5f * 8);
  EXPECT_EQ(out[161], 3 * 4 - 0.5f * 4); // sub 5, qs[65] = 0x41 high; qh[1] bit 5 clear
}

TEST(GGUFTensorTypes, DequantizeQ6_KBlock) {
  BlockQ6_K block;
  block.d = 0x3800; // 0.5
  for (int l = 0; l < 128; ++l)
    block.ql[l] = uint8_t(l);
  std::memset(block.qh, 0, 64);
  block.qh[5] = 0xe4; // bit pairs 00, 01, 10, 11 for the four quarters
  for (int s = 0; s < 16; ++s)
    block.scales[s] = int8_t(s + 1);
  block.scales[3] = -2;
  float out[256];
  dequantizeRow(TensorType::Q6_K, &block, out, 256);
  // Element i: half i/128, quarter (i%128)/32, l = i%32; low 4 bits from
  // ql[half*64 + l + 32*(quarter odd)] (high nibble for quarters 2, 3), high 2
  // bits from qh[half*32 + l] >> 2*quarter, scale scales[i/16].
  EXPECT_EQ(out[5], 0.5f * 1 * (5 - 32));
  EXPECT_EQ(out[37], 0.5f * 3 * ((5 | 16) - 32));
  EXPECT_EQ(out[69], 0.5f * 5 * ((0 | 32) - 32));
  EXPECT_EQ(out[101], 0.5f * 7 * ((2 | 48) - 32));
  EXPECT_EQ(out[53], 0.5f * -2 * (5 - 32));
  EXPECT_EQ(out[133], 0.5f * 9 * (5 - 32));
  EXPECT_EQ(out[255], 0.5f * 16 * ((0x7f >> 4) - 32)); // ql[127] high nibble
}

// --- quantize -> dequantize stays within the documented bounds ----------------

namespace {

/// The bound of docs/gguf.md for element i of values, given the whole row.
float errorBound(TensorType type, const std::vector<float> &values, size_t i) {
  auto block = [&](size_t size) {
    size_t start = i / size * size;
    return std::vector<float>(values.begin() + start, values.begin() + start + size);
  };
  auto amax = [](const std::vector<float> &v) {
    float m = 0;
    for (float x : v)
      m = std::max(m, std::fabs(x));
    return m;
  };
  auto range = [](const std::vector<float> &v) {
    float low = 0, high = 0;
    for (float x : v) {
      low = std::min(low, x);
      high = std::max(high, x);
    }
    return high - low;
  };
  const float slack = 1e-6f; // for scales in f16's subnormal range
  switch (type) {
  case TensorType::F32:
    return 0;
  case TensorType::F16:
    return std::fabs(values[i]) * 0x1.0p-11f + 0x1.0p-25f;
  case TensorType::BF16:
    return std::fabs(values[i]) * 0x1.0p-8f;
  case TensorType::Q8_0:
    return amax(block(32)) / 254.0f * 1.002f + slack;
  case TensorType::Q4_0:
    return amax(block(32)) / 14.0f * 1.002f + slack;
  case TensorType::Q4_K:
    return range(block(256)) * 1.05f / 30.0f + slack;
  case TensorType::Q5_K:
    return range(block(256)) * 1.05f / 62.0f + slack;
  case TensorType::Q6_K:
    return amax(block(256)) / 61.0f + slack;
  }
  return 0;
}

void expectWithinBounds(TensorType type, const std::vector<float> &values, const char *what) {
  std::vector<float> decoded = roundTrip(type, values);
  for (size_t i = 0; i < values.size(); ++i) {
    float error = std::fabs(decoded[i] - values[i]);
    ASSERT_LE(error, errorBound(type, values, i))
        << traits(type).name << " " << what << " element " << i << ": " << values[i]
        << " came back as " << decoded[i];
  }
}

const TensorType kAllTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16,
                                TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_K,
                                TensorType::Q5_K, TensorType::Q6_K};

} // namespace

TEST(GGUFTensorTypes, RoundTripErrorWithinDocumentedBounds) {
  const size_t n = 4 * 256;
  for (TensorType type : kAllTypes) {
    for (uint64_t seed : {1, 2, 3})
      expectWithinBounds(type, randomValues(seed, n, 0.05f), "random");
    expectWithinBounds(type, randomValues(4, n, 300.0f), "large");
    expectWithinBounds(type, randomValues(5, n, 1e-4f), "tiny");
    expectWithinBounds(type, std::vector<float>(n, 0.0f), "zeros");
    expectWithinBounds(type, std::vector<float>(n, 0.75f), "constant");
    expectWithinBounds(type, std::vector<float>(n, -3.0f), "negative constant");
    std::vector<float> outliers = randomValues(6, n, 0.01f);
    outliers[17] = 40.0f;
    outliers[300] = -25.0f;
    expectWithinBounds(type, outliers, "outliers");
    std::vector<float> positive = randomValues(7, n, 1.0f);
    for (float &v : positive)
      v = std::fabs(v) + 2.0f;
    expectWithinBounds(type, positive, "all positive");
  }
}

TEST(GGUFTensorTypes, QuantizedRoundTripIsAccurateOnAverage) {
  // Typical relative RMS error on normally distributed weights, loose enough
  // to be robust and tight enough to catch a quantizer wasting its levels.
  const std::pair<TensorType, double> limits[] = {{TensorType::Q8_0, 0.008},
                                                  {TensorType::Q6_K, 0.03},
                                                  {TensorType::Q5_K, 0.055},
                                                  {TensorType::Q4_K, 0.11},
                                                  {TensorType::Q4_0, 0.12}};
  std::vector<float> values = randomValues(42, 64 * 256, 0.02f);
  for (auto [type, limit] : limits) {
    std::vector<float> decoded = roundTrip(type, values);
    double errorSquares = 0, valueSquares = 0;
    for (size_t i = 0; i < values.size(); ++i) {
      errorSquares += double(decoded[i] - values[i]) * (decoded[i] - values[i]);
      valueSquares += double(values[i]) * values[i];
    }
    EXPECT_LT(std::sqrt(errorSquares / valueSquares), limit) << traits(type).name;
  }
}

TEST(GGUFTensorTypes, NonFiniteInputsQuantizeToFiniteBlocks) {
  std::vector<float> values = randomValues(9, 256, 1.0f);
  values[3] = std::numeric_limits<float>::quiet_NaN();
  values[100] = INFINITY;
  values[200] = -INFINITY;
  for (TensorType type :
       {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K}) {
    std::vector<float> decoded = roundTrip(type, values);
    for (size_t i = 0; i < decoded.size(); ++i)
      ASSERT_TRUE(std::isfinite(decoded[i])) << traits(type).name << " " << i;
    EXPECT_EQ(decoded[3], decoded[3]);
    EXPECT_NEAR(decoded[5], values[5], 0.2f) << traits(type).name;
  }
}

TEST(GGUFTensorTypes, HugeValuesSaturateInsteadOfOverflowing) {
  std::vector<float> values(256, 1e9f);
  values[0] = -1e9f;
  for (TensorType type :
       {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K}) {
    std::vector<float> decoded = roundTrip(type, values);
    for (float v : decoded)
      ASSERT_TRUE(std::isfinite(v)) << traits(type).name;
  }
}

TEST(GGUFTensorTypes, QuantizationIsDeterministic) {
  std::vector<float> values = randomValues(10, 512, 0.3f);
  for (TensorType type : kAllTypes) {
    std::vector<uint8_t> first(rowBytes(type, 512)), second(rowBytes(type, 512));
    quantizeRow(type, values.data(), first.data(), 512);
    quantizeRow(type, values.data(), second.data(), 512);
    EXPECT_EQ(first, second) << traits(type).name;
  }
}
