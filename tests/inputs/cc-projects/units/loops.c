/* A unit with loops and a main, for the pipeline-crash test. */
#include <stdio.h>

static unsigned collatz(unsigned n) {
  unsigned steps = 0;
  while (n != 1) {
    n = n % 2 ? 3 * n + 1 : n / 2;
    ++steps;
  }
  return steps;
}

int main(void) {
  unsigned best = 0, at = 0;
  for (unsigned i = 1; i < 1000; ++i) {
    unsigned steps = collatz(i);
    if (steps > best) {
      best = steps;
      at = i;
    }
  }
  printf("%u %u\n", at, best);
  return 0;
}
