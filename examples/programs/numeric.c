/* numeric.c - integer and fixed-point numeric kernels: matrix multiply in
 * four loop orders (ijk, ikj, transposed, blocked), Bareiss determinant vs
 * Laplace expansion, Fibonacci via 2x2 matrix power vs iteration, Q16.16
 * fixed-point square root (Newton vs bit-by-bit), CORDIC sine/cosine vs a
 * Taylor polynomial, and a fixed-point dot product / FIR filter. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define N 48
#define BS 8
#define FIX_ONE 65536
#define FIX_SHIFT 16

typedef int32_t fix;

static int32_t A[N][N], B[N][N], Bt[N][N];
static int32_t C1[N][N], C2[N][N], C3[N][N], C4[N][N];
static uint32_t seed = 2463534242u;
static int failures;

static void check(int cond, const char *msg)
{
    if (!cond) {
        printf("FAIL: %s\n", msg);
        failures++;
    }
}

static int32_t small_rand(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return (int32_t)(seed % 201u) - 100;
}

static void matmul_ijk(void)
{
    int i, j, k;
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++) {
            int32_t s = 0;
            for (k = 0; k < N; k++)
                s += A[i][k] * B[k][j];
            C1[i][j] = s;
        }
}

static void matmul_ikj(void)
{
    int i, j, k;
    memset(C2, 0, sizeof C2);
    for (i = 0; i < N; i++)
        for (k = 0; k < N; k++) {
            int32_t a = A[i][k];
            for (j = 0; j < N; j++)
                C2[i][j] += a * B[k][j];
        }
}

static void matmul_transposed(void)
{
    int i, j, k;
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++)
            Bt[j][i] = B[i][j];
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++) {
            const int32_t *ra = A[i], *rb = Bt[j];
            int32_t s = 0;
            for (k = 0; k < N; k++)
                s += ra[k] * rb[k];
            C3[i][j] = s;
        }
}

static void matmul_blocked(void)
{
    int ii, jj, kk, i, j, k;
    memset(C4, 0, sizeof C4);
    for (ii = 0; ii < N; ii += BS)
        for (kk = 0; kk < N; kk += BS)
            for (jj = 0; jj < N; jj += BS)
                for (i = ii; i < ii + BS; i++)
                    for (k = kk; k < kk + BS; k++) {
                        int32_t a = A[i][k];
                        for (j = jj; j < jj + BS; j++)
                            C4[i][j] += a * B[k][j];
                    }
}

static uint32_t mat_hash(int32_t m[N][N])
{
    uint32_t h = 0;
    int i, j;
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++)
            h = (h ^ (uint32_t)m[i][j]) * 0x01000193u;
    return h;
}

/* determinant of small integer matrices */
#define DN 6

static int64_t det_laplace(int64_t m[DN][DN], int n, unsigned used_cols, int row)
{
    int64_t total = 0;
    int c, sign = 1;
    if (row == n)
        return 1;
    for (c = 0; c < n; c++) {
        if (used_cols & (1u << c))
            continue;
        if (m[row][c] != 0) {
            int64_t sub = det_laplace(m, n, used_cols | (1u << c), row + 1);
            total += sign * m[row][c] * sub;
        }
        sign = -sign;
    }
    return total;
}

static int64_t det_bareiss(int64_t in[DN][DN], int n)
{
    int64_t m[DN][DN];
    int64_t prev = 1;
    int sign = 1, i, j, k;
    memcpy(m, in, sizeof m);
    for (k = 0; k < n - 1; k++) {
        if (m[k][k] == 0) {
            int p;
            for (p = k + 1; p < n && m[p][k] == 0; p++)
                ;
            if (p == n)
                return 0;
            for (j = 0; j < n; j++) {
                int64_t t = m[k][j];
                m[k][j] = m[p][j];
                m[p][j] = t;
            }
            sign = -sign;
        }
        for (i = k + 1; i < n; i++)
            for (j = k + 1; j < n; j++)
                m[i][j] = (m[i][j] * m[k][k] - m[i][k] * m[k][j]) / prev;
        prev = m[k][k];
    }
    return sign * m[n - 1][n - 1];
}

/* Fibonacci modulo 2^32 via fast 2x2 matrix power */
static void mat2_mul(uint32_t r[4], const uint32_t a[4], const uint32_t b[4])
{
    uint32_t t[4];
    t[0] = a[0] * b[0] + a[1] * b[2];
    t[1] = a[0] * b[1] + a[1] * b[3];
    t[2] = a[2] * b[0] + a[3] * b[2];
    t[3] = a[2] * b[1] + a[3] * b[3];
    memcpy(r, t, sizeof t);
}

static uint32_t fib_matrix(unsigned n)
{
    uint32_t result[4] = { 1, 0, 0, 1 }, base[4] = { 1, 1, 1, 0 };
    while (n) {
        if (n & 1u)
            mat2_mul(result, result, base);
        mat2_mul(base, base, base);
        n >>= 1;
    }
    return result[1];
}

static uint32_t fib_iter(unsigned n)
{
    uint32_t a = 0, b = 1;
    while (n--) {
        uint32_t t = a + b;
        a = b;
        b = t;
    }
    return a;
}

/* ---------------- fixed point ---------------- */
static fix fix_mul(fix a, fix b)
{
    return (fix)(((int64_t)a * b) / FIX_ONE);
}

static fix fix_div(fix a, fix b)
{
    return (fix)(((int64_t)a * FIX_ONE) / b);
}

static fix fix_sqrt_newton(fix x)
{
    fix r;
    int i;
    if (x <= 0)
        return 0;
    r = x > FIX_ONE ? x / 2 : FIX_ONE;
    for (i = 0; i < 40; i++) {
        fix next = (r + fix_div(x, r)) / 2;
        if (next == r)
            break;
        r = next;
    }
    return r;
}

static fix fix_sqrt_bits(fix x)
{
    /* integer sqrt of x << 16 computed digit by digit */
    uint64_t v = (uint64_t)(uint32_t)x << FIX_SHIFT;
    uint64_t res = 0, bit = (uint64_t)1 << 62;
    while (bit > v)
        bit >>= 2;
    while (bit) {
        if (v >= res + bit) {
            v -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    return (fix)res;
}

/* atan(2^-i) in Q16.16 */
static const fix cordic_atan[16] = {
    51472, 30386, 16055, 8150, 4091, 2047, 1024, 512,
    256, 128, 64, 32, 16, 8, 4, 2
};
#define CORDIC_K 39797 /* 0.607252935 * 65536 */
#define FIX_PI 205887
#define FIX_HALF_PI 102944

static void cordic_sincos(fix angle, fix *s, fix *c)
{
    fix x = CORDIC_K, y = 0, z = angle;
    int i;
    for (i = 0; i < 16; i++) {
        fix nx;
        if (z >= 0) {
            nx = x - (y >> i);
            y = y + (x >> i);
            z -= cordic_atan[i];
        } else {
            nx = x + (y >> i);
            y = y - (x >> i);
            z += cordic_atan[i];
        }
        x = nx;
    }
    *s = y;
    *c = x;
}

static fix taylor_sin(fix x)
{
    /* x - x^3/6 + x^5/120 - x^7/5040 + x^9/362880 */
    fix x2 = fix_mul(x, x), term = x, sum = x;
    int k;
    for (k = 1; k <= 5; k++) {
        term = fix_mul(term, x2);
        term = -term / ((2 * k) * (2 * k + 1));
        sum += term;
    }
    return sum;
}

static int32_t iabs32(int32_t v) { return v < 0 ? -v : v; }

static void fir_filter(const int16_t *in, int n, const int16_t *taps, int ntaps, int32_t *out)
{
    int i, t;
    for (i = 0; i < n; i++) {
        int32_t acc = 0;
        for (t = 0; t < ntaps; t++)
            if (i - t >= 0)
                acc += (int32_t)in[i - t] * taps[t];
        out[i] = acc >> 8;
    }
}

int main(void)
{
    int i, j;
    int64_t dm[DN][DN];
    uint32_t h;
    int32_t max_sin_err = 0, max_cos_err = 0;
    int16_t signal[64], taps[5] = { 32, 64, 64, 64, 32 };
    int32_t filtered[64], fir_sum = 0;

    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++) {
            A[i][j] = small_rand();
            B[i][j] = small_rand();
        }
    matmul_ijk();
    matmul_ikj();
    matmul_transposed();
    matmul_blocked();
    h = mat_hash(C1);
    check(memcmp(C1, C2, sizeof C1) == 0, "matmul ikj");
    check(memcmp(C1, C3, sizeof C1) == 0, "matmul transposed");
    check(memcmp(C1, C4, sizeof C1) == 0, "matmul blocked");
    printf("matmul %dx%d hash=%08lx c[0][0]=%ld c[47][47]=%ld\n", N, N,
           (unsigned long)h, (long)C1[0][0], (long)C1[N - 1][N - 1]);

    for (i = 0; i < 4; i++) {
        int64_t d1, d2;
        int r, c;
        for (r = 0; r < DN; r++)
            for (c = 0; c < DN; c++)
                dm[r][c] = small_rand() % 10;
        if (i == 3)
            for (c = 0; c < DN; c++)
                dm[4][c] = 2 * dm[1][c];  /* singular */
        d1 = det_laplace(dm, DN, 0, 0);
        d2 = det_bareiss(dm, DN);
        check(d1 == d2, "determinant");
        printf("det[%d] = %lld\n", i, (long long)d1);
    }
    check(det_bareiss(dm, DN) == 0, "singular determinant");

    for (i = 0; i < 100; i += 7)
        check(fib_matrix((unsigned)i) == fib_iter((unsigned)i), "fibonacci");
    check(fib_matrix(47) == 2971215073u, "fib(47)");
    printf("fib(90) mod 2^32 = %lu\n", (unsigned long)fib_matrix(90));

    for (i = 0; i <= 20; i++) {
        fix x = i * i * FIX_ONE / 4 + i * 1000;
        fix r1 = fix_sqrt_newton(x), r2 = fix_sqrt_bits(x);
        check(iabs32(r1 - r2) <= 2, "sqrt agreement");
    }
    printf("sqrt(2)=%ld/65536 sqrt(10)=%ld/65536\n", (long)fix_sqrt_bits(2 * FIX_ONE),
           (long)fix_sqrt_bits(10 * FIX_ONE));
    check(fix_sqrt_bits(2 * FIX_ONE) == 92681, "sqrt 2");

    for (i = -16; i <= 16; i++) {
        fix ang = (fix)((int64_t)FIX_HALF_PI * i / 16), s, c;
        fix ts, tc;
        cordic_sincos(ang, &s, &c);
        ts = taylor_sin(ang);
        tc = taylor_sin(FIX_HALF_PI - ang);
        if (iabs32(s - ts) > max_sin_err) max_sin_err = iabs32(s - ts);
        if (iabs32(c - tc) > max_cos_err) max_cos_err = iabs32(c - tc);
    }
    printf("cordic vs taylor: max sin err=%ld max cos err=%ld (1/65536)\n",
           (long)max_sin_err, (long)max_cos_err);
    check(max_sin_err < 40 && max_cos_err < 40, "cordic accuracy");
    {
        fix s, c;
        cordic_sincos(FIX_PI / 6, &s, &c);
        printf("sin(pi/6)*1000=%ld cos(pi/6)*1000=%ld\n",
               (long)((s * 1000 + FIX_ONE / 2) >> FIX_SHIFT),
               (long)((c * 1000 + FIX_ONE / 2) >> FIX_SHIFT));
        check((s * 1000 + FIX_ONE / 2) >> FIX_SHIFT == 500, "sin 30");
    }

    for (i = 0; i < 64; i++)
        signal[i] = (int16_t)((i % 16 < 8 ? 1000 : -1000) + (small_rand() * 3));
    fir_filter(signal, 64, taps, 5, filtered);
    for (i = 0; i < 64; i++)
        fir_sum += filtered[i] * (i + 1);
    printf("fir weighted sum = %ld, y[10]=%ld\n", (long)fir_sum, (long)filtered[10]);

    printf("%s\n", failures ? "numeric: FAILED" : "numeric: ok");
    return failures ? 1 : 0;
}
