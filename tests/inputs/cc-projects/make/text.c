#include "util.h"

#include <ctype.h>
#include <string.h>

size_t count_words(const char *text) {
  size_t words = 0;
  int inside = 0;
  for (; *text; ++text) {
    if (isspace((unsigned char)*text))
      inside = 0;
    else if (!inside) {
      inside = 1;
      ++words;
    }
  }
  return words;
}

static void reverse(char *begin, char *end) {
  while (begin < end) {
    char c = *begin;
    *begin++ = *--end;
    *end = c;
  }
}

void reverse_words(char *text) {
  char *end = text + strlen(text);
  reverse(text, end);
  char *word = text;
  for (char *p = text; p <= end; ++p)
    if (p == end || *p == ' ') {
      reverse(word, p);
      word = p + 1;
    }
}
