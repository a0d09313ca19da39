/* Broadcast test corpus: counts letter classes in a fixed text. */
#include <stdio.h>

static int classify(char c) {
  if (c >= 'a' && c <= 'z') return 0;
  if (c >= 'A' && c <= 'Z') return 1;
  if (c >= '0' && c <= '9') return 2;
  return 3;
}

int main(void) {
  const char *text = "Tuning 101: Pass Lists, Sizes and -Oz.";
  int counts[4] = {0, 0, 0, 0};
  for (const char *p = text; *p; ++p)
    counts[classify(*p)]++;
  for (int i = 0; i < 4; ++i)
    printf("%d ", counts[i]);
  printf("\n");
  return 0;
}
