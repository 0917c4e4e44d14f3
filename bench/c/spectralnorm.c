#define BENCH_NAME "SpectralNorm"
#include "harness.h"
static double evalA(int i, int j) { return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1); }
static void mulAv(int n, const double *v, double *av) {
    for (int i = 0; i < n; i++) { double s = 0.0; for (int j = 0; j < n; j++) s += evalA(i, j) * v[j]; av[i] = s; }
}
static void mulAtv(int n, const double *v, double *atv) {
    for (int i = 0; i < n; i++) { double s = 0.0; for (int j = 0; j < n; j++) s += evalA(j, i) * v[j]; atv[i] = s; }
}
static void mulAtAv(int n, const double *v, double *out, double *tmp) { mulAv(n, v, tmp); mulAtv(n, tmp, out); }
static double benchmark(void) {
    enum { N = 100 };
    double *u = malloc(N * sizeof(double)), *v = malloc(N * sizeof(double)), *tmp = malloc(N * sizeof(double));
    for (int i = 0; i < N; i++) u[i] = 1.0;
    for (int i = 0; i < 10; i++) { mulAtAv(N, u, v, tmp); mulAtAv(N, v, u, tmp); }
    double vBv = 0, vv = 0;
    for (int i = 0; i < N; i++) { vBv += u[i] * v[i]; vv += v[i] * v[i]; }
    free(u); free(v); free(tmp);
    return vBv / vv;
}
static int inner_benchmark_loop(int n) {
    for (int i = 0; i < n; i++) {
        double r = benchmark();
        if (!(r > 1.2742199905 * 1.2742199905 && r < 1.2742199915 * 1.2742199915)) return 0;
    }
    return 1;
}
