#include "config.h"
#include "greet.h"

#include <stdio.h>
#include <string.h>

int main(void) {
  char text[128];
  greet("autotools", text, (int)sizeof text);
  puts(text);
  return strcmp(text, "hello, autotools (9 letters, long is 8 bytes)") != 0;
}
