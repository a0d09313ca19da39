/* A translation unit of several independent groups of functions, as many
   library files are: each external function with its own static helpers,
   so that the groups could have been files of their own. */
#include <stdio.h>
#include <string.h>

static const unsigned crc_seed = 0xffffffffu;

static unsigned crc_step(unsigned crc, unsigned char byte) {
  crc ^= byte;
  for (int bit = 0; bit < 8; ++bit)
    crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
  return crc;
}

unsigned crc32_of(const char *text) {
  unsigned crc = crc_seed;
  for (size_t i = 0; text[i]; ++i)
    crc = crc_step(crc, (unsigned char)text[i]);
  return ~crc;
}

struct stack {
  int items[32];
  int depth;
};

static void push(struct stack *s, int value) {
  if (s->depth < 32)
    s->items[s->depth++] = value;
}

static int pop(struct stack *s) { return s->depth > 0 ? s->items[--s->depth] : 0; }

int evaluate_rpn(const char *program) {
  struct stack s = {{0}, 0};
  for (const char *p = program; *p; ++p) {
    if (*p >= '0' && *p <= '9') {
      push(&s, *p - '0');
    } else if (*p == '+' || *p == '*' || *p == '-') {
      int b = pop(&s), a = pop(&s);
      push(&s, *p == '+' ? a + b : *p == '*' ? a * b : a - b);
    }
  }
  return pop(&s);
}

static int counter;

void count_words(const char *text) {
  int inside = 0;
  for (; *text; ++text) {
    if (*text == ' ') {
      inside = 0;
    } else if (!inside) {
      inside = 1;
      ++counter;
    }
  }
}

int words_counted(void) { return counter; }

void reverse_in_place(char *text) {
  size_t n = strlen(text);
  for (size_t i = 0; i < n / 2; ++i) {
    char c = text[i];
    text[i] = text[n - 1 - i];
    text[n - 1 - i] = c;
  }
}

int main(void) {
  char text[] = "separately compilable parts";
  printf("crc %08x\n", crc32_of(text));
  printf("rpn %d\n", evaluate_rpn("34+2*7-"));
  count_words(text);
  count_words("one two");
  printf("words %d\n", words_counted());
  reverse_in_place(text);
  printf("reversed %s\n", text);
  return 0;
}
