#include "shapes.h"

long area_sum(const int *sides, int count) {
  long sum = 0;
  for (int i = 0; i < count; ++i)
    sum += (long)sides[i] * sides[i];
  return sum;
}

unsigned mix(unsigned seed, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
  }
  return seed;
}
