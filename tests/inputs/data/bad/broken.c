/* Does not compile: corpus add must skip it, log why, and count it. */
int broken(int x) { return x + ; }
