#include "util.h"

/* Adler-32 and a table fold: loops the size passes have opinions about. */
uint32_t checksum(const unsigned char *data, size_t size) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < size; ++i) {
    a = (a + data[i]) % 65521;
    b = (b + a) % 65521;
  }
  return (b << 16) | a;
}

uint32_t fold_table(const uint32_t *table, size_t size) {
  uint32_t value = 0x9e3779b9u;
  for (size_t i = 0; i < size; ++i) {
    value ^= table[i] + (value << 6) + (value >> 2);
    if (value & 1)
      value = (value >> 1) ^ 0xedb88320u;
    else
      value >>= 1;
  }
  return value;
}
