//===- TensorTypes.h - GGML tensor types and their block layouts -*- C++ -*-===//
//
// The tensor element types optlm reads and writes in GGUF files, with the
// exact block layouts of the GGUF format (the numbering and byte layouts are
// GGML's; the published LLM Compiler GGUFs use these types). Quantized types
// store blocks of elements: a row of N elements is N / blockSize blocks.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace optlm::lm {

/// Values are the GGML type ids stored in GGUF tensor infos.
enum class TensorType : uint32_t {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q8_0 = 8,
  Q4_K = 12,
  Q5_K = 13,
  Q6_K = 14,
  BF16 = 30,
};

/// Number of elements in a K-quant super-block.
inline constexpr int kSuperBlock = 256;

/// IEEE half precision bits, as stored in the blocks.
using f16_bits = uint16_t;

struct BlockQ4_0 { // 32 elements: value = (nibble - 8) * d
  f16_bits d;
  uint8_t qs[16]; // element j in the low nibble of qs[j], j+16 in the high
};
struct BlockQ8_0 { // 32 elements: value = qs[j] * d
  f16_bits d;
  int8_t qs[32];
};
struct BlockQ4_K {    // 256 elements in 8 sub-blocks of 32
  f16_bits d;         // scale of the 6-bit sub-block scales
  f16_bits dmin;      // scale of the 6-bit sub-block minimums
  uint8_t scales[12]; // 8 scales and 8 mins, 6 bits each, packed
  uint8_t qs[128];    // 4-bit quants
};
struct BlockQ5_K { // 256 elements in 8 sub-blocks of 32
  f16_bits d;
  f16_bits dmin;
  uint8_t scales[12];
  uint8_t qh[32];  // fifth bit of each quant
  uint8_t qs[128]; // low 4 bits
};
struct BlockQ6_K {   // 256 elements in 16 sub-blocks of 16
  uint8_t ql[128];   // low 4 bits
  uint8_t qh[64];    // high 2 bits
  int8_t scales[16]; // 8-bit sub-block scales
  f16_bits d;
};
static_assert(sizeof(BlockQ4_0) == 18);
static_assert(sizeof(BlockQ8_0) == 34);
static_assert(sizeof(BlockQ4_K) == 144);
static_assert(sizeof(BlockQ5_K) == 176);
static_assert(sizeof(BlockQ6_K) == 210);

struct TensorTypeTraits {
  std::string_view name; ///< "f32", "q4_K", ... as GGML names them
  int blockSize;         ///< elements per block (1 for float types)
  size_t blockBytes;     ///< bytes per block
};

/// Traits of a supported type, or nullopt for an id optlm does not support.
std::optional<TensorTypeTraits> tensorTypeTraits(uint32_t typeId);
TensorTypeTraits traits(TensorType type);
/// GGML's name for any type id it defines ("q4_1", "iq2_xs", ...), supported
/// or not, so that errors can name the type a file uses; empty if unknown.
std::string_view ggmlTypeName(uint32_t typeId);

/// Bytes taken by a row of n elements (n must be a multiple of the block size).
size_t rowBytes(TensorType type, int64_t n);

float halfToFloat(f16_bits h);
f16_bits floatToHalf(float f); ///< round to nearest even
float bf16ToFloat(uint16_t b);
uint16_t floatToBf16(float f); ///< round to nearest even

/// Reference conversions, one row at a time (n a multiple of the block size).
/// These are the plain, readable definitions of each format: the fast kernels
/// are tested against them.
void dequantizeRow(TensorType type, const void *src, float *dst, int64_t n);
void quantizeRow(TensorType type, const float *src, void *dst, int64_t n);

/// Q4_K and Q5_K only: rearranges the 256 quants of every block of `n`
/// elements in place, the quant at position p (positions in dequantizeRow's
/// order) taking the one that was at source[p]; scales and minimums stay.
/// For kernels that read a block's quants in another order than GGUF stores
/// them (lm/model/Kernels.h, WeightLayout): rows are laid out once, at load.
void permuteQuants(TensorType type, void *blocks, int64_t n, const uint8_t (&source)[256]);

} // namespace optlm::lm
