#define BENCH_NAME "Storage"
#include "harness.h"
#include "random.h"
/* A node is an array of pointers; leaves are arrays of 1..10 null slots. Freed after
   each run (malloc/free, as in the suite's C++ port). */
typedef struct Arr { int len; struct Arr *e[]; } Arr;
static int count;
static Arr *newArr(int len) { Arr *a = calloc(1, sizeof(Arr) + sizeof(Arr *) * len); a->len = len; return a; }
static Arr *buildTreeDepth(int depth) {
    count++;
    if (depth == 1) return newArr(som_random_next() % 10 + 1);
    Arr *a = newArr(4);
    for (int i = 0; i < 4; i++) a->e[i] = buildTreeDepth(depth - 1);
    return a;
}
static void freeTree(Arr *a) { for (int i = 0; i < a->len; i++) if (a->e[i]) freeTree(a->e[i]); free(a); }
static int benchmark(void) { som_random_reset(); count = 0; freeTree(buildTreeDepth(7)); return count; }
static int inner_benchmark_loop(int n) {
    for (int i = 0; i < n; i++) if (benchmark() != 5461) return 0;
    return 1;
}
