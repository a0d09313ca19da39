/* hashtable.c - two hash table designs over string keys: open addressing
 * with linear probing, tombstones and rehash-on-growth, and separate
 * chaining with a static node pool. A word-frequency workload (insert,
 * update, delete, lookup) is run against both and against a sorted-array
 * reference with binary search; all three must agree exactly. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

#define KEY_MAX 16
#define OA_MAX 4096
#define CH_BUCKETS 257
#define CH_NODES 2048
#define REF_MAX 2048

static int failures;

static void check(int cond, const char *msg)
{
    if (!cond) {
        printf("FAIL: %s\n", msg);
        failures++;
    }
}

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 16777619u;
    }
    return h;
}

static uint32_t djb2(const char *s)
{
    uint32_t h = 5381u;
    while (*s)
        h = h * 33u + (unsigned char)*s++;
    return h;
}

/* ---------------- open addressing ---------------- */
enum slot_state { EMPTY, USED, TOMB };

struct oa_slot {
    char key[KEY_MAX];
    int value;
    uint32_t hash;
    enum slot_state state;
};

static struct oa_slot oa_slots[OA_MAX];
static struct oa_slot oa_old[OA_MAX];
static uint32_t oa_cap, oa_count, oa_tombs, oa_probes, oa_rehashes;

static void oa_init(uint32_t cap)
{
    oa_cap = cap;
    oa_count = oa_tombs = 0;
    memset(oa_slots, 0, sizeof oa_slots);
}

static int oa_find_slot(const char *key, uint32_t h, int for_insert)
{
    uint32_t i = h & (oa_cap - 1u);
    int first_tomb = -1;
    for (;;) {
        struct oa_slot *s = &oa_slots[i];
        oa_probes++;
        if (s->state == EMPTY)
            return for_insert && first_tomb >= 0 ? first_tomb : (for_insert ? (int)i : -1);
        if (s->state == TOMB) {
            if (first_tomb < 0)
                first_tomb = (int)i;
        } else if (s->hash == h && strcmp(s->key, key) == 0) {
            return (int)i;
        }
        i = (i + 1u) & (oa_cap - 1u);
    }
}

static void oa_put(const char *key, int value);

static void oa_grow(void)
{
    uint32_t i, old_cap = oa_cap;
    memcpy(oa_old, oa_slots, sizeof(struct oa_slot) * old_cap);
    oa_init(old_cap * 2u <= OA_MAX ? old_cap * 2u : old_cap);
    oa_rehashes++;
    for (i = 0; i < old_cap; i++)
        if (oa_old[i].state == USED)
            oa_put(oa_old[i].key, oa_old[i].value);
}

static void oa_put(const char *key, int value)
{
    uint32_t h = fnv1a(key);
    int i;
    if ((oa_count + oa_tombs + 1u) * 4u > oa_cap * 3u)
        oa_grow();
    i = oa_find_slot(key, h, 1);
    if (oa_slots[i].state != USED) {
        if (oa_slots[i].state == TOMB)
            oa_tombs--;
        oa_slots[i].state = USED;
        oa_slots[i].hash = h;
        strcpy(oa_slots[i].key, key);
        oa_count++;
    }
    oa_slots[i].value = value;
}

static int oa_get(const char *key, int *value)
{
    int i = oa_find_slot(key, fnv1a(key), 0);
    if (i < 0)
        return 0;
    *value = oa_slots[i].value;
    return 1;
}

static int oa_del(const char *key)
{
    int i = oa_find_slot(key, fnv1a(key), 0);
    if (i < 0)
        return 0;
    oa_slots[i].state = TOMB;
    oa_count--;
    oa_tombs++;
    return 1;
}

/* ---------------- separate chaining ---------------- */
struct ch_node {
    char key[KEY_MAX];
    int value;
    int next;
};

static struct ch_node ch_nodes[CH_NODES];
static int ch_heads[CH_BUCKETS];
static int ch_free;
static uint32_t ch_count;

static void ch_init(void)
{
    int i;
    for (i = 0; i < CH_BUCKETS; i++)
        ch_heads[i] = -1;
    for (i = 0; i < CH_NODES; i++)
        ch_nodes[i].next = i + 1 < CH_NODES ? i + 1 : -1;
    ch_free = 0;
    ch_count = 0;
}

static int *ch_lookup(const char *key, int create)
{
    uint32_t b = djb2(key) % CH_BUCKETS;
    int n;
    for (n = ch_heads[b]; n >= 0; n = ch_nodes[n].next)
        if (strcmp(ch_nodes[n].key, key) == 0)
            return &ch_nodes[n].value;
    if (!create || ch_free < 0)
        return NULL;
    n = ch_free;
    ch_free = ch_nodes[n].next;
    strcpy(ch_nodes[n].key, key);
    ch_nodes[n].value = 0;
    ch_nodes[n].next = ch_heads[b];
    ch_heads[b] = n;
    ch_count++;
    return &ch_nodes[n].value;
}

static int ch_del(const char *key)
{
    uint32_t b = djb2(key) % CH_BUCKETS;
    int *link = &ch_heads[b];
    while (*link >= 0) {
        int n = *link;
        if (strcmp(ch_nodes[n].key, key) == 0) {
            *link = ch_nodes[n].next;
            ch_nodes[n].next = ch_free;
            ch_free = n;
            ch_count--;
            return 1;
        }
        link = &ch_nodes[n].next;
    }
    return 0;
}

static int longest_chain(void)
{
    int b, best = 0;
    for (b = 0; b < CH_BUCKETS; b++) {
        int n, len = 0;
        for (n = ch_heads[b]; n >= 0; n = ch_nodes[n].next)
            len++;
        if (len > best)
            best = len;
    }
    return best;
}

/* ---------------- sorted array reference ---------------- */
struct ref_entry {
    char key[KEY_MAX];
    int value;
};

static struct ref_entry ref[REF_MAX];
static int nref;

static int ref_search(const char *key, int *found)
{
    int lo = 0, hi = nref;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(ref[mid].key, key);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

static void ref_add(const char *key, int delta)
{
    int found, i = ref_search(key, &found);
    if (!found) {
        memmove(&ref[i + 1], &ref[i], sizeof(ref[0]) * (size_t)(nref - i));
        strcpy(ref[i].key, key);
        ref[i].value = 0;
        nref++;
    }
    ref[i].value += delta;
}

static void ref_del(const char *key)
{
    int found, i = ref_search(key, &found);
    if (found) {
        memmove(&ref[i], &ref[i + 1], sizeof(ref[0]) * (size_t)(nref - i - 1));
        nref--;
    }
}

static int cmp_entry(const void *a, const void *b)
{
    const struct ref_entry *x = (const struct ref_entry *)a, *y = (const struct ref_entry *)b;
    if (x->value != y->value)
        return y->value - x->value;
    return strcmp(x->key, y->key);
}

/* ---------------- workload ---------------- */
static const char *const syllables[] = {
    "ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "zen", "qua", "bi", "do"
};

static uint32_t seed = 20240601u;

static void make_word(char *out)
{
    int n, i;
    seed = seed * 1103515245u + 12345u;
    n = 1 + (int)((seed >> 16) % 3u);
    out[0] = '\0';
    for (i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        /* skewed distribution: low syllable indices are more common */
        strcat(out, syllables[((seed >> 16) % 12u) * ((seed >> 20) % 12u) / 12u]);
    }
}

int main(void)
{
    int step, i, v1, v2, deletes = 0;
    char word[KEY_MAX];
    struct ref_entry top[REF_MAX];

    oa_init(16);
    ch_init();
    for (step = 0; step < 6000; step++) {
        make_word(word);
        if (step % 11 == 10) {
            int a = oa_del(word), b = ch_del(word), found;
            ref_search(word, &found);
            check(a == b && a == found, "delete agreement");
            ref_del(word);
            deletes += a;
        } else {
            int *p = ch_lookup(word, 1), old = 0;
            check(p != NULL, "chain insert");
            if (!oa_get(word, &old))
                old = 0;
            check(p != NULL && *p == old, "value agreement before update");
            oa_put(word, old + 1);
            if (p)
                *p = old + 1;
            ref_add(word, 1);
        }
    }
    check(oa_count == ch_count && (int)oa_count == nref, "sizes agree");
    for (i = 0; i < nref; i++) {
        int *p = ch_lookup(ref[i].key, 0);
        check(oa_get(ref[i].key, &v1) && v1 == ref[i].value, "oa lookup");
        check(p != NULL && *p == ref[i].value, "chain lookup");
    }
    check(!oa_get("notaword", &v2) && ch_lookup("notaword", 0) == NULL, "missing key");
    printf("distinct=%lu deletes=%d oa_cap=%lu rehashes=%lu tombs=%lu longest_chain=%d\n",
           (unsigned long)oa_count, deletes, (unsigned long)oa_cap,
           (unsigned long)oa_rehashes, (unsigned long)oa_tombs, longest_chain());
    memcpy(top, ref, sizeof(ref[0]) * (size_t)nref);
    qsort(top, (size_t)nref, sizeof top[0], cmp_entry);
    for (i = 0; i < 8 && i < nref; i++)
        printf("  %-8s %d\n", top[i].key, top[i].value);
    printf("%s\n", failures ? "hashtable: FAILED" : "hashtable: ok");
    return failures ? 1 : 0;
}
