/* bench/c/harness.h — the AWFY harness for the C peers. Each benchmark file defines
   BENCH_NAME and `static int inner_benchmark_loop(int n)` (1 = verified), then
   includes this header: `./name <outer iterations> <inner size>` prints the suite's
   lines and exits 1 on a wrong result. Built with gcc -O2 -ffp-contract=off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int inner_benchmark_loop(int n);

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
    int outer = argc > 1 ? atoi(argv[1]) : 1;
    int inner = argc > 2 ? atoi(argv[2]) : 1;
    long long total = 0;
    printf("Starting %s benchmark ...\n", BENCH_NAME);
    for (int i = 0; i < outer; i++) {
        long long s = now_us();
        if (!inner_benchmark_loop(inner)) {
            printf("Benchmark failed with incorrect result\n");
            return 1;
        }
        long long t = now_us() - s;
        total += t;
        printf("%s: iterations=1 runtime: %lldus\n", BENCH_NAME, t);
        fflush(stdout);
    }
    printf("%s: iterations=%d average: %lldus total: %lldus\n\n", BENCH_NAME, outer, total / (outer ? outer : 1), total);
    printf("Total Runtime: %lldus\n", total);
    return 0;
}
