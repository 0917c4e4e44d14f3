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
};

int std_io_register(KVM *vm)
{
    return std_register_table(vm, natives, sizeof natives / sizeof natives[0]);
}
