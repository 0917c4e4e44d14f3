#define BENCH_NAME "Queens"
#include "harness.h"
static int *freeMaxs, *freeRows, *freeMins, *queenRows;
static int getRowColumn(int r, int c) { return freeRows[r] && freeMaxs[c + r] && freeMins[c - r + 7]; }
static void setRowColumn(int r, int c, int v) { freeRows[r] = v; freeMaxs[c + r] = v; freeMins[c - r + 7] = v; }
static int placeQueen(int c) {
    for (int r = 0; r < 8; r++) {
        if (getRowColumn(r, c)) {
            queenRows[r] = c;
            setRowColumn(r, c, 0);
            if (c == 7) return 1;
            if (placeQueen(c + 1)) return 1;
            setRowColumn(r, c, 1);
        }
    }
    return 0;
}
static int queens(void) {
    freeRows = malloc(8 * sizeof(int)); for (int i = 0; i < 8; i++) freeRows[i] = 1;
    freeMaxs = malloc(16 * sizeof(int)); for (int i = 0; i < 16; i++) freeMaxs[i] = 1;
    freeMins = malloc(16 * sizeof(int)); for (int i = 0; i < 16; i++) freeMins[i] = 1;
    queenRows = malloc(8 * sizeof(int)); for (int i = 0; i < 8; i++) queenRows[i] = -1;
    int r = placeQueen(0);
    free(freeRows); free(freeMaxs); free(freeMins); free(queenRows);
    return r;
}
static int benchmark(void) { int result = 1; for (int i = 0; i < 10; i++) result = result && queens(); return result; }
static int inner_benchmark_loop(int n) {
    for (int i = 0; i < n; i++) if (!benchmark()) return 0;
    return 1;
}
