//===- KernelsPortable.cpp - the kernels in plain C++ ---------------------===//
//
// Integer sums per block, one float multiply-add per block: the same
// arithmetic as the AVX2 kernels, written for any CPU. Block layouts are
// documented in lm/gguf/TensorTypes.h.
//
//===----------------------------------------------------------------------===//

#include "lm/model/KScales.h"
#include "lm/model/Kernels.h"

namespace optlm::lm {
namespace {

float dotF32(const void *weightRow, const void *activations, int64_t n) {
  const auto *w = static_cast<const float *>(weightRow);
  const auto *x = static_cast<const float *>(activations);
  float sum = 0.0f;
  for (int64_t i = 0; i < n; ++i)
    sum += w[i] * x[i];
  return sum;
}

float dotF16(const void *weightRow, const void *activations, int64_t n) {
  const auto *w = static_cast<const f16_bits *>(weightRow);
  const auto *x = static_cast<const float *>(activations);
  float sum = 0.0f;
  for (int64_t i = 0; i < n; ++i)
    sum += halfToFloat(w[i]) * x[i];
  return sum;
}

float dotBF16(const void *weightRow, const void *activations, int64_t n) {
  const auto *w = static_cast<const uint16_t *>(weightRow);
  const auto *x = static_cast<const float *>(activations);
  float sum = 0.0f;
  for (int64_t i = 0; i < n; ++i)
    sum += bf16ToFloat(w[i]) * x[i];
  return sum;
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
    int groupSums[16] = {};
    for (int half = 0; half < 2; ++half) {
      const uint8_t *ql = w[b].ql + 64 * half;
      const uint8_t *qh = w[b].qh + 32 * half;
      const int8_t *x = a[b].qs + 128 * half;
      for (int l = 0; l < 32; ++l) {
        int q1 = (ql[l] & 0x0F) | (((qh[l] >> 0) & 3) << 4);
        int q2 = (ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4);
        int q3 = (ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4);
        int q4 = (ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4);
        int group = 8 * half + l / 16;
        groupSums[group] += q1 * x[l];
        groupSums[group + 2] += q2 * x[l + 32];
        groupSums[group + 4] += q3 * x[l + 64];
        groupSums[group + 6] += q4 * x[l + 96];
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
  float sum = 0.0f;
  for (int i = 0; i < n; ++i)
    sum += x[i] * halfToFloat(h[i]);
  return sum;
}

void axpyF16Cache(float a, const uint16_t *h, float *y, int n) {
  for (int i = 0; i < n; ++i)
    y[i] += a * halfToFloat(h[i]);
}

void storeF16(const float *x, uint16_t *h, int n) {
  for (int i = 0; i < n; ++i)
    h[i] = floatToHalf(x[i]);
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
    set.f32Batch = tokenByToken<dotF32>;
    set.f16Batch = tokenByToken<dotF16>;
    set.bf16Batch = tokenByToken<dotBF16>;
    set.q8_0Batch = tokenByToken<dotQ8_0>;
    set.q4_0Batch = tokenByToken<dotQ4_0>;
    set.q4_KBatch = tokenByToken<dotQ4_K>;
    set.q5_KBatch = tokenByToken<dotQ5_K>;
    set.q6_KBatch = tokenByToken<dotQ6_K>;
    set.dotF16 = dotF16Cache;
    set.axpyF16 = axpyF16Cache;
    set.storeF16 = storeF16;
    return set;
  }();
  return kernels;
}

} // namespace optlm::lm
