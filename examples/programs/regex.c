/* regex.c - a tiny regular-expression engine supporting literals, '.',
 * character classes ([a-z], [^0-9]), escapes (\d \w \s \.), quantifiers
 * (* + ?) and anchors (^ $). Patterns are compiled into an atom list and
 * matched two independent ways: a recursive backtracking matcher and a
 * Thompson-style NFA simulation with state sets. Both must agree with a
 * table of expected results and with each other on generated inputs. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define MAX_ATOMS 32

enum atom_kind { A_CHAR, A_ANY, A_CLASS };
enum quant { Q_ONE, Q_STAR, Q_PLUS, Q_OPT };

struct atom {
    enum atom_kind kind;
    enum quant q;
    unsigned char ch;
    uint32_t set[8];
};

struct regex {
    struct atom atoms[MAX_ATOMS];
    int n;
    int anchor_start, anchor_end;
};

static int failures;
static long backtrack_steps;

static void set_add(uint32_t *set, int c) { set[(unsigned)c >> 5] |= 1u << ((unsigned)c & 31u); }
static int set_has(const uint32_t *set, int c) { return (int)((set[(unsigned)c >> 5] >> ((unsigned)c & 31u)) & 1u); }

static void set_range(uint32_t *set, int lo, int hi)
{
    int c;
    for (c = lo; c <= hi; c++)
        set_add(set, c);
}

static void escape_class(uint32_t *set, int e)
{
    switch (e) {
    case 'd': set_range(set, '0', '9'); break;
    case 'w': set_range(set, 'a', 'z'); set_range(set, 'A', 'Z'); set_range(set, '0', '9'); set_add(set, '_'); break;
    case 's': set_add(set, ' '); set_add(set, '\t'); set_add(set, '\n'); break;
    default: set_add(set, e); break;
    }
}

/* returns 0 on success, -1 on syntax error */
static int compile(const char *p, struct regex *re)
{
    memset(re, 0, sizeof *re);
    if (*p == '^') {
        re->anchor_start = 1;
        p++;
    }
    while (*p) {
        struct atom *a;
        if (*p == '$' && p[1] == '\0') {
            re->anchor_end = 1;
            break;
        }
        if (re->n >= MAX_ATOMS || *p == '*' || *p == '+' || *p == '?')
            return -1;
        a = &re->atoms[re->n++];
        if (*p == '.') {
            a->kind = A_ANY;
            p++;
        } else if (*p == '\\') {
            if (!p[1])
                return -1;
            a->kind = A_CLASS;
            escape_class(a->set, (unsigned char)p[1]);
            p += 2;
        } else if (*p == '[') {
            int negate = 0, i;
            a->kind = A_CLASS;
            p++;
            if (*p == '^') {
                negate = 1;
                p++;
            }
            while (*p && *p != ']') {
                if (*p == '\\' && p[1]) {
                    escape_class(a->set, (unsigned char)p[1]);
                    p += 2;
                } else if (p[1] == '-' && p[2] && p[2] != ']') {
                    set_range(a->set, (unsigned char)p[0], (unsigned char)p[2]);
                    p += 3;
                } else {
                    set_add(a->set, (unsigned char)*p);
                    p++;
                }
            }
            if (*p != ']')
                return -1;
            p++;
            if (negate)
                for (i = 0; i < 8; i++)
                    a->set[i] = ~a->set[i];
            a->set[0] &= ~1u; /* never match NUL */
        } else {
            a->kind = A_CHAR;
            a->ch = (unsigned char)*p++;
        }
        switch (*p) {
        case '*': a->q = Q_STAR; p++; break;
        case '+': a->q = Q_PLUS; p++; break;
        case '?': a->q = Q_OPT; p++; break;
        default: a->q = Q_ONE; break;
        }
    }
    return 0;
}

static int atom_matches(const struct atom *a, int c)
{
    if (c == 0)
        return 0;
    switch (a->kind) {
    case A_CHAR: return a->ch == c;
    case A_ANY: return c != '\n';
    case A_CLASS: return set_has(a->set, c);
    }
    return 0;
}

/* ---------------- backtracking ---------------- */
static int bt_here(const struct regex *re, int i, const char *s)
{
    const struct atom *a;
    backtrack_steps++;
    if (i == re->n)
        return !re->anchor_end || *s == '\0';
    a = &re->atoms[i];
    switch (a->q) {
    case Q_ONE:
        return atom_matches(a, (unsigned char)*s) && bt_here(re, i + 1, s + 1);
    case Q_OPT:
        if (atom_matches(a, (unsigned char)*s) && bt_here(re, i + 1, s + 1))
            return 1;
        return bt_here(re, i + 1, s);
    case Q_STAR:
    case Q_PLUS: {
        /* greedy: consume as many as possible, then back off */
        const char *t = s;
        int min = a->q == Q_PLUS ? 1 : 0;
        while (atom_matches(a, (unsigned char)*t))
            t++;
        for (; t - s >= min; t--) {
            if (bt_here(re, i + 1, t))
                return 1;
            if (t == s)
                break;
        }
        return 0;
    }
    }
    return 0;
}

static int bt_search(const struct regex *re, const char *s)
{
    if (re->anchor_start)
        return bt_here(re, 0, s);
    do {
        if (bt_here(re, 0, s))
            return 1;
    } while (*s++);
    return 0;
}

/* ---------------- NFA simulation ---------------- */
typedef uint64_t stateset; /* bit i: positioned before atom i; bit n: accept */

static stateset closure(const struct regex *re, stateset s)
{
    int i;
    for (i = 0; i < re->n; i++)
        if (((s >> i) & 1u) && (re->atoms[i].q == Q_STAR || re->atoms[i].q == Q_OPT))
            s |= (stateset)1 << (i + 1);
    return s;
}

static stateset step(const struct regex *re, stateset s, int c)
{
    stateset next = 0;
    int i;
    for (i = 0; i < re->n; i++) {
        const struct atom *a = &re->atoms[i];
        if (!((s >> i) & 1u) || !atom_matches(a, c))
            continue;
        next |= (stateset)1 << (i + 1);
        if (a->q == Q_STAR || a->q == Q_PLUS)
            next |= (stateset)1 << i;
    }
    return closure(re, next);
}

static int nfa_search(const struct regex *re, const char *s)
{
    stateset accept = (stateset)1 << re->n, cur = closure(re, 1);
    for (;;) {
        if ((cur & accept) && (!re->anchor_end || *s == '\0'))
            return 1;
        if (*s == '\0')
            return 0;
        cur = step(re, cur, (unsigned char)*s++);
        if (!re->anchor_start)
            cur |= closure(re, 1);
        if (cur == 0)
            return 0;
    }
}

struct testcase {
    const char *pattern, *text;
    int expect;
};

static const struct testcase cases[] = {
    { "abc", "xxabcxx", 1 }, { "abc", "abx", 0 }, { "^abc", "abcdef", 1 },
    { "^abc", "xabc", 0 }, { "abc$", "xxabc", 1 }, { "abc$", "abcx", 0 },
    { "a.c", "abc", 1 }, { "a.c", "ac", 0 }, { "ab*c", "ac", 1 },
    { "ab*c", "abbbbc", 1 }, { "ab+c", "ac", 0 }, { "ab+c", "abbc", 1 },
    { "colou?r", "color", 1 }, { "colou?r", "colour", 1 }, { "colou?r", "colouur", 0 },
    { "^\\d+$", "123456", 1 }, { "^\\d+$", "12a456", 0 }, { "[a-c]+x", "zzbcax", 1 },
    { "[^0-9]+", "12345", 0 }, { "[^0-9]+", "123a45", 1 }, { "^\\w+@\\w+\\.com$", "user_1@host.com", 1 },
    { "^\\w+@\\w+\\.com$", "user@host.org", 0 }, { "a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaa", 0 },
    { "^.*$", "", 1 }, { "^$", "", 1 }, { "^$", "x", 0 }, { "x*", "", 1 },
    { "\\s+end$", "the   end", 1 }, { "[-+]?\\d+", "value: -42", 1 }, { "^[A-Z][a-z]*$", "Hello", 1 },
    { "^[A-Z][a-z]*$", "HeLlo", 0 }, { "a.*b.*c", "a---b---c", 1 }, { "a.*b.*c", "a---c---b", 0 },
};

static uint32_t seed = 12345u;

static int rnd(int n)
{
    seed = seed * 1103515245u + 12345u;
    return (int)((seed >> 16) % (uint32_t)n);
}

static void random_pattern(char *p)
{
    static const char *const pieces[] = { "a", "b", "c", ".", "[ab]", "[^a]", "\\d", "x" };
    static const char quants[] = { '\0', '\0', '*', '+', '?' };
    int n = 1 + rnd(5), i, len = 0;
    if (rnd(4) == 0) p[len++] = '^';
    for (i = 0; i < n; i++) {
        const char *piece = pieces[rnd(8)];
        char q = quants[rnd(5)];
        size_t k = strlen(piece);
        memcpy(p + len, piece, k);
        len += (int)k;
        if (q) p[len++] = q;
    }
    if (rnd(4) == 0) p[len++] = '$';
    p[len] = '\0';
}

static void random_text(char *t)
{
    static const char alphabet[] = "abcx1";
    int n = rnd(12), i;
    for (i = 0; i < n; i++)
        t[i] = alphabet[rnd(5)];
    t[n] = '\0';
}

int main(void)
{
    struct regex re;
    unsigned i;
    int matches = 0, agree = 0, total = 0;
    char pat[64], text[16];
    uint32_t digest = 0;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int b, n;
        if (compile(cases[i].pattern, &re) != 0) {
            printf("FAIL: compile %s\n", cases[i].pattern);
            failures++;
            continue;
        }
        b = bt_search(&re, cases[i].text);
        n = nfa_search(&re, cases[i].text);
        if (b != cases[i].expect || n != cases[i].expect) {
            printf("FAIL: /%s/ on \"%s\": bt=%d nfa=%d expected %d\n", cases[i].pattern,
                   cases[i].text, b, n, cases[i].expect);
            failures++;
        }
        digest = digest * 3u + (uint32_t)b;
    }
    printf("table: %u cases, digest %08lx\n", (unsigned)(sizeof cases / sizeof cases[0]),
           (unsigned long)digest);
    if (compile("*a", &re) == 0 || compile("[abc", &re) == 0 || compile("ab\\", &re) == 0) {
        printf("FAIL: bad patterns accepted\n");
        failures++;
    }

    for (i = 0; i < 300; i++) {
        int t;
        random_pattern(pat);
        if (compile(pat, &re) != 0) {
            printf("FAIL: generated pattern %s\n", pat);
            failures++;
            continue;
        }
        for (t = 0; t < 12; t++) {
            int b, n;
            random_text(text);
            b = bt_search(&re, text);
            n = nfa_search(&re, text);
            total++;
            matches += b;
            if (b == n) {
                agree++;
            } else {
                printf("FAIL: /%s/ on \"%s\": bt=%d nfa=%d\n", pat, text, b, n);
                failures++;
            }
        }
    }
    printf("random: %d checks, %d matches, %d agree\n", total, matches, agree);
    printf("backtracking steps: %ld\n", backtrack_steps);
    printf("%s\n", failures ? "regex: FAILED" : "regex: ok");
    return failures ? 1 : 0;
}
