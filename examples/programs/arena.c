/* arena.c - a first-fit memory allocator with block splitting, boundary
 * tags and coalescing, operating on a static arena of header-sized units
 * (indices instead of pointers to headers, so no aliasing tricks), plus a
 * fixed-size slot pool allocator. A PRNG-driven workload of allocations,
 * frees and reallocations runs against both; a shadow table checks that
 * live blocks never overlap and that their contents are preserved, and
 * heap walks check the allocator invariants after every phase. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define UNITS 4096
#define MAX_LIVE 128

struct header {
    uint32_t size;      /* block size in units, header included */
    uint32_t prev_size; /* size of the physically previous block, 0 if first */
    uint32_t is_free;
    uint32_t pad;
};

typedef union unit {
    struct header h;
    uint64_t align;
    unsigned char bytes[16];
} unit;

static unit arena[UNITS];
static int failures;

static void check(int cond, const char *msg)
{
    if (!cond) {
        printf("FAIL: %s\n", msg);
        failures++;
    }
}

static uint32_t rng = 1u;

static uint32_t rnd(uint32_t n)
{
    rng = rng * 1664525u + 1013904223u;
    return (rng >> 8) % n;
}

static void heap_init(void)
{
    memset(arena, 0, sizeof arena);
    arena[0].h.size = UNITS;
    arena[0].h.prev_size = 0;
    arena[0].h.is_free = 1;
}

static unsigned char *payload(uint32_t idx)
{
    return arena[idx + 1].bytes;
}

static uint32_t index_of(const unsigned char *p)
{
    const unsigned char *base = arena[0].bytes;
    return (uint32_t)((size_t)(p - base) / sizeof(unit)) - 1u;
}

static void set_next_prev(uint32_t idx)
{
    uint32_t next = idx + arena[idx].h.size;
    if (next < UNITS)
        arena[next].h.prev_size = arena[idx].h.size;
}

static unsigned char *heap_alloc(size_t bytes)
{
    uint32_t need = (uint32_t)((bytes + sizeof(unit) - 1) / sizeof(unit)) + 1u;
    uint32_t idx = 0;
    if (bytes == 0)
        return NULL;
    while (idx < UNITS) {
        struct header *h = &arena[idx].h;
        if (h->is_free && h->size >= need) {
            if (h->size >= need + 2) {
                uint32_t rest = idx + need;
                arena[rest].h.size = h->size - need;
                arena[rest].h.is_free = 1;
                arena[rest].h.prev_size = need;
                h->size = need;
                set_next_prev(rest);
            }
            h->is_free = 0;
            return payload(idx);
        }
        idx += h->size;
    }
    return NULL;
}

static void heap_free(unsigned char *p)
{
    uint32_t idx, next;
    if (!p)
        return;
    idx = index_of(p);
    arena[idx].h.is_free = 1;
    next = idx + arena[idx].h.size;
    if (next < UNITS && arena[next].h.is_free) {
        arena[idx].h.size += arena[next].h.size;
        set_next_prev(idx);
    }
    if (arena[idx].h.prev_size) {
        uint32_t prev = idx - arena[idx].h.prev_size;
        if (arena[prev].h.is_free) {
            arena[prev].h.size += arena[idx].h.size;
            set_next_prev(prev);
        }
    }
}

static size_t block_capacity(const unsigned char *p)
{
    return (arena[index_of(p)].h.size - 1u) * sizeof(unit);
}

static unsigned char *heap_realloc(unsigned char *p, size_t bytes)
{
    unsigned char *q;
    size_t old;
    if (!p)
        return heap_alloc(bytes);
    old = block_capacity(p);
    if (bytes <= old)
        return p;
    q = heap_alloc(bytes);
    if (!q)
        return NULL;
    memcpy(q, p, old);
    heap_free(p);
    return q;
}

struct heap_stats {
    uint32_t blocks, free_blocks, free_units, largest_free;
    int ok;
};

static struct heap_stats heap_walk(void)
{
    struct heap_stats s;
    uint32_t idx = 0, prev_size = 0, prev_free = 0;
    memset(&s, 0, sizeof s);
    s.ok = 1;
    while (idx < UNITS) {
        const struct header *h = &arena[idx].h;
        if (h->size == 0 || h->prev_size != prev_size || (prev_free && h->is_free)) {
            s.ok = 0;
            break;
        }
        s.blocks++;
        if (h->is_free) {
            s.free_blocks++;
            s.free_units += h->size;
            if (h->size > s.largest_free)
                s.largest_free = h->size;
        }
        prev_size = h->size;
        prev_free = h->is_free;
        idx += h->size;
    }
    if (idx != UNITS)
        s.ok = 0;
    return s;
}

/* ---------------- fixed-size pool ---------------- */
#define SLOTS 64
#define SLOT_BYTES 24

static unsigned char pool_mem[SLOTS][SLOT_BYTES];
static int pool_next[SLOTS];
static int pool_head;
static int pool_used;

static void pool_init(void)
{
    int i;
    for (i = 0; i < SLOTS; i++)
        pool_next[i] = i + 1 < SLOTS ? i + 1 : -1;
    pool_head = 0;
    pool_used = 0;
}

static int pool_alloc(void)
{
    int s = pool_head;
    if (s >= 0) {
        pool_head = pool_next[s];
        pool_next[s] = -2; /* marks in use */
        pool_used++;
    }
    return s;
}

static int pool_free(int s)
{
    if (s < 0 || s >= SLOTS || pool_next[s] != -2)
        return -1; /* double free or bad slot */
    pool_next[s] = pool_head;
    pool_head = s;
    pool_used--;
    return 0;
}

/* ---------------- shadow bookkeeping ---------------- */
struct live {
    unsigned char *p;
    size_t len;
    unsigned char tag;
};

static struct live live[MAX_LIVE];
static int nlive;

static void fill(struct live *l)
{
    size_t i;
    for (i = 0; i < l->len; i++)
        l->p[i] = (unsigned char)(l->tag + i * 7u);
}

static int intact(const struct live *l)
{
    size_t i;
    for (i = 0; i < l->len; i++)
        if (l->p[i] != (unsigned char)(l->tag + i * 7u))
            return 0;
    return 1;
}

static int overlaps(void)
{
    int i, j;
    for (i = 0; i < nlive; i++)
        for (j = i + 1; j < nlive; j++) {
            const unsigned char *a = live[i].p, *b = live[j].p;
            size_t ai = (size_t)(a - arena[0].bytes), bi = (size_t)(b - arena[0].bytes);
            if (ai < bi + live[j].len && bi < ai + live[i].len)
                return 1;
        }
    return 0;
}

int main(void)
{
    int round, i, failed_allocs = 0, reallocs = 0;
    uint32_t checksum = 0;
    struct heap_stats st;
    int slots[SLOTS], nslots = 0, pool_ops = 0;

    heap_init();
    for (round = 0; round < 3000; round++) {
        uint32_t op = rnd(10);
        if ((op < 4 || nlive == 0) && nlive < MAX_LIVE) {
            size_t len = 1 + rnd(round % 3 == 0 ? 600 : 80);
            unsigned char *p = heap_alloc(len);
            if (!p) {
                failed_allocs++;
                continue;
            }
            live[nlive].p = p;
            live[nlive].len = len;
            live[nlive].tag = (unsigned char)round;
            fill(&live[nlive]);
            nlive++;
        } else if (op < 8) {
            int k = (int)rnd((uint32_t)nlive);
            check(intact(&live[k]), "contents before free");
            checksum = checksum * 31u + (uint32_t)live[k].len + live[k].p[0];
            heap_free(live[k].p);
            live[k] = live[--nlive];
        } else {
            int k = (int)rnd((uint32_t)nlive);
            size_t grow = live[k].len + 1 + rnd(200);
            unsigned char *q = heap_realloc(live[k].p, grow);
            if (q) {
                size_t j;
                check(intact(&live[k]) || q != live[k].p, "realloc in place");
                for (j = 0; j < live[k].len; j++)
                    if (q[j] != (unsigned char)(live[k].tag + j * 7u))
                        break;
                check(j == live[k].len, "realloc preserved data");
                live[k].p = q;
                live[k].len = grow;
                fill(&live[k]);
                reallocs++;
            }
        }
        if (round % 250 == 0) {
            st = heap_walk();
            check(st.ok, "heap invariants");
            check(!overlaps(), "no overlap");
        }
    }
    st = heap_walk();
    check(st.ok, "final heap invariants");
    for (i = 0; i < nlive; i++)
        check(intact(&live[i]), "final contents");
    printf("arena: live=%d blocks=%lu free_blocks=%lu free_units=%lu largest=%lu\n",
           nlive, (unsigned long)st.blocks, (unsigned long)st.free_blocks,
           (unsigned long)st.free_units, (unsigned long)st.largest_free);
    printf("failed allocs=%d reallocs=%d checksum=%08lx\n", failed_allocs, reallocs,
           (unsigned long)checksum);
    while (nlive > 0) {
        heap_free(live[nlive - 1].p);
        nlive--;
    }
    st = heap_walk();
    check(st.ok && st.blocks == 1 && st.free_units == UNITS, "everything coalesced");
    printf("after free-all: blocks=%lu free_units=%lu\n", (unsigned long)st.blocks,
           (unsigned long)st.free_units);
    check(heap_alloc((UNITS - 1) * sizeof(unit)) != NULL, "whole arena allocatable");
    check(heap_alloc(1) == NULL, "arena exhausted");

    pool_init();
    for (round = 0; round < 2000; round++) {
        if (rnd(2) != 0 && nslots < SLOTS) {
            int s = pool_alloc();
            check(s >= 0, "pool alloc");
            memset(pool_mem[s], s, SLOT_BYTES);
            slots[nslots++] = s;
        } else if (nslots > 0) {
            int k = (int)rnd((uint32_t)nslots);
            check(pool_mem[slots[k]][SLOT_BYTES - 1] == (unsigned char)slots[k], "pool data");
            check(pool_free(slots[k]) == 0, "pool free");
            check(pool_free(slots[k]) == -1, "double free detected");
            slots[k] = slots[--nslots];
        }
        pool_ops++;
        check(pool_used == nslots, "pool count");
    }
    printf("pool: ops=%d in use=%d head=%d\n", pool_ops, pool_used, pool_head);
    printf("%s\n", failures ? "arena: FAILED" : "arena: ok");
    return failures ? 1 : 0;
}
