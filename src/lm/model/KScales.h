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
