/* wordstat.c - the program-level check's test program: counts words, lines
 * and the longest word of its stdin, and looks up each argument in the
 * input. Loops with several exits, as in real parsers. Exit code: the
 * number of arguments not found. */
#include <stdio.h>
#include <string.h>

#define MAX_WORDS 512
#define MAX_LEN 32

static char words[MAX_WORDS][MAX_LEN];
static int counts[MAX_WORDS];
static int nwords;

static int find(const char *word) {
    for (int i = 0; i < nwords; i++) {
        if (strcmp(words[i], word) == 0)
            return i;
        if (words[i][0] == 0)
            break;
    }
    return -1;
}

static void add(const char *word) {
    int at = find(word);
    if (at >= 0) {
        counts[at]++;
        return;
    }
    if (nwords == MAX_WORDS)
        return;
    strncpy(words[nwords], word, MAX_LEN - 1);
    counts[nwords++] = 1;
}

int main(int argc, char **argv) {
    char word[MAX_LEN];
    int len = 0, lines = 0, longest = 0, c;
    while ((c = getchar()) != EOF) {
        if (c == '\n')
            lines++;
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (letter && len < MAX_LEN - 1) {
            word[len++] = (char)c;
            continue;
        }
        if (len > 0) {
            word[len] = 0;
            if (len > longest)
                longest = len;
            add(word);
            len = 0;
        }
    }
    if (len > 0) {
        word[len] = 0;
        add(word);
    }
    printf("lines %d distinct %d longest %d\n", lines, nwords, longest);
    int missing = 0;
    for (int i = 1; i < argc; i++) {
        int at = find(argv[i]);
        if (at < 0) {
            printf("%s: not found\n", argv[i]);
            missing++;
        } else {
            printf("%s: %d\n", argv[i], counts[at]);
        }
    }
    return missing;
}
