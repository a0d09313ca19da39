//===- KernelsPortable.cpp - the kernels in plain C++ ---------------------===//
//
// Integer sums per block, one float multiply-add per block: the same
// arithmetic as the AVX2 kernels, written for any CPU. Block layouts are
// documented in lm/gguf/TensorTypes.h.
//
//===----------------------------------------------------------------------===//

#include "lm/model/KScales.h"
#include "lm/model/Kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

namespace optlm::lm {
namespace {

/// Every half converted once (256 KiB): the conversion is a table lookup in
/// the F16 weight and KV cache loops rather than a call per element.
const float *halfTable() {
  static const std::unique_ptr<float[]> table = [] {
    std::unique_ptr<float[]> values(new float[65536]);
    for (uint32_t h = 0; h < 65536; ++h)
      values[h] = halfToFloat(static_cast<f16_bits>(h));
    return values;
  }();
  return table.get();
}

/// BF16 is the top half of an F32.
inline float bf16Value(uint16_t b) {
  uint32_t bits = static_cast<uint32_t>(b) << 16;
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

/// Sum of convert(w[i]) * x[i] with eight independent partial sums, so that
/// the additions pipeline (and vectorize) without reassociation by the compiler.
template <typename Weight, typename Convert>
float floatDot(const Weight *w, const float *x, int64_t n, Convert convert) {
  float partial[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j)
      partial[j] += convert(w[i + j]) * x[i + j];
  float sum = ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
              ((partial[4] + partial[5]) + (partial[6] + partial[7]));
  for (; i < n; ++i)
    sum += convert(w[i]) * x[i];
  return sum;
}

float dotF32(const void *weightRow, const void *activations, int64_t n) {
  return floatDot(static_cast<const float *>(weightRow), static_cast<const float *>(activations), n,
                  [](float value) { return value; });
}

float dotF16(const void *weightRow, const void *activations, int64_t n) {
  const float *half = halfTable();
  return floatDot(static_cast<const f16_bits *>(weightRow), static_cast<const float *>(activations),
                  n, [half](f16_bits value) { return half[value]; });
}

float dotBF16(const void *weightRow, const void *activations, int64_t n) {
  return floatDot(static_cast<const uint16_t *>(weightRow), static_cast<const float *>(activations),
                  n, bf16Value);
}

float dotQ8_0(const void *weightRow, const void *activations, int64_t n) {
  const auto *w = static_cast<const BlockQ8_0 *>(weightRow);
  const auto *a = static_cast<const ActivationBlock32 *>(activations);
  float sum = 0.0f;
  for (int64_t b = 0; b < n / 32; ++b) {
    int isum = 0;
    for (int j = 0; j < 32; ++j)
      isum += w[b].qs[j] * a[b].qs[j];
    sum += halfToFloat(w[b].d) * a[b].d * static_cast<float>(isum);
  }
  return sum;
}

float dotQ4_0(const void *weightRow, const void *activations, int64_t n) {
  const auto *w = static_cast<const BlockQ4_0 *>(weightRow);
  const auto *a = static_cast<const ActivationBlock32 *>(activations);
  float sum = 0.0f;
  for (int64_t b = 0; b < n / 32; ++b) {
    int isum = 0;
    for (int j = 0; j < 16; ++j) {
      isum += (w[b].qs[j] & 0x0F) * a[b].qs[j];
      isum += (w[b].qs[j] >> 4) * a[b].qs[j + 16];
    }
    // The quants are stored with an offset of 8.
    isum -= 8 * a[b].sum;
    sum += halfToFloat(w[b].d) * a[b].d * static_cast<float>(isum);
  }
  return sum;
}

/// Sum over the eight 32-element sub-blocks of mins[j] * (activation sum).
int minsTimesSums(const uint8_t mins[8], const ActivationBlock256 &a) {
  int sum = 0;
  for (int j = 0; j < 8; ++j)
    sum += mins[j] * (a.groupSums[2 * j] + a.groupSums[2 * j + 1]);
  return sum;
}

float dotQ4_K(const void *weightRow, const void *activations, int64_t n) {
  const auto *w = static_cast<const BlockQ4_K *>(weightRow);
  const auto *a = static_cast<const ActivationBlock256 *>(activations);
  float sum = 0.0f;
  for (int64_t b = 0; b < n / kSuperBlock; ++b) {
    uint8_t scales[8], mins[8];
    unpackKScales(w[b].scales, scales, mins);
    int isum = 0;
    // Each 32 bytes of quants hold 64 elements: low nibbles first, then high.
    for (int chunk = 0; chunk < 4; ++chunk) {
      const uint8_t *q = w[b].qs + 32 * chunk;
      const int8_t *x = a[b].qs + 64 * chunk;
      int low = 0, high = 0;
      for (int l = 0; l < 32; ++l) {
        low += (q[l] & 0x0F) * x[l];
        high += (q[l] >> 4) * x[l + 32];
      }
      isum += scales[2 * chunk] * low + scales[2 * chunk + 1] * high;
    }
    sum += a[b].d * (halfToFloat(w[b].d) * static_cast<float>(isum) -
                     halfToFloat(w[b].dmin) * static_cast<float>(minsTimesSums(mins, a[b])));
  }
  return sum;
}

float dotQ5_K(const void *weightRow, const void *activations, int64_t n) {
  const auto *w = static_cast<const BlockQ5_K *>(weightRow);
  const auto *a = static_cast<const ActivationBlock256 *>(activations);
  float sum = 0.0f;
  for (int64_t b = 0; b < n / kSuperBlock; ++b) {
    uint8_t scales[8], mins[8];
    unpackKScales(w[b].scales, scales, mins);
    int isum = 0;
    for (int chunk = 0; chunk < 4; ++chunk) {
      const uint8_t *q = w[b].qs + 32 * chunk;
      const int8_t *x = a[b].qs + 64 * chunk;
      int low = 0, high = 0;
      for (int l = 0; l < 32; ++l) {
        int fifthLow = (w[b].qh[l] >> (2 * chunk)) & 1;
        int fifthHigh = (w[b].qh[l] >> (2 * chunk + 1)) & 1;
        low += ((q[l] & 0x0F) | (fifthLow << 4)) * x[l];
        high += ((q[l] >> 4) | (fifthHigh << 4)) * x[l + 32];
      }
      isum += scales[2 * chunk] * low + scales[2 * chunk + 1] * high;
    }
    sum += a[b].d * (halfToFloat(w[b].d) * static_cast<float>(isum) -
                     halfToFloat(w[b].dmin) * static_cast<float>(minsTimesSums(mins, a[b])));
  }
  return sum;
}

float dotQ6_K(const void *weightRow, const void *activations, int64_t n) {
  const auto *w = static_cast<const BlockQ6_K *>(weightRow);
  const auto *a = static_cast<const ActivationBlock256 *>(activations);
  float sum = 0.0f;
  for (int64_t b = 0; b < n / kSuperBlock; ++b) {
    // Element e has scale e / 16; quants are 6-bit with an offset of 32.
    // Element 128p + 32k + l takes its low 4 bits from ql[64p + 32(k & 1) + l]
    // (low nibble for k < 2, high for k >= 2) and its top 2 bits from bits
    // 2k, 2k+1 of qh[32p + l].
    int groupSums[16];
    for (int part = 0; part < 2; ++part) {
      const uint8_t *qh = w[b].qh + 32 * part;
      for (int k = 0; k < 4; ++k) {
        const uint8_t *ql = w[b].ql + 64 * part + 32 * (k & 1);
        const int8_t *x = a[b].qs + 128 * part + 32 * k;
        int lowShift = (k >> 1) * 4, highShift = 2 * k;
        for (int sub = 0; sub < 2; ++sub) {
          int sum = 0;
          for (int l = 16 * sub; l < 16 * sub + 16; ++l)
            sum += (((ql[l] >> lowShift) & 0x0F) | (((qh[l] >> highShift) & 3) << 4)) * x[l];
          groupSums[8 * part + 2 * k + sub] = sum;
        }
      }
    }
    int isum = 0;
    for (int g = 0; g < 16; ++g)
      isum += w[b].scales[g] * (groupSums[g] - 32 * a[b].groupSums[g]);
    sum += halfToFloat(w[b].d) * a[b].d * static_cast<float>(isum);
  }
  return sum;
}

float dotF16Cache(const float *x, const uint16_t *h, int n) {
  const float *half = halfTable();
  return floatDot(h, x, n, [half](f16_bits value) { return half[value]; });
}

void axpyF16Cache(float a, const uint16_t *h, float *y, int n) {
  const float *half = halfTable();
  for (int i = 0; i < n; ++i)
    y[i] += a * half[h[i]];
}

void storeF16(const float *x, uint16_t *h, int n) {
  for (int i = 0; i < n; ++i)
    h[i] = floatToHalf(x[i]);
}

void swiGLU(float *gate, const float *up, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    gate[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

void attendF16(const float *query, const uint16_t *keys, const uint16_t *values, size_t stride,
               int count, int headDim, float scale, float *scores, float *out) {
  for (int p = 0; p < count; ++p)
    scores[p] = scale * dotF16Cache(query, keys + p * stride, headDim);
  float total = softmaxNumerators(scores, count);
  std::fill(out, out + headDim, 0.0f);
  for (int p = 0; p < count; ++p)
    axpyF16Cache(scores[p] / total, values + p * stride, out, headDim);
}

void attendF16Block(const float *queries, size_t queryStride, int queryCount, const uint16_t *keys,
                    const uint16_t *values, size_t stride, int firstCount, int headDim, float scale,
                    float *scores, float *out, size_t outStride) {
  for (int q = 0; q < queryCount; ++q)
    attendF16(queries + q * queryStride, keys, values, stride, firstCount + q, headDim, scale,
              scores, out + q * outStride);
}

} // namespace

const KernelSet &portableKernels() {
  static const KernelSet kernels = [] {
    KernelSet set;
    set.isa = KernelIsa::Portable;
    set.f32 = dotF32;
    set.f16 = dotF16;
    set.bf16 = dotBF16;
    set.q8_0 = dotQ8_0;
    set.q4_0 = dotQ4_0;
    set.q4_K = dotQ4_K;
    set.q5_K = dotQ5_K;
    set.q6_K = dotQ6_K;
    set.f32Tile = batchPerRow<tokenByToken<dotF32>>;
    set.f16Tile = batchPerRow<tokenByToken<dotF16>>;
    set.bf16Tile = batchPerRow<tokenByToken<dotBF16>>;
    set.q8_0Tile = batchPerRow<tokenByToken<dotQ8_0>>;
    set.q4_0Tile = batchPerRow<tokenByToken<dotQ4_0>>;
    set.q4_KTile = batchPerRow<tokenByToken<dotQ4_K>>;
    set.q5_KTile = batchPerRow<tokenByToken<dotQ5_K>>;
    set.q6_KTile = batchPerRow<tokenByToken<dotQ6_K>>;
    set.f32Rows = rowByRow<dotF32>;
    set.f16Rows = rowByRow<dotF16>;
    set.bf16Rows = rowByRow<dotBF16>;
    set.q8_0Rows = rowByRow<dotQ8_0>;
    set.q4_0Rows = rowByRow<dotQ4_0>;
    set.q4_KRows = rowByRow<dotQ4_K>;
    set.q5_KRows = rowByRow<dotQ5_K>;
    set.q6_KRows = rowByRow<dotQ6_K>;
    set.dotF16 = dotF16Cache;
    set.axpyF16 = axpyF16Cache;
    set.storeF16 = storeF16;
    set.swiGLU = swiGLU;
    set.attendF16 = attendF16;
    set.attendF16Block = attendF16Block;
    return set;
  }();
  return kernels;
}

} // namespace optlm::lm
