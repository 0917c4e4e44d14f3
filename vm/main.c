/*
** vm/main.c — the `kiln` command line: run, build, dis, verify.
** Everything here goes through the library (include/kiln.h, plus the loader and
** compiler for the tools); this file is not part of libkiln.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "vm.h"
#include "cli.h"
#include "../loader/loader.h"
#include "../loader/asm.h"
#include "../compiler/kc.h"
#include "../jit/jit.h"
#include "../stdlib/stdlib.h"

#define EXIT_USAGE 64
#define RUN_STACK  ((size_t)1 << 30)     /* C stack for the program's thread */

static const char usage[] =
    "usage: kiln [options] FILE [args...]          run FILE (.kl, .klc or .kar)\n"
    "       kiln run [options] FILE [args...]      the same\n"
    "       kiln build -o OUT.kar FILES...         compile sources into an archive\n"
    "       kiln build -d DIR FILES...             compile sources into DIR/**/*.klc\n"
    "       kiln dis [--raw] FILE                  disassemble (.kl, .klc, .kar) as .kasm;\n"
    "                                              --raw: without the class-file checks\n"
    "       kiln asm FILE.kasm [-o OUT.klc]        assemble a class file\n"
    "       kiln verify FILE                       load and verify every class\n"
    "       kiln dis --jit METHOD FILE             tier 1 machine code of one method,\n"
    "                                              named module.fn or module.Class.method\n"
    "       kiln compare [--runs=N] [options] FILE [args...]\n"
    "                                              run FILE in tiers 0, 1 and auto (N times\n"
    "                                              each, default 3): times, speed-ups, JIT\n"
    "                                              stats; fails if the tiers' outputs differ\n"
    "options:\n"
    "  --tier=0|1|auto      interpreter only, tier 1 for every method, or tier up hot\n"
    "                       methods (default auto)\n"
    "  --jit-threshold=N    calls a method runs interpreted in auto mode before it is\n"
    "                       compiled (default 1000)\n"
    "  --osr-threshold=N    loop back-edges a method runs interpreted in auto mode before\n"
    "                       the running activation moves to compiled code (OSR; default 1000)\n"
    "  --budget=N           stop with InterruptedError after N safepoint ticks (loop\n"
    "                       back-edges and calls; default: no budget)\n"
    "  --max-depth=N        nested calls before StackOverflowError (default 100000)\n"
    "  --stats              per-method statistics on stderr after the run\n"
    "  --trace-jit          a line per compilation on stderr\n"
    "  --help, --version\n"
    "exit status: the program's main result, 1 on an uncaught error or a bad class\n"
    "file, 2 on compile errors, 64 on bad usage\n";

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "kiln: %s: %s\n", path, strerror(errno)); return NULL; }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        char *nb = realloc(buf, cap *= 2);
        if (!nb) { free(buf); buf = NULL; }
        else buf = nb;
    }
    fclose(f);
    if (!buf) { fprintf(stderr, "kiln: %s: out of memory\n", path); return NULL; }
    buf[n < cap ? n : cap - 1] = 0;
    *len = n;
    return buf;
}

/* ---- run ----------------------------------------------------------------- */

typedef struct {
    KilnConfig cfg;
    const char *file;
    int argc;
    const char *const *argv;
    int stats;
    int status;        /* process exit status */
} RunJob;

static void run_job(void *p)
{
    RunJob *j = p;
    KilnVM *vm = kiln_new(&j->cfg);
    /* kiln_new has written why to stderr, unless memory ran out */
    if (!vm) { fprintf(stderr, "kiln: cannot create the VM\n"); j->status = 1; return; }
    KilnStatus st;
    if (has_suffix(j->file, ".kl")) {
        size_t len;
        char *src = read_text(j->file, &len);
        if (!src) { kiln_free(vm); j->status = 1; return; }
        /* The main file's folder is on the class path. */
        const char *slash = strrchr(j->file, '/');
        char *dir = slash ? strndup(j->file, (size_t)(slash - j->file)) : strdup(".");
        st = kiln_load_path(vm, dir && dir[0] ? dir : "/");
        free(dir);
        if (st == KILN_OK) st = kiln_load_source(vm, j->file, src, len);
        free(src);
    } else {
        st = kiln_load_path(vm, j->file);
    }
    const char *mod = kiln_main_module(vm);
    if (st == KILN_OK && !mod) {
        fprintf(stderr, "kiln: %s: no main module (a .kar needs Main-Module in its manifest)\n", j->file);
        j->status = 1;
    } else if (st == KILN_OK) {
        int code = 0;
        st = kiln_run_main(vm, mod, j->argc, j->argv, &code);
        j->status = st == KILN_OK ? code : 1;
    }
    if (st == KILN_COMPILE_ERROR) {
        fputs(kiln_error_message(vm), stderr);
        j->status = 2;
    } else if (st != KILN_OK) {
        fflush(stdout);
        const char *msg = kiln_error_message(vm);
        if (st == KILN_RUNTIME_ERROR) fputs(msg, stderr);
        else fprintf(stderr, "kiln: %s\n", msg);
        j->status = 1;
    }
    if (j->stats) { fflush(stdout); kiln_print_stats(vm, stderr); }
    kiln_free(vm);
}

/* ---- build ----------------------------------------------------------------- */

static int mkdirs_for(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        int bad = mkdir(path, 0777) != 0 && errno != EEXIST;
        *p = '/';
        if (bad) return -1;
    }
    return 0;
}

/* The compiler's KcLoadFn for `kiln build`: the embedded standard modules
** (std.math ...), whose classes then go into the output with the program's. */
static char *load_std(void *ud, const char *module, size_t *len, char **path)
{
    (void)ud;
    *path = NULL;
    const char *src = std_module_source(module, len);
    char *t = src ? malloc(*len + 1) : NULL;
    if (t) memcpy(t, src, *len + 1);
    return t;
}

/* Compiles files; on errors prints them and returns 2; else fills r. */
static int compile_files(int n, char **files, KcResult *r)
{
    KcSource *srcs = calloc((size_t)n, sizeof *srcs);
    char **texts = calloc((size_t)n, sizeof *texts);
    int status = 0;
    for (int i = 0; i < n && srcs && texts; i++) {
        texts[i] = read_text(files[i], &srcs[i].len);
        if (!texts[i]) { status = 1; break; }
        srcs[i].path = files[i];
        srcs[i].text = texts[i];
    }
    if (!srcs || !texts) status = 1;
    if (status == 0 && kc_compile_ex(srcs, n, load_std, NULL, r) != 0) {
        if (r->diagnostics) fputs(r->diagnostics, stderr);
        kc_result_free(r);
        status = 2;
    }
    for (int i = 0; texts && i < n; i++) free(texts[i]);
    free(texts);
    free(srcs);
    return status;
}

static int cmd_build(int argc, char **argv)
{
    const char *out = NULL, *dir = NULL;
    int i = 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) out = argv[++i];
        else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) dir = argv[++i];
        else { fprintf(stderr, "kiln build: unknown option %s\n%s", argv[i], usage); return EXIT_USAGE; }
    }
    if ((!out == !dir) || i >= argc) { fprintf(stderr, "kiln build: need -o OUT.kar or -d DIR, and files\n"); return EXIT_USAGE; }
    KcResult r;
    int st = compile_files(argc - i, argv + i, &r);
    if (st) return st;
    char err[1024];
    if (out) {
        const char **names = calloc((size_t)r.nclasses + 1, sizeof *names);
        const uint8_t **data = calloc((size_t)r.nclasses + 1, sizeof *data);
        size_t *lens = calloc((size_t)r.nclasses + 1, sizeof *lens);
        for (int k = 0; names && data && lens && k < r.nclasses; k++) {
            names[k] = r.classes[k].name;
            data[k] = r.classes[k].data;
            lens[k] = r.classes[k].len;
        }
        if (!names || !data || !lens) { snprintf(err, sizeof err, "out of memory"); st = 1; }
        else if (ld_write_archive(out, names, data, lens, r.nclasses, r.main_module, err, sizeof err)) st = 1;
        free(names); free(data); free(lens);
        if (st) fprintf(stderr, "kiln: %s\n", err);
    } else {
        for (int k = 0; k < r.nclasses && !st; k++) {
            size_t n = strlen(dir) + strlen(r.classes[k].name) + 8;
            char *path = malloc(n);
            if (!path) { st = 1; break; }
            int at = snprintf(path, n, "%s/", dir);
            for (const char *p = r.classes[k].name; *p; p++) path[at++] = *p == '.' ? '/' : *p;
            strcpy(path + at, KCF_EXT);
            FILE *f = mkdirs_for(path) == 0 ? fopen(path, "wb") : NULL;
            if (!f || fwrite(r.classes[k].data, 1, r.classes[k].len, f) != r.classes[k].len) {
                fprintf(stderr, "kiln: %s: %s\n", path, strerror(errno));
                st = 1;
            }
            if (f && fclose(f) != 0 && !st) { fprintf(stderr, "kiln: %s: %s\n", path, strerror(errno)); st = 1; }
            free(path);
        }
    }
    kc_result_free(&r);
    return st;
}

/* ---- dis / verify ------------------------------------------------------------ */

typedef struct { KilnVM *vm; int verify; int count; int raw; } EachCtx;

static int each_class(void *ud, const char *origin, const uint8_t *data, size_t len)
{
    EachCtx *x = ud;
    char err[1024];
    if (x->raw) {        /* dis --raw: print what decodes, without the reader's checks */
        if (x->count++) fputc('\n', stdout);
        return ld_dis_kasm(data, len, stdout) == 0 ? 0 : 1;
    }
    KClass *c = ld_parse_class(x->vm, data, len, origin, err, sizeof err);
    if (!c) { fprintf(stderr, "kiln: %s\n", err); return 1; }
    if (x->verify) {
        if (!vm_find_class(x->vm, c->name) && ld_define_class(x->vm, c, err, sizeof err)) {
            fprintf(stderr, "kiln: %s\n", err);
            return 1;
        }
    } else {
        if (x->count) fputc('\n', stdout);
        ld_dis_kasm(data, len, stdout);
    }
    x->count++;
    return 0;
}

static int cmd_inspect(const char *file, int verify, int raw)
{
    KilnVM *vm = kiln_new(NULL);
    EachCtx x = { vm, verify, 0, raw };
    int st = 0;
    char err[1024];
    if (has_suffix(file, ".kl")) {
        char *files[1] = { (char *)file };
        KcResult r;
        st = compile_files(1, files, &r);
        if (st == 0) {
            for (int k = 0; !st && k < r.nclasses; k++)
                st = each_class(&x, r.classes[k].name, r.classes[k].data, r.classes[k].len);
            kc_result_free(&r);
        }
    } else if (has_suffix(file, ".kar")) {
        if (verify) {
            /* Classes may refer to each other: put the archive on the class path. */
            if (kiln_load_path(vm, file) != KILN_OK) { fprintf(stderr, "kiln: %s\n", kiln_error_message(vm)); st = 1; }
        }
        if (!st && ld_archive_each(file, each_class, &x, err, sizeof err) != 0) {
            if (err[0]) fprintf(stderr, "kiln: %s\n", err);
            st = 1;
        }
    } else if (has_suffix(file, KCF_EXT)) {
        size_t len;
        char *data = read_text(file, &len);
        if (!data) st = 1;
        else st = each_class(&x, file, (const uint8_t *)data, len);
        free(data);
    } else {
        fprintf(stderr, "kiln: %s: not a .kl, .klc or .kar file\n", file);
        st = EXIT_USAGE;
    }
    if (verify && st == 0) printf("%s: %d class%s verified\n", file, x.count, x.count == 1 ? "" : "es");
    kiln_free(vm);
    return st;
}

/* kiln dis --jit METHOD FILE: loads FILE as `run` does, compiles METHOD
** ("module.fn" or "module.Class.method": the class is everything before the last
** dot) with tier 1 and prints its machine code. */
static int cmd_dis_jit(const char *method, const char *file)
{
    KilnVM *vm = kiln_new(NULL);
    if (!vm) { fprintf(stderr, "kiln: cannot create the VM\n"); return 1; }
    KilnStatus st;
    if (has_suffix(file, ".kl")) {
        size_t len;
        char *src = read_text(file, &len);
        if (!src) { kiln_free(vm); return 1; }
        const char *slash = strrchr(file, '/');
        char *dir = slash ? strndup(file, (size_t)(slash - file)) : strdup(".");
        st = kiln_load_path(vm, dir && dir[0] ? dir : "/");
        free(dir);
        if (st == KILN_OK) st = kiln_load_source(vm, file, src, len);
        free(src);
    } else {
        st = kiln_load_path(vm, file);
    }
    if (st != KILN_OK) {
        fputs(kiln_error_message(vm), stderr);
        kiln_free(vm);
        return st == KILN_COMPILE_ERROR ? 2 : 1;
    }
    int rc = 1;
    const char *dot = strrchr(method, '.');
    char err[1024];
    char *cname = dot ? strndup(method, (size_t)(dot - method)) : NULL;
    KClass *c = cname ? ld_find_class(vm, cname, err, sizeof err) : NULL;
    KMethod *m = c ? vm_find_method_named(c, dot + 1) : NULL;
    if (!dot) fprintf(stderr, "kiln: %s: name a method as module.fn or module.Class.method\n", method);
    else if (!c) fprintf(stderr, "kiln: %s\n", err);
    else if (!m) fprintf(stderr, "kiln: %s has no method %s\n", cname, dot + 1);
    else if (jit_compile(vm, m) != 0)
        fprintf(stderr, "kiln: %s: tier 1 refused it: %s\n", method, m->jit_reason ? m->jit_reason : "?");
    else if (jit_dump(vm, m, stdout) == 0) rc = 0;
    free(cname);
    kiln_free(vm);
    return rc;
}

/* ---- asm ------------------------------------------------------------------- */

/* kiln asm FILE.kasm [-o OUT.klc]: errors as "FILE:LINE: message", status 1.
** Without -o the output is FILE with .kasm replaced by .klc. */
static int cmd_asm(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) out = argv[++i];
        else if (!in && argv[i][0] != '-') in = argv[i];
        else { fprintf(stderr, "kiln asm: bad argument %s\n%s", argv[i], usage); return EXIT_USAGE; }
    }
    if (!in) { fprintf(stderr, "kiln asm: need a .kasm file\n%s", usage); return EXIT_USAGE; }
    char *def = NULL;
    if (!out) {
        size_t n = strlen(in);
        if (has_suffix(in, ".kasm")) n -= 5;
        def = malloc(n + sizeof KCF_EXT);
        if (!def) { fprintf(stderr, "kiln: out of memory\n"); return 1; }
        memcpy(def, in, n);
        memcpy(def + n, KCF_EXT, sizeof KCF_EXT);
        out = def;
    }
    size_t len;
    char *src = read_text(in, &len);
    uint8_t *bytes = NULL;
    size_t nbytes = 0;
    char err[1024];
    int st = 0;
    if (!src) st = 1;
    else if (ld_assemble(src, len, in, &bytes, &nbytes, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        st = 1;
    } else {
        FILE *f = fopen(out, "wb");
        if (!f || fwrite(bytes, 1, nbytes, f) != nbytes) { fprintf(stderr, "kiln: %s: %s\n", out, strerror(errno)); st = 1; }
        if (f && fclose(f) != 0 && !st) { fprintf(stderr, "kiln: %s: %s\n", out, strerror(errno)); st = 1; }
    }
    free(bytes);
    free(src);
    free(def);
    return st;
}

/* ---- options ------------------------------------------------------------------ */

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || !*s || *end || v < 0) return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    RunJob job;
    memset(&job, 0, sizeof job);
    kiln_config_init(&job.cfg);
    const char *cmd = "run";
    int i = 1, raw = 0;
    const char *jit_method = NULL;
    if (i < argc && (strcmp(argv[i], "run") == 0 || strcmp(argv[i], "build") == 0 ||
                     strcmp(argv[i], "dis") == 0 || strcmp(argv[i], "verify") == 0))
        cmd = argv[i++];
    if (strcmp(cmd, "build") == 0) return cmd_build(argc - i, argv + i);
    if (i == 1 && argc > 1 && strcmp(argv[1], "compare") == 0) return cli_compare(argc - 2, argv + 2);
    if (i == 1 && argc > 1 && strcmp(argv[1], "asm") == 0) return cmd_asm(argc - 2, argv + 2);
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        const char *a = argv[i];
        long v;
        if (strcmp(a, "--help") == 0) { fputs(usage, stdout); return 0; }
        else if (strcmp(a, "--version") == 0) { printf("kiln %s\n", KILN_VERSION); return 0; }
        else if (strcmp(a, "--stats") == 0) job.stats = 1;
        else if (strcmp(a, "--raw") == 0 && strcmp(cmd, "dis") == 0) raw = 1;
        else if (strcmp(a, "--jit") == 0 && strcmp(cmd, "dis") == 0 && i + 1 < argc) jit_method = argv[++i];
        else if (strncmp(a, "--osr-threshold=", 16) == 0 && parse_long(a + 16, &v) == 0 && v > 0)
            job.cfg.osr_threshold = v;
        else if (strncmp(a, "--budget=", 9) == 0 && parse_long(a + 9, &v) == 0 && v > 0)
            job.cfg.budget = v;
        else if (strcmp(a, "--trace-jit") == 0) job.cfg.trace_jit = 1;
        else if (strcmp(a, "--tier=0") == 0) job.cfg.tier = KILN_TIER_INTERP;
        else if (strcmp(a, "--tier=1") == 0) job.cfg.tier = KILN_TIER_1;
        else if (strcmp(a, "--tier=auto") == 0) job.cfg.tier = KILN_TIER_AUTO;
        else if (strncmp(a, "--jit-threshold=", 16) == 0 && parse_long(a + 16, &v) == 0 && v > 0)
            job.cfg.jit_threshold = v;
        else if (strncmp(a, "--max-depth=", 12) == 0 && parse_long(a + 12, &v) == 0 && v > 0)
            job.cfg.max_depth = v;
        else { fprintf(stderr, "kiln: bad option %s\n%s", a, usage); return EXIT_USAGE; }
    }
    if (i >= argc) { fputs(usage, stderr); return EXIT_USAGE; }
    if (strcmp(cmd, "dis") == 0 && jit_method) return cmd_dis_jit(jit_method, argv[i]);
    if (strcmp(cmd, "dis") == 0) return cmd_inspect(argv[i], 0, raw);
    if (strcmp(cmd, "verify") == 0) return cmd_inspect(argv[i], 1, 0);
    job.file = argv[i];
    job.argc = argc - i - 1;
    job.argv = (const char *const *)argv + i + 1;
    if (gc_run_with_stack(RUN_STACK, run_job, &job) != 0) run_job(&job);
    return job.status;
}
