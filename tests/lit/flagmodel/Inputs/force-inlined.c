/* A helper that every caller gets a copy of: -Oz's inlining grows the IR
   (as lz4's and libzstd's FORCE_INLINE helpers do). */
static inline __attribute__((always_inline)) unsigned mix(unsigned x) {
  unsigned a = x * 31u, b = a ^ 12345u, c = b + x, d = c << 3, e = d - a, f = e * b;
  unsigned g = f ^ c, h = g + 7u, i = h * 2654435761u, j = i >> 13, k = j ^ i, l = k * 97u;
  unsigned m = l + d, n = m ^ (m >> 7), o = n * 41u, p = o - e, q = p ^ (p << 5), r = q + f;
  return r * 3u + (r >> 11);
}

unsigned spread(unsigned v) {
  return mix(v) + mix(v + 1) + mix(v + 2) + mix(v + 3) + mix(v + 4) + mix(v + 5) + mix(v + 6) +
         mix(v + 7) + mix(v + 8) + mix(v + 9) + mix(v + 10) + mix(v + 11);
}
