#include "util.h"

#include <stdio.h>
#include <string.h>

int main(void) {
  uint32_t table[TABLE_SIZE];
  for (size_t i = 0; i < TABLE_SIZE; ++i)
    table[i] = (uint32_t)(i * 2654435761u);
  char text[] = "the quick brown fox jumps over the lazy dog";
  printf("checksum %08x\n", checksum((const unsigned char *)text, strlen(text)));
  printf("fold %08x\n", fold_table(table, TABLE_SIZE));
  printf("words %zu\n", count_words(text));
  reverse_words(text);
  printf("reversed '%s'\n", text);
  return 0;
}
