unsigned popcount(unsigned value) {
  unsigned bits = 0;
  while (value) {
    bits += value & 1u;
    value >>= 1;
  }
  return bits;
}

static unsigned table[16];

void fill_table(void) {
  for (unsigned i = 0; i < 16; ++i)
    table[i] = popcount(i);
}

unsigned lookup(unsigned nibble) { return table[nibble & 15u]; }
