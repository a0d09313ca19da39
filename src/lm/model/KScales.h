//===- KScales.h - the packed sub-block scales of Q4_K and Q5_K -*- C++ -*-===//
//
// Q4_K and Q5_K pack eight 6-bit scales and eight 6-bit minimums into 12
// bytes: the first four of each sit in the low 6 bits of bytes 0-3 and 4-7;
// the last four take their low 4 bits from bytes 8-11 and their high 2 bits
// from the top bits of bytes 0-7.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>

namespace optlm::lm {

inline void unpackKScales(const uint8_t packed[12], uint8_t scales[8], uint8_t mins[8]) {
  for (int j = 0; j < 4; ++j) {
    scales[j] = packed[j] & 63;
    mins[j] = packed[j + 4] & 63;
  }
  for (int j = 4; j < 8; ++j) {
    scales[j] = (packed[j + 4] & 0x0F) | ((packed[j - 4] >> 6) << 4);
    mins[j] = (packed[j + 4] >> 4) | ((packed[j] >> 6) << 4);
  }
}

} // namespace optlm::lm

namespace optlm::lm {

/// The same unpacking on 32-bit words, four scales or minimums at a time (for
/// the vector kernels): words[0..1] receive the eight scales as bytes,
/// words[2..3] the eight minimums.
inline void unpackKScaleWords(const uint8_t packed[12], uint32_t words[4]) {
  constexpr uint32_t low6 = 0x3F3F3F3F, low4 = 0x0F0F0F0F, low2 = 0x03030303;
  uint32_t p0, p1, p2;
  __builtin_memcpy(&p0, packed, 4);
  __builtin_memcpy(&p1, packed + 4, 4);
  __builtin_memcpy(&p2, packed + 8, 4);
  words[0] = p0 & low6;                                      // scales 0-3
  words[1] = (p2 & low4) | (((p0 >> 6) & low2) << 4);        // scales 4-7
  words[2] = p1 & low6;                                      // mins 0-3
  words[3] = ((p2 >> 4) & low4) | (((p1 >> 6) & low2) << 4); // mins 4-7
}

} // namespace optlm::lm
