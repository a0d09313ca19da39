//===- TensorTypes.cpp - GGML tensor types: traits and reference codecs ----===//
//
// The dequantizers follow GGML's definitions of each block format exactly;
// the quantizers are optlm's own: simple, deterministic, and built so that
// no value is clamped (scales are rounded up, never down), which gives the
// error bounds documented in docs/gguf.md and checked by the tests.
//
//===----------------------------------------------------------------------===//
#include "lm/gguf/TensorTypes.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace optlm::lm {

std::optional<TensorTypeTraits> tensorTypeTraits(uint32_t typeId) {
  switch (typeId) {
  case uint32_t(TensorType::F32):
    return TensorTypeTraits{"f32", 1, 4};
  case uint32_t(TensorType::F16):
    return TensorTypeTraits{"f16", 1, 2};
  case uint32_t(TensorType::BF16):
    return TensorTypeTraits{"bf16", 1, 2};
  case uint32_t(TensorType::Q4_0):
    return TensorTypeTraits{"q4_0", 32, sizeof(BlockQ4_0)};
  case uint32_t(TensorType::Q8_0):
    return TensorTypeTraits{"q8_0", 32, sizeof(BlockQ8_0)};
  case uint32_t(TensorType::Q4_K):
    return TensorTypeTraits{"q4_K", kSuperBlock, sizeof(BlockQ4_K)};
  case uint32_t(TensorType::Q5_K):
    return TensorTypeTraits{"q5_K", kSuperBlock, sizeof(BlockQ5_K)};
  case uint32_t(TensorType::Q6_K):
    return TensorTypeTraits{"q6_K", kSuperBlock, sizeof(BlockQ6_K)};
  }
  return std::nullopt;
}

TensorTypeTraits traits(TensorType type) {
  // Every enumerator is supported, so this only misses for a value cast from
  // an unchecked integer; answer with something that cannot divide by zero.
  if (auto found = tensorTypeTraits(uint32_t(type)))
    return *found;
  return TensorTypeTraits{"unknown", 1, 0};
}

size_t rowBytes(TensorType type, int64_t n) {
  TensorTypeTraits t = traits(type);
  return static_cast<size_t>(n / t.blockSize) * t.blockBytes;
}

// --- half and bfloat16 -------------------------------------------------------

float halfToFloat(f16_bits h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ff;
  uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000 | (mantissa << 13); // inf, or nan keeping its payload
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {
    // A subnormal half is mantissa * 2^-24: exact in float.
    float magnitude = std::ldexp(float(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  return std::bit_cast<float>(bits);
}

f16_bits floatToHalf(float f) {
  uint32_t x = std::bit_cast<uint32_t>(f);
  uint16_t sign = uint16_t((x >> 16) & 0x8000);
  uint32_t magnitude = x & 0x7fffffff;
  if (magnitude > 0x7f800000) // nan: keep it a quiet nan
    return sign | 0x7e00 | uint16_t((magnitude >> 13) & 0x3ff);
  // 65520 is half-way between 65504 (the largest half) and 65536, and ties
  // go to the even neighbour, which is infinity.
  if (magnitude >= 0x477ff000)
    return sign | 0x7c00;
  if (magnitude >= 0x38800000) { // normal half
    uint32_t rest = magnitude & 0x1fff;
    uint32_t h = (magnitude - (112u << 23)) >> 13;
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1)))
      ++h; // a carry into the exponent is the correctly rounded result
    return sign | uint16_t(h);
  }
  // Subnormal half: the result is round(f * 2^24) units of 2^-24. Up to and
  // including 2^-25 (a tie with zero) the answer is zero.
  if (magnitude <= 0x33000000)
    return sign;
  uint32_t exponent = magnitude >> 23;
  uint32_t full = (magnitude & 0x7fffff) | 0x800000;
  uint32_t shift = 126 - exponent;
  uint32_t h = full >> shift;
  uint32_t rest = full & ((1u << shift) - 1);
  uint32_t halfway = 1u << (shift - 1);
  if (rest > halfway || (rest == halfway && (h & 1)))
    ++h;
  return sign | uint16_t(h);
}

float bf16ToFloat(uint16_t b) { return std::bit_cast<float>(uint32_t(b) << 16); }

uint16_t floatToBf16(float f) {
  uint32_t x = std::bit_cast<uint32_t>(f);
  if ((x & 0x7fffffff) > 0x7f800000)
    return uint16_t((x >> 16) | 0x40); // quiet nan; truncation could make it inf
  x += 0x7fff + ((x >> 16) & 1);
  return uint16_t(x >> 16);
}

// --- shared helpers for the quantizers --------------------------------------

namespace {

/// The f16 value closest to v that is not below it, so that a scale stored
/// as f16 never shrinks (a smaller scale would clamp the largest values).
/// Scales beyond the f16 range saturate at the largest finite half: the
/// values they cover are then clamped, but stay finite.
f16_bits halfNotBelow(float v) {
  if (!(v < 65504.0f))
    return 0x7bff;
  f16_bits h = floatToHalf(v);
  if (halfToFloat(h) < v)
    ++h; // positive values: the next bit pattern is the next larger half
  return h;
}

/// Rounds to the nearest level in [low, high]. Clamping happens in float, so
/// that a huge quotient (a tiny scale, a saturated one) never reaches an
/// out-of-range float-to-int conversion.
int roundClamped(float v, int low, int high) {
  if (!(v >= float(low)))
    return low; // also catches nan
  if (v >= float(high))
    return high;
  return int(std::nearbyint(v));
}

int ceilClamped(float v, int low, int high) {
  if (!(v >= float(low)))
    return low;
  if (v >= float(high))
    return high;
  return std::min(high, int(std::ceil(v)));
}

float maxAbs(const float *x, int n) {
  float result = 0;
  for (int i = 0; i < n; ++i)
    result = std::max(result, std::fabs(x[i]));
  return result;
}

/// Values that are not finite cannot be represented by a scale; quantizing
/// them as zero keeps one bad weight from destroying its whole block.
float finiteOrZero(float v) { return std::isfinite(v) ? v : 0.0f; }

// K-quants pack eight 6-bit scales and eight 6-bit mins into 12 bytes: bytes
// 0-3 hold scales 0-3 and bytes 4-7 mins 0-3 (low 6 bits); scales and mins
// 4-7 keep their low 4 bits in bytes 8-11 and their high 2 bits in the top
// bits of bytes 0-3 and 4-7.
void unpackScaleMin(int j, const uint8_t *packed, uint8_t &scale, uint8_t &min) {
  if (j < 4) {
    scale = packed[j] & 63;
    min = packed[j + 4] & 63;
  } else {
    scale = (packed[j + 4] & 0xf) | ((packed[j - 4] >> 6) << 4);
    min = (packed[j + 4] >> 4) | ((packed[j] >> 6) << 4);
  }
}

void packScalesMins(const uint8_t scales[8], const uint8_t mins[8], uint8_t packed[12]) {
  std::memset(packed, 0, 12);
  for (int j = 0; j < 4; ++j) {
    packed[j] = scales[j] | uint8_t((scales[j + 4] >> 4) << 6);
    packed[j + 4] = mins[j] | uint8_t((mins[j + 4] >> 4) << 6);
    packed[j + 8] = uint8_t((scales[j + 4] & 0xf) | ((mins[j + 4] & 0xf) << 4));
  }
}

// --- dequantizers: GGML's definitions -----------------------------------------

void dequantizeQ4_0(const BlockQ4_0 *blocks, float *y, int64_t n) {
  for (int64_t b = 0; b < n / 32; ++b, y += 32) {
    float d = halfToFloat(blocks[b].d);
    for (int j = 0; j < 16; ++j) {
      y[j] = float(int(blocks[b].qs[j] & 0xf) - 8) * d;
      y[j + 16] = float(int(blocks[b].qs[j] >> 4) - 8) * d;
    }
  }
}

void dequantizeQ8_0(const BlockQ8_0 *blocks, float *y, int64_t n) {
  for (int64_t b = 0; b < n / 32; ++b, y += 32) {
    float d = halfToFloat(blocks[b].d);
    for (int j = 0; j < 32; ++j)
      y[j] = float(blocks[b].qs[j]) * d;
  }
}

void dequantizeQ6_K(const BlockQ6_K *blocks, float *y, int64_t n) {
  for (int64_t b = 0; b < n / kSuperBlock; ++b) {
    const BlockQ6_K &block = blocks[b];
    float d = halfToFloat(block.d);
    const uint8_t *ql = block.ql, *qh = block.qh;
    const int8_t *scales = block.scales;
    // Each half of 128 elements: 64 bytes of low nibbles, 32 bytes of high
    // bit pairs, and 8 scales (one per 16 elements).
    for (int half = 0; half < 2; ++half, y += 128, ql += 64, qh += 32, scales += 8) {
      for (int l = 0; l < 32; ++l) {
        int group = l / 16;
        int q1 = int((ql[l] & 0xf) | (((qh[l] >> 0) & 3) << 4)) - 32;
        int q2 = int((ql[l + 32] & 0xf) | (((qh[l] >> 2) & 3) << 4)) - 32;
        int q3 = int((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
        int q4 = int((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
        y[l] = d * float(scales[group]) * float(q1);
        y[l + 32] = d * float(scales[group + 2]) * float(q2);
        y[l + 64] = d * float(scales[group + 4]) * float(q3);
        y[l + 96] = d * float(scales[group + 6]) * float(q4);
      }
    }
  }
}

/// The 4- or 5-bit quants of a Q4_K/Q5_K block in element order (each 32
/// bytes of qs hold two sub-blocks, low nibbles then high; sub-block s takes
/// its fifth bits from bit s of every qh byte), and back.
template <class Block> void unpackQuants(const Block &block, uint8_t (&q)[kSuperBlock]) {
  for (int chunk = 0; chunk < 4; ++chunk)
    for (int l = 0; l < 32; ++l) {
      uint8_t byte = block.qs[32 * chunk + l];
      q[64 * chunk + l] = byte & 0xf;
      q[64 * chunk + 32 + l] = byte >> 4;
      if constexpr (std::is_same_v<Block, BlockQ5_K>) {
        q[64 * chunk + l] |= ((block.qh[l] >> (2 * chunk)) & 1) << 4;
        q[64 * chunk + 32 + l] |= ((block.qh[l] >> (2 * chunk + 1)) & 1) << 4;
      }
    }
}

template <class Block> void packQuants(const uint8_t (&q)[kSuperBlock], Block &block) {
  if constexpr (std::is_same_v<Block, BlockQ5_K>)
    std::memset(block.qh, 0, sizeof block.qh);
  for (int chunk = 0; chunk < 4; ++chunk)
    for (int l = 0; l < 32; ++l) {
      uint8_t low = q[64 * chunk + l], high = q[64 * chunk + 32 + l];
      block.qs[32 * chunk + l] = static_cast<uint8_t>((low & 0xf) | (high & 0xf) << 4);
      if constexpr (std::is_same_v<Block, BlockQ5_K>)
        block.qh[l] |=
            static_cast<uint8_t>((low >> 4) << (2 * chunk) | (high >> 4) << (2 * chunk + 1));
    }
}

/// Q4_K and Q5_K: sub-block s (elements 32s..32s+31) scaled and offset by
/// its own scale and minimum.
template <class Block> void dequantizeK4or5(const Block *blocks, float *y, int64_t n) {
  for (int64_t b = 0; b < n / kSuperBlock; ++b, y += kSuperBlock) {
    const Block &block = blocks[b];
    float d = halfToFloat(block.d), dmin = halfToFloat(block.dmin);
    uint8_t quants[kSuperBlock];
    unpackQuants(block, quants);
    for (int sub = 0; sub < 8; ++sub) {
      uint8_t scale, min;
      unpackScaleMin(sub, block.scales, scale, min);
      float scaled = d * scale, offset = dmin * min;
      for (int l = 0; l < 32; ++l)
        y[32 * sub + l] = scaled * float(quants[32 * sub + l]) - offset;
    }
  }
}

void dequantizeQ4_K(const BlockQ4_K *blocks, float *y, int64_t n) { dequantizeK4or5(blocks, y, n); }

void dequantizeQ5_K(const BlockQ5_K *blocks, float *y, int64_t n) { dequantizeK4or5(blocks, y, n); }

template <class Block>
void permuteK4or5(Block *blocks, int64_t n, const uint8_t (&source)[kSuperBlock]) {
  for (int64_t b = 0; b < n / kSuperBlock; ++b) {
    uint8_t before[kSuperBlock], after[kSuperBlock];
    unpackQuants(blocks[b], before);
    for (int p = 0; p < kSuperBlock; ++p)
      after[p] = before[source[p]];
    packQuants(after, blocks[b]);
  }
}

// --- quantizers: optlm's own -------------------------------------------------

void quantizeQ8_0(const float *x, BlockQ8_0 *blocks, int64_t n) {
  float values[32];
  for (int64_t b = 0; b < n / 32; ++b, x += 32) {
    for (int j = 0; j < 32; ++j)
      values[j] = finiteOrZero(x[j]);
    f16_bits dBits = halfNotBelow(maxAbs(values, 32) / 127.0f);
    float d = halfToFloat(dBits);
    blocks[b].d = dBits;
    for (int j = 0; j < 32; ++j)
      blocks[b].qs[j] = int8_t(d > 0 ? roundClamped(values[j] / d, -127, 127) : 0);
  }
}

/// Q4_0 offers 16 levels (-8..7): a scale of max/-8 uses all of them and
/// lands the largest value exactly, but clamps a value of the opposite sign
/// and equal size; max/7 is symmetric. Take whichever has the smaller worst
/// error, so the bound is that of the symmetric choice.
void quantizeQ4_0(const float *x, BlockQ4_0 *blocks, int64_t n) {
  float values[32];
  for (int64_t b = 0; b < n / 32; ++b, x += 32) {
    float extreme = 0;
    for (int j = 0; j < 32; ++j) {
      values[j] = finiteOrZero(x[j]);
      if (std::fabs(values[j]) > std::fabs(extreme))
        extreme = values[j];
    }
    float candidates[2] = {extreme / -8.0f, std::fabs(extreme) / 7.0f};
    float bestError = INFINITY;
    for (float candidate : candidates) {
      f16_bits dBits =
          candidate < 0 ? f16_bits(halfNotBelow(-candidate) | 0x8000) : halfNotBelow(candidate);
      float d = halfToFloat(dBits);
      BlockQ4_0 block{};
      block.d = dBits;
      float worst = 0;
      for (int j = 0; j < 32; ++j) {
        int q = d != 0 ? roundClamped(values[j] / d, -8, 7) : 0;
        worst = std::max(worst, std::fabs(float(q) * d - values[j]));
        uint8_t nibble = uint8_t(q + 8);
        block.qs[j % 16] |= j < 16 ? nibble : uint8_t(nibble << 4);
      }
      if (worst < bestError) {
        bestError = worst;
        blocks[b] = block;
      }
    }
  }
}

/// The scales and mins of one K-quant super-block with an affine format
/// value = d * scale * q - dmin * min, q in [0, levels].
struct AffineSuperBlock {
  f16_bits d = 0, dmin = 0;
  uint8_t scales[8] = {}, mins[8] = {};
  float subScale[8] = {}, subMin[8] = {}; // the effective d*scale, dmin*min
};

/// Chooses 6-bit mins first (rounded up, so that every sub-block's smallest
/// value is reachable) and then 6-bit scales (rounded up, so that its largest
/// value is reachable from that min): nothing is ever clamped, and each value
/// is off by at most half of its sub-block's effective scale.
AffineSuperBlock chooseAffineScales(const float *x, int levels) {
  float lows[8], highs[8];
  float largestMin = 0;
  for (int sub = 0; sub < 8; ++sub) {
    // The format subtracts a non-negative min, so the range always includes 0.
    float low = 0, high = 0;
    for (int l = 0; l < 32; ++l) {
      low = std::min(low, x[sub * 32 + l]);
      high = std::max(high, x[sub * 32 + l]);
    }
    lows[sub] = low;
    highs[sub] = high;
    largestMin = std::max(largestMin, -low);
  }
  AffineSuperBlock result;
  result.dmin = halfNotBelow(largestMin / 63.0f);
  float dmin = halfToFloat(result.dmin);
  float largestScale = 0;
  for (int sub = 0; sub < 8; ++sub) {
    int m = dmin > 0 ? ceilClamped(-lows[sub] / dmin, 0, 63) : 0;
    result.mins[sub] = uint8_t(m);
    result.subMin[sub] = dmin * float(m);
    largestScale = std::max(largestScale, (highs[sub] + result.subMin[sub]) / float(levels));
  }
  result.d = halfNotBelow(largestScale / 63.0f);
  float d = halfToFloat(result.d);
  for (int sub = 0; sub < 8; ++sub) {
    float needed = (highs[sub] + result.subMin[sub]) / float(levels);
    int s = d > 0 ? ceilClamped(needed / d, 0, 63) : 0;
    result.scales[sub] = uint8_t(s);
    result.subScale[sub] = d * float(s);
  }
  return result;
}

int affineLevel(float value, float scale, float min, int levels) {
  if (scale <= 0)
    return 0;
  return roundClamped((value + min) / scale, 0, levels);
}

/// Q4_K (levels 15) and Q5_K (31): each sub-block's affine levels, stored as
/// the format stores quants (packQuants).
template <class Block> void quantizeK4or5(const float *x, Block *blocks, int64_t n, int levels) {
  float values[kSuperBlock];
  for (int64_t b = 0; b < n / kSuperBlock; ++b, x += kSuperBlock) {
    for (int i = 0; i < kSuperBlock; ++i)
      values[i] = finiteOrZero(x[i]);
    AffineSuperBlock scales = chooseAffineScales(values, levels);
    Block &block = blocks[b];
    block = Block{};
    block.d = scales.d;
    block.dmin = scales.dmin;
    packScalesMins(scales.scales, scales.mins, block.scales);
    uint8_t quants[kSuperBlock];
    for (int i = 0; i < kSuperBlock; ++i)
      quants[i] = static_cast<uint8_t>(
          affineLevel(values[i], scales.subScale[i / 32], scales.subMin[i / 32], levels));
    packQuants(quants, block);
  }
}

void quantizeQ4_K(const float *x, BlockQ4_K *blocks, int64_t n) { quantizeK4or5(x, blocks, n, 15); }

void quantizeQ5_K(const float *x, BlockQ5_K *blocks, int64_t n) { quantizeK4or5(x, blocks, n, 31); }

/// Q6_K is symmetric: each sub-block of 16 gets an int8 scale, rounded up
/// like the K-quant affine scales, and values use q - 32 in [-31, 31].
void quantizeQ6_K(const float *x, BlockQ6_K *blocks, int64_t n) {
  float values[kSuperBlock];
  for (int64_t b = 0; b < n / kSuperBlock; ++b, x += kSuperBlock) {
    float subNeeded[16];
    float largest = 0;
    for (int i = 0; i < kSuperBlock; ++i)
      values[i] = finiteOrZero(x[i]);
    for (int sub = 0; sub < 16; ++sub) {
      subNeeded[sub] = maxAbs(values + sub * 16, 16) / 31.0f;
      largest = std::max(largest, subNeeded[sub]);
    }
    BlockQ6_K &block = blocks[b];
    block = BlockQ6_K{};
    block.d = halfNotBelow(largest / 127.0f);
    float d = halfToFloat(block.d);
    float subScale[16];
    for (int sub = 0; sub < 16; ++sub) {
      int s = d > 0 ? ceilClamped(subNeeded[sub] / d, 0, 127) : 0;
      block.scales[sub] = int8_t(s);
      subScale[sub] = d * float(s);
    }
    // Element i of a 128-element half sits at l = i % 32 in quarter i / 32:
    // quarters 0 and 2 use the low and high nibbles of ql[l], quarters 1 and 3
    // those of ql[l + 32]; the high bit pairs of all four share qh[l].
    for (int i = 0; i < kSuperBlock; ++i) {
      int sub = i / 16;
      int q = subScale[sub] > 0 ? roundClamped(values[i] / subScale[sub], -31, 31) : 0;
      unsigned biased = unsigned(q + 32);
      int half = i / 128, quarter = (i % 128) / 32, l = i % 32;
      uint8_t *ql = block.ql + half * 64 + (quarter % 2) * 32;
      uint8_t *qh = block.qh + half * 32;
      ql[l] |= quarter < 2 ? uint8_t(biased & 0xf) : uint8_t((biased & 0xf) << 4);
      qh[l] |= uint8_t((biased >> 4) << (2 * quarter));
    }
  }
}

} // namespace

void dequantizeRow(TensorType type, const void *src, float *dst, int64_t n) {
  switch (type) {
  case TensorType::F32:
    std::memcpy(dst, src, size_t(n) * sizeof(float));
    return;
  case TensorType::F16: {
    const auto *half = static_cast<const f16_bits *>(src);
    for (int64_t i = 0; i < n; ++i)
      dst[i] = halfToFloat(half[i]);
    return;
  }
  case TensorType::BF16: {
    const auto *brain = static_cast<const uint16_t *>(src);
    for (int64_t i = 0; i < n; ++i)
      dst[i] = bf16ToFloat(brain[i]);
    return;
  }
  case TensorType::Q4_0:
    return dequantizeQ4_0(static_cast<const BlockQ4_0 *>(src), dst, n);
  case TensorType::Q8_0:
    return dequantizeQ8_0(static_cast<const BlockQ8_0 *>(src), dst, n);
  case TensorType::Q4_K:
    return dequantizeQ4_K(static_cast<const BlockQ4_K *>(src), dst, n);
  case TensorType::Q5_K:
    return dequantizeQ5_K(static_cast<const BlockQ5_K *>(src), dst, n);
  case TensorType::Q6_K:
    return dequantizeQ6_K(static_cast<const BlockQ6_K *>(src), dst, n);
  }
}

void quantizeRow(TensorType type, const float *src, void *dst, int64_t n) {
  switch (type) {
  case TensorType::F32:
    std::memcpy(dst, src, size_t(n) * sizeof(float));
    return;
  case TensorType::F16: {
    auto *half = static_cast<f16_bits *>(dst);
    for (int64_t i = 0; i < n; ++i)
      half[i] = floatToHalf(src[i]);
    return;
  }
  case TensorType::BF16: {
    auto *brain = static_cast<uint16_t *>(dst);
    for (int64_t i = 0; i < n; ++i)
      brain[i] = floatToBf16(src[i]);
    return;
  }
  case TensorType::Q4_0:
    return quantizeQ4_0(src, static_cast<BlockQ4_0 *>(dst), n);
  case TensorType::Q8_0:
    return quantizeQ8_0(src, static_cast<BlockQ8_0 *>(dst), n);
  case TensorType::Q4_K:
    return quantizeQ4_K(src, static_cast<BlockQ4_K *>(dst), n);
  case TensorType::Q5_K:
    return quantizeQ5_K(src, static_cast<BlockQ5_K *>(dst), n);
  case TensorType::Q6_K:
    return quantizeQ6_K(src, static_cast<BlockQ6_K *>(dst), n);
  }
}

void permuteQuants(TensorType type, void *blocks, int64_t n, const uint8_t (&source)[256]) {
  if (type == TensorType::Q4_K)
    permuteK4or5(static_cast<BlockQ4_K *>(blocks), n, source);
  else if (type == TensorType::Q5_K)
    permuteK4or5(static_cast<BlockQ5_K *>(blocks), n, source);
  else
    assert(false && "only Q4_K and Q5_K blocks have a quant order to change");
}

} // namespace optlm::lm
