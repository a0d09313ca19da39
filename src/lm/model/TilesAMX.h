//===- TilesAMX.h - the AMX tile registers' configuration -------*- C++ -*-===//
//
// Included by KernelsAMX.cpp (integer tiles of the matrix products) and
// AttentionAMX.cpp (BF16 tiles of the attention) after each has set target
// attributes that include AMX-TILE, so everything here is static: each file
// gets its own copy. Every kernel configures the tiles it uses on entry and
// releases them on return: the two files' kernels run one after the other on
// the same threads, each with its own shapes.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <initializer_list>

namespace optlm::lm::amx {

/// LDTILECFG's 64-byte operand (palette 1).
struct TileConfig {
  uint8_t palette;
  uint8_t startRow;
  uint8_t reserved[14];
  uint16_t bytesPerRow[16];
  uint8_t rows[16];
};

/// The shape of each tile register a kernel uses.
struct TileShape {
  int tile, rows, bytesPerRow;
};

static inline void configureTiles(std::initializer_list<TileShape> shapes) {
  alignas(64) TileConfig config = {};
  config.palette = 1;
  for (const TileShape &shape : shapes) {
    config.rows[shape.tile] = static_cast<uint8_t>(shape.rows);
    config.bytesPerRow[shape.tile] = static_cast<uint16_t>(shape.bytesPerRow);
  }
  _tile_loadconfig(&config);
}

} // namespace optlm::lm::amx
