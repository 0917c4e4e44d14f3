#define BENCH_NAME "Sieve"
#include "harness.h"
static int sieve(char *flags, int size) {
    int primeCount = 0;
    for (int i = 2; i <= size; i++) {
        if (flags[i - 1]) {
            primeCount++;
            int k = i + i;
            while (k <= size) { flags[k - 1] = 0; k += i; }
        }
    }
    return primeCount;
}
static int benchmark(void) {
    char *flags = malloc(5000); memset(flags, 1, 5000);
    int r = sieve(flags, 5000); free(flags); return r;
}
static int inner_benchmark_loop(int n) {
    for (int i = 0; i < n; i++) if (benchmark() != 669) return 0;
    return 1;
}
