/* A small self-checking program for the autotuner's tests: a few loops,
   helpers worth inlining or not, and a table, so that pass lists differ in
   the size they give. Prints a checksum and exits 0. */
#include <stdio.h>
#include <string.h>

struct item { int key; int weight; };

static struct item items[16];

static int mix(int a, int b) { return (a * 31) ^ (b + 7); }

static void fill(int seed) {
  for (int i = 0; i < 16; ++i) {
    items[i].key = mix(seed, i) & 255;
    items[i].weight = (seed * i) % 13;
  }
}

static void sort_items(void) {
  for (int i = 1; i < 16; ++i) {
    struct item current = items[i];
    int j = i - 1;
    while (j >= 0 && items[j].key > current.key) {
      items[j + 1] = items[j];
      --j;
    }
    items[j + 1] = current;
  }
}

static unsigned checksum(const char *text) {
  unsigned sum = 0;
  for (size_t i = 0; i < strlen(text); ++i)
    sum = sum * 33 + (unsigned char)text[i];
  return sum;
}

int main(void) {
  unsigned total = 0;
  for (int round = 1; round <= 4; ++round) {
    fill(round);
    sort_items();
    for (int i = 0; i < 16; ++i)
      total += (unsigned)(items[i].key * (i + 1) + items[i].weight);
  }
  total ^= checksum("optlm tunes pass lists");
  printf("%u\n", total);
  return 0;
}
