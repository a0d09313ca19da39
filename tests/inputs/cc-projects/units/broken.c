/* Does not compile: optlm cc must fail exactly as clang-19 does. */
#include <stdio.h>

int broken(int x) {
  int unused;
  return x + not_declared;
}
