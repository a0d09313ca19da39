//===- Random.h - a seeded generator whose draws are the same everywhere -*- C++ -*-===//
//
// Search results must be reproducible from a seed on any machine and standard
// library. std::uniform_int_distribution is implementation-defined, so the
// autotuner draws through this small generator (xoshiro256** seeded by
// splitmix64) with its own unbiased bounded draw.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>

namespace optlm::search {

class Random {
public:
  explicit Random(uint64_t seed) {
    uint64_t mix = seed;
    for (uint64_t &word : State)
      word = splitMix(mix);
  }

  uint64_t next() {
    const uint64_t result = rotl(State[1] * 5, 7) * 9;
    const uint64_t shifted = State[1] << 17;
    State[2] ^= State[0];
    State[3] ^= State[1];
    State[1] ^= State[2];
    State[0] ^= State[3];
    State[2] ^= shifted;
    State[3] = rotl(State[3], 45);
    return result;
  }

  /// Uniform in [0, bound); bound must be positive. Rejection keeps it
  /// unbiased for bounds that do not divide 2^64.
  uint64_t below(uint64_t bound) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t draw;
    do
      draw = next();
    while (draw >= limit);
    return draw % bound;
  }

  /// Uniform in [low, high].
  uint64_t between(uint64_t low, uint64_t high) { return low + below(high - low + 1); }

  /// True with the given probability.
  bool chance(double probability) {
    return static_cast<double>(next() >> 11) * 0x1.0p-53 < probability;
  }

private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitMix(uint64_t &state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t State[4];
};

} // namespace optlm::search
