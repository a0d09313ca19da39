/* dijkstra.c - shortest paths on a deterministic weighted digraph stored
 * in compressed adjacency arrays: Dijkstra with a binary-heap priority
 * queue (with decrease-key via position index), Dijkstra with an O(V^2)
 * linear scan, Bellman-Ford, and Floyd-Warshall on a subgraph. Also checks
 * the priority queue on its own as a sorter, and reconstructs paths. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <limits.h>

#define V 300
#define MAX_E 2400
#define INF INT_MAX
#define FW_N 60

struct edge {
    int to, w;
};

static struct edge edges[MAX_E];
static int edge_start[V + 1];
static int nedges;
static int failures;

static void check(int cond, const char *msg)
{
    if (!cond) {
        printf("FAIL: %s\n", msg);
        failures++;
    }
}

/* ---------------- graph generation ---------------- */
static uint32_t gseed = 4242u;

static uint32_t grand(uint32_t n)
{
    gseed ^= gseed << 13;
    gseed ^= gseed >> 17;
    gseed ^= gseed << 5;
    return gseed % n;
}

struct raw_edge {
    int from, to, w;
};

static struct raw_edge raw[MAX_E];

static void build_graph(void)
{
    int i, n = 0, counts[V + 1];
    /* a ring guarantees strong connectivity, plus random chords */
    for (i = 0; i < V; i++) {
        raw[n].from = i;
        raw[n].to = (i + 1) % V;
        raw[n].w = 50 + (int)grand(50);
        n++;
    }
    while (n < MAX_E) {
        raw[n].from = (int)grand(V);
        raw[n].to = (int)grand(V);
        raw[n].w = 1 + (int)grand(100);
        if (raw[n].from != raw[n].to)
            n++;
    }
    /* counting sort edges by source into CSR form */
    memset(counts, 0, sizeof counts);
    for (i = 0; i < n; i++)
        counts[raw[i].from + 1]++;
    for (i = 0; i < V; i++)
        counts[i + 1] += counts[i];
    memcpy(edge_start, counts, sizeof edge_start);
    for (i = 0; i < n; i++) {
        int pos = counts[raw[i].from]++;
        edges[pos].to = raw[i].to;
        edges[pos].w = raw[i].w;
    }
    nedges = n;
}

/* ---------------- indexed binary heap ---------------- */
struct pq {
    int heap[V];     /* vertex ids */
    int pos[V];      /* position of vertex in heap, -1 if absent */
    int key[V];
    int size;
};

static void pq_swap(struct pq *q, int a, int b)
{
    int va = q->heap[a], vb = q->heap[b];
    q->heap[a] = vb;
    q->heap[b] = va;
    q->pos[vb] = a;
    q->pos[va] = b;
}

static int pq_less(const struct pq *q, int a, int b)
{
    int ka = q->key[q->heap[a]], kb = q->key[q->heap[b]];
    return ka < kb || (ka == kb && q->heap[a] < q->heap[b]);
}

static void pq_up(struct pq *q, int i)
{
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (!pq_less(q, i, parent))
            break;
        pq_swap(q, i, parent);
        i = parent;
    }
}

static void pq_down(struct pq *q, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < q->size && pq_less(q, l, m)) m = l;
        if (r < q->size && pq_less(q, r, m)) m = r;
        if (m == i)
            return;
        pq_swap(q, i, m);
        i = m;
    }
}

static void pq_init(struct pq *q)
{
    q->size = 0;
    memset(q->pos, -1, sizeof q->pos);
}

static void pq_push_or_decrease(struct pq *q, int v, int key)
{
    if (q->pos[v] < 0) {
        q->heap[q->size] = v;
        q->pos[v] = q->size;
        q->key[v] = key;
        q->size++;
        pq_up(q, q->size - 1);
    } else if (key < q->key[v]) {
        q->key[v] = key;
        pq_up(q, q->pos[v]);
    }
}

static int pq_pop(struct pq *q)
{
    int top = q->heap[0];
    q->size--;
    if (q->size > 0) {
        pq_swap(q, 0, q->size);
        pq_down(q, 0);
    }
    q->pos[top] = -1;
    return top;
}

static struct pq queue;

/* ---------------- algorithms ---------------- */
static void dijkstra_heap(int src, int *dist, int *pred)
{
    int i;
    for (i = 0; i < V; i++) {
        dist[i] = INF;
        pred[i] = -1;
    }
    dist[src] = 0;
    pq_init(&queue);
    pq_push_or_decrease(&queue, src, 0);
    while (queue.size > 0) {
        int u = pq_pop(&queue), e;
        for (e = edge_start[u]; e < edge_start[u + 1]; e++) {
            int v = edges[e].to, nd = dist[u] + edges[e].w;
            if (nd < dist[v]) {
                dist[v] = nd;
                pred[v] = u;
                pq_push_or_decrease(&queue, v, nd);
            }
        }
    }
}

static void dijkstra_scan(int src, int *dist)
{
    static unsigned char done[V];
    int iter, i;
    for (i = 0; i < V; i++)
        dist[i] = INF;
    memset(done, 0, sizeof done);
    dist[src] = 0;
    for (iter = 0; iter < V; iter++) {
        int u = -1, e;
        for (i = 0; i < V; i++)
            if (!done[i] && dist[i] != INF && (u < 0 || dist[i] < dist[u]))
                u = i;
        if (u < 0)
            break;
        done[u] = 1;
        for (e = edge_start[u]; e < edge_start[u + 1]; e++)
            if (dist[u] + edges[e].w < dist[edges[e].to])
                dist[edges[e].to] = dist[u] + edges[e].w;
    }
}

static int bellman_ford(int src, int *dist)
{
    int round, u, e, changed = 1;
    for (u = 0; u < V; u++)
        dist[u] = INF;
    dist[src] = 0;
    for (round = 0; round < V && changed; round++) {
        changed = 0;
        for (u = 0; u < V; u++) {
            if (dist[u] == INF)
                continue;
            for (e = edge_start[u]; e < edge_start[u + 1]; e++) {
                int nd = dist[u] + edges[e].w;
                if (nd < dist[edges[e].to]) {
                    dist[edges[e].to] = nd;
                    changed = 1;
                }
            }
        }
    }
    return round;
}

static int fw[FW_N][FW_N];

static void floyd_warshall(void)
{
    int i, j, k, e;
    for (i = 0; i < FW_N; i++)
        for (j = 0; j < FW_N; j++)
            fw[i][j] = i == j ? 0 : INF;
    for (i = 0; i < FW_N; i++)
        for (e = edge_start[i]; e < edge_start[i + 1]; e++)
            if (edges[e].to < FW_N && edges[e].w < fw[i][edges[e].to])
                fw[i][edges[e].to] = edges[e].w;
    for (k = 0; k < FW_N; k++)
        for (i = 0; i < FW_N; i++) {
            if (fw[i][k] == INF)
                continue;
            for (j = 0; j < FW_N; j++)
                if (fw[k][j] != INF && fw[i][k] + fw[k][j] < fw[i][j])
                    fw[i][j] = fw[i][k] + fw[k][j];
        }
}

/* Dijkstra restricted to vertices < FW_N, for comparison with FW */
static void dijkstra_sub(int src, int *dist)
{
    int i;
    for (i = 0; i < FW_N; i++)
        dist[i] = INF;
    dist[src] = 0;
    pq_init(&queue);
    pq_push_or_decrease(&queue, src, 0);
    while (queue.size > 0) {
        int u = pq_pop(&queue), e;
        for (e = edge_start[u]; e < edge_start[u + 1]; e++) {
            int v = edges[e].to;
            if (v < FW_N && dist[u] + edges[e].w < dist[v]) {
                dist[v] = dist[u] + edges[e].w;
                pq_push_or_decrease(&queue, v, dist[v]);
            }
        }
    }
}

static int path_length(const int *pred, int target, int *hops)
{
    int len = 0, v = target;
    *hops = 0;
    while (pred[v] >= 0) {
        int u = pred[v], e, best = INF;
        for (e = edge_start[u]; e < edge_start[u + 1]; e++)
            if (edges[e].to == v && edges[e].w < best)
                best = edges[e].w;
        len += best;
        v = u;
        ++*hops;
    }
    return len;
}

int main(void)
{
    static int d1[V], d2[V], d3[V], pred[V], ds[FW_N];
    static const int sources[] = { 0, 17, 123, 299 };
    unsigned s;
    int i, j, prev, ok_sort = 1;
    uint32_t digest = 0;

    build_graph();
    printf("graph: %d vertices, %d edges\n", V, nedges);
    for (s = 0; s < sizeof sources / sizeof sources[0]; s++) {
        int src = sources[s], far = src, rounds, hops, sum = 0;
        dijkstra_heap(src, d1, pred);
        dijkstra_scan(src, d2);
        rounds = bellman_ford(src, d3);
        for (i = 0; i < V; i++) {
            check(d1[i] == d2[i] && d1[i] == d3[i], "distance agreement");
            check(d1[i] != INF, "reachable");
            if (d1[i] > d1[far])
                far = i;
            sum += d1[i];
            digest = digest * 16777619u ^ (uint32_t)d1[i];
        }
        check(path_length(pred, far, &hops) == d1[far], "path reconstruction");
        printf("src %3d: farthest %3d at %d (%d hops), sum %d, bf rounds %d\n", src, far,
               d1[far], hops, sum, rounds);
    }

    floyd_warshall();
    for (i = 0; i < FW_N; i += 7) {
        dijkstra_sub(i, ds);
        for (j = 0; j < FW_N; j++)
            check(ds[j] == fw[i][j], "floyd-warshall agreement");
    }
    {
        int reach = 0;
        for (i = 0; i < FW_N; i++)
            for (j = 0; j < FW_N; j++)
                reach += fw[i][j] != INF;
        printf("subgraph reachable pairs: %d, fw[0][%d]=%d\n", reach, FW_N - 1,
               fw[0][FW_N - 1]);
    }

    /* the priority queue alone: pop order must be non-decreasing */
    pq_init(&queue);
    for (i = 0; i < V; i++)
        pq_push_or_decrease(&queue, i, (int)grand(1000));
    for (i = 0; i < V; i += 3)
        pq_push_or_decrease(&queue, i, (int)grand(500));
    prev = -1;
    while (queue.size > 0) {
        int v = pq_pop(&queue);
        if (queue.key[v] < prev)
            ok_sort = 0;
        prev = queue.key[v];
    }
    check(ok_sort, "priority queue order");
    printf("digest %08lx\n", (unsigned long)digest);
    printf("%s\n", failures ? "dijkstra: FAILED" : "dijkstra: ok");
    return failures ? 1 : 0;
}
