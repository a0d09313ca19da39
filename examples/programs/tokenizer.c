/* tokenizer.c - explicit state-machine lexer for a C-like language
 * (identifiers, keywords, decimal/hex/octal numbers, strings and chars with
 * escapes, line and block comments, maximal-munch operators) plus a
 * table-driven state machine that parses a tiny "HTTP-like" request
 * protocol. The lexer is cross-checked against an independent comment and
 * whitespace stripper; the protocol parser against expected field values. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

enum tok { T_IDENT, T_KEYWORD, T_NUMBER, T_STRING, T_CHAR, T_OP, T_PUNCT,
           T_ERROR, T_NKINDS };

static const char *const tok_names[T_NKINDS] = {
    "ident", "keyword", "number", "string", "char", "op", "punct", "error"
};

enum state { S_START, S_IDENT, S_NUM, S_HEX, S_STR, S_STR_ESC, S_CHR,
             S_CHR_ESC, S_SLASH, S_LINE_COMMENT, S_BLOCK, S_BLOCK_STAR };

static const char *const keywords[] = {
    "int", "char", "if", "else", "while", "for", "return", "static", "struct",
    "unsigned", "void", "const", "switch", "case", "break", "default"
};

/* three, two and one character operators, longest first */
static const char *const operators[] = {
    "<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=",
    "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*",
    "/", "%", "<", ">", "=", "!", "&", "|", "^", "~", "?", ":", "."
};

static const char source[] =
    "/* sample translation unit */\n"
    "static const char *names[] = { \"alpha\", \"be\\\"ta\", \"gam\\\\ma\" };\n"
    "struct point { int x, y; };\n"
    "static unsigned hash(const char *s) {\n"
    "    unsigned h = 0x811C9DC5u; // FNV offset\n"
    "    while (*s) { h ^= (unsigned char)*s++; h *= 16777619u; }\n"
    "    return h >> 3 <<= 1;\n"
    "}\n"
    "int main(void) {\n"
    "    int i, total = 0; char c = '\\n', d = '\\'';\n"
    "    for (i = 0; i < 10; i++) { total += i % 3 == 0 ? i : -i; }\n"
    "    switch (total) { case 1: break; default: total <<= 2; }\n"
    "    /* nested * stars ** here */ struct point p; p.x = 017; p.y = 0;\n"
    "    return total != 0 && p.x >= 15 || p.y ... ;\n"
    "}\n";

struct token {
    enum tok kind;
    int start, len;
};

#define MAX_TOKENS 512
static struct token tokens[MAX_TOKENS];
static int ntokens;
static int failures;

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void add_token(enum tok kind, int start, int len)
{
    if (ntokens < MAX_TOKENS) {
        tokens[ntokens].kind = kind;
        tokens[ntokens].start = start;
        tokens[ntokens].len = len;
        ntokens++;
    }
}

static int is_keyword(const char *s, int len)
{
    unsigned i;
    for (i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if ((int)strlen(keywords[i]) == len && memcmp(keywords[i], s, (size_t)len) == 0)
            return 1;
    return 0;
}

static int match_operator(const char *s)
{
    unsigned i;
    for (i = 0; i < sizeof operators / sizeof operators[0]; i++) {
        size_t n = strlen(operators[i]);
        if (strncmp(s, operators[i], n) == 0)
            return (int)n;
    }
    return 0;
}

static void lex(const char *src, int n)
{
    enum state st = S_START;
    int i = 0, start = 0;
    ntokens = 0;
    while (i <= n) {
        int c = i < n ? (unsigned char)src[i] : 0;
        switch (st) {
        case S_START:
            start = i;
            if (c == 0) { i++; break; }
            if (is_space(c)) { i++; break; }
            if (is_alpha(c)) { st = S_IDENT; i++; break; }
            if (c == '0' && (src[i + 1] == 'x' || src[i + 1] == 'X')) { st = S_HEX; i += 2; break; }
            if (is_digit(c)) { st = S_NUM; i++; break; }
            if (c == '"') { st = S_STR; i++; break; }
            if (c == '\'') { st = S_CHR; i++; break; }
            if (c == '/') { st = S_SLASH; i++; break; }
            if (strchr("(){}[];,", c)) { add_token(T_PUNCT, i, 1); i++; break; }
            {
                int len = match_operator(src + i);
                if (len) { add_token(T_OP, i, len); i += len; }
                else { add_token(T_ERROR, i, 1); i++; }
            }
            break;
        case S_IDENT:
            if (is_alpha(c) || is_digit(c)) { i++; break; }
            add_token(is_keyword(src + start, i - start) ? T_KEYWORD : T_IDENT, start, i - start);
            st = S_START;
            break;
        case S_NUM:
        case S_HEX:
            if ((st == S_HEX ? is_hex(c) : is_digit(c))) { i++; break; }
            while (i < n && (src[i] == 'u' || src[i] == 'U' || src[i] == 'l' || src[i] == 'L'))
                i++;
            add_token(T_NUMBER, start, i - start);
            st = S_START;
            break;
        case S_STR:
        case S_CHR:
            if (c == 0 || c == '\n') { add_token(T_ERROR, start, i - start); st = S_START; break; }
            if (c == '\\') { st = st == S_STR ? S_STR_ESC : S_CHR_ESC; i++; break; }
            i++;
            if ((st == S_STR && c == '"') || (st == S_CHR && c == '\'')) {
                add_token(st == S_STR ? T_STRING : T_CHAR, start, i - start);
                st = S_START;
            }
            break;
        case S_STR_ESC: st = S_STR; i++; break;
        case S_CHR_ESC: st = S_CHR; i++; break;
        case S_SLASH:
            if (c == '/') { st = S_LINE_COMMENT; i++; break; }
            if (c == '*') { st = S_BLOCK; i++; break; }
            {
                int len = match_operator(src + start);
                add_token(T_OP, start, len);
                i = start + len;
                st = S_START;
            }
            break;
        case S_LINE_COMMENT:
            if (c == '\n' || c == 0) st = S_START;
            i++;
            break;
        case S_BLOCK:
            if (c == 0) { add_token(T_ERROR, start, i - start); st = S_START; break; }
            if (c == '*') st = S_BLOCK_STAR;
            i++;
            break;
        case S_BLOCK_STAR:
            if (c == 0) { add_token(T_ERROR, start, i - start); st = S_START; break; }
            if (c == '/') st = S_START;
            else if (c != '*') st = S_BLOCK;
            i++;
            break;
        }
    }
}

/* Independent reference: strip comments and whitespace outside literals,
 * written as a plain loop with flags rather than a state enum. */
static int strip(const char *src, char *out)
{
    int i = 0, o = 0;
    while (src[i]) {
        if (src[i] == '/' && src[i + 1] == '/') {
            while (src[i] && src[i] != '\n') i++;
        } else if (src[i] == '/' && src[i + 1] == '*') {
            i += 2;
            while (src[i] && !(src[i] == '*' && src[i + 1] == '/')) i++;
            if (src[i]) i += 2;
        } else if (src[i] == '"' || src[i] == '\'') {
            char q = src[i];
            out[o++] = src[i++];
            while (src[i] && src[i] != q) {
                if (src[i] == '\\' && src[i + 1]) out[o++] = src[i++];
                out[o++] = src[i++];
            }
            if (src[i]) out[o++] = src[i++];
        } else if (is_space((unsigned char)src[i])) {
            i++;
        } else {
            out[o++] = src[i++];
        }
    }
    out[o] = '\0';
    return o;
}

/* ---------------- request protocol state machine ---------------- */
enum pstate { P_METHOD, P_PATH, P_VERSION, P_HKEY, P_HVAL, P_BODY, P_DONE, P_ERR };
enum cclass { C_ALPHA, C_SP, C_NL, C_COLON, C_OTHER, C_NCLASS };

static const unsigned char transitions[P_ERR + 1][C_NCLASS] = {
    /*             ALPHA     SP         NL          COLON    OTHER */
    /* METHOD  */ { P_METHOD, P_PATH,    P_ERR,      P_ERR,   P_ERR },
    /* PATH    */ { P_PATH,   P_VERSION, P_ERR,      P_PATH,  P_PATH },
    /* VERSION */ { P_VERSION, P_ERR,    P_HKEY,     P_ERR,   P_VERSION },
    /* HKEY    */ { P_HKEY,   P_ERR,     P_BODY,     P_HVAL,  P_HKEY },
    /* HVAL    */ { P_HVAL,   P_HVAL,    P_HKEY,     P_HVAL,  P_HVAL },
    /* BODY    */ { P_BODY,   P_BODY,    P_BODY,     P_BODY,  P_BODY },
    /* DONE    */ { P_DONE,   P_DONE,    P_DONE,     P_DONE,  P_DONE },
    /* ERR     */ { P_ERR,    P_ERR,     P_ERR,      P_ERR,   P_ERR },
};

struct request {
    char method[8];
    char path[32];
    int headers;
    long content_length;
    int body_len;
    uint32_t body_sum;
};

static enum cclass classify(int c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return C_ALPHA;
    if (c == ' ') return C_SP;
    if (c == '\n') return C_NL;
    if (c == ':') return C_COLON;
    return C_OTHER;
}

static int parse_request(const char *s, struct request *r)
{
    enum pstate st = P_METHOD;
    int len = 0, keystart = 0, valstart = 0, i;
    memset(r, 0, sizeof *r);
    for (i = 0; s[i] && st != P_ERR; i++) {
        int c = (unsigned char)s[i];
        enum pstate next = (enum pstate)transitions[st][classify(c)];
        if (st == P_METHOD && next == P_METHOD && len < 7) r->method[len++] = (char)c;
        if (st == P_METHOD && next == P_PATH) len = 0;
        if (st == P_PATH && next == P_PATH && len < 31) r->path[len++] = (char)c;
        if (st == P_HKEY && next == P_HKEY && (i == 0 || s[i - 1] == '\n')) keystart = i;
        if (st == P_HKEY && next == P_HVAL) valstart = i + 1;
        if (st == P_HVAL && next == P_HKEY) {
            r->headers++;
            if (valstart - keystart == 15 && strncmp(s + keystart, "Content-Length:", 15) == 0) {
                int k = valstart;
                while (s[k] == ' ') k++;
                while (is_digit(s[k]) && r->content_length < 100000)
                    r->content_length = r->content_length * 10 + (s[k++] - '0');
            }
        }
        if (st == P_BODY) {
            r->body_len++;
            r->body_sum = r->body_sum * 33u + (uint32_t)c;
        }
        st = next;
    }
    if (st == P_BODY && r->body_len == r->content_length)
        return 0;
    return st == P_ERR ? -1 : -2;
}

int main(void)
{
    static char stripped[sizeof source];
    static char joined[sizeof source];
    int counts[T_NKINDS] = { 0 };
    int i, o = 0, slen;
    struct request req;
    static const char *const requests[] = {
        "GET /index.html HTTP/1.1\nHost: example\nContent-Length: 0\n\n",
        "POST /api/v2/items HTTP/1.0\nHost: x\nAccept: */*\nContent-Length: 11\n\nhello world",
        "PUT /a HTTP/1.1\nContent-Length: 5\n\nabc",
        "BAD\n",
    };
    static const int want_rc[] = { 0, 0, -2, -1 };
    static const int want_headers[] = { 2, 3, 1, 0 };

    lex(source, (int)strlen(source));
    for (i = 0; i < ntokens; i++) {
        counts[tokens[i].kind]++;
        memcpy(joined + o, source + tokens[i].start, (size_t)tokens[i].len);
        o += tokens[i].len;
    }
    joined[o] = '\0';
    slen = strip(source, stripped);
    /* token texts concatenated must equal the stripped source */
    if (slen != o || strcmp(joined, stripped) != 0) {
        printf("FAIL: lexer/stripper disagree (%d vs %d)\n", o, slen);
        failures++;
    }
    printf("tokens: %d\n", ntokens);
    for (i = 0; i < T_NKINDS; i++)
        printf("  %-8s %d\n", tok_names[i], counts[i]);
    if (ntokens != 170 || counts[T_ERROR] != 0 || counts[T_STRING] != 3 ||
        counts[T_CHAR] != 2 || counts[T_KEYWORD] != 25) {
        printf("FAIL: unexpected token counts\n");
        failures++;
    }
    for (i = 0; i < (int)(sizeof requests / sizeof requests[0]); i++) {
        int rc = parse_request(requests[i], &req);
        printf("req%d rc=%d method=%s path=%s headers=%d clen=%ld body=%d sum=%08lx\n",
               i, rc, req.method, req.path, req.headers, req.content_length,
               req.body_len, (unsigned long)req.body_sum);
        if (rc != want_rc[i] || req.headers != want_headers[i]) {
            printf("FAIL: request %d\n", i);
            failures++;
        }
    }
    printf("%s\n", failures ? "tokenizer: FAILED" : "tokenizer: ok");
    return failures ? 1 : 0;
}
