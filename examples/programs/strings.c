/* strings.c - string algorithms: naive search, Knuth-Morris-Pratt,
 * Boyer-Moore-Horspool and Rabin-Karp substring search (all must report the
 * same match positions), Levenshtein distance by full DP table, by two-row
 * DP and by memoised recursion, longest common subsequence, Z-function,
 * palindromic substrings and in-place word reversal. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define TEXT_LEN 3000
#define MAXM 64

static char text[TEXT_LEN + 1];
static int failures;

static void check(int cond, const char *msg)
{
    if (!cond) {
        printf("FAIL: %s\n", msg);
        failures++;
    }
}

static void gen_text(void)
{
    /* deterministic text over a small alphabet so that matches are common */
    uint32_t s = 7;
    int i;
    for (i = 0; i < TEXT_LEN; i++) {
        s = s * 1103515245u + 12345u;
        text[i] = (char)('a' + (s >> 16) % 4u);
    }
    text[TEXT_LEN] = '\0';
}

typedef int (*search_fn)(const char *t, int n, const char *p, int m, int *pos, int maxpos);

static int search_naive(const char *t, int n, const char *p, int m, int *pos, int maxpos)
{
    int i, j, count = 0;
    for (i = 0; i + m <= n; i++) {
        for (j = 0; j < m && t[i + j] == p[j]; j++)
            ;
        if (j == m) {
            if (count < maxpos) pos[count] = i;
            count++;
        }
    }
    return count;
}

static void kmp_table(const char *p, int m, int *fail)
{
    int k = 0, i;
    fail[0] = 0;
    for (i = 1; i < m; i++) {
        while (k > 0 && p[i] != p[k])
            k = fail[k - 1];
        if (p[i] == p[k])
            k++;
        fail[i] = k;
    }
}

static int search_kmp(const char *t, int n, const char *p, int m, int *pos, int maxpos)
{
    int fail[MAXM], i, k = 0, count = 0;
    kmp_table(p, m, fail);
    for (i = 0; i < n; i++) {
        while (k > 0 && t[i] != p[k])
            k = fail[k - 1];
        if (t[i] == p[k])
            k++;
        if (k == m) {
            if (count < maxpos) pos[count] = i - m + 1;
            count++;
            k = fail[k - 1];
        }
    }
    return count;
}

static int search_horspool(const char *t, int n, const char *p, int m, int *pos, int maxpos)
{
    int shift[256], i, count = 0;
    for (i = 0; i < 256; i++)
        shift[i] = m;
    for (i = 0; i < m - 1; i++)
        shift[(unsigned char)p[i]] = m - 1 - i;
    i = 0;
    while (i + m <= n) {
        int j = m - 1;
        while (j >= 0 && t[i + j] == p[j])
            j--;
        if (j < 0) {
            if (count < maxpos) pos[count] = i;
            count++;
        }
        i += shift[(unsigned char)t[i + m - 1]];
    }
    return count;
}

static int search_rabin_karp(const char *t, int n, const char *p, int m, int *pos, int maxpos)
{
    const uint32_t base = 257u;
    uint32_t hp = 0, ht = 0, power = 1;
    int i, count = 0;
    if (m > n)
        return 0;
    for (i = 0; i < m; i++) {
        hp = hp * base + (unsigned char)p[i];
        ht = ht * base + (unsigned char)t[i];
        if (i > 0)
            power *= base;
    }
    for (i = 0;; i++) {
        if (hp == ht && memcmp(t + i, p, (size_t)m) == 0) {
            if (count < maxpos) pos[count] = i;
            count++;
        }
        if (i + m >= n)
            break;
        ht = (ht - (unsigned char)t[i] * power) * base + (unsigned char)t[i + m];
    }
    return count;
}

/* ---------------- edit distance ---------------- */
static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

static int lev_table[MAXM + 1][MAXM + 1];

static int lev_full(const char *a, const char *b)
{
    int n = (int)strlen(a), m = (int)strlen(b), i, j;
    for (i = 0; i <= n; i++) lev_table[i][0] = i;
    for (j = 0; j <= m; j++) lev_table[0][j] = j;
    for (i = 1; i <= n; i++)
        for (j = 1; j <= m; j++)
            lev_table[i][j] = min3(lev_table[i - 1][j] + 1, lev_table[i][j - 1] + 1,
                                   lev_table[i - 1][j - 1] + (a[i - 1] != b[j - 1]));
    return lev_table[n][m];
}

static int lev_rows(const char *a, const char *b)
{
    int prev[MAXM + 1], cur[MAXM + 1];
    int n = (int)strlen(a), m = (int)strlen(b), i, j;
    for (j = 0; j <= m; j++) prev[j] = j;
    for (i = 1; i <= n; i++) {
        cur[0] = i;
        for (j = 1; j <= m; j++)
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]));
        memcpy(prev, cur, sizeof(int) * (size_t)(m + 1));
    }
    return prev[m];
}

static int memo[MAXM + 1][MAXM + 1];

static int lev_rec(const char *a, int i, const char *b, int j)
{
    int r;
    if (i == 0) return j;
    if (j == 0) return i;
    if (memo[i][j] >= 0) return memo[i][j];
    if (a[i - 1] == b[j - 1])
        r = lev_rec(a, i - 1, b, j - 1);
    else
        r = 1 + min3(lev_rec(a, i - 1, b, j), lev_rec(a, i, b, j - 1),
                     lev_rec(a, i - 1, b, j - 1));
    return memo[i][j] = r;
}

static int lev_memo(const char *a, const char *b)
{
    memset(memo, -1, sizeof memo);
    return lev_rec(a, (int)strlen(a), b, (int)strlen(b));
}

static int lcs(const char *a, const char *b, char *out)
{
    int n = (int)strlen(a), m = (int)strlen(b), i, j, k;
    for (i = 0; i <= n; i++)
        for (j = 0; j <= m; j++)
            lev_table[i][j] = (i == 0 || j == 0) ? 0
                : a[i - 1] == b[j - 1] ? lev_table[i - 1][j - 1] + 1
                : (lev_table[i - 1][j] > lev_table[i][j - 1] ? lev_table[i - 1][j] : lev_table[i][j - 1]);
    k = lev_table[n][m];
    out[k] = '\0';
    i = n;
    j = m;
    while (i > 0 && j > 0) {
        if (a[i - 1] == b[j - 1]) {
            out[--k] = a[i - 1];
            i--;
            j--;
        } else if (lev_table[i - 1][j] >= lev_table[i][j - 1]) {
            i--;
        } else {
            j--;
        }
    }
    return lev_table[n][m];
}

static int is_subsequence(const char *s, const char *t)
{
    while (*s && *t) {
        if (*s == *t) s++;
        t++;
    }
    return *s == '\0';
}

static void z_function(const char *s, int n, int *z)
{
    int l = 0, r = 0, i;
    z[0] = n;
    for (i = 1; i < n; i++) {
        z[i] = 0;
        if (i < r) z[i] = r - i < z[i - l] ? r - i : z[i - l];
        while (i + z[i] < n && s[z[i]] == s[i + z[i]]) z[i]++;
        if (i + z[i] > r) { l = i; r = i + z[i]; }
    }
}

static int count_palindromes(const char *s, int n)
{
    int center, count = 0;
    for (center = 0; center < 2 * n - 1; center++) {
        int l = center / 2, r = l + center % 2;
        while (l >= 0 && r < n && s[l] == s[r]) {
            count++;
            l--;
            r++;
        }
    }
    return count;
}

static void reverse_range(char *s, int i, int j)
{
    while (i < j) {
        char t = s[i];
        s[i++] = s[j];
        s[j--] = t;
    }
}

static void reverse_words(char *s)
{
    int n = (int)strlen(s), i = 0;
    reverse_range(s, 0, n - 1);
    while (i < n) {
        int j = i;
        while (j < n && s[j] != ' ') j++;
        reverse_range(s, i, j - 1);
        i = j + 1;
    }
}

int main(void)
{
    static const char *const patterns[] = { "abca", "dddd", "a", "abcdabcd", "cab", "bbbbbbbbbbbbbbbbbbbbx", "dacbd" };
    static const search_fn fns[] = { search_naive, search_kmp, search_horspool, search_rabin_karp };
    static const char *const pairs[][2] = {
        { "kitten", "sitting" }, { "flaw", "lawn" }, { "intention", "execution" },
        { "", "abc" }, { "optimization", "optimisation" }, { "gumbo", "gambol" },
        { "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba" },
    };
    static const int lev_expected[] = { 3, 2, 5, 3, 1, 2, 26 };
    int pos[4][1024], counts[4], z[128];
    unsigned p, f;
    uint32_t digest = 0;
    char buf[128], lcsbuf[MAXM + 1];

    gen_text();
    for (p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
        int m = (int)strlen(patterns[p]);
        for (f = 0; f < 4; f++)
            counts[f] = fns[f](text, TEXT_LEN, patterns[p], m, pos[f], 1024);
        for (f = 1; f < 4; f++) {
            int k, lim = counts[0] < 1024 ? counts[0] : 1024;
            check(counts[f] == counts[0], "search count");
            for (k = 0; k < lim && counts[f] == counts[0]; k++)
                check(pos[f][k] == pos[0][k], "search positions");
        }
        printf("'%s': %d matches, first at %d\n", patterns[p], counts[0],
               counts[0] ? pos[0][0] : -1);
        digest = digest * 31u + (uint32_t)counts[0];
    }

    for (p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
        int d1 = lev_full(pairs[p][0], pairs[p][1]);
        int d2 = lev_rows(pairs[p][0], pairs[p][1]);
        int d3 = lev_memo(pairs[p][0], pairs[p][1]);
        int l = lcs(pairs[p][0], pairs[p][1], lcsbuf);
        check(d1 == lev_expected[p] && d2 == d1 && d3 == d1, "levenshtein");
        check(is_subsequence(lcsbuf, pairs[p][0]) && is_subsequence(lcsbuf, pairs[p][1]) &&
              (int)strlen(lcsbuf) == l, "lcs");
        printf("lev(%s,%s)=%d lcs=%d '%s'\n", pairs[p][0], pairs[p][1], d1, l, lcsbuf);
    }

    strcpy(buf, "abacabadabacaba");
    z_function(buf, (int)strlen(buf), z);
    printf("z: ");
    for (p = 0; p < strlen(buf); p++)
        printf("%d%s", z[p], p + 1 < strlen(buf) ? " " : "\n");
    check(z[4] == 3 && z[8] == 7, "z-function");
    printf("palindromes(%s)=%d\n", buf, count_palindromes(buf, (int)strlen(buf)));
    check(count_palindromes("aaa", 3) == 6 && count_palindromes("abc", 3) == 3, "palindromes");
    strcpy(buf, "the quick brown fox jumps over the lazy dog");
    reverse_words(buf);
    printf("reversed: %s\n", buf);
    check(strcmp(buf, "dog lazy the over jumps fox brown quick the") == 0, "reverse words");
    printf("digest %08lx\n", (unsigned long)digest);
    printf("%s\n", failures ? "strings: FAILED" : "strings: ok");
    return failures ? 1 : 0;
}
