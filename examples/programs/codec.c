/* codec.c - encoders/decoders with round-trip checks: base64 (with
 * padding, validated against RFC 4648 test vectors), hexadecimal, byte
 * run-length encoding, PackBits, LZ77-style compression with a sliding
 * window, and a move-to-front transform. Inputs are fixed strings and
 * PRNG-generated buffers of varying redundancy. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define BUF 2048

static int failures;
static unsigned char src[BUF], enc[BUF * 3], dec[BUF * 2];

static void check(int cond, const char *msg)
{
    if (!cond) {
        printf("FAIL: %s\n", msg);
        failures++;
    }
}

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t b64_encode(const unsigned char *in, size_t n, char *out)
{
    size_t i, o = 0;
    for (i = 0; i + 2 < n; i += 3) {
        uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8) | in[i + 2];
        out[o++] = b64chars[(v >> 18) & 63u];
        out[o++] = b64chars[(v >> 12) & 63u];
        out[o++] = b64chars[(v >> 6) & 63u];
        out[o++] = b64chars[v & 63u];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = b64chars[(v >> 18) & 63u];
        out[o++] = b64chars[(v >> 12) & 63u];
        out[o++] = '=';
        out[o++] = '=';
    } else if (n - i == 2) {
        uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8);
        out[o++] = b64chars[(v >> 18) & 63u];
        out[o++] = b64chars[(v >> 12) & 63u];
        out[o++] = b64chars[(v >> 6) & 63u];
        out[o++] = '=';
    }
    out[o] = '\0';
    return o;
}

static int b64_value(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    switch (c) {
    case '+': return 62;
    case '/': return 63;
    case '=': return 64;
    default: return -1;
    }
}

/* returns decoded length or -1 on malformed input */
static long b64_decode(const char *in, size_t n, unsigned char *out)
{
    size_t i;
    long o = 0;
    if (n % 4 != 0)
        return -1;
    for (i = 0; i < n; i += 4) {
        int a = b64_value(in[i]), b = b64_value(in[i + 1]);
        int c = b64_value(in[i + 2]), d = b64_value(in[i + 3]);
        uint32_t v;
        if (a < 0 || b < 0 || c < 0 || d < 0 || a == 64 || b == 64)
            return -1;
        if ((c == 64 || d == 64) && i + 4 != n)
            return -1;
        if (c == 64 && d != 64)
            return -1;
        v = ((uint32_t)a << 18) | ((uint32_t)b << 12) |
            ((uint32_t)(c & 63) << 6) | (uint32_t)(d & 63);
        out[o++] = (unsigned char)(v >> 16);
        if (c != 64) out[o++] = (unsigned char)(v >> 8);
        if (d != 64) out[o++] = (unsigned char)v;
    }
    return o;
}

static size_t hex_encode(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15u];
    }
    out[2 * n] = '\0';
    return 2 * n;
}

static size_t hex_decode(const char *in, size_t n, unsigned char *out)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2) {
        int hi = in[i] <= '9' ? in[i] - '0' : in[i] - 'a' + 10;
        int lo = in[i + 1] <= '9' ? in[i + 1] - '0' : in[i + 1] - 'a' + 10;
        out[i / 2] = (unsigned char)(hi * 16 + lo);
    }
    return n / 2;
}

/* simple RLE: (count, byte) pairs, count 1..255 */
static size_t rle_encode(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        size_t run = 1;
        while (i + run < n && in[i + run] == in[i] && run < 255)
            run++;
        out[o++] = (unsigned char)run;
        out[o++] = in[i];
        i += run;
    }
    return o;
}

static size_t rle_decode(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t i, o = 0;
    for (i = 0; i + 1 < n; i += 2) {
        memset(out + o, in[i + 1], in[i]);
        o += in[i];
    }
    return o;
}

/* PackBits: header h in 0..127 => h+1 literal bytes; 129..255 => repeat
 * the next byte 257-h times */
static size_t packbits_encode(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        size_t run = 1;
        while (i + run < n && run < 128 && in[i + run] == in[i])
            run++;
        if (run >= 3) {
            out[o++] = (unsigned char)(257 - run);
            out[o++] = in[i];
            i += run;
        } else {
            size_t start = i, len = 0;
            while (i < n && len < 128) {
                if (i + 2 < n && in[i] == in[i + 1] && in[i] == in[i + 2])
                    break;
                i++;
                len++;
            }
            out[o++] = (unsigned char)(len - 1);
            memcpy(out + o, in + start, len);
            o += len;
        }
    }
    return o;
}

static size_t packbits_decode(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned h = in[i++];
        if (h < 128) {
            memcpy(out + o, in + i, h + 1u);
            o += h + 1u;
            i += h + 1u;
        } else if (h > 128) {
            memset(out + o, in[i++], 257u - h);
            o += 257u - h;
        }
    }
    return o;
}

/* LZ77: token = flag byte; 0 => literal byte follows; 1 => 2-byte offset,
 * 1-byte length (3..258) follow */
#define WINDOW 1024
#define MIN_MATCH 3
#define MAX_MATCH 258

static size_t lz_encode(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        size_t best_len = 0, best_off = 0, start = i > WINDOW ? i - WINDOW : 0, j;
        for (j = start; j < i; j++) {
            size_t len = 0;
            while (i + len < n && len < MAX_MATCH && in[j + len] == in[i + len])
                len++;
            if (len > best_len) {
                best_len = len;
                best_off = i - j;
            }
        }
        if (best_len >= MIN_MATCH) {
            out[o++] = 1;
            out[o++] = (unsigned char)(best_off >> 8);
            out[o++] = (unsigned char)(best_off & 0xFFu);
            out[o++] = (unsigned char)(best_len - MIN_MATCH);
            i += best_len;
        } else {
            out[o++] = 0;
            out[o++] = in[i++];
        }
    }
    return o;
}

static size_t lz_decode(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        if (in[i] == 0) {
            out[o++] = in[i + 1];
            i += 2;
        } else {
            size_t off = ((size_t)in[i + 1] << 8) | in[i + 2];
            size_t len = (size_t)in[i + 3] + MIN_MATCH, k;
            for (k = 0; k < len; k++, o++)   /* overlapping copy, byte by byte */
                out[o] = out[o - off];
            i += 4;
        }
    }
    return o;
}

static void mtf(const unsigned char *in, size_t n, unsigned char *out, int inverse)
{
    unsigned char order[256];
    size_t i;
    int k;
    for (k = 0; k < 256; k++)
        order[k] = (unsigned char)k;
    for (i = 0; i < n; i++) {
        int idx;
        unsigned char c;
        if (inverse) {
            idx = in[i];
            c = order[idx];
        } else {
            c = in[i];
            for (idx = 0; order[idx] != c; idx++)
                ;
        }
        out[i] = inverse ? c : (unsigned char)idx;
        for (k = idx; k > 0; k--)
            order[k] = order[k - 1];
        order[0] = c;
    }
}

static uint32_t seed = 99991u;

static void gen(unsigned char *buf, size_t n, int redundancy)
{
    size_t i = 0;
    while (i < n) {
        seed = seed * 747796405u + 2891336453u;
        if ((int)(seed >> 28) < redundancy && i > 8) {
            size_t back = 1 + (seed >> 8) % (i < 64 ? i : 64), len = 3 + (seed >> 20) % 20u, k;
            for (k = 0; k < len && i < n; k++, i++)
                buf[i] = buf[i - back];
        } else {
            buf[i++] = (unsigned char)("aaabcdeXYZ  \n\0\xff"[(seed >> 16) % 15u]);
        }
    }
}

int main(void)
{
    static const char *const vec_in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    static const char *const vec_out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
    static const char *const bad[] = { "Zg=", "Z===", "Zg==Zg==", "Zm9v!A==", "Zm=v" };
    static const size_t sizes[] = { 1, 2, 3, 100, 777, BUF };
    unsigned i, r;
    uint32_t digest = 0;

    for (i = 0; i < 7; i++) {
        char out[16];
        long n;
        b64_encode((const unsigned char *)vec_in[i], strlen(vec_in[i]), out);
        check(strcmp(out, vec_out[i]) == 0, "base64 vector");
        n = b64_decode(out, strlen(out), dec);
        check(n == (long)strlen(vec_in[i]) && memcmp(dec, vec_in[i], (size_t)n) == 0,
              "base64 vector decode");
    }
    for (i = 0; i < 5; i++)
        check(b64_decode(bad[i], strlen(bad[i]), dec) < 0, "base64 rejects malformed");
    printf("base64 vectors ok\n");

    for (r = 0; r <= 12; r += 4) {
        for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            size_t n = sizes[i], e, d, rle_n, pb_n, lz_n;
            long bn;
            gen(src, n, (int)r);
            e = b64_encode(src, n, (char *)enc);
            bn = b64_decode((const char *)enc, e, dec);
            check(bn == (long)n && memcmp(dec, src, n) == 0, "base64 round trip");
            e = hex_encode(src, n, (char *)enc);
            d = hex_decode((const char *)enc, e, dec);
            check(d == n && memcmp(dec, src, n) == 0, "hex round trip");
            rle_n = rle_encode(src, n, enc);
            d = rle_decode(enc, rle_n, dec);
            check(d == n && memcmp(dec, src, n) == 0, "rle round trip");
            pb_n = packbits_encode(src, n, enc);
            d = packbits_decode(enc, pb_n, dec);
            check(d == n && memcmp(dec, src, n) == 0, "packbits round trip");
            lz_n = lz_encode(src, n, enc);
            d = lz_decode(enc, lz_n, dec);
            check(d == n && memcmp(dec, src, n) == 0, "lz round trip");
            mtf(src, n, enc, 0);
            mtf(enc, n, dec, 1);
            check(memcmp(dec, src, n) == 0, "mtf round trip");
            if (n == BUF)
                printf("redundancy %2u: n=%u rle=%u packbits=%u lz=%u\n", r, (unsigned)n,
                       (unsigned)rle_n, (unsigned)pb_n, (unsigned)lz_n);
            digest = digest * 31u + (uint32_t)(rle_n + pb_n * 3u + lz_n * 7u);
        }
    }
    printf("digest %08lx\n", (unsigned long)digest);
    printf("%s\n", failures ? "codec: FAILED" : "codec: ok");
    return failures ? 1 : 0;
}
