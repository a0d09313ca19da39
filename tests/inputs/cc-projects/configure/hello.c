#include "config.h"

#include <stdio.h>

int main(void) {
#if defined(HAVE_STDIO_H) && defined(HAVE_PUTS) && !defined(HAVE_NO_SUCH_FUNCTION_OPTLM)
  printf("configured: long is %d bytes\n", SIZEOF_LONG);
  return 0;
#else
  return 1;
#endif
}
