/* bits.c - bit manipulation: population count (loop, Kernighan, SWAR,
 * byte table), bit reversal (loop, mask swaps, nibble table), leading and
 * trailing zero counts (loop vs binary search), parity, rotations, Gray
 * code round trips, Gosper's hack subset enumeration checked against
 * binomial coefficients, and a 64-bit-word bitset prime sieve checked
 * against trial division. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define SIEVE_N 20000
#define WORDS ((SIEVE_N + 63) / 64)

static uint8_t pop_table[256];
static uint8_t rev_nibble[16];
static uint64_t sieve_bits[WORDS];
static int failures;

static void check(int cond, const char *msg)
{
    if (!cond) {
        printf("FAIL: %s\n", msg);
        failures++;
    }
}

static uint64_t state = 0x9E3779B97F4A7C15ull;

static uint64_t splitmix(void)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int pop_loop(uint32_t x)
{
    int c = 0;
    while (x) {
        c += (int)(x & 1u);
        x >>= 1;
    }
    return c;
}

static int pop_kernighan(uint32_t x)
{
    int c = 0;
    for (; x; c++)
        x &= x - 1;
    return c;
}

static int pop_swar(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (int)((x * 0x01010101u) >> 24);
}

static int pop_table32(uint32_t x)
{
    return pop_table[x & 0xFFu] + pop_table[(x >> 8) & 0xFFu] +
           pop_table[(x >> 16) & 0xFFu] + pop_table[x >> 24];
}

static uint32_t rev_loop(uint32_t x)
{
    uint32_t r = 0;
    int i;
    for (i = 0; i < 32; i++) {
        r = (r << 1) | (x & 1u);
        x >>= 1;
    }
    return r;
}

static uint32_t rev_masks(uint32_t x)
{
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
    x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
    return (x >> 16) | (x << 16);
}

static uint32_t rev_table(uint32_t x)
{
    uint32_t r = 0;
    int i;
    for (i = 0; i < 8; i++) {
        r = (r << 4) | rev_nibble[x & 0xFu];
        x >>= 4;
    }
    return r;
}

static int clz_loop(uint32_t x)
{
    int n = 0;
    if (!x)
        return 32;
    while (!(x & 0x80000000u)) {
        x <<= 1;
        n++;
    }
    return n;
}

static int clz_binary(uint32_t x)
{
    int n = 0;
    if (!x) return 32;
    if (!(x & 0xFFFF0000u)) { n += 16; x <<= 16; }
    if (!(x & 0xFF000000u)) { n += 8; x <<= 8; }
    if (!(x & 0xF0000000u)) { n += 4; x <<= 4; }
    if (!(x & 0xC0000000u)) { n += 2; x <<= 2; }
    if (!(x & 0x80000000u)) { n += 1; }
    return n;
}

static int ctz_loop(uint32_t x)
{
    int n = 0;
    if (!x)
        return 32;
    while (!(x & 1u)) {
        x >>= 1;
        n++;
    }
    return n;
}

static int ctz_via_pop(uint32_t x)
{
    /* (x & -x) - 1 has exactly ctz(x) bits set */
    return x ? pop_swar((x & (0u - x)) - 1u) : 32;
}

static int parity_fold(uint32_t x)
{
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    x &= 0xFu;
    return (0x6996 >> x) & 1;
}

static uint32_t rotl(uint32_t x, unsigned r)
{
    r &= 31u;
    return r ? (x << r) | (x >> (32u - r)) : x;
}

static uint32_t rotr(uint32_t x, unsigned r)
{
    r &= 31u;
    return r ? (x >> r) | (x << (32u - r)) : x;
}

static uint32_t to_gray(uint32_t x) { return x ^ (x >> 1); }

static uint32_t from_gray(uint32_t g)
{
    uint32_t x = g;
    while (g >>= 1)
        x ^= g;
    return x;
}

static uint32_t binomial(unsigned n, unsigned k)
{
    uint32_t r = 1;
    unsigned i;
    if (k > n) return 0;
    for (i = 1; i <= k; i++)
        r = r * (n - k + i) / i;
    return r;
}

static uint32_t count_subsets(unsigned n, unsigned k, uint32_t *xor_acc)
{
    uint32_t v, count = 0, limit = 1u << n;
    if (k == 0) return 1;
    v = (1u << k) - 1u;
    while (v < limit) {
        uint32_t t = v | (v - 1u);
        count++;
        *xor_acc ^= v * (count | 1u);
        /* Gosper's hack: next integer with the same popcount */
        v = (t + 1u) | (((~t & (0u - ~t)) - 1u) >> (ctz_loop(v) + 1));
    }
    return count;
}

static void sieve_clear(uint32_t i) { sieve_bits[i >> 6] &= ~((uint64_t)1 << (i & 63u)); }
static int sieve_test(uint32_t i) { return (int)((sieve_bits[i >> 6] >> (i & 63u)) & 1u); }

static uint32_t bitset_sieve(uint32_t *sum)
{
    uint32_t i, j, count = 0;
    memset(sieve_bits, 0xFF, sizeof sieve_bits);
    sieve_clear(0);
    sieve_clear(1);
    for (i = 2; i * i < SIEVE_N; i++)
        if (sieve_test(i))
            for (j = i * i; j < SIEVE_N; j += i)
                sieve_clear(j);
    *sum = 0;
    for (i = 0; i < WORDS; i++) {
        unsigned tail = SIEVE_N % 64u;
        uint64_t w = sieve_bits[i];
        if (i == WORDS - 1 && tail != 0)
            w &= ((uint64_t)1 << tail) - 1u;
        while (w) {
            int b = 0;
            uint64_t low = w & (0u - w);
            while (!((low >> b) & 1u)) b++;
            *sum += i * 64u + (uint32_t)b;
            count++;
            w &= w - 1u;
        }
    }
    return count;
}

static int is_prime_trial(uint32_t n)
{
    uint32_t d;
    if (n < 2) return 0;
    for (d = 2; d * d <= n; d++)
        if (n % d == 0) return 0;
    return 1;
}

int main(void)
{
    uint32_t i, popsum = 0, revx = 0, clzsum = 0, grayx = 0, acc = 0;
    uint32_t prime_sum, trial_count = 0, trial_sum = 0, pc;
    unsigned n, k;
    for (i = 0; i < 256; i++)
        pop_table[i] = (uint8_t)pop_loop(i);
    for (i = 0; i < 16; i++)
        rev_nibble[i] = (uint8_t)(((i & 1u) << 3) | ((i & 2u) << 1) | ((i & 4u) >> 1) | ((i & 8u) >> 3));

    for (i = 0; i < 3000; i++) {
        uint64_t r = splitmix();
        uint32_t x = (uint32_t)r, sh = (uint32_t)(r >> 40) & 31u;
        if (i % 5 == 0) x >>= sh;       /* exercise small values too */
        if (i % 7 == 0) x = (uint32_t)1 << sh;
        {
            int p = pop_loop(x);
            check(p == pop_kernighan(x) && p == pop_swar(x) && p == pop_table32(x), "popcount");
            popsum += (uint32_t)p;
        }
        {
            uint32_t r1 = rev_loop(x);
            check(r1 == rev_masks(x) && r1 == rev_table(x) && rev_loop(r1) == x, "reverse");
            revx ^= r1 + i;
        }
        check(clz_loop(x) == clz_binary(x), "clz");
        check(ctz_loop(x) == ctz_via_pop(x), "ctz");
        check(clz_loop(rev_masks(x)) == ctz_loop(x), "clz/ctz via reverse");
        clzsum += (uint32_t)clz_binary(x);
        check(parity_fold(x) == (pop_swar(x) & 1), "parity");
        check(rotr(rotl(x, sh), sh) == x && rotl(x, 32u - sh) == rotr(x, sh), "rotate");
        check(from_gray(to_gray(x)) == x, "gray");
        check(pop_swar(to_gray(i) ^ to_gray(i + 1u)) == 1, "gray adjacency");
        grayx ^= to_gray(x);
    }
    printf("popcount sum=%lu reverse xor=%08lx clz sum=%lu gray xor=%08lx\n",
           (unsigned long)popsum, (unsigned long)revx, (unsigned long)clzsum,
           (unsigned long)grayx);

    for (n = 1; n <= 16; n += 3) {
        for (k = 0; k <= n; k += 2) {
            uint32_t c = count_subsets(n, k, &acc);
            check(c == binomial(n, k), "gosper vs binomial");
        }
    }
    pc = count_subsets(16, 8, &acc);
    printf("C(16,8)=%lu subset xor=%08lx\n", (unsigned long)pc, (unsigned long)acc);

    pc = bitset_sieve(&prime_sum);
    for (i = 0; i < SIEVE_N; i++)
        if (is_prime_trial(i)) {
            trial_count++;
            trial_sum += i;
            check(sieve_test(i), "sieve member");
        }
    check(pc == trial_count && prime_sum == trial_sum, "sieve totals");
    check(pc == 2262, "pi(20000)");
    printf("primes below %d: %lu, sum %lu\n", SIEVE_N, (unsigned long)pc,
           (unsigned long)prime_sum);
    printf("%s\n", failures ? "bits: FAILED" : "bits: ok");
    return failures ? 1 : 0;
}
