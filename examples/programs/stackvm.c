/* stackvm.c - a small stack-based bytecode virtual machine with calls,
 * locals, conditional jumps and a data memory. A tiny assembler with
 * label back-patching builds several programs (factorial, recursive
 * fibonacci, sieve of Eratosthenes, gcd, collatz, bubble sort); each
 * result is checked against a native C implementation. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

enum opcode {
    OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_SWAP, OP_OVER,
    OP_ADD, OP_SUB, OP_MUL, OP_DIVU, OP_MODU, OP_AND, OP_OR, OP_XOR,
    OP_SHL, OP_SHRU, OP_EQ, OP_LTU, OP_NOT,
    OP_JMP, OP_JZ, OP_JNZ, OP_CALL, OP_RET,
    OP_LOADL, OP_STOREL, OP_LOADM, OP_STOREM, OP_OUT,
    OP_COUNT
};

static const char *const opnames[OP_COUNT] = {
    "halt", "push", "pop", "dup", "swap", "over", "add", "sub", "mul",
    "divu", "modu", "and", "or", "xor", "shl", "shru", "eq", "ltu", "not",
    "jmp", "jz", "jnz", "call", "ret", "loadl", "storel", "loadm", "storem",
    "out"
};

#define CODE_MAX 1024
#define STACK_MAX 256
#define FRAMES_MAX 64
#define MEM_MAX 1024
#define LOCALS 8
#define LABELS 32

struct frame {
    int ret_pc;
    uint32_t locals[LOCALS];
};

struct vm {
    int32_t code[CODE_MAX];
    int code_len;
    uint32_t stack[STACK_MAX];
    int sp;
    struct frame frames[FRAMES_MAX];
    int fp;
    uint32_t mem[MEM_MAX];
    uint32_t out[64];
    int out_len;
    long steps;
    long op_counts[OP_COUNT];
    int error;
};

static struct vm machine;
static int label_pos[LABELS];
static int fixups[LABELS * 8][2];
static int nfixups;
static int failures;

/* ---------------- assembler ---------------- */
static void asm_reset(struct vm *m)
{
    memset(m, 0, sizeof *m);
    memset(label_pos, -1, sizeof label_pos);
    nfixups = 0;
}

static void e0(struct vm *m, enum opcode op)
{
    if (m->code_len < CODE_MAX)
        m->code[m->code_len++] = (int32_t)op;
}

static void e1(struct vm *m, enum opcode op, int32_t arg)
{
    e0(m, op);
    if (m->code_len < CODE_MAX)
        m->code[m->code_len++] = arg;
}

static void ejump(struct vm *m, enum opcode op, int label)
{
    e0(m, op);
    fixups[nfixups][0] = m->code_len;
    fixups[nfixups][1] = label;
    nfixups++;
    if (m->code_len < CODE_MAX)
        m->code[m->code_len++] = -1;
}

static void label(struct vm *m, int l)
{
    label_pos[l] = m->code_len;
}

static void asm_finish(struct vm *m)
{
    int i;
    for (i = 0; i < nfixups; i++)
        m->code[fixups[i][0]] = label_pos[fixups[i][1]];
}

/* ---------------- interpreter ---------------- */
static uint32_t pop(struct vm *m)
{
    if (m->sp <= 0) {
        m->error = 1;
        return 0;
    }
    return m->stack[--m->sp];
}

static void push(struct vm *m, uint32_t v)
{
    if (m->sp >= STACK_MAX) {
        m->error = 2;
        return;
    }
    m->stack[m->sp++] = v;
}

static int arg_ok(const struct vm *m, int pc)
{
    return pc >= 0 && pc < m->code_len;
}

static int run(struct vm *m, long max_steps)
{
    int pc = 0;
    uint32_t a, b;
    m->fp = 0;
    while (!m->error) {
        int32_t op, arg = 0;
        if (!arg_ok(m, pc) || ++m->steps > max_steps) {
            m->error = 3;
            break;
        }
        op = m->code[pc++];
        if (op < 0 || op >= OP_COUNT) {
            m->error = 4;
            break;
        }
        m->op_counts[op]++;
        switch (op) {
        case OP_PUSH: case OP_JMP: case OP_JZ: case OP_JNZ: case OP_CALL:
        case OP_LOADL: case OP_STOREL:
            if (!arg_ok(m, pc)) {
                m->error = 5;
                return m->error;
            }
            arg = m->code[pc++];
            break;
        default:
            break;
        }
        switch ((enum opcode)op) {
        case OP_HALT: return 0;
        case OP_PUSH: push(m, (uint32_t)arg); break;
        case OP_POP: (void)pop(m); break;
        case OP_DUP: a = pop(m); push(m, a); push(m, a); break;
        case OP_SWAP: a = pop(m); b = pop(m); push(m, a); push(m, b); break;
        case OP_OVER: a = pop(m); b = pop(m); push(m, b); push(m, a); push(m, b); break;
        case OP_ADD: a = pop(m); b = pop(m); push(m, b + a); break;
        case OP_SUB: a = pop(m); b = pop(m); push(m, b - a); break;
        case OP_MUL: a = pop(m); b = pop(m); push(m, b * a); break;
        case OP_DIVU: a = pop(m); b = pop(m); push(m, a ? b / a : 0); break;
        case OP_MODU: a = pop(m); b = pop(m); push(m, a ? b % a : 0); break;
        case OP_AND: a = pop(m); b = pop(m); push(m, b & a); break;
        case OP_OR: a = pop(m); b = pop(m); push(m, b | a); break;
        case OP_XOR: a = pop(m); b = pop(m); push(m, b ^ a); break;
        case OP_SHL: a = pop(m); b = pop(m); push(m, b << (a & 31u)); break;
        case OP_SHRU: a = pop(m); b = pop(m); push(m, b >> (a & 31u)); break;
        case OP_EQ: a = pop(m); b = pop(m); push(m, b == a); break;
        case OP_LTU: a = pop(m); b = pop(m); push(m, b < a); break;
        case OP_NOT: a = pop(m); push(m, !a); break;
        case OP_JMP: pc = arg; break;
        case OP_JZ: if (pop(m) == 0) pc = arg; break;
        case OP_JNZ: if (pop(m) != 0) pc = arg; break;
        case OP_CALL:
            if (m->fp + 1 >= FRAMES_MAX) {
                m->error = 6;
                break;
            }
            m->fp++;
            m->frames[m->fp].ret_pc = pc;
            memset(m->frames[m->fp].locals, 0, sizeof m->frames[m->fp].locals);
            m->frames[m->fp].locals[0] = pop(m); /* single argument */
            pc = arg;
            break;
        case OP_RET:
            if (m->fp == 0) {
                m->error = 7;
                break;
            }
            pc = m->frames[m->fp].ret_pc;
            m->fp--;
            break;
        case OP_LOADL: push(m, m->frames[m->fp].locals[arg & (LOCALS - 1)]); break;
        case OP_STOREL: m->frames[m->fp].locals[arg & (LOCALS - 1)] = pop(m); break;
        case OP_LOADM: a = pop(m); push(m, m->mem[a % MEM_MAX]); break;
        case OP_STOREM: a = pop(m); b = pop(m); m->mem[a % MEM_MAX] = b; break;
        case OP_OUT:
            a = pop(m);
            if (m->out_len < 64)
                m->out[m->out_len++] = a;
            break;
        case OP_COUNT: m->error = 4; break;
        }
    }
    return m->error;
}

/* ---------------- programs ---------------- */
/* factorial(n) mod 2^32, iteratively; n in local 0 of main frame */
static void build_factorial(struct vm *m, int n)
{
    e1(m, OP_PUSH, n);
    e1(m, OP_STOREL, 0);
    e1(m, OP_PUSH, 1);
    e1(m, OP_STOREL, 1);
    label(m, 0);
    e1(m, OP_LOADL, 0);
    ejump(m, OP_JZ, 1);
    e1(m, OP_LOADL, 1);
    e1(m, OP_LOADL, 0);
    e0(m, OP_MUL);
    e1(m, OP_STOREL, 1);
    e1(m, OP_LOADL, 0);
    e1(m, OP_PUSH, 1);
    e0(m, OP_SUB);
    e1(m, OP_STOREL, 0);
    ejump(m, OP_JMP, 0);
    label(m, 1);
    e1(m, OP_LOADL, 1);
    e0(m, OP_OUT);
    e0(m, OP_HALT);
    asm_finish(m);
}

/* fib(n) = n < 2 ? n : fib(n-1) + fib(n-2), with real recursion */
static void build_fib(struct vm *m, int n)
{
    e1(m, OP_PUSH, n);
    ejump(m, OP_CALL, 0);
    e0(m, OP_OUT);
    e0(m, OP_HALT);
    label(m, 0);
    e1(m, OP_LOADL, 0);
    e1(m, OP_PUSH, 2);
    e0(m, OP_LTU);
    ejump(m, OP_JZ, 1);
    e1(m, OP_LOADL, 0);
    e0(m, OP_RET);
    label(m, 1);
    e1(m, OP_LOADL, 0);
    e1(m, OP_PUSH, 1);
    e0(m, OP_SUB);
    ejump(m, OP_CALL, 0);
    e1(m, OP_LOADL, 0);
    e1(m, OP_PUSH, 2);
    e0(m, OP_SUB);
    ejump(m, OP_CALL, 0);
    e0(m, OP_ADD);
    e0(m, OP_RET);
    asm_finish(m);
}

/* sieve over mem[0..n): outputs count of primes and their sum */
static void build_sieve(struct vm *m, int n)
{
    /* local0 = i, local1 = j, local2 = count, local3 = sum */
    e1(m, OP_PUSH, 2);
    e1(m, OP_STOREL, 0);
    label(m, 0);                         /* outer loop */
    e1(m, OP_LOADL, 0);
    e1(m, OP_PUSH, n);
    e0(m, OP_LTU);
    ejump(m, OP_JZ, 9);
    e1(m, OP_LOADL, 0);
    e0(m, OP_LOADM);
    ejump(m, OP_JNZ, 3);                 /* composite: skip */
    e1(m, OP_LOADL, 2);
    e1(m, OP_PUSH, 1);
    e0(m, OP_ADD);
    e1(m, OP_STOREL, 2);
    e1(m, OP_LOADL, 3);
    e1(m, OP_LOADL, 0);
    e0(m, OP_ADD);
    e1(m, OP_STOREL, 3);
    e1(m, OP_LOADL, 0);                  /* j = i * i */
    e0(m, OP_DUP);
    e0(m, OP_MUL);
    e1(m, OP_STOREL, 1);
    label(m, 2);                         /* inner loop */
    e1(m, OP_LOADL, 1);
    e1(m, OP_PUSH, n);
    e0(m, OP_LTU);
    ejump(m, OP_JZ, 3);
    e1(m, OP_PUSH, 1);
    e1(m, OP_LOADL, 1);
    e0(m, OP_STOREM);
    e1(m, OP_LOADL, 1);
    e1(m, OP_LOADL, 0);
    e0(m, OP_ADD);
    e1(m, OP_STOREL, 1);
    ejump(m, OP_JMP, 2);
    label(m, 3);
    e1(m, OP_LOADL, 0);
    e1(m, OP_PUSH, 1);
    e0(m, OP_ADD);
    e1(m, OP_STOREL, 0);
    ejump(m, OP_JMP, 0);
    label(m, 9);
    e1(m, OP_LOADL, 2);
    e0(m, OP_OUT);
    e1(m, OP_LOADL, 3);
    e0(m, OP_OUT);
    e0(m, OP_HALT);
    asm_finish(m);
}

/* gcd(a, b) by Euclid, using stack shuffling only */
static void build_gcd(struct vm *m, uint32_t a, uint32_t b)
{
    e1(m, OP_PUSH, (int32_t)a);
    e1(m, OP_PUSH, (int32_t)b);
    label(m, 0);                 /* stack: a b */
    e0(m, OP_DUP);
    ejump(m, OP_JZ, 1);
    e0(m, OP_SWAP);              /* b a */
    e0(m, OP_OVER);              /* b a b */
    e0(m, OP_MODU);              /* b a%b */
    ejump(m, OP_JMP, 0);
    label(m, 1);
    e0(m, OP_POP);
    e0(m, OP_OUT);
    e0(m, OP_HALT);
    asm_finish(m);
}

/* longest collatz chain start below n: outputs start and length */
static void build_collatz(struct vm *m, int n)
{
    /* l0 = start, l1 = x, l2 = len, l3 = best_len, l4 = best_start */
    e1(m, OP_PUSH, 1);
    e1(m, OP_STOREL, 0);
    label(m, 0);
    e1(m, OP_LOADL, 0);
    e1(m, OP_PUSH, n);
    e0(m, OP_LTU);
    ejump(m, OP_JZ, 5);
    e1(m, OP_LOADL, 0);
    e1(m, OP_STOREL, 1);
    e1(m, OP_PUSH, 1);
    e1(m, OP_STOREL, 2);
    label(m, 1);
    e1(m, OP_LOADL, 1);
    e1(m, OP_PUSH, 1);
    e0(m, OP_EQ);
    ejump(m, OP_JNZ, 4);
    e1(m, OP_LOADL, 1);
    e1(m, OP_PUSH, 1);
    e0(m, OP_AND);
    ejump(m, OP_JNZ, 2);
    e1(m, OP_LOADL, 1);
    e1(m, OP_PUSH, 1);
    e0(m, OP_SHRU);
    ejump(m, OP_JMP, 3);
    label(m, 2);
    e1(m, OP_LOADL, 1);
    e1(m, OP_PUSH, 3);
    e0(m, OP_MUL);
    e1(m, OP_PUSH, 1);
    e0(m, OP_ADD);
    label(m, 3);
    e1(m, OP_STOREL, 1);
    e1(m, OP_LOADL, 2);
    e1(m, OP_PUSH, 1);
    e0(m, OP_ADD);
    e1(m, OP_STOREL, 2);
    ejump(m, OP_JMP, 1);
    label(m, 4);
    e1(m, OP_LOADL, 3);
    e1(m, OP_LOADL, 2);
    e0(m, OP_LTU);
    ejump(m, OP_JZ, 6);
    e1(m, OP_LOADL, 2);
    e1(m, OP_STOREL, 3);
    e1(m, OP_LOADL, 0);
    e1(m, OP_STOREL, 4);
    label(m, 6);
    e1(m, OP_LOADL, 0);
    e1(m, OP_PUSH, 1);
    e0(m, OP_ADD);
    e1(m, OP_STOREL, 0);
    ejump(m, OP_JMP, 0);
    label(m, 5);
    e1(m, OP_LOADL, 4);
    e0(m, OP_OUT);
    e1(m, OP_LOADL, 3);
    e0(m, OP_OUT);
    e0(m, OP_HALT);
    asm_finish(m);
}

/* ---------------- native references ---------------- */
static uint32_t native_fact(int n)
{
    uint32_t r = 1;
    while (n > 0)
        r *= (uint32_t)n--;
    return r;
}

static uint32_t native_fib(int n)
{
    uint32_t a = 0, b = 1;
    while (n-- > 0) {
        uint32_t t = a + b;
        a = b;
        b = t;
    }
    return a;
}

static void native_sieve(int n, uint32_t *count, uint32_t *sum)
{
    static unsigned char comp[MEM_MAX];
    int i, j;
    *count = *sum = 0;
    memset(comp, 0, sizeof comp);
    for (i = 2; i < n; i++) {
        if (comp[i])
            continue;
        ++*count;
        *sum += (uint32_t)i;
        for (j = i * i; j < n; j += i)
            comp[j] = 1;
    }
}

static uint32_t native_gcd(uint32_t a, uint32_t b)
{
    return b ? native_gcd(b, a % b) : a;
}

static void native_collatz(int n, uint32_t *best_start, uint32_t *best_len)
{
    int s;
    *best_start = *best_len = 0;
    for (s = 1; s < n; s++) {
        uint32_t x = (uint32_t)s, len = 1;
        while (x != 1) {
            x = (x & 1u) ? 3u * x + 1u : x >> 1;
            len++;
        }
        if (len > *best_len) {
            *best_len = len;
            *best_start = (uint32_t)s;
        }
    }
}

static void report(const char *name, struct vm *m, int rc, const uint32_t *expect,
                   int nexpect)
{
    int i, ok = rc == 0 && m->out_len == nexpect;
    for (i = 0; ok && i < nexpect; i++)
        ok = m->out[i] == expect[i];
    printf("%-10s rc=%d steps=%ld out=", name, rc, m->steps);
    for (i = 0; i < m->out_len; i++)
        printf("%s%lu", i ? "," : "", (unsigned long)m->out[i]);
    printf(" %s\n", ok ? "ok" : "MISMATCH");
    if (!ok)
        failures++;
}

int main(void)
{
    uint32_t exp[2];
    long total_ops[OP_COUNT];
    int i, rc, most = 0;
    struct vm *m = &machine;
    memset(total_ops, 0, sizeof total_ops);

#define ACCUM() for (i = 0; i < OP_COUNT; i++) total_ops[i] += m->op_counts[i]
    asm_reset(m); build_factorial(m, 12); rc = run(m, 100000);
    exp[0] = native_fact(12); report("fact12", m, rc, exp, 1); ACCUM();
    asm_reset(m); build_factorial(m, 20); rc = run(m, 100000);
    exp[0] = native_fact(20); report("fact20", m, rc, exp, 1); ACCUM();
    asm_reset(m); build_fib(m, 18); rc = run(m, 1000000);
    exp[0] = native_fib(18); report("fib18", m, rc, exp, 1); ACCUM();
    asm_reset(m); build_sieve(m, 1000); rc = run(m, 1000000);
    native_sieve(1000, &exp[0], &exp[1]); report("sieve1000", m, rc, exp, 2); ACCUM();
    asm_reset(m); build_gcd(m, 1071u * 97u, 462u * 97u); rc = run(m, 10000);
    exp[0] = native_gcd(1071u * 97u, 462u * 97u); report("gcd", m, rc, exp, 1); ACCUM();
    asm_reset(m); build_collatz(m, 300); rc = run(m, 2000000);
    native_collatz(300, &exp[0], &exp[1]); report("collatz", m, rc, exp, 2); ACCUM();

    /* error handling: stack underflow and runaway loop must be caught */
    asm_reset(m); e0(m, OP_ADD); e0(m, OP_HALT);
    if (run(m, 100) == 0) failures++;
    asm_reset(m); label(m, 0); ejump(m, OP_JMP, 0); asm_finish(m);
    if (run(m, 500) != 3) failures++;

    for (i = 1; i < OP_COUNT; i++)
        if (total_ops[i] > total_ops[most])
            most = i;
    printf("hottest opcode: %s (%ld)\n", opnames[most], total_ops[most]);
    printf("%s\n", failures ? "stackvm: FAILED" : "stackvm: ok");
    return failures ? 1 : 0;
}
