#include "deps.h"
#include <stdio.h>

int deps_value(void) { return DEPS_VALUE; }
