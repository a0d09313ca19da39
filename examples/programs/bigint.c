/* bigint.c - arbitrary-precision unsigned integers in base 2^16 limbs:
 * addition, subtraction, comparison, schoolbook and Karatsuba
 * multiplication, division by a small word, decimal conversion and
 * parsing. Computes 100!, 2^256, Fibonacci numbers (by iteration and by
 * fast doubling) and 3^200, checking against known decimal strings,
 * residues modulo small primes and identities between the algorithms. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define LIMBS 160  /* up to 2560 bits */
#define BASE_BITS 16
#define BASE_MASK 0xFFFFu

typedef struct {
    uint32_t d[LIMBS]; /* each limb holds 16 bits */
    int n;             /* number of used limbs, no leading zero limbs */
} big;

static int failures;

static void check(int cond, const char *msg)
{
    if (!cond) {
        printf("FAIL: %s\n", msg);
        failures++;
    }
}

static void big_norm(big *a)
{
    while (a->n > 0 && a->d[a->n - 1] == 0)
        a->n--;
}

static void big_set(big *a, uint32_t v)
{
    memset(a, 0, sizeof *a);
    while (v) {
        a->d[a->n++] = v & BASE_MASK;
        v >>= BASE_BITS;
    }
}

static int big_cmp(const big *a, const big *b)
{
    int i;
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

static void big_add(big *r, const big *a, const big *b)
{
    big t;
    uint32_t carry = 0;
    int i, n = a->n > b->n ? a->n : b->n;
    memset(&t, 0, sizeof t);
    for (i = 0; i < n || carry; i++) {
        uint32_t s = carry;
        if (i < a->n) s += a->d[i];
        if (i < b->n) s += b->d[i];
        if (i < LIMBS) t.d[i] = s & BASE_MASK;
        carry = s >> BASE_BITS;
    }
    t.n = i < LIMBS ? i : LIMBS;
    big_norm(&t);
    *r = t;
}

/* r = a - b, requires a >= b */
static void big_sub(big *r, const big *a, const big *b)
{
    big t;
    uint32_t borrow = 0;
    int i;
    memset(&t, 0, sizeof t);
    for (i = 0; i < a->n; i++) {
        uint32_t x = a->d[i], y = (i < b->n ? b->d[i] : 0) + borrow;
        if (x >= y) {
            t.d[i] = x - y;
            borrow = 0;
        } else {
            t.d[i] = x + (1u << BASE_BITS) - y;
            borrow = 1;
        }
    }
    t.n = a->n;
    big_norm(&t);
    *r = t;
}

static void big_mul_school(big *r, const big *a, const big *b)
{
    big t;
    int i, j;
    memset(&t, 0, sizeof t);
    for (i = 0; i < a->n; i++) {
        uint32_t carry = 0;
        for (j = 0; j < b->n && i + j < LIMBS; j++) {
            uint32_t cur = t.d[i + j] + a->d[i] * b->d[j] + carry;
            /* a->d[i]*b->d[j] <= (2^16-1)^2, sum fits in 32 bits */
            t.d[i + j] = cur & BASE_MASK;
            carry = cur >> BASE_BITS;
        }
        for (j = i + b->n; carry && j < LIMBS; j++) {
            uint32_t cur = t.d[j] + carry;
            t.d[j] = cur & BASE_MASK;
            carry = cur >> BASE_BITS;
        }
    }
    t.n = a->n + b->n < LIMBS ? a->n + b->n : LIMBS;
    big_norm(&t);
    *r = t;
}

/* split a into low (first k limbs) and high parts */
static void big_split(const big *a, int k, big *lo, big *hi)
{
    memset(lo, 0, sizeof *lo);
    memset(hi, 0, sizeof *hi);
    if (a->n <= k) {
        *lo = *a;
        return;
    }
    memcpy(lo->d, a->d, sizeof(uint32_t) * (size_t)k);
    lo->n = k;
    big_norm(lo);
    memcpy(hi->d, a->d + k, sizeof(uint32_t) * (size_t)(a->n - k));
    hi->n = a->n - k;
}

static void big_shift_limbs(big *a, int k)
{
    int i;
    if (a->n == 0)
        return;
    for (i = a->n - 1; i >= 0; i--)
        if (i + k < LIMBS)
            a->d[i + k] = a->d[i];
    for (i = 0; i < k; i++)
        a->d[i] = 0;
    a->n = a->n + k < LIMBS ? a->n + k : LIMBS;
}

static void big_mul_karatsuba(big *r, const big *a, const big *b)
{
    big a0, a1, b0, b1, z0, z1, z2, sa, sb;
    int k, m = a->n > b->n ? a->n : b->n;
    if (a->n < 8 || b->n < 8) {
        big_mul_school(r, a, b);
        return;
    }
    k = m / 2;
    big_split(a, k, &a0, &a1);
    big_split(b, k, &b0, &b1);
    big_mul_karatsuba(&z0, &a0, &b0);
    big_mul_karatsuba(&z2, &a1, &b1);
    big_add(&sa, &a0, &a1);
    big_add(&sb, &b0, &b1);
    big_mul_karatsuba(&z1, &sa, &sb);
    big_sub(&z1, &z1, &z0);
    big_sub(&z1, &z1, &z2);
    big_shift_limbs(&z1, k);
    big_shift_limbs(&z2, 2 * k);
    big_add(r, &z0, &z1);
    big_add(r, r, &z2);
}

static void big_mul_small(big *a, uint32_t m)
{
    uint32_t carry = 0;
    int i;
    for (i = 0; i < a->n; i++) {
        uint32_t cur = a->d[i] * m + carry; /* m < 2^16 */
        a->d[i] = cur & BASE_MASK;
        carry = cur >> BASE_BITS;
    }
    while (carry && a->n < LIMBS) {
        a->d[a->n++] = carry & BASE_MASK;
        carry >>= BASE_BITS;
    }
}

static uint32_t big_div_small(big *a, uint32_t m)
{
    uint32_t rem = 0;
    int i;
    for (i = a->n - 1; i >= 0; i--) {
        uint32_t cur = (rem << BASE_BITS) | a->d[i];
        a->d[i] = cur / m;
        rem = cur % m;
    }
    big_norm(a);
    return rem;
}

static uint32_t big_mod_small(const big *a, uint32_t m)
{
    uint32_t rem = 0;
    int i;
    for (i = a->n - 1; i >= 0; i--)
        rem = ((rem << BASE_BITS) | a->d[i]) % m;
    return rem;
}

static int big_to_dec(const big *a, char *out, int cap)
{
    big t = *a;
    char tmp[800];
    int len = 0, i;
    if (t.n == 0) {
        out[0] = '0';
        out[1] = '\0';
        return 1;
    }
    while (t.n > 0 && len + 4 < (int)sizeof tmp) {
        uint32_t chunk = big_div_small(&t, 10000u);
        for (i = 0; i < 4; i++) {
            tmp[len++] = (char)('0' + chunk % 10u);
            chunk /= 10u;
        }
    }
    while (len > 1 && tmp[len - 1] == '0')
        len--;
    if (len >= cap)
        len = cap - 1;
    for (i = 0; i < len; i++)
        out[i] = tmp[len - 1 - i];
    out[len] = '\0';
    return len;
}

static void big_from_dec(big *a, const char *s)
{
    big_set(a, 0);
    for (; *s; s++) {
        big digit;
        big_mul_small(a, 10u);
        big_set(&digit, (uint32_t)(*s - '0'));
        big_add(a, a, &digit);
    }
}

/* fast doubling: F(2k) = F(k) * (2F(k+1) - F(k)), F(2k+1) = F(k)^2 + F(k+1)^2 */
static void fib_doubling(unsigned n, big *fn, big *fn1)
{
    big a, b, c, d, t;
    if (n == 0) {
        big_set(fn, 0);
        big_set(fn1, 1);
        return;
    }
    fib_doubling(n / 2, &a, &b);
    big_add(&t, &b, &b);
    big_sub(&t, &t, &a);
    big_mul_school(&c, &a, &t);
    big_mul_school(&d, &a, &a);
    big_mul_school(&t, &b, &b);
    big_add(&d, &d, &t);
    if (n % 2 == 0) {
        *fn = c;
        *fn1 = d;
    } else {
        *fn = d;
        big_add(fn1, &c, &d);
    }
}

static int digit_sum(const char *s)
{
    int sum = 0;
    while (*s)
        sum += *s++ - '0';
    return sum;
}

static uint32_t seed = 31337u;

static void big_random(big *a, int limbs)
{
    int i;
    memset(a, 0, sizeof *a);
    for (i = 0; i < limbs; i++) {
        seed = seed * 69069u + 1u;
        a->d[i] = seed >> 16;
    }
    a->n = limbs;
    big_norm(a);
}

int main(void)
{
    static char buf[800];
    static const char two256[] =
        "115792089237316195423570985008687907853269984665640564039457584007913129639936";
    static const char fib100[] = "354224848179261915075";
    big a, b, c, d, e;
    int i, len;
    uint32_t r;

    /* 100! */
    big_set(&a, 1);
    for (i = 2; i <= 100; i++)
        big_mul_small(&a, (uint32_t)i);
    len = big_to_dec(&a, buf, sizeof buf);
    printf("100! has %d digits, digit sum %d, starts %.12s\n", len, digit_sum(buf), buf);
    check(len == 158 && digit_sum(buf) == 648, "100!");
    check(strncmp(buf, "933262154439", 12) == 0, "100! prefix");
    check(strcmp(buf + len - 24, "000000000000000000000000") == 0 && buf[len - 25] != '0',
          "100! trailing zeros");
    r = big_mod_small(&a, 101u);
    check(r == 100u, "Wilson's theorem: 100! = -1 mod 101");

    /* 2^256 by repeated doubling vs squaring */
    big_set(&b, 1);
    for (i = 0; i < 256; i++)
        big_add(&b, &b, &b);
    big_set(&c, 2);
    for (i = 0; i < 8; i++)
        big_mul_school(&c, &c, &c);
    check(big_cmp(&b, &c) == 0, "2^256 two ways");
    big_to_dec(&b, buf, sizeof buf);
    check(strcmp(buf, two256) == 0, "2^256 decimal");
    big_from_dec(&d, two256);
    check(big_cmp(&d, &b) == 0, "decimal parse");
    printf("2^256 = %s\n", buf);

    /* Fibonacci by iteration vs fast doubling */
    big_set(&a, 0);
    big_set(&b, 1);
    for (i = 1; i <= 1000; i++) {
        big_add(&c, &a, &b);
        a = b;
        b = c;
        if (i == 100) {
            big_to_dec(&a, buf, sizeof buf);
            check(strcmp(buf, fib100) == 0, "F(100)");
        }
    }
    fib_doubling(1000, &d, &e);
    check(big_cmp(&a, &d) == 0 && big_cmp(&b, &e) == 0, "fib doubling");
    len = big_to_dec(&a, buf, sizeof buf);
    printf("F(1000) has %d digits, digit sum %d, ends %s\n", len, digit_sum(buf),
           buf + len - 10);
    check(len == 209, "F(1000) digits");

    /* 3^200 via small multiplications, checked mod primes by modpow */
    big_set(&a, 1);
    for (i = 0; i < 200; i++)
        big_mul_small(&a, 3u);
    {
        static const uint32_t primes[] = { 65521u, 65519u, 1009u, 7u };
        unsigned p;
        for (p = 0; p < 4; p++) {
            uint32_t m = primes[p], acc = 1, base = 3u % m;
            unsigned ex = 200;
            while (ex) {
                if (ex & 1u) acc = (uint32_t)(((uint64_t)acc * base) % m);
                base = (uint32_t)(((uint64_t)base * base) % m);
                ex >>= 1;
            }
            check(big_mod_small(&a, m) == acc, "3^200 residue");
        }
    }
    len = big_to_dec(&a, buf, sizeof buf);
    printf("3^200 has %d digits, starts %.10s\n", len, buf);

    /* schoolbook vs Karatsuba, plus (x*y - x) == x*(y-1) */
    for (i = 0; i < 12; i++) {
        big one;
        big_random(&a, 10 + i * 5);
        big_random(&b, 8 + i * 4);
        big_mul_school(&c, &a, &b);
        big_mul_karatsuba(&d, &a, &b);
        check(big_cmp(&c, &d) == 0, "karatsuba");
        big_set(&one, 1);
        big_sub(&e, &b, &one);
        big_mul_karatsuba(&e, &a, &e);
        big_sub(&d, &d, &a);
        check(big_cmp(&d, &e) == 0, "distributivity");
        check(big_mod_small(&c, 65521u) ==
              (uint32_t)(((uint64_t)big_mod_small(&a, 65521u) * big_mod_small(&b, 65521u)) % 65521u),
              "product residue");
    }
    printf("last product limbs=%d low=%04lx residue=%lu\n", c.n, (unsigned long)c.d[0],
           (unsigned long)big_mod_small(&c, 10007u));
    printf("%s\n", failures ? "bigint: FAILED" : "bigint: ok");
    return failures ? 1 : 0;
}
