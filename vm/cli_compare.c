/*
** vm/cli_compare.c — `kiln compare`: one program in every tier, side by side.
**
**     kiln compare [--runs=N] [run options] FILE [args...]
**
** Runs `kiln run --stats --tier=T [run options] FILE args` for T = 0, 1 and auto,
** N times each (default 3), interleaved (0, 1, auto, 0, 1, auto, ...) so that noise
** on a shared machine spreads over all tiers alike. Each run is a child process of
** this executable with its output captured; the report gives the median and the
** fastest whole-process wall time, the speed-up over tier 0, peak RSS, and the
** JIT's --stats summary of each tier. Every run's exit status and standard output
** must equal tier 0's first run: otherwise the tiers disagree, the first differing
** line is shown, and the exit status is 1 (0 when they agree, even on a program
** that fails the same way in each). Part of the command line only, not of
** libkiln.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

#define NTIERS   3
#define MAX_RUNS 100

typedef struct {
    const char *name;         /* as shown */
    const char *flag;         /* --tier=... */
    double      wall[MAX_RUNS];
    long        rss_kb;       /* max over the runs */
    int         status;       /* of the first run */
    char       *stats;        /* the --stats "total:" line of the first run */
    int         differs;      /* some run's status or output differs from the reference */
} Tier;

typedef struct { char *data; size_t len; } Text;

static Text slurp_fd(int fd)
{
    Text t = { NULL, 0 };
    size_t cap = 0;
    if (lseek(fd, 0, SEEK_SET) < 0) return t;
    for (;;) {
        if (t.len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *p = realloc(t.data, cap);
            if (!p) break;
            t.data = p;
        }
        ssize_t n = read(fd, t.data + t.len, cap - t.len - 1);
        if (n <= 0) break;
        t.len += (size_t)n;
    }
    if (t.data) t.data[t.len] = '\0';
    return t;
}

static int temp_fd(void)
{
    char path[] = "/tmp/kiln-compare-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) unlink(path);
    return fd;
}

/* One child run; 0 with *wall, *rss_kb, *status and the captured output, or -1. */
static int run_child(const char *self, char **argv, double *wall, long *rss_kb, int *status,
                     Text *out, Text *err)
{
    int ofd = temp_fd(), efd = temp_fd();
    if (ofd < 0 || efd < 0) {
        fprintf(stderr, "kiln compare: cannot make a temporary file: %s\n", strerror(errno));
        if (ofd >= 0) close(ofd);
        if (efd >= 0) close(efd);
        return -1;
    }
    fflush(stdout);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "kiln compare: fork: %s\n", strerror(errno));
        close(ofd);
        close(efd);
        return -1;
    }
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        if (in >= 0) dup2(in, 0);
        dup2(ofd, 1);
        dup2(efd, 2);
        execv(self, argv);
        fprintf(stderr, "kiln compare: cannot run %s: %s\n", self, strerror(errno));
        _exit(127);
    }
    int ws = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &ws, 0, &ru) < 0 && errno == EINTR) {}
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *wall = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    *rss_kb = ru.ru_maxrss;
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    *out = slurp_fd(ofd);
    *err = slurp_fd(efd);
    close(ofd);
    close(efd);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
    double s[MAX_RUNS];
    memcpy(s, v, sizeof(double) * (size_t)n);
    qsort(s, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double minimum(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++) if (v[i] < m) m = v[i];
    return m;
}

/* The --stats summary line ("total: ..."), copied; NULL if absent. */
static char *stats_total(const Text *err)
{
    if (!err->data) return NULL;
    for (const char *p = err->data; p && *p; ) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n > 7 && strncmp(p, "total: ", 7) == 0) return strndup(p + 7, n - 7);
        p = nl ? nl + 1 : NULL;
    }
    return NULL;
}

/* Shows where b first differs from a, line by line. */
static void show_difference(const char *tier, const Text *a, const Text *b)
{
    const char *p = a->data ? a->data : "", *q = b->data ? b->data : "";
    int line = 1;
    for (;;) {
        const char *pe = strchr(p, '\n'), *qe = strchr(q, '\n');
        size_t pn = pe ? (size_t)(pe - p) : strlen(p), qn = qe ? (size_t)(qe - q) : strlen(q);
        if (pn != qn || memcmp(p, q, pn) != 0 || !pe != !qe) {
            fprintf(stderr, "kiln compare: tier %s's output differs from tier 0's at line %d:\n"
                    "  tier 0:  %.*s\n  tier %s: %.*s\n", tier, line,
                    (int)(pn > 200 ? 200 : pn), p, tier, (int)(qn > 200 ? 200 : qn), q);
            return;
        }
        if (!pe) return;
        p = pe + 1;
        q = qe + 1;
        line++;
    }
}

static int same_text(const Text *a, const Text *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

int cli_compare(int argc, char **argv)
{
    long runs = 3;
    int i = 0;
    if (i < argc && strncmp(argv[i], "--runs=", 7) == 0) {
        char *end;
        errno = 0;
        runs = strtol(argv[i] + 7, &end, 10);
        if (errno || *end || runs < 1 || runs > MAX_RUNS) {
            fprintf(stderr, "kiln compare: --runs must be 1..%d\n", MAX_RUNS);
            return 64;
        }
        i++;
    }
    int first_opt = i;
    while (i < argc && strncmp(argv[i], "--", 2) == 0) {
        if (strncmp(argv[i], "--tier=", 7) == 0 || strcmp(argv[i], "--stats") == 0) {
            fprintf(stderr, "kiln compare: %s is set by compare itself\n", argv[i]);
            return 64;
        }
        i++;
    }
    if (i >= argc) {
        fputs("usage: kiln compare [--runs=N] [run options] FILE [args...]\n", stderr);
        return 64;
    }
    int nopts = i - first_opt, nrest = argc - i;
    if (access(argv[i], R_OK) != 0) {
        fprintf(stderr, "kiln compare: %s: %s\n", argv[i], strerror(errno));
        return 1;
    }

    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) { fprintf(stderr, "kiln compare: cannot find the kiln executable\n"); return 1; }
    self[n] = '\0';

    Tier tiers[NTIERS] = {
        { .name = "0", .flag = "--tier=0" },
        { .name = "1", .flag = "--tier=1" },
        { .name = "auto", .flag = "--tier=auto" },
    };
    /* kiln run --stats --tier=T [options] FILE [args] */
    char **cargv = calloc((size_t)(4 + nopts + nrest + 1), sizeof(char *));
    if (!cargv) { fprintf(stderr, "kiln compare: out of memory\n"); return 1; }
    static char a_kiln[] = "kiln", a_run[] = "run", a_stats[] = "--stats";
    cargv[0] = a_kiln;
    cargv[1] = a_run;
    cargv[2] = a_stats;
    for (int k = 0; k < nopts; k++) cargv[4 + k] = argv[first_opt + k];
    for (int k = 0; k < nrest; k++) cargv[4 + nopts + k] = argv[i + k];

    Text ref = { NULL, 0 };
    int ref_status = 0, failed = 0;
    for (int r = 0; r < runs && !failed; r++) {
        for (int t = 0; t < NTIERS; t++) {
            Tier *tr = &tiers[t];
            cargv[3] = (char *)tr->flag;
            Text out, err;
            long rss;
            int st;
            if (run_child(self, cargv, &tr->wall[r], &rss, &st, &out, &err) != 0) { failed = 1; break; }
            if (rss > tr->rss_kb) tr->rss_kb = rss;
            if (r == 0) { tr->status = st; tr->stats = stats_total(&err); }
            if (r == 0 && t == 0) {
                ref = out;
                ref_status = st;
                out.data = NULL;
                if (st != 0) {
                    /* show the program's own complaint: its stderr without the stats table */
                    char *tab = err.data ? strstr(err.data, "\nmethod ") : NULL;
                    if (err.data && strncmp(err.data, "method ", 7) == 0) tab = err.data;
                    if (tab) *tab = '\0';
                    fprintf(stderr, "%s", err.data ? err.data : "");
                }
            } else if (st != ref_status || !same_text(&ref, &out)) {
                if (!tr->differs) {
                    if (st != ref_status)
                        fprintf(stderr, "kiln compare: tier %s exited with %d, tier 0 with %d\n",
                                tr->name, st, ref_status);
                    else
                        show_difference(tr->name, &ref, &out);
                }
                tr->differs = 1;
            }
            free(out.data);
            free(err.data);
        }
    }
    free(cargv);
    if (failed) { free(ref.data); return 1; }

    int disagree = 0;
    printf("kiln compare: %s, %ld run%s per tier (interleaved), whole-process wall time\n",
           argv[i], runs, runs == 1 ? "" : "s");
    printf("%-6s %11s %9s %9s %10s %5s  %s\n", "tier", "median ms", "min ms", "speed-up",
           "peak RSS", "exit", "output");
    double base = median(tiers[0].wall, (int)runs);
    for (int t = 0; t < NTIERS; t++) {
        Tier *tr = &tiers[t];
        double med = median(tr->wall, (int)runs);
        disagree |= tr->differs;
        printf("%-6s %11.1f %9.1f %9.2f %7.1f MB %5d  %s\n", tr->name, med,
               minimum(tr->wall, (int)runs), med > 0 ? base / med : 0.0,
               (double)tr->rss_kb / 1024.0, tr->status,
               t == 0 ? "reference" : tr->differs ? "DIFFERS" : "same");
    }
    printf("JIT (--stats of the first run):\n");
    for (int t = 0; t < NTIERS; t++) {
        printf("  %-5s %s\n", tiers[t].name, tiers[t].stats ? tiers[t].stats : "(no --stats summary)");
        free(tiers[t].stats);
    }
    free(ref.data);
    if (disagree) {
        printf("the tiers DISAGREE (see above)\n");
        return 1;
    }
    return 0;
}
