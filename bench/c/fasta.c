#define BENCH_NAME "Fasta"
#include "harness.h"
#include "fasta_expected.h"
enum { IM = 139968, IA = 3877, IC = 29573, LINE = 60 };
static const char *ALU =
    "GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGG"
    "GAGGCCGAGGCGGGCGGATCACCTGAGGTCAGGAGTTCGAGA"
    "CCAGCCTGGCCAACATGGTGAAACCCCGTCTCTACTAAAAAT"
    "ACAAAAATTAGCCGGGCGTGGTGGCGCGCGCCTGTAATCCCA"
    "GCTACTCGGGAGGCTGAGGCAGGAGAATCGCTTGAACCCGGG"
    "AGGCGGAGGTTGCAGTGAGCCGAGATCGCGCCACTGCACTCC"
    "AGCCTGGGCGACAGAGCGAGACTCCGTCTCAAAAA";
static long last, sum, bytes;
static FILE *dump;   /* FASTA_DUMP=1: also write the text to stdout (to check it) */
static double rnd(double max) { last = (last * IA + IC) % IM; return max * (double)last / (double)IM; }
static void sink(const char *buf, int len) {
    long s = 0;
    for (int i = 0; i < len; i++) s += (unsigned char)buf[i];
    sum = (sum * 31 + s + 10) % 1000000007;
    bytes += len + 1;
    if (dump) { fwrite(buf, 1, len, dump); fputc('\n', dump); }
}
static void repeatFasta(const char *header, const char *alu, int n) {
    sink(header, (int)strlen(header));
    char buf[LINE]; int k = (int)strlen(alu), pos = 0, todo = n;
    while (todo > 0) {
        int m = todo < LINE ? todo : LINE;
        for (int i = 0; i < m; i++) { buf[i] = alu[pos++]; if (pos == k) pos = 0; }
        sink(buf, m); todo -= m;
    }
}
static void randomFasta(const char *header, const char *chars, const double *probs, int nprobs, int n) {
    sink(header, (int)strlen(header));
    double cum[16], acc = 0.0;
    for (int i = 0; i < nprobs; i++) { acc += probs[i]; cum[i] = acc; }
    char buf[LINE]; int todo = n;
    while (todo > 0) {
        int m = todo < LINE ? todo : LINE;
        for (int i = 0; i < m; i++) {
            double r = rnd(1.0); int j = 0;
            while (cum[j] < r && j < nprobs - 1) j++;
            buf[i] = chars[j];
        }
        sink(buf, m); todo -= m;
    }
}
static int inner_benchmark_loop(int n) {
    static const double iub[] = {0.27, 0.12, 0.12, 0.27, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02};
    static const double hs[] = {0.3029549426680, 0.1979883004921, 0.1975473066391, 0.3015094502008};
    dump = getenv("FASTA_DUMP") ? stdout : NULL;
    last = 42; sum = 0; bytes = 0;
    repeatFasta(">ONE Homo sapiens alu", ALU, 2 * n);
    randomFasta(">TWO IUB ambiguity codes", "acgtBDHKMNRSVWY", iub, 15, 3 * n);
    randomFasta(">THREE Homo sapiens frequency", "acgt", hs, 4, 5 * n);
    if (n == 1000) return sum == FASTA_1000 && bytes == FASTA_1000_BYTES;
    if (n == 25000) return sum == FASTA_25000 && bytes == FASTA_25000_BYTES;
    if (n == 250000) return sum == FASTA_250000 && bytes == FASTA_250000_BYTES;
    printf("No verification result for %d: %ld %ld\n", n, sum, bytes);
    return 0;
}
