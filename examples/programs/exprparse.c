/* exprparse.c - recursive-descent parser for C-like integer expressions
 * (ternary, logical, comparison, bitwise, arithmetic, unary, variables,
 * assignments). Expressions are parsed into an AST held in a static node
 * pool, then evaluated twice: by a recursive tree walk and by compiling to
 * postfix code run on a small stack machine. Results are compared with the
 * value the C compiler itself computes for the same expression text. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <limits.h>

#define MAX_NODES 512
#define MAX_CODE 512
#define NVARS 26

enum kind { N_NUM, N_VAR, N_NEG, N_NOT, N_BNOT, N_BIN, N_COND, N_ASSIGN };

enum op {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_SHL, OP_SHR, OP_LT, OP_LE,
    OP_GT, OP_GE, OP_EQ, OP_NE, OP_BAND, OP_BOR, OP_BXOR, OP_LAND, OP_LOR
};

struct node {
    enum kind kind;
    enum op op;
    long value;
    int a, b, c;
};

static struct node nodes[MAX_NODES];
static int node_count;
static const char *src;
static int parse_error;
static long vars[NVARS];
static int failures;

static int new_node(enum kind k, enum op op, long v, int a, int b, int c)
{
    struct node *n;
    if (node_count >= MAX_NODES) {
        parse_error = 1;
        return 0;
    }
    n = &nodes[node_count];
    n->kind = k;
    n->op = op;
    n->value = v;
    n->a = a;
    n->b = b;
    n->c = c;
    return node_count++;
}

static void skip_ws(void)
{
    while (*src == ' ' || *src == '\t' || *src == '\n')
        src++;
}

static int accept(const char *tok)
{
    size_t len = strlen(tok);
    skip_ws();
    if (strncmp(src, tok, len) != 0)
        return 0;
    /* do not split "<<" into "<" "<", "&&" into "&" "&", "==" into "=" */
    if (len == 1 && (tok[0] == '<' || tok[0] == '>' || tok[0] == '&' ||
                     tok[0] == '|' || tok[0] == '=' || tok[0] == '!') &&
        (src[1] == tok[0] || src[1] == '=') && !(tok[0] == '!' && src[1] == '!'))
        return 0;
    src += len;
    return 1;
}

static int parse_expr(void);

static int parse_primary(void)
{
    skip_ws();
    if (*src >= '0' && *src <= '9') {
        long v = 0;
        while (*src >= '0' && *src <= '9') {
            v = v * 10 + (*src - '0');
            src++;
        }
        return new_node(N_NUM, OP_ADD, v, -1, -1, -1);
    }
    if (*src >= 'a' && *src <= 'z') {
        int idx = *src - 'a';
        src++;
        if (accept("="))
            return new_node(N_ASSIGN, OP_ADD, idx, parse_expr(), -1, -1);
        return new_node(N_VAR, OP_ADD, idx, -1, -1, -1);
    }
    if (accept("(")) {
        int e = parse_expr();
        if (!accept(")"))
            parse_error = 1;
        return e;
    }
    parse_error = 1;
    return new_node(N_NUM, OP_ADD, 0, -1, -1, -1);
}

static int parse_unary(void)
{
    if (accept("-"))
        return new_node(N_NEG, OP_ADD, 0, parse_unary(), -1, -1);
    if (accept("!"))
        return new_node(N_NOT, OP_ADD, 0, parse_unary(), -1, -1);
    if (accept("~"))
        return new_node(N_BNOT, OP_ADD, 0, parse_unary(), -1, -1);
    if (accept("+"))
        return parse_unary();
    return parse_primary();
}

struct level {
    const char *tok[4];
    enum op ops[4];
};

/* binary precedence levels, loosest first */
static const struct level levels[] = {
    { { "||", 0, 0, 0 }, { OP_LOR } },
    { { "&&", 0, 0, 0 }, { OP_LAND } },
    { { "|", 0, 0, 0 }, { OP_BOR } },
    { { "^", 0, 0, 0 }, { OP_BXOR } },
    { { "&", 0, 0, 0 }, { OP_BAND } },
    { { "==", "!=", 0, 0 }, { OP_EQ, OP_NE } },
    { { "<=", ">=", "<", ">" }, { OP_LE, OP_GE, OP_LT, OP_GT } },
    { { "<<", ">>", 0, 0 }, { OP_SHL, OP_SHR } },
    { { "+", "-", 0, 0 }, { OP_ADD, OP_SUB } },
    { { "*", "/", "%", 0 }, { OP_MUL, OP_DIV, OP_MOD } },
};
#define NLEVELS ((int)(sizeof levels / sizeof levels[0]))

static int parse_binary(int level)
{
    int lhs;
    if (level == NLEVELS)
        return parse_unary();
    lhs = parse_binary(level + 1);
    for (;;) {
        int i, matched = -1;
        for (i = 0; i < 4 && levels[level].tok[i]; i++) {
            if (accept(levels[level].tok[i])) {
                matched = i;
                break;
            }
        }
        if (matched < 0)
            return lhs;
        lhs = new_node(N_BIN, levels[level].ops[matched], 0, lhs,
                       parse_binary(level + 1), -1);
    }
}

static int parse_expr(void)
{
    int cond = parse_binary(0);
    if (accept("?")) {
        int t = parse_expr(), f;
        if (!accept(":"))
            parse_error = 1;
        f = parse_expr();
        return new_node(N_COND, OP_ADD, 0, cond, t, f);
    }
    return cond;
}

/* arithmetic helpers: operands are kept small enough by the test table,
 * but guard anyway so no input can trigger undefined behaviour */
static long wrap(unsigned long v)
{
    return v > (unsigned long)LONG_MAX ? -(long)(~v) - 1 : (long)v;
}

static long apply(enum op op, long x, long y)
{
    switch (op) {
    case OP_ADD: return wrap((unsigned long)x + (unsigned long)y);
    case OP_SUB: return wrap((unsigned long)x - (unsigned long)y);
    case OP_MUL: return wrap((unsigned long)x * (unsigned long)y);
    case OP_DIV: return (y == 0 || (x == LONG_MIN && y == -1)) ? 0 : x / y;
    case OP_MOD: return (y == 0 || y == -1) ? 0 : x % y;
    case OP_SHL: return (y < 0 || y > 30 || x < 0) ? 0 : x << y;
    case OP_SHR: return (y < 0 || y > 30 || x < 0) ? 0 : x >> y;
    case OP_LT: return x < y;
    case OP_LE: return x <= y;
    case OP_GT: return x > y;
    case OP_GE: return x >= y;
    case OP_EQ: return x == y;
    case OP_NE: return x != y;
    case OP_BAND: return x & y;
    case OP_BOR: return x | y;
    case OP_BXOR: return x ^ y;
    case OP_LAND: return x && y;
    case OP_LOR: return x || y;
    }
    return 0;
}

static long eval_tree(int idx)
{
    const struct node *n = &nodes[idx];
    long l;
    switch (n->kind) {
    case N_NUM: return n->value;
    case N_VAR: return vars[n->value];
    case N_NEG: return wrap(0ul - (unsigned long)eval_tree(n->a));
    case N_NOT: return !eval_tree(n->a);
    case N_BNOT: return ~eval_tree(n->a);
    case N_ASSIGN: return vars[n->value] = eval_tree(n->a);
    case N_COND: return eval_tree(n->a) ? eval_tree(n->b) : eval_tree(n->c);
    case N_BIN:
        l = eval_tree(n->a);
        if (n->op == OP_LAND)
            return l ? eval_tree(n->b) != 0 : 0;
        if (n->op == OP_LOR)
            return l ? 1 : eval_tree(n->b) != 0;
        return apply(n->op, l, eval_tree(n->b));
    }
    return 0;
}

/* postfix code: every instruction is (opcode, argument) */
enum insn { I_PUSH, I_LOAD, I_STORE, I_NEG, I_NOT, I_BNOT, I_BIN, I_JZ, I_JMP,
            I_BOOL };

struct code {
    enum insn op;
    long arg;
};

static struct code code[MAX_CODE];
static int code_len;

static int emit(enum insn op, long arg)
{
    if (code_len < MAX_CODE) {
        code[code_len].op = op;
        code[code_len].arg = arg;
    }
    return code_len++;
}

static void compile(int idx)
{
    const struct node *n = &nodes[idx];
    int j1, j2;
    switch (n->kind) {
    case N_NUM: emit(I_PUSH, n->value); break;
    case N_VAR: emit(I_LOAD, n->value); break;
    case N_NEG: compile(n->a); emit(I_NEG, 0); break;
    case N_NOT: compile(n->a); emit(I_NOT, 0); break;
    case N_BNOT: compile(n->a); emit(I_BNOT, 0); break;
    case N_ASSIGN: compile(n->a); emit(I_STORE, n->value); break;
    case N_COND:
        compile(n->a);
        j1 = emit(I_JZ, 0);
        compile(n->b);
        j2 = emit(I_JMP, 0);
        code[j1].arg = code_len;
        compile(n->c);
        code[j2].arg = code_len;
        break;
    case N_BIN:
        if (n->op == OP_LAND || n->op == OP_LOR) {
            /* a && b  ==>  a ? bool(b) : 0 ;  a || b ==> a ? 1 : bool(b) */
            compile(n->a);
            j1 = emit(I_JZ, 0);
            if (n->op == OP_LAND) {
                compile(n->b);
                emit(I_BOOL, 0);
                j2 = emit(I_JMP, 0);
                code[j1].arg = code_len;
                emit(I_PUSH, 0);
            } else {
                emit(I_PUSH, 1);
                j2 = emit(I_JMP, 0);
                code[j1].arg = code_len;
                compile(n->b);
                emit(I_BOOL, 0);
            }
            code[j2].arg = code_len;
        } else {
            compile(n->a);
            compile(n->b);
            emit(I_BIN, n->op);
        }
        break;
    }
}

static long run_code(void)
{
    long stack[64];
    int sp = 0, pc = 0;
    while (pc < code_len && pc < MAX_CODE) {
        const struct code *c = &code[pc++];
        switch (c->op) {
        case I_PUSH: stack[sp++] = c->arg; break;
        case I_LOAD: stack[sp++] = vars[c->arg]; break;
        case I_STORE: vars[c->arg] = stack[sp - 1]; break;
        case I_NEG: stack[sp - 1] = wrap(0ul - (unsigned long)stack[sp - 1]); break;
        case I_NOT: stack[sp - 1] = !stack[sp - 1]; break;
        case I_BNOT: stack[sp - 1] = ~stack[sp - 1]; break;
        case I_BOOL: stack[sp - 1] = stack[sp - 1] != 0; break;
        case I_BIN:
            sp--;
            stack[sp - 1] = apply((enum op)c->arg, stack[sp - 1], stack[sp]);
            break;
        case I_JZ: if (!stack[--sp]) pc = (int)c->arg; break;
        case I_JMP: pc = (int)c->arg; break;
        }
        if (sp >= 64 || sp < 0)
            return -999999;
    }
    return sp == 1 ? stack[0] : -999999;
}

struct testcase {
    const char *text;
    long expected;
};

#define T(e) { #e, (long)(e) }
/* explicit text plus a fully parenthesised C reference value */
#define P(text, e) { text, (long)(e) }

static const struct testcase tests[] = {
    T(1 + 2 * 3),
    T((1 + 2) * 3),
    T(100 / 7 % 4 - 3),
    T(-5 + -(-3) * 2),
    P("1 << 10 | 5 & 3 ^ 12", (1 << 10) | ((5 & 3) ^ 12)),
    P("7 > 3 && 2 >= 2 || 0", (7 > 3 && 2 >= 2) || 0),
    T(!0 + !5 + ~7),
    P("1 == 1 != 0 < 2", (1 == 1) != (0 < 2)),
    T(3 ? 4 ? 5 : 6 : 7),
    T(0 ? 1 : 2 ? 30 : 40),
    T(1000000 * 1000 - 999999999),
    T((17 * 19 + 23) % 101 * (8 >> 1) - (64 >> 3 << 2)),
    T(12345 / 10 / 10 + 12345 % 10 * 1000),
    P("5 > 4 > 3", (5 > 4) > 3),
    T(2 * (3 + 4 * (5 - 6 * (7 + 8))) - 9),
    P("0 || 0 || 0 || 4 && 5", 0 || 0 || 0 || (4 && 5)),
    T(-7 / 2 + -7 % 2 * 10),
    P("255 & ~15 | 3 << 8", (255 & ~15) | (3 << 8)),
    T(1 < 2 ? 10 <= 10 ? 111 : 222 : 333),
    T(((((((1 + 1) * 2) + 1) * 2) + 1) * 2) + 1),
};

static const char *programs[] = {
    "a = 10", "b = a * a - 1", "c = b % 7 == 1 ? a + b : a - b",
    "d = (c << 2) ^ (a | b)", "e = d > 0 && c != 0 || a", "n = 1",
    "f = 1", "f = f * (n = n + 1)", "f = f * (n = n + 1)",
    "f = f * (n = n + 1)", "f = f * (n = n + 1)", "z = f + d - !e",
};

static int parse(const char *text)
{
    int root;
    src = text;
    parse_error = 0;
    root = parse_expr();
    skip_ws();
    if (*src != '\0')
        parse_error = 1;
    return root;
}

int main(void)
{
    unsigned i;
    long vars_copy[NVARS];
    uint32_t digest = 0;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        int root;
        long v1, v2;
        node_count = 0;
        root = parse(tests[i].text);
        code_len = 0;
        compile(root);
        v1 = eval_tree(root);
        v2 = run_code();
        if (parse_error || v1 != tests[i].expected || v2 != v1) {
            printf("FAIL: %s => %ld / %ld, expected %ld\n", tests[i].text, v1,
                   v2, tests[i].expected);
            failures++;
        }
        digest = digest * 131u + (uint32_t)v1;
        printf("expr %2u = %ld (%d nodes, %d insns)\n", i, v1, node_count,
               code_len);
    }
    /* statements with assignments: run through both evaluators in lockstep */
    memset(vars, 0, sizeof vars);
    for (i = 0; i < sizeof programs / sizeof programs[0]; i++) {
        int root;
        long v1, v2;
        node_count = 0;
        root = parse(programs[i]);
        code_len = 0;
        compile(root);
        memcpy(vars_copy, vars, sizeof vars);
        v1 = eval_tree(root);
        memcpy(vars, vars_copy, sizeof vars);
        v2 = run_code();
        if (parse_error || v1 != v2) {
            printf("FAIL: stmt %s\n", programs[i]);
            failures++;
        }
    }
    printf("vars a=%ld b=%ld c=%ld d=%ld e=%ld f=%ld n=%ld z=%ld\n", vars[0],
           vars[1], vars[2], vars[3], vars[4], vars[5], vars['n' - 'a'],
           vars['z' - 'a']);
    if (vars[5] != 120 || vars['n' - 'a'] != 5 || vars[2] != 109)
        failures++;
    /* malformed input must be rejected */
    node_count = 0;
    parse("1 + (2 * 3");
    if (!parse_error) failures++;
    node_count = 0;
    parse("4 5");
    if (!parse_error) failures++;
    printf("digest %08lx\n", (unsigned long)digest);
    printf("%s\n", failures ? "exprparse: FAILED" : "exprparse: ok");
    return failures ? 1 : 0;
}
