// Small functions whose compiled forms make the tokenizer's training text:
// loops, branches, calls, structs, floating point and strings, so that the
// LLVM-IR and assembly samples cover the usual instruction mix.
#include <stddef.h>
#include <stdint.h>

struct point {
  int x, y;
};

struct list {
  struct list *next;
  long value;
};

static unsigned hash_bytes(const unsigned char *data, size_t size) {
  unsigned h = 2166136261u;
  for (size_t i = 0; i < size; ++i) {
    h ^= data[i];
    h *= 16777619u;
  }
  return h;
}

unsigned hash_string(const char *text) {
  size_t n = 0;
  while (text[n])
    ++n;
  return hash_bytes((const unsigned char *)text, n);
}

long list_sum(const struct list *node) {
  long total = 0;
  for (; node; node = node->next)
    total += node->value;
  return total;
}

int manhattan(struct point a, struct point b) {
  int dx = a.x - b.x, dy = a.y - b.y;
  return (dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy);
}

double dot(const double *a, const double *b, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += a[i] * b[i];
  return s;
}

void insertion_sort(int *v, int n) {
  for (int i = 1; i < n; ++i) {
    int key = v[i], j = i - 1;
    while (j >= 0 && v[j] > key) {
      v[j + 1] = v[j];
      --j;
    }
    v[j + 1] = key;
  }
}

int binary_search(const int *v, int n, int key) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (v[mid] == key)
      return mid;
    if (v[mid] < key)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return -1;
}

uint32_t popcount32(uint32_t x) {
  x = x - ((x >> 1) & 0x55555555u);
  x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
  x = (x + (x >> 4)) & 0x0F0F0F0Fu;
  return (x * 0x01010101u) >> 24;
}

static const char *const names[] = {"zero", "one", "two", "three", "four"};

const char *digit_name(int d) {
  switch (d) {
  case 0: case 1: case 2: case 3: case 4:
    return names[d];
  default:
    return "many";
  }
}

long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int gcd(int a, int b) {
  while (b) {
    int t = a % b;
    a = b;
    b = t;
  }
  return a;
}

void matmul4(const float a[4][4], const float b[4][4], float c[4][4]) {
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      float s = 0;
      for (int k = 0; k < 4; ++k)
        s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
}

int count_words(const char *s) {
  int words = 0, in_word = 0;
  for (; *s; ++s) {
    if (*s == ' ' || *s == '\t' || *s == '\n') {
      in_word = 0;
    } else if (!in_word) {
      in_word = 1;
      ++words;
    }
  }
  return words;
}
