/* sorting.c - insertion, shell, quick (median-of-3, iterative fallback),
 * merge (top-down and bottom-up), heap and counting sort over PRNG data.
 * All algorithms must agree with each other and produce sorted
 * permutations (checked via order test and multiset hashes). */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define MAXN 2000

typedef void (*sort_fn)(int *a, int n);

static int input[MAXN];
static int work[MAXN];
static int reference[MAXN];
static int scratch[MAXN];
static uint64_t rng = 88172645463325252ull;
static int failures;

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

static void swap(int *a, int *b)
{
    int t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(int *a, int n)
{
    int i, j;
    for (i = 1; i < n; i++) {
        int v = a[i];
        for (j = i - 1; j >= 0 && a[j] > v; j--)
            a[j + 1] = a[j];
        a[j + 1] = v;
    }
}

static void shell_sort(int *a, int n)
{
    static const int gaps[] = { 701, 301, 132, 57, 23, 10, 4, 1 };
    unsigned g;
    for (g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        int gap = gaps[g], i;
        for (i = gap; i < n; i++) {
            int v = a[i], j = i;
            while (j >= gap && a[j - gap] > v) {
                a[j] = a[j - gap];
                j -= gap;
            }
            a[j] = v;
        }
    }
}

static int median3(int *a, int lo, int hi)
{
    int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(&a[mid], &a[lo]);
    if (a[hi] < a[lo]) swap(&a[hi], &a[lo]);
    if (a[hi] < a[mid]) swap(&a[hi], &a[mid]);
    return a[mid];
}

static void quick_rec(int *a, int lo, int hi)
{
    while (hi - lo > 12) {
        int pivot = median3(a, lo, hi);
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                swap(&a[i], &a[j]);
                i++;
                j--;
            }
        }
        /* recurse on smaller part, loop on larger */
        if (j - lo < hi - i) {
            quick_rec(a, lo, j);
            lo = i;
        } else {
            quick_rec(a, i, hi);
            hi = j;
        }
    }
    insertion_sort(a + lo, hi - lo + 1);
}

static void quick_sort(int *a, int n)
{
    if (n > 1)
        quick_rec(a, 0, n - 1);
}

static void merge(int *a, int *tmp, int lo, int mid, int hi)
{
    int i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        tmp[k++] = (a[j] < a[i]) ? a[j++] : a[i++];
    while (i < mid) tmp[k++] = a[i++];
    while (j < hi) tmp[k++] = a[j++];
    memcpy(a + lo, tmp + lo, (size_t)(hi - lo) * sizeof(int));
}

static void merge_rec(int *a, int *tmp, int lo, int hi)
{
    int mid;
    if (hi - lo < 2)
        return;
    mid = lo + (hi - lo) / 2;
    merge_rec(a, tmp, lo, mid);
    merge_rec(a, tmp, mid, hi);
    if (a[mid - 1] <= a[mid])
        return;
    merge(a, tmp, lo, mid, hi);
}

static void merge_sort_td(int *a, int n)
{
    merge_rec(a, scratch, 0, n);
}

static void merge_sort_bu(int *a, int n)
{
    int width;
    for (width = 1; width < n; width *= 2) {
        int lo;
        for (lo = 0; lo < n - width; lo += 2 * width) {
            int mid = lo + width;
            int hi = mid + width < n ? mid + width : n;
            merge(a, scratch, lo, mid, hi);
        }
    }
}

static void sift_down(int *a, int start, int end)
{
    int root = start;
    for (;;) {
        int child = 2 * root + 1, best = root;
        if (child > end)
            break;
        if (a[best] < a[child]) best = child;
        if (child + 1 <= end && a[best] < a[child + 1]) best = child + 1;
        if (best == root)
            return;
        swap(&a[root], &a[best]);
        root = best;
    }
}

static void heap_sort(int *a, int n)
{
    int start, end;
    for (start = (n - 2) / 2; start >= 0; start--)
        sift_down(a, start, n - 1);
    for (end = n - 1; end > 0; end--) {
        swap(&a[0], &a[end]);
        sift_down(a, 0, end - 1);
    }
}

/* counting sort for values in [-5000, 5000) as an independent reference */
static int counts[10000];

static void counting_sort(int *a, int n)
{
    int i, v, k = 0;
    memset(counts, 0, sizeof counts);
    for (i = 0; i < n; i++)
        counts[a[i] + 5000]++;
    for (v = 0; v < 10000; v++)
        for (i = 0; i < counts[v]; i++)
            a[k++] = v - 5000;
}

static int is_sorted(const int *a, int n)
{
    int i;
    for (i = 1; i < n; i++)
        if (a[i - 1] > a[i])
            return 0;
    return 1;
}

static uint32_t multiset_hash(const int *a, int n)
{
    uint32_t sum = 0, x = 0;
    int i;
    for (i = 0; i < n; i++) {
        uint32_t v = (uint32_t)a[i] * 2654435761u;
        sum += v ^ (v >> 15);
        x ^= v * v;
    }
    return sum ^ (x << 1);
}

static uint32_t position_hash(const int *a, int n)
{
    uint32_t h = 2166136261u;
    int i;
    for (i = 0; i < n; i++) {
        h ^= (uint32_t)a[i];
        h *= 16777619u;
    }
    return h;
}

enum pattern { RANDOM, SORTED, REVERSED, FEW_UNIQUE, ORGAN_PIPE, NPATTERNS };

static void fill(int *a, int n, enum pattern p)
{
    int i;
    for (i = 0; i < n; i++) {
        switch (p) {
        case RANDOM: a[i] = (int)(next_rand() % 10000u) - 5000; break;
        case SORTED: a[i] = i * 3 - 2500; break;
        case REVERSED: a[i] = 2500 - i * 2; break;
        case FEW_UNIQUE: a[i] = (int)(next_rand() % 5u) * 100; break;
        case ORGAN_PIPE: a[i] = i < n / 2 ? i : n - i; break;
        default: a[i] = 0; break;
        }
    }
}

struct algo {
    const char *name;
    sort_fn fn;
    int max_n;
};

static const struct algo algos[] = {
    { "insertion", insertion_sort, 600 },
    { "shell", shell_sort, MAXN },
    { "quick", quick_sort, MAXN },
    { "merge_td", merge_sort_td, MAXN },
    { "merge_bu", merge_sort_bu, MAXN },
    { "heap", heap_sort, MAXN },
};

static const char *pattern_names[NPATTERNS] = {
    "random", "sorted", "reversed", "few_unique", "organ_pipe"
};

int main(void)
{
    static const int sizes[] = { 0, 1, 2, 13, 100, 600, 2000 };
    unsigned s, a;
    int p;
    uint32_t digest = 0;
    for (p = 0; p < NPATTERNS; p++) {
        for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            int n = sizes[s];
            uint32_t mh, ph;
            fill(input, n, (enum pattern)p);
            memcpy(reference, input, (size_t)n * sizeof(int));
            counting_sort(reference, n);
            mh = multiset_hash(input, n);
            ph = position_hash(reference, n);
            if (!is_sorted(reference, n) || multiset_hash(reference, n) != mh) {
                printf("FAIL: counting sort %s %d\n", pattern_names[p], n);
                failures++;
            }
            for (a = 0; a < sizeof algos / sizeof algos[0]; a++) {
                if (n > algos[a].max_n)
                    continue;
                memcpy(work, input, (size_t)n * sizeof(int));
                algos[a].fn(work, n);
                if (!is_sorted(work, n) || multiset_hash(work, n) != mh ||
                    position_hash(work, n) != ph ||
                    (n > 0 && memcmp(work, reference, (size_t)n * sizeof(int)) != 0)) {
                    printf("FAIL: %s on %s n=%d\n", algos[a].name,
                           pattern_names[p], n);
                    failures++;
                }
            }
            digest = digest * 31u + ph;
        }
        printf("%-10s median=%d min=%d max=%d\n", pattern_names[p],
               reference[MAXN / 2], reference[0], reference[MAXN - 1]);
    }
    printf("digest %08lx\n", (unsigned long)digest);
    printf("%s\n", failures ? "sorting: FAILED" : "sorting: ok");
    return failures != 0;
}
