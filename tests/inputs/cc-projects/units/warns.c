/* Compiles with a warning that the build must see, once, as clang prints it. */
int warns(int x) {
  int unused;
  return x;
}
