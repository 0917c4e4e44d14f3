#define BENCH_NAME "FannkuchRedux"
#include "harness.h"
static void fannkuch(int n, int *checksumOut, int *maxFlipsOut) {
    int perm[32], perm1[32], count[32], maxFlips = 0, checksum = 0, permCount = 0, r = n;
    for (int i = 0; i < n; i++) perm1[i] = i;
    for (;;) {
        while (r != 1) { count[r - 1] = r; r--; }
        for (int i = 0; i < n; i++) perm[i] = perm1[i];
        int flips = 0, k;
        while ((k = perm[0]) != 0) {
            for (int i = 0, j = k; i < j; i++, j--) { int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
            flips++;
        }
        if (flips > maxFlips) maxFlips = flips;
        checksum += permCount % 2 == 0 ? flips : -flips;
        for (;;) {
            if (r == n) { *checksumOut = checksum; *maxFlipsOut = maxFlips; return; }
            int perm0 = perm1[0];
            for (int i = 0; i < r; i++) perm1[i] = perm1[i + 1];
            perm1[r] = perm0;
            count[r]--;
            if (count[r] > 0) break;
            r++;
        }
        permCount++;
    }
}
static int inner_benchmark_loop(int n) {
    int c, m; fannkuch(n, &c, &m);
    switch (n) {
    case 7: return c == 228 && m == 16;
    case 8: return c == 1616 && m == 22;
    case 9: return c == 8629 && m == 30;
    case 10: return c == 73196 && m == 38;
    case 11: return c == 556355 && m == 51;
    case 12: return c == 3968050 && m == 65;
    }
    printf("No verification result for %d: %d %d\n", n, c, m);
    return 0;
}
