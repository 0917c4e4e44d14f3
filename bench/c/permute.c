#define BENCH_NAME "Permute"
#include "harness.h"
static int count; static int *v;
static void swap(int i, int j) { int t = v[i]; v[i] = v[j]; v[j] = t; }
static void permute(int n) {
    count++;
    if (n != 0) {
        int n1 = n - 1;
        permute(n1);
        for (int i = n1; i >= 0; i--) { swap(n1, i); permute(n1); swap(n1, i); }
    }
}
static int benchmark(void) { count = 0; v = calloc(6, sizeof(int)); permute(6); free(v); return count; }
static int inner_benchmark_loop(int n) {
    for (int i = 0; i < n; i++) if (benchmark() != 8660) return 0;
    return 1;
}
