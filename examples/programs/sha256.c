/* sha256.c - SHA-256 and SHA-1 message digests with streaming updates,
 * checked against the FIPS 180 / RFC test vectors (including one million
 * 'a'), HMAC-SHA256 against RFC 4231, and one-shot vs arbitrary-split
 * streaming agreement on PRNG data. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

struct sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    unsigned fill;
};

struct sha1 {
    uint32_t h[5];
    uint64_t len;
    unsigned char buf[64];
    unsigned fill;
};

static int failures;

static const uint32_t K256[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u
};

static uint32_t rotr32(uint32_t x, unsigned n) { return (x >> n) | (x << (32u - n)); }
static uint32_t rotl32(uint32_t x, unsigned n) { return (x << n) | (x >> (32u - n)); }

static uint32_t load_be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void store_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void sha256_block(struct sha256 *s, const unsigned char *blk)
{
    uint32_t w[64], a, b, c, d, e, f, g, h;
    int i;
    for (i = 0; i < 16; i++)
        w[i] = load_be32(blk + 4 * i);
    for (i = 16; i < 64; i++) {
        uint32_t s0 = rotr32(w[i - 15], 7) ^ rotr32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr32(w[i - 2], 17) ^ rotr32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3];
    e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
    for (i = 0; i < 64; i++) {
        uint32_t S1 = rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = h + S1 + ch + K256[i] + w[i];
        uint32_t S0 = rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        h = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
    s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static void sha256_init(struct sha256 *s)
{
    static const uint32_t iv[8] = {
        0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
        0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u
    };
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->fill = 0;
}

static void sha256_update(struct sha256 *s, const unsigned char *p, size_t n)
{
    s->len += n;
    while (n > 0) {
        size_t take = 64 - s->fill;
        if (take > n)
            take = n;
        if (s->fill == 0 && n >= 64) {
            sha256_block(s, p);
            p += 64;
            n -= 64;
            continue;
        }
        memcpy(s->buf + s->fill, p, take);
        s->fill += (unsigned)take;
        p += take;
        n -= take;
        if (s->fill == 64) {
            sha256_block(s, s->buf);
            s->fill = 0;
        }
    }
}

static void sha256_final(struct sha256 *s, unsigned char out[32])
{
    uint64_t bits = s->len * 8u;
    unsigned char pad[72];
    size_t padlen = (s->fill < 56 ? 56 : 120) - s->fill;
    int i;
    memset(pad, 0, sizeof pad);
    pad[0] = 0x80;
    for (i = 0; i < 8; i++)
        pad[padlen + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(s, pad, padlen + 8);
    for (i = 0; i < 8; i++)
        store_be32(out + 4 * i, s->h[i]);
}

static void sha1_block(struct sha1 *s, const unsigned char *blk)
{
    uint32_t w[80], a, b, c, d, e;
    int i;
    for (i = 0; i < 16; i++)
        w[i] = load_be32(blk + 4 * i);
    for (i = 16; i < 80; i++)
        w[i] = rotl32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3]; e = s->h[4];
    for (i = 0; i < 80; i++) {
        uint32_t f, k, t;
        switch (i / 20) {
        case 0: f = (b & c) | (~b & d); k = 0x5A827999u; break;
        case 1: f = b ^ c ^ d; k = 0x6ED9EBA1u; break;
        case 2: f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDCu; break;
        default: f = b ^ c ^ d; k = 0xCA62C1D6u; break;
        }
        t = rotl32(a, 5) + f + e + k + w[i];
        e = d; d = c; c = rotl32(b, 30); b = a; a = t;
    }
    s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d; s->h[4] += e;
}

static void sha1_digest(const unsigned char *p, size_t n, unsigned char out[20])
{
    struct sha1 s;
    unsigned char tail[128];
    size_t full = n / 64 * 64, rest = n - full, tlen;
    uint64_t bits = (uint64_t)n * 8u;
    int i;
    s.h[0] = 0x67452301u; s.h[1] = 0xEFCDAB89u; s.h[2] = 0x98BADCFEu;
    s.h[3] = 0x10325476u; s.h[4] = 0xC3D2E1F0u;
    for (i = 0; (size_t)i < full; i += 64)
        sha1_block(&s, p + i);
    memset(tail, 0, sizeof tail);
    memcpy(tail, p + full, rest);
    tail[rest] = 0x80;
    tlen = rest < 56 ? 64 : 128;
    for (i = 0; i < 8; i++)
        tail[tlen - 8 + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
    sha1_block(&s, tail);
    if (tlen == 128)
        sha1_block(&s, tail + 64);
    for (i = 0; i < 5; i++)
        store_be32(out + 4 * i, s.h[i]);
}

static void sha256_digest(const unsigned char *p, size_t n, unsigned char out[32])
{
    struct sha256 s;
    sha256_init(&s);
    sha256_update(&s, p, n);
    sha256_final(&s, out);
}

static void hmac_sha256(const unsigned char *key, size_t klen, const unsigned char *msg,
                        size_t mlen, unsigned char out[32])
{
    unsigned char k[64], pad[64], inner[32];
    struct sha256 s;
    int i;
    memset(k, 0, sizeof k);
    if (klen > 64)
        sha256_digest(key, klen, k);
    else
        memcpy(k, key, klen);
    for (i = 0; i < 64; i++)
        pad[i] = (unsigned char)(k[i] ^ 0x36u);
    sha256_init(&s);
    sha256_update(&s, pad, 64);
    sha256_update(&s, msg, mlen);
    sha256_final(&s, inner);
    for (i = 0; i < 64; i++)
        pad[i] = (unsigned char)(k[i] ^ 0x5Cu);
    sha256_init(&s);
    sha256_update(&s, pad, 64);
    sha256_update(&s, inner, 32);
    sha256_final(&s, out);
}

static void to_hex(const unsigned char *d, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15u];
    }
    out[2 * n] = '\0';
}

static void expect_hex(const unsigned char *d, size_t n, const char *want, const char *label)
{
    char hex[129];
    to_hex(d, n, hex);
    printf("%-14s %.16s...\n", label, hex);
    if (strcmp(hex, want) != 0) {
        printf("FAIL: %s: got %s\n", label, hex);
        failures++;
    }
}

int main(void)
{
    static unsigned char data[5000];
    static const char abc448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    unsigned char d[32], d2[32];
    struct sha256 s;
    uint32_t x = 1, chain = 0;
    int i, trial;

    sha256_digest((const unsigned char *)"", 0, d);
    expect_hex(d, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256('')");
    sha256_digest((const unsigned char *)"abc", 3, d);
    expect_hex(d, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256(abc)");
    sha256_digest((const unsigned char *)abc448, strlen(abc448), d);
    expect_hex(d, 32, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "sha256(448b)");

    sha256_init(&s);
    memset(data, 'a', 1000);
    for (i = 0; i < 1000; i++)
        sha256_update(&s, data, 1000);
    sha256_final(&s, d);
    expect_hex(d, 32, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "sha256(1M a)");

    sha1_digest((const unsigned char *)"abc", 3, d);
    expect_hex(d, 20, "a9993e364706816aba3e25717850c26c9cd0d89d", "sha1(abc)");
    sha1_digest((const unsigned char *)"", 0, d);
    expect_hex(d, 20, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "sha1('')");
    sha1_digest((const unsigned char *)abc448, strlen(abc448), d);
    expect_hex(d, 20, "84983e441c3bd26ebaae4aa1f95129e5e54670f1", "sha1(448b)");

    hmac_sha256((const unsigned char *)"Jefe", 4,
                (const unsigned char *)"what do ya want for nothing?", 28, d);
    expect_hex(d, 32, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "hmac(Jefe)");

    /* streaming with arbitrary splits must equal one-shot hashing */
    for (i = 0; i < (int)sizeof data; i++) {
        x = x * 1664525u + 1013904223u;
        data[i] = (unsigned char)(x >> 24);
    }
    for (trial = 0; trial < 20; trial++) {
        size_t n = (size_t)trial * 241u + (size_t)trial % 3u, off = 0;
        sha256_digest(data, n, d);
        sha256_init(&s);
        while (off < n) {
            size_t chunk;
            x = x * 1664525u + 1013904223u;
            chunk = 1 + (x >> 20) % 150u;
            if (chunk > n - off)
                chunk = n - off;
            sha256_update(&s, data + off, chunk);
            off += chunk;
        }
        sha256_final(&s, d2);
        if (memcmp(d, d2, 32) != 0) {
            printf("FAIL: streaming trial %d\n", trial);
            failures++;
        }
        chain ^= load_be32(d) + (uint32_t)trial;
    }
    printf("streaming chain %08lx\n", (unsigned long)chain);
    printf("%s\n", failures ? "sha256: FAILED" : "sha256: ok");
    return failures ? 1 : 0;
}
