template <typename T> static T twice(T x) { return x + x; }
int apply(int x) { return twice(x) + twice(static_cast<long>(x)); }
