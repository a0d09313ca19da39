/* Broadcast test corpus: a small integer matrix product and its trace. */
#include <stdio.h>

#define N 6

static int a[N][N], b[N][N], c[N][N];

static void init(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      a[i][j] = (i * 7 + j * 3) % 11;
      b[i][j] = (i + 2 * j) % 5;
    }
}

static void multiply(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      int sum = 0;
      for (int k = 0; k < N; ++k)
        sum += a[i][k] * b[k][j];
      c[i][j] = sum;
    }
}

int main(void) {
  init();
  multiply();
  int trace = 0;
  for (int i = 0; i < N; ++i)
    trace += c[i][i];
  printf("%d\n", trace);
  return 0;
}
