/* checksum.c - CRC-32 (table-driven, bitwise, slice-by-4), Adler-32 and
 * Fletcher-16 over fixed test vectors and PRNG-generated buffers.
 * Every checksum is computed in at least two independent ways. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define BUF_LEN 4096

static uint32_t crc_table[4][256];
static unsigned char buffer[BUF_LEN];
static int failures = 0;

static void check(int cond, const char *what)
{
    if (!cond) {
        printf("FAIL: %s\n", what);
        failures++;
    }
}

static uint32_t rng_state = 0x12345678u;

static uint32_t rng_next(void)
{
    /* xorshift32 */
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

static void crc_init(void)
{
    uint32_t i;
    int k;
    for (i = 0; i < 256; i++) {
        uint32_t c = i;
        for (k = 0; k < 8; k++) {
            if (c & 1u)
                c = 0xEDB88320u ^ (c >> 1);
            else
                c >>= 1;
        }
        crc_table[0][i] = c;
    }
    for (i = 0; i < 256; i++) {
        uint32_t c = crc_table[0][i];
        for (k = 1; k < 4; k++) {
            c = crc_table[0][c & 0xFFu] ^ (c >> 8);
            crc_table[k][i] = c;
        }
    }
}

static uint32_t crc32_bitwise(const unsigned char *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    size_t i;
    int k;
    for (i = 0; i < n; i++) {
        crc ^= p[i];
        for (k = 0; k < 8; k++) {
            uint32_t mask = (uint32_t)0 - (crc & 1u);
            crc = (crc >> 1) ^ (0xEDB88320u & mask);
        }
    }
    return ~crc;
}

static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc = crc_table[0][(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    }
    return ~crc;
}

static uint32_t crc32_slice4(const unsigned char *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    while (n >= 4) {
        crc ^= (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
               ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
        crc = crc_table[3][crc & 0xFFu] ^ crc_table[2][(crc >> 8) & 0xFFu] ^
              crc_table[1][(crc >> 16) & 0xFFu] ^ crc_table[0][crc >> 24];
        p += 4;
        n -= 4;
    }
    while (n--) {
        crc = crc_table[0][(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    }
    return ~crc;
}

static uint32_t adler32_naive(const unsigned char *p, size_t n)
{
    uint32_t a = 1, b = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        a = (a + p[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

static uint32_t adler32_update(uint32_t adler, const unsigned char *p, size_t n)
{
    uint32_t a = adler & 0xFFFFu;
    uint32_t b = adler >> 16;
    while (n > 0) {
        size_t chunk = n < 5552 ? n : 5552;
        n -= chunk;
        while (chunk--) {
            a += *p++;
            b += a;
        }
        a %= 65521u;
        b %= 65521u;
    }
    return (b << 16) | a;
}

static uint16_t fletcher16_naive(const unsigned char *p, size_t n)
{
    uint32_t s1 = 0, s2 = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        s1 = (s1 + p[i]) % 255u;
        s2 = (s2 + s1) % 255u;
    }
    return (uint16_t)((s2 << 8) | s1);
}

static uint16_t fletcher16_blocked(const unsigned char *p, size_t n)
{
    uint32_t s1 = 0xFF, s2 = 0xFF;
    while (n) {
        size_t len = n > 20 ? 20 : n;
        n -= len;
        do {
            s1 += *p++;
            s2 += s1;
        } while (--len);
        s1 = (s1 & 0xFFu) + (s1 >> 8);
        s2 = (s2 & 0xFFu) + (s2 >> 8);
    }
    s1 = (s1 & 0xFFu) + (s1 >> 8);
    s2 = (s2 & 0xFFu) + (s2 >> 8);
    /* reduce the ones-complement representation 255 to 0 */
    if (s1 == 255u) s1 = 0;
    if (s2 == 255u) s2 = 0;
    return (uint16_t)((s2 << 8) | s1);
}

struct vector {
    const char *text;
    uint32_t crc;
    uint32_t adler;
};

static const struct vector vectors[] = {
    { "", 0x00000000u, 0x00000001u },
    { "a", 0xE8B7BE43u, 0x00620062u },
    { "abc", 0x352441C2u, 0x024D0127u },
    { "123456789", 0xCBF43926u, 0x091E01DEu },
    { "Wikipedia", 0xADAAC02Eu, 0x11E60398u },
    { "The quick brown fox jumps over the lazy dog", 0x414FA339u, 0x5BDC0FDAu },
};

static void test_vectors(void)
{
    size_t i;
    char msg[80];
    for (i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const unsigned char *p = (const unsigned char *)vectors[i].text;
        size_t n = strlen(vectors[i].text);
        uint32_t c1 = crc32_bitwise(p, n);
        uint32_t c2 = crc32_update(0, p, n);
        uint32_t c3 = crc32_slice4(p, n);
        uint32_t a1 = adler32_naive(p, n);
        uint32_t a2 = adler32_update(1, p, n);
        sprintf(msg, "vector %u crc", (unsigned)i);
        check(c1 == vectors[i].crc && c2 == c1 && c3 == c1, msg);
        sprintf(msg, "vector %u adler", (unsigned)i);
        check(a1 == vectors[i].adler && a2 == a1, msg);
        printf("vec%u crc32=%08lx adler32=%08lx\n", (unsigned)i,
               (unsigned long)c1, (unsigned long)a1);
    }
    check(fletcher16_naive((const unsigned char *)"abcde", 5) == 0xC8F0u,
          "fletcher16 abcde");
    check(fletcher16_naive((const unsigned char *)"abcdef", 6) == 0x2057u,
          "fletcher16 abcdef");
}

static void test_buffers(void)
{
    size_t i, lens[] = { 1, 3, 4, 7, 64, 1000, 4093, BUF_LEN };
    uint32_t total = 0;
    for (i = 0; i < BUF_LEN; i++)
        buffer[i] = (unsigned char)(rng_next() >> 24);
    for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        size_t n = lens[i], split = n / 3;
        uint32_t c1 = crc32_bitwise(buffer, n);
        uint32_t c2 = crc32_slice4(buffer, n);
        uint32_t c3 = crc32_update(crc32_update(0, buffer, split),
                                   buffer + split, n - split);
        uint32_t a1 = adler32_naive(buffer, n);
        uint32_t a2 = adler32_update(adler32_update(1, buffer, split),
                                     buffer + split, n - split);
        uint16_t f1 = fletcher16_naive(buffer, n);
        uint16_t f2 = fletcher16_blocked(buffer, n);
        check(c1 == c2 && c1 == c3, "buffer crc agreement");
        check(a1 == a2, "buffer adler agreement");
        check(f1 == f2, "buffer fletcher agreement");
        printf("len %4u: crc=%08lx adler=%08lx fletcher=%04x\n", (unsigned)n,
               (unsigned long)c1, (unsigned long)a1, (unsigned)f1);
        total ^= c1 ^ a1 ^ f1;
    }
    printf("buffer digest %08lx\n", (unsigned long)total);
}

static void test_residue(void)
{
    /* Appending the little-endian CRC of a message to it yields the
     * well-known CRC-32 residue constant. */
    unsigned char tmp[64];
    uint32_t c, r;
    memcpy(tmp, "residue check message", 21);
    c = crc32_update(0, tmp, 21);
    tmp[21] = (unsigned char)(c & 0xFFu);
    tmp[22] = (unsigned char)((c >> 8) & 0xFFu);
    tmp[23] = (unsigned char)((c >> 16) & 0xFFu);
    tmp[24] = (unsigned char)(c >> 24);
    r = ~crc32_bitwise(tmp, 25);
    check(r == 0xDEBB20E3u, "crc residue");
    printf("residue %08lx\n", (unsigned long)r);
}

int main(void)
{
    crc_init();
    test_vectors();
    test_buffers();
    test_residue();
    printf("%s\n", failures ? "checksum: FAILED" : "checksum: ok");
    return failures ? 1 : 0;
}
