#include "config.h"
#include "greet.h"

#include <stdio.h>
#include <string.h>

int greet(const char *name, char *out, int size) {
#ifdef HAVE_STRLEN
  int length = (int)strlen(name);
#else
  int length = 0;
  while (name[length])
    ++length;
#endif
  return snprintf(out, (size_t)size, "hello, %s (%d letters, long is %d bytes)", name, length,
                  (int)SIZEOF_LONG);
}
