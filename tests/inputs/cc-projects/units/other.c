#include "deps.h"

int other_value(int x) { return x * DEPS_VALUE; }
