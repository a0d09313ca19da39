#include <stdio.h>
static int squares[8];
int main(void) {
  for (int i = 0; i < 8; i++)
    squares[i] = i * i;
  printf("%d\n", squares[7]);
  return 0;
}
