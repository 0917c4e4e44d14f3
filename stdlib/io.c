/*
** stdlib/io.c — std.io's natives (stdlib/std/io.kl).
**
** Failures raise std.core.IOError "PATH: REASON" with the OS reason (strerror).
** A sandboxed VM (KilnConfig.sandbox) refuses files and stdin with IOError;
** eprint still works (it goes to write_err, like print to write_out).
*/
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include "stdlib.h"

static KSlot io_error(KVM *vm, const char *path, int err)
{
    KClass *c = vm_find_class(vm, "std.core.IOError");
    return vm_throw(vm, c ? c : vm->c_error, "%s: %s", path, strerror(err));
}

/* The C path of a String argument, or NULL with an error raised. */
static const char *path_of(KVM *vm, KSlot s, const char *fn)
{
    KString *p = STD_STR(s);
    if (!p) { vm_throw(vm, vm->c_null_error, "%s: path is null", fn); return NULL; }
    if (vm->cfg.sandbox) { std_sandbox_error(vm, p->data); return NULL; }
    if (memchr(p->data, 0, (size_t)p->len)) { io_error(vm, "(path with a NUL byte)", EINVAL); return NULL; }
    return p->data;
}

/* Reads the whole file into malloc memory. NULL with errno set on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n == cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) { free(b); b = NULL; errno = ENOMEM; break; }
            b = nb; cap *= 2;
        }
        size_t k = fread(b + n, 1, cap - n, f);
        n += k;
        if (k == 0) {
            if (ferror(f)) { int e = errno ? errno : EIO; free(b); b = NULL; errno = e; }
            break;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

static KSlot io_read_text(KVM *vm, KSlot *a)
{
    const char *p = path_of(vm, a[0], "readText");
    if (!p) return 0;
    size_t n;
    errno = 0;
    char *b = slurp(p, &n);
    if (!b) return io_error(vm, p, errno ? errno : EIO);
    KString *s = vm_string_new(vm, b, n);
    free(b);
    return STD_SLOT(s);
}

static KSlot io_read_bytes(KVM *vm, KSlot *a)
{
    const char *p = path_of(vm, a[0], "readBytes");
    if (!p) return 0;
    size_t n;
    errno = 0;
    char *b = slurp(p, &n);
    if (!b) return io_error(vm, p, errno ? errno : EIO);
    KClass *ac = vm_array_class(vm, "[B");
    KArray *arr = ac ? vm_new_array(vm, ac, (int64_t)n) : NULL;
    if (arr) memcpy(arr->data, b, n);
    free(b);
    return STD_SLOT(arr);
}

static KSlot write_bytes(KVM *vm, const char *p, const char *mode, const void *data, size_t n)
{
    FILE *f = fopen(p, mode);
    if (!f) return io_error(vm, p, errno);
    size_t k = fwrite(data, 1, n, f);
    int e = k < n ? (errno ? errno : EIO) : 0;
    if (fclose(f) != 0 && !e) e = errno ? errno : EIO;
    if (e) return io_error(vm, p, e);
    return 0;
}

static KSlot io_write_text(KVM *vm, KSlot *a)
{
    const char *p = path_of(vm, a[0], "writeText");
    if (!p) return 0;
    KString *t = STD_STR(a[1]);
    if (!t) return vm_throw(vm, vm->c_null_error, "writeText: text is null");
    return write_bytes(vm, p, "wb", t->data, (size_t)t->len);
}

static KSlot io_append_text(KVM *vm, KSlot *a)
{
    const char *p = path_of(vm, a[0], "appendText");
    if (!p) return 0;
    KString *t = STD_STR(a[1]);
    if (!t) return vm_throw(vm, vm->c_null_error, "appendText: text is null");
    return write_bytes(vm, p, "ab", t->data, (size_t)t->len);
}

static KSlot io_write_bytes(KVM *vm, KSlot *a)
{
    const char *p = path_of(vm, a[0], "writeBytes");
    if (!p) return 0;
    KArray *d = (KArray *)STD_OBJ(a[1]);
    if (!d) return vm_throw(vm, vm->c_null_error, "writeBytes: data is null");
    return write_bytes(vm, p, "wb", d->data, (size_t)d->length);
}

static KSlot io_exists(KVM *vm, KSlot *a)
{
    const char *p = path_of(vm, a[0], "exists");
    if (!p) return 0;
    struct stat st;
    return stat(p, &st) == 0;
}

static KSlot io_is_dir(KVM *vm, KSlot *a)
{
    const char *p = path_of(vm, a[0], "isDir");
    if (!p) return 0;
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static KSlot io_list_dir(KVM *vm, KSlot *a)
{
    const char *p = path_of(vm, a[0], "listDir");
    if (!p) return 0;
    DIR *d = opendir(p);
    if (!d) return io_error(vm, p, errno);
    char **names = NULL;
    size_t n = 0, cap = 0;
    int oom = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn) { oom = 1; break; }
            names = nn; cap = nc;
        }
        if (!(names[n] = strdup(e->d_name))) { oom = 1; break; }
        n++;
    }
    closedir(d);
    KArray *arr = NULL;
    if (oom) vm_throw(vm, vm->c_error, "out of memory");
    else {
        if (n) qsort(names, n, sizeof *names, cmp_str);
        KClass *ac = vm_array_class(vm, "[" STD_S);
        arr = ac ? vm_new_array(vm, ac, (int64_t)n) : NULL;
        for (size_t i = 0; arr && i < n; i++) {
            KString *s = vm_string_cstr(vm, names[i]);
            if (!s) { arr = NULL; break; }
            arr->data[i] = STD_SLOT(s);
        }
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return STD_SLOT(arr);
}

static KSlot io_remove(KVM *vm, KSlot *a)
{
    const char *p = path_of(vm, a[0], "remove");
    if (!p) return 0;
    if (remove(p) != 0) return io_error(vm, p, errno);
    return 0;
}

static KSlot io_mkdir(KVM *vm, KSlot *a)
{
    const char *p = path_of(vm, a[0], "mkdir");
    if (!p) return 0;
    if (mkdir(p, 0777) != 0) return io_error(vm, p, errno);
    return 0;
}

static KSlot io_read_line(KVM *vm, KSlot *a)
{
    (void)a;
    if (vm->cfg.sandbox) return std_sandbox_error(vm, "stdin");
    vm_flush_out(vm);
    char *line = NULL;
    size_t cap = 0;
    errno = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        int e = errno;
        free(line);
        if (ferror(stdin)) { clearerr(stdin); return io_error(vm, "stdin", e ? e : EIO); }
        return 0;
    }
    if (n > 0 && line[n - 1] == '\n') n--;
    if (n > 0 && line[n - 1] == '\r') n--;
    KString *s = vm_string_new(vm, line, (size_t)n);
    free(line);
    return STD_SLOT(s);
}

static KSlot io_eprint(KVM *vm, KSlot *a)
{
    KString *s = STD_STR(a[0]);
    const char *t = s ? s->data : "null";
    size_t n = s ? (size_t)s->len : 4;
    vm_flush_out(vm);
    if (vm->cfg.write_err) vm->cfg.write_err(vm->cfg.write_userdata, t, n);
    else { fwrite(t, 1, n, stderr); fflush(stderr); }
    return 0;
}

static KSlot io_flush(KVM *vm, KSlot *a)
{
    (void)a;
    vm_flush_out(vm);
    return 0;
}

/* ---- lazy line reading: io.openLines, io.stdinLines, LineReader ----------------------
**
** A LineReader is a host object (kiln_new_host_object, as an embedding host makes
** them) around a malloc'd LReader: the FILE*, the path for messages and a line
** buffer reused by every getline. stdio reads the file a 64 KiB buffer at a time.
** The FILE* is closed at end of file, by close(), or by the finalizer when the
** collector finds the reader unreachable (host finalizers run between Kiln calls:
** a program that drops readers early should close() them). */

typedef struct {
    FILE  *f;          /* NULL at end of input or once closed */
    char  *path;       /* malloc'd; "stdin" for standard input */
    char  *line;       /* getline's buffer */
    size_t cap;
    int    is_stdin;   /* standard input is never fclose'd */
    int    closed;     /* close() was called: reading is an error */
} LReader;

static void lr_release_file(LReader *r)
{
    if (r->f && !r->is_stdin) fclose(r->f);
    r->f = NULL;
}

static void lr_finalize(void *ptr, void *ud)
{
    (void)ud;
    LReader *r = ptr;
    lr_release_file(r);
    free(r->path);
    free(r->line);
    free(r);
}

/* Wraps r in a new std.io.LineReader; on failure frees r, raises and returns 0. */
static KSlot lr_wrap(KVM *vm, LReader *r)
{
    KilnValue v;
    KilnStatus st = kiln_new_host_object(vm, "std.io.LineReader", r, lr_finalize, NULL, &v);
    if (st != KILN_OK) {
        lr_finalize(r, NULL);
        if (st == KILN_RUNTIME_ERROR && kiln_rethrow(vm) == KILN_RUNTIME_ERROR) return 0;
        return vm_throw(vm, vm->c_error, "%s", kiln_error_message(vm));
    }
    KObject *o = v.as.h->obj;
    kiln_release(vm, v.as.h);      /* o stays alive: it is on this C stack */
    return STD_SLOT(o);
}

static LReader *lr_new(const char *path, FILE *f, int is_stdin)
{
    LReader *r = calloc(1, sizeof *r);
    if (r && !(r->path = strdup(path))) { free(r); r = NULL; }
    if (!r) return NULL;
    r->f = f;
    r->is_stdin = is_stdin;
    return r;
}

static KSlot io_open_lines(KVM *vm, KSlot *a)
{
    const char *p = path_of(vm, a[0], "openLines");
    if (!p) return 0;
    FILE *f = fopen(p, "rb");
    if (!f) return io_error(vm, p, errno);
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) { fclose(f); return io_error(vm, p, EISDIR); }
    setvbuf(f, NULL, _IOFBF, 64 << 10);
    LReader *r = lr_new(p, f, 0);
    if (!r) { fclose(f); return vm_throw(vm, vm->c_error, "out of memory"); }
    return lr_wrap(vm, r);
}

static KSlot io_stdin_lines(KVM *vm, KSlot *a)
{
    (void)a;
    if (vm->cfg.sandbox) return std_sandbox_error(vm, "stdin");
    LReader *r = lr_new("stdin", stdin, 1);
    if (!r) return vm_throw(vm, vm->c_error, "out of memory");
    return lr_wrap(vm, r);
}

/* The LReader of receiver slot s, or NULL with an error raised. */
static LReader *lr_of(KVM *vm, KSlot s)
{
    struct KilnHandle h = { STD_OBJ(s), vm, NULL, NULL, 0 };
    LReader *r = kiln_host_pointer(vm, &h);
    if (!r) vm_throw(vm, vm->c_error, "LineReader: not made by io.openLines or io.stdinLines");
    return r;
}

static KSlot lr_read(KVM *vm, KSlot *a)
{
    LReader *r = lr_of(vm, a[0]);
    if (!r) return 0;
    if (r->closed) {
        KClass *c = vm_find_class(vm, "std.core.IOError");
        return vm_throw(vm, c ? c : vm->c_error, "%s: reader is closed", r->path);
    }
    if (!r->f) return 0;
    if (r->is_stdin) vm_flush_out(vm);
    errno = 0;
    ssize_t n = getline(&r->line, &r->cap, r->f);
    if (n < 0) {
        int e = errno;
        if (ferror(r->f)) { clearerr(r->f); return io_error(vm, r->path, e ? e : EIO); }
        lr_release_file(r);
        return 0;
    }
    if (n > 0 && r->line[n - 1] == '\n') n--;
    if (n > 0 && r->line[n - 1] == '\r') n--;
    return STD_SLOT(vm_string_new(vm, r->line, (size_t)n));
}

static KSlot lr_shut(KVM *vm, KSlot *a)
{
    LReader *r = lr_of(vm, a[0]);
    if (!r) return 0;
    lr_release_file(r);
    r->closed = 1;
    return 0;
}

static const StdNative natives[] = {
    { "std.io", "readText",   "(" STD_S ")" STD_S,   io_read_text },
    { "std.io", "readBytes",  "(" STD_S ")[B",       io_read_bytes },
    { "std.io", "writeText",  "(" STD_S STD_S ")V",  io_write_text },
    { "std.io", "appendText", "(" STD_S STD_S ")V",  io_append_text },
    { "std.io", "writeBytes", "(" STD_S "[B)V",      io_write_bytes },
    { "std.io", "exists",     "(" STD_S ")Z",        io_exists },
    { "std.io", "isDir",      "(" STD_S ")Z",        io_is_dir },
    { "std.io", "listDir",    "(" STD_S ")[" STD_S,  io_list_dir },
    { "std.io", "remove",     "(" STD_S ")V",        io_remove },
    { "std.io", "mkdir",      "(" STD_S ")V",        io_mkdir },
    { "std.io", "readLine",   "()" STD_S,            io_read_line },
    { "std.io", "eprint",     "(" STD_S ")V",        io_eprint },
    { "std.io", "flush",      "()V",                 io_flush },
    { "std.io", "openLines",  "(" STD_S ")Lstd.io.LineReader;", io_open_lines },
    { "std.io", "stdinLines", "()Lstd.io.LineReader;", io_stdin_lines },
    { "std.io.LineReader", "read", "()" STD_S, lr_read },
    { "std.io.LineReader", "shut", "()V",      lr_shut },
};

int std_io_register(KVM *vm)
{
    return std_register_table(vm, natives, sizeof natives / sizeof natives[0]);
}
