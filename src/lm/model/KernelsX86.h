//===- KernelsX86.h - helpers shared by the x86 kernel files ----*- C++ -*-===//
//
// Included by KernelsAVX2.cpp and KernelsAVX512.cpp after each has set its
// own target attributes, so every function here is static: each file gets
// its own copy compiled for its instruction set, and no copy built for
// AVX-512 can be linked into the AVX2 code.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/model/Kernels.h"

#include <immintrin.h>

#include <type_traits>

/// glibc's vector math library (libmvec): expf on sixteen lanes, the
/// AVX-512 variant of its vector ABI (used by the AVX-512 and AMX sets).
extern "C" __m512 _ZGVeN16v_expf(__m512 x);

namespace optlm::lm::x86 {

static inline float horizontalSum(__m256 v) {
  __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
  sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
  return _mm_cvtss_f32(sum);
}

static inline float horizontalSum(__m128 v) {
  v = _mm_add_ps(v, _mm_movehl_ps(v, v));
  v = _mm_add_ss(v, _mm_movehdup_ps(v));
  return _mm_cvtss_f32(v);
}

static inline float half(f16_bits h) { return _cvtsh_ss(h); }

/// Token t's activations (of T, `stride` bytes apart) as blocks.
template <int T, typename Block>
static inline const Block *activationRow(const void *activations, size_t stride, int t) {
  return reinterpret_cast<const Block *>(static_cast<const uint8_t *>(activations) + t * stride);
}

static inline __m256i load256(const void *p) {
  return _mm256_loadu_si256(static_cast<const __m256i *>(p));
}
/// The 32-element sub-block sums of an activation block (adjacent group sums).
static inline __m128i subBlockSums(const ActivationBlock256 &a) {
  return _mm_hadd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i *>(a.groupSums)),
                        _mm_loadu_si128(reinterpret_cast<const __m128i *>(a.groupSums + 8)));
}
/// Sixteen 32-bit rows of 16 as sixteen columns: row i of the result holds
/// element i of every row (AVX-512 files only: the AMX attention's F16
/// pairs, the integer attention's key pairs and largest lanes).
static inline void transpose16(__m512i (&rows)[16]) {
  __m512i t[16], u[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_epi32(rows[2 * i], rows[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_epi32(rows[2 * i], rows[2 * i + 1]);
  }
  // u[4i + j], lane L: element 4L + j of rows 4i..4i + 3.
  for (int i = 0; i < 4; ++i) {
    u[4 * i + 0] = _mm512_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
    u[4 * i + 1] = _mm512_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
    u[4 * i + 2] = _mm512_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
    u[4 * i + 3] = _mm512_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
  }
  for (int j = 0; j < 4; ++j) {
    const __m512i even0 = _mm512_shuffle_i32x4(u[j], u[4 + j], 0x88);
    const __m512i odd0 = _mm512_shuffle_i32x4(u[j], u[4 + j], 0xDD);
    const __m512i even1 = _mm512_shuffle_i32x4(u[8 + j], u[12 + j], 0x88);
    const __m512i odd1 = _mm512_shuffle_i32x4(u[8 + j], u[12 + j], 0xDD);
    rows[j] = _mm512_shuffle_i32x4(even0, even1, 0x88);
    rows[8 + j] = _mm512_shuffle_i32x4(even0, even1, 0xDD);
    rows[4 + j] = _mm512_shuffle_i32x4(odd0, odd1, 0x88);
    rows[12 + j] = _mm512_shuffle_i32x4(odd0, odd1, 0xDD);
  }
}

/// Calls pass(size, q) for each whole group of G consecutive queries of
/// [first, end) from query q, size a std::integral_constant<int, G>, then
/// for each query left over with a size of 1: the attention kernels' query
/// groups are compile-time sizes, their accumulators in registers.
template <int G, class Pass> static inline void inQueryGroups(int first, int end, Pass pass) {
  int q = first;
  for (; q + G <= end; q += G)
    pass(std::integral_constant<int, G>(), q);
  for (; q < end; ++q)
    pass(std::integral_constant<int, 1>(), q);
}

/// 2^x for finite x, within 2^-23 of it: 2^floor(x) 2^f, f = x - floor(x)
/// in [0, 1) (vreduceps, exact) and 2^f a polynomial of degree 5 that
/// interpolates it at the Chebyshev nodes of [0, 1]; vscalefps applies
/// 2^floor(x) itself; a finite x far below the exponent range gives 0. The
/// attention works in base 2, its scale times log2(e) folded into the
/// scores, so no multiplication is left here (AVX-512 files only: the online
/// softmax of the AMX and integer attention). Inline, where libmvec's expf
/// is a call that spills every live vector register. -inf gives NaN
/// (callers mask, or score unseen positions -FLT_MAX).
static inline __m512 powerOfTwo(__m512 x) {
  const __m512 f = _mm512_reduce_ps(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  __m512 p = _mm512_set1_ps(1.893754001e-03f);
  for (float c :
       {8.949590847e-03f, 5.586033687e-02f, 2.401418239e-01f, 6.931545138e-01f, 9.999998808e-01f})
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(c));
  return _mm512_scalef_ps(p, x);
}

/// Prefetches the block at p into L1: a line every 64 bytes, which touches
/// every line of consecutive blocks. Generation streams every weight exactly
/// once; fetching the rows after the current group while this one computes
/// keeps more of the memory's bandwidth in flight than the hardware
/// prefetcher alone does (AVX-512 Q4_K from memory: 30 Gelem/s without,
/// 56 with, on the development machine).
template <typename Block> static inline void prefetchBlock(const uint8_t *p) {
  for (size_t offset = 0; offset < sizeof(Block); offset += 64)
    _mm_prefetch(reinterpret_cast<const char *>(p) + offset, _MM_HINT_T0);
}

/// The byte tables that unpack the first 16 bytes of a Q4_K/Q5_K block (d,
/// dmin and the 12 packed scale bytes, layout in KScales.h) in place to its
/// eight 6-bit scales (bytes 0-7) and eight minimums (bytes 8-15), for one
/// 128-bit lane; each kernel file broadcasts them to its vector width.
/// Scales and minimums 0-3 are packed bytes 0-3 and 4-7 masked to 6 bits;
/// 4-7 take the low and high nibbles of packed bytes 8-11 and, as their
/// bits 4-5, the top two bits of packed bytes 0-3 and 4-7.
struct KScaleUnpackLane {
  __m128i nibbleSourceControl, topBitSourceControl, keepLow, keepHighNibble, keepTopBits;
};

static inline KScaleUnpackLane kScaleUnpackLane() {
  return {_mm_setr_epi8(4, 5, 6, 7, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15),
          _mm_setr_epi8(-1, -1, -1, -1, 4, 5, 6, 7, -1, -1, -1, -1, 8, 9, 10, 11),
          _mm_setr_epi8(63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 0, 0, 0, 0),
          _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 15, 15, 15, 15),
          _mm_setr_epi8(0, 0, 0, 0, 48, 48, 48, 48, 0, 0, 0, 0, 48, 48, 48, 48)};
}

/// KernelSet::swiGLU with a lane type's vector expf (libmvec: Lanes8,
/// Lanes16), the tail as the portable set does it.
template <typename L> void swiGLU(float *gate, const float *up, int64_t n) {
  int64_t i = 0;
  for (; i + L::Lanes <= n; i += L::Lanes) {
    const typename L::Reg g = L::load(gate + i);
    const typename L::Reg e = L::exp(L::sub(L::zero(), g));
    L::store(gate + i, L::mul(L::div(g, L::add(L::broadcast(1.0f), e)), L::load(up + i)));
  }
  portableKernels().swiGLU(gate + i, up + i, n - i);
}

} // namespace optlm::lm::x86
