/* queens.c - backtracking search: N-queens counted by a bitmask solver
 * and by an array-based solver with explicit conflict checks (compared
 * with the known sequence), and a sudoku solver in two variants (plain
 * row-major backtracking and most-constrained-cell with candidate
 * bitmasks) that must find the same unique solution. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static int failures;
static long nodes_bitmask, nodes_array, nodes_naive, nodes_mrv;

static void check(int cond, const char *msg)
{
    if (!cond) {
        printf("FAIL: %s\n", msg);
        failures++;
    }
}

/* ---------------- N-queens ---------------- */
static long queens_bitmask(uint32_t all, uint32_t cols, uint32_t d1, uint32_t d2)
{
    long count = 0;
    uint32_t avail;
    nodes_bitmask++;
    if (cols == all)
        return 1;
    avail = all & ~(cols | d1 | d2);
    while (avail) {
        uint32_t bit = avail & (0u - avail);
        avail ^= bit;
        count += queens_bitmask(all, cols | bit, ((d1 | bit) << 1) & all, (d2 | bit) >> 1);
    }
    return count;
}

static int board[16];

static int safe(int row, int col)
{
    int r;
    for (r = 0; r < row; r++) {
        int c = board[r];
        if (c == col || c - col == r - row || c - col == row - r)
            return 0;
    }
    return 1;
}

static long queens_array(int n, int row)
{
    long count = 0;
    int col;
    nodes_array++;
    if (row == n)
        return 1;
    for (col = 0; col < n; col++) {
        if (safe(row, col)) {
            board[row] = col;
            count += queens_array(n, row + 1);
        }
    }
    return count;
}

/* first solution in lexicographic order, returned as a column string */
static int first_solution(int n, int row, char *out)
{
    int col;
    if (row == n) {
        int i;
        for (i = 0; i < n; i++)
            out[i] = (char)('a' + board[i]);
        out[n] = '\0';
        return 1;
    }
    for (col = 0; col < n; col++)
        if (safe(row, col)) {
            board[row] = col;
            if (first_solution(n, row + 1, out))
                return 1;
        }
    return 0;
}

/* ---------------- sudoku ---------------- */
typedef struct {
    unsigned char cell[81];
} grid;

static int valid_place(const grid *g, int pos, int v)
{
    int r = pos / 9, c = pos % 9, i;
    int br = r / 3 * 3, bc = c / 3 * 3;
    for (i = 0; i < 9; i++) {
        if (g->cell[r * 9 + i] == v || g->cell[i * 9 + c] == v)
            return 0;
        if (g->cell[(br + i / 3) * 9 + bc + i % 3] == v)
            return 0;
    }
    return 1;
}

static int solve_naive(grid *g, int pos, int *solutions, grid *first)
{
    int v;
    nodes_naive++;
    while (pos < 81 && g->cell[pos] != 0)
        pos++;
    if (pos == 81) {
        if (++*solutions == 1)
            *first = *g;
        return *solutions >= 2; /* stop once uniqueness is refuted */
    }
    for (v = 1; v <= 9; v++) {
        if (valid_place(g, pos, v)) {
            g->cell[pos] = (unsigned char)v;
            if (solve_naive(g, pos + 1, solutions, first)) {
                g->cell[pos] = 0;
                return 1;
            }
            g->cell[pos] = 0;
        }
    }
    return 0;
}

struct masks {
    uint16_t row[9], col[9], box[9];
};

static int box_of(int pos) { return (pos / 27) * 3 + (pos % 9) / 3; }

static int popcount9(unsigned x)
{
    int c = 0;
    while (x) {
        x &= x - 1;
        c++;
    }
    return c;
}

static int solve_mrv(grid *g, struct masks *m)
{
    int pos, best = -1, best_count = 10;
    unsigned cand, best_cand = 0;
    nodes_mrv++;
    for (pos = 0; pos < 81; pos++) {
        int cnt;
        if (g->cell[pos])
            continue;
        cand = 0x1FFu & ~(unsigned)(m->row[pos / 9] | m->col[pos % 9] | m->box[box_of(pos)]);
        cnt = popcount9(cand);
        if (cnt < best_count) {
            best = pos;
            best_count = cnt;
            best_cand = cand;
            if (cnt <= 1)
                break;
        }
    }
    if (best < 0)
        return 1;
    while (best_cand) {
        unsigned bit = best_cand & (0u - best_cand);
        int v = 1;
        best_cand ^= bit;
        while (!((bit >> (v - 1)) & 1u))
            v++;
        g->cell[best] = (unsigned char)v;
        m->row[best / 9] |= (uint16_t)bit;
        m->col[best % 9] |= (uint16_t)bit;
        m->box[box_of(best)] |= (uint16_t)bit;
        if (solve_mrv(g, m))
            return 1;
        m->row[best / 9] &= (uint16_t)~bit;
        m->col[best % 9] &= (uint16_t)~bit;
        m->box[box_of(best)] &= (uint16_t)~bit;
        g->cell[best] = 0;
    }
    return 0;
}

static void parse_grid(grid *g, const char *s)
{
    int i;
    for (i = 0; i < 81; i++)
        g->cell[i] = (unsigned char)(s[i] == '.' ? 0 : s[i] - '0');
}

static int grid_complete_and_valid(const grid *g)
{
    int unit, i;
    for (unit = 0; unit < 9; unit++) {
        unsigned rs = 0, cs = 0, bs = 0;
        for (i = 0; i < 9; i++) {
            rs |= 1u << g->cell[unit * 9 + i];
            cs |= 1u << g->cell[i * 9 + unit];
            bs |= 1u << g->cell[(unit / 3 * 3 + i / 3) * 9 + unit % 3 * 3 + i % 3];
        }
        if (rs != 0x3FEu || cs != 0x3FEu || bs != 0x3FEu)
            return 0;
    }
    return 1;
}

static void print_row(const grid *g, int r)
{
    int c;
    for (c = 0; c < 9; c++)
        putchar('0' + g->cell[r * 9 + c]);
    putchar('\n');
}

int main(void)
{
    static const long known[] = { 1, 1, 0, 0, 2, 10, 4, 40, 92, 352, 724 };
    static const char puzzle[] =
        "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79";
    static const char solution[] =
        "534678912672195348198342567859761423426853791713924856961537284287419635345286179";
    static const char ambiguous[] =
        "534678912..2...3....8.4.5.7" "......................................................";
    grid g, first, want;
    struct masks m;
    int n, i, sols;
    char sol8[16];

    for (n = 1; n <= 10; n++) {
        long a = queens_bitmask((1u << n) - 1u, 0, 0, 0);
        long b = queens_array(n, 0);
        check(a == known[n] && b == a, "n-queens count");
        printf("queens(%2d) = %ld\n", n, a);
    }
    first_solution(8, 0, sol8);
    check(strcmp(sol8, "aehfcgbd") == 0, "first 8-queens solution");
    printf("first 8-queens solution: %s\n", sol8);
    printf("search nodes: bitmask=%ld array=%ld\n", nodes_bitmask, nodes_array);

    parse_grid(&g, puzzle);
    sols = 0;
    solve_naive(&g, 0, &sols, &first);
    check(sols == 1, "sudoku unique");
    parse_grid(&want, solution);
    check(memcmp(&first, &want, sizeof want) == 0, "sudoku naive solution");

    parse_grid(&g, puzzle);
    memset(&m, 0, sizeof m);
    for (i = 0; i < 81; i++)
        if (g.cell[i]) {
            uint16_t bit = (uint16_t)(1u << (g.cell[i] - 1));
            m.row[i / 9] |= bit;
            m.col[i % 9] |= bit;
            m.box[box_of(i)] |= bit;
        }
    check(solve_mrv(&g, &m) == 1, "sudoku mrv solved");
    check(memcmp(&g, &want, sizeof want) == 0 && grid_complete_and_valid(&g), "sudoku mrv solution");
    print_row(&g, 0);
    print_row(&g, 4);
    print_row(&g, 8);

    parse_grid(&g, ambiguous);
    sols = 0;
    solve_naive(&g, 0, &sols, &first);
    check(sols >= 2 && grid_complete_and_valid(&first), "ambiguous sudoku detected");
    printf("ambiguous puzzle: %s\n", sols >= 2 ? "multiple solutions" : "unique");
    printf("sudoku nodes: naive=%ld mrv=%ld\n", nodes_naive, nodes_mrv);
    printf("%s\n", failures ? "queens: FAILED" : "queens: ok");
    return failures ? 1 : 0;
}
