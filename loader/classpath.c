/*
** loader/classpath.c — finding classes: the class path (directories, .kar
** archives through libzip), defining and linking classes, and lazy resolution
** of constant-pool references.
**
** Class-path entries are malloc'd (libzip handles are not GC memory) and hang off
** vm->archives; ld_close releases them.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>
#include "loader.h"
#include "../verifier/verifier.h"
#include "../interp/interp.h"
#include "../stdlib/stdlib.h"

typedef struct CpEntry {
    struct CpEntry *next;
    char  *path;        /* directory, or the archive's file name */
    zip_t *zip;         /* NULL for a directory */
} CpEntry;

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Class names are dot-separated identifiers: anything else could escape a class
** path directory when mapped to a file name. */
int ld_valid_class_name(const char *n)
{
    if (!*n || strlen(n) > KCF_MAX_NAME) return 0;
    int prev_dot = 1;
    for (const char *p = n; *p; p++) {
        if (*p == '.') { if (prev_dot) return 0; prev_dot = 1; continue; }
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '$'))
            return 0;
        prev_dot = 0;
    }
    return !prev_dot;
}

/* "a.b.C" -> "a/b/C.klc" (malloc'd). */
static char *entry_name(const char *cls)
{
    size_t n = strlen(cls);
    char *e = malloc(n + sizeof KCF_EXT);
    if (!e) return NULL;
    for (size_t i = 0; i < n; i++) e[i] = cls[i] == '.' ? '/' : cls[i];
    memcpy(e + n, KCF_EXT, sizeof KCF_EXT);
    return e;
}

static uint8_t *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return NULL; }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        if (cap >= ((size_t)1 << 30)) { free(buf); buf = NULL; snprintf(err, errlen, "%s: file too large", path); fclose(f); return NULL; }
        uint8_t *nb = realloc(buf, cap * 2);
        if (!nb) { free(buf); buf = NULL; break; }
        buf = nb; cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) { free(buf); snprintf(err, errlen, "%s: read error", path); return NULL; }
    *len = n;
    return buf;
}

#ifndef KAR_MAX_ENTRY
#define KAR_MAX_ENTRY    ((zip_uint64_t)KCF_MAX_CODE * 4)
#endif
static uint8_t *read_zip_entry(zip_t *z, const char *name, size_t *len, const char *zpath,
                               char *err, size_t errlen)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) return NULL;
    if (st.size > KAR_MAX_ENTRY) {
        snprintf(err, errlen, "%s: entry %s is too large (%llu bytes)", zpath, name,
                 (unsigned long long)st.size);
        return NULL;
    }
    zip_file_t *zf = zip_fopen(z, name, 0);
    if (!zf) { snprintf(err, errlen, "%s: cannot open entry %s: %s", zpath, name, zip_strerror(z)); return NULL; }
    uint8_t *buf = malloc(st.size ? st.size : 1);
    zip_int64_t got = buf ? zip_fread(zf, buf, st.size) : -1;
    zip_fclose(zf);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(buf);
        snprintf(err, errlen, "%s: entry %s is corrupt", zpath, name);
        return NULL;
    }
    *len = (size_t)st.size;
    return buf;
}

static void add_entry(KVM *vm, CpEntry *e)
{
    CpEntry **p = (CpEntry **)&vm->archives;
    while (*p) p = &(*p)->next;
    *p = e;
}

/* Archive limits: entries in one archive, bytes of the manifest (one entry's
** limit, KAR_MAX_ENTRY, is above read_zip_entry). */
#define KAR_MAX_ENTRIES  65536
#define KAR_MAX_MANIFEST 65536

/* Whether an entry name stays inside the archive when mapped to a path: not
** absolute, no backslash, no drive letter, no "." or ".." component, no empty
** component, no control characters. */
static int safe_entry_name(const char *n)
{
    if (!*n || n[0] == '/' || strchr(n, '\\') || strchr(n, ':')) return 0;
    for (const char *p = n; *p; p++)
        if ((unsigned char)*p < 32 || *p == 127) return 0;
    for (const char *c = n; *c;) {
        const char *e = strchr(c, '/');
        size_t len = e ? (size_t)(e - c) : strlen(c);
        if (len == 0 && e) return 0;                             /* "a//b" */
        if ((len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.')) return 0;
        if (!e) break;
        c = e + 1;
    }
    return 1;
}

/* The message for a failed zip_open. libzip refuses duplicate entry names itself. */
static void zip_open_error(const char *path, int zerr, char *err, size_t errlen)
{
    if (zerr == ZIP_ER_EXISTS) {
        snprintf(err, errlen, "%s: bad archive: duplicate entry names", path);
        return;
    }
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    snprintf(err, errlen, "%s: cannot open archive: %s", path, zip_error_strerror(&ze));
    zip_error_fini(&ze);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Checks every entry of an open archive: count, names (inside the archive, no
** duplicates) and sizes. 0, or -1 with a one-line message. */
static int check_entries(zip_t *z, const char *path, char *err, size_t errlen)
{
    zip_int64_t n = zip_get_num_entries(z, 0);
    if (n < 0 || n > KAR_MAX_ENTRIES) {
        snprintf(err, errlen, "%s: bad archive: %lld entries (at most %d)", path, (long long)n,
                 KAR_MAX_ENTRIES);
        return -1;
    }
    const char **names = malloc(((size_t)n + 1) * sizeof *names);
    if (!names) { snprintf(err, errlen, "%s: out of memory", path); return -1; }
    int rc = 0;
    for (zip_int64_t i = 0; i < n && rc == 0; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        const char *name = zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (!name || zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0) {
            snprintf(err, errlen, "%s: bad archive: entry %lld is unreadable: %s", path,
                     (long long)i, zip_strerror(z));
            rc = -1;
        } else if (!safe_entry_name(name)) {
            snprintf(err, errlen, "%s: bad archive: entry name '%.200s' escapes the archive "
                     "(absolute, '..', backslash or control character)", path, name);
            rc = -1;
        } else if ((st.valid & ZIP_STAT_SIZE) && st.size > KAR_MAX_ENTRY) {
            snprintf(err, errlen, "%s: bad archive: entry %.200s is too large (%llu bytes)", path,
                     name, (unsigned long long)st.size);
            rc = -1;
        }
        names[i] = name;
    }
    if (rc == 0 && n > 1) {
        qsort(names, (size_t)n, sizeof *names, cmp_names);
        for (zip_int64_t i = 1; i < n && rc == 0; i++)
            if (strcmp(names[i - 1], names[i]) == 0) {
                snprintf(err, errlen, "%s: bad archive: duplicate entry %.200s", path, names[i]);
                rc = -1;
            }
    }
    free(names);
    return rc;
}

static int open_archive(KVM *vm, const char *path, char *err, size_t errlen)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!z) {
        zip_open_error(path, zerr, err, errlen);
        return -1;
    }
    if (check_entries(z, path, err, errlen)) { zip_discard(z); return -1; }
    size_t mlen = 0;
    err[0] = 0;
    char *mf = (char *)read_zip_entry(z, KAR_MANIFEST, &mlen, path, err, errlen);
    if (!mf) {
        if (!err[0]) snprintf(err, errlen, "%s: not a Kiln archive: no %s", path, KAR_MANIFEST);
        zip_discard(z);
        return -1;
    }
    if (mlen > KAR_MAX_MANIFEST) {
        snprintf(err, errlen, "%s: bad archive: manifest is too large (%zu bytes)", path, mlen);
        free(mf);
        zip_discard(z);
        return -1;
    }
    /* Manifest: "Key: value" lines. */
    for (size_t i = 0; i < mlen;) {
        size_t j = i;
        while (j < mlen && mf[j] != '\n') j++;
        size_t kl = strlen(KAR_MAIN_KEY);
        if (j - i > kl && memcmp(mf + i, KAR_MAIN_KEY, kl) == 0) {
            size_t e = j;
            while (e > i + kl && (mf[e - 1] == '\r' || mf[e - 1] == ' ')) e--;
            char *mod = gc_strndup(mf + i + kl, e - i - kl);
            if (!ld_valid_class_name(mod)) {
                snprintf(err, errlen, "%s: manifest names an invalid main module", path);
                free(mf);
                zip_discard(z);
                return -1;
            }
            vm->main_module = mod;
        }
        i = j + 1;
    }
    free(mf);
    CpEntry *e = calloc(1, sizeof *e);
    if (!e) { zip_discard(z); snprintf(err, errlen, "out of memory"); return -1; }
    e->path = strdup(path);
    e->zip = z;
    add_entry(vm, e);
    return 0;
}

static int add_dir(KVM *vm, const char *path)
{
    for (CpEntry *e = vm->archives; e; e = e->next)
        if (!e->zip && strcmp(e->path, path) == 0) return 0;
    CpEntry *e = calloc(1, sizeof *e);
    if (!e) return -1;
    e->path = strdup(path);
    add_entry(vm, e);
    return 0;
}

int ld_add_path(KVM *vm, const char *path, char *err, size_t errlen)
{
    if (is_dir(path)) return add_dir(vm, path);
    if (has_suffix(path, ".kar")) return open_archive(vm, path, err, errlen);
    if (has_suffix(path, KCF_EXT)) {
        size_t len;
        uint8_t *data = read_file(path, &len, err, errlen);
        if (!data) return -1;
        KClass *c = ld_parse_class(vm, data, len, path, err, errlen);
        free(data);
        if (!c) return -1;
        /* The file's folder is on the class path, for the classes it uses. */
        const char *slash = strrchr(path, '/');
        char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
        if (dir) { add_dir(vm, dir[0] ? dir : "/"); free(dir); }
        if (ld_define_class(vm, c, err, errlen)) return -1;
        if (c->flags & KACC_MODULE) vm->main_module = c->name;
        return 0;
    }
    struct stat st;
    if (stat(path, &st) != 0) snprintf(err, errlen, "%s: %s", path, strerror(errno));
    else snprintf(err, errlen, "%s: not a directory, .kar or .klc file", path);
    return -1;
}

void ld_close(KVM *vm)
{
    CpEntry *e = vm->archives;
    while (e) {
        CpEntry *n = e->next;
        if (e->zip) zip_discard(e->zip);
        free(e->path);
        free(e);
        e = n;
    }
    vm->archives = NULL;
}

const char *ld_main_module(KVM *vm)
{
    return vm->main_module;
}

KClass *ld_find_class(KVM *vm, const char *name, char *err, size_t errlen)
{
    char dummy[8];
    if (!err) { err = dummy; errlen = sizeof dummy; }
    err[0] = 0;
    KClass *c = vm_find_class(vm, name);
    if (c) return c;
    if (ld_take_pending(vm, name, &c, err, errlen)) return c;
    if (!ld_valid_class_name(name)) { snprintf(err, errlen, "invalid class name '%s'", name); return NULL; }
    char *en = entry_name(name);
    if (!en) return NULL;
    for (CpEntry *e = vm->archives; e && !c; e = e->next) {
        size_t len = 0;
        uint8_t *data = NULL;
        char origin[1024];
        if (e->zip) {
            data = read_zip_entry(e->zip, en, &len, e->path, err, errlen);
            snprintf(origin, sizeof origin, "%s!%s", e->path, en);
        } else {
            snprintf(origin, sizeof origin, "%s/%s", e->path, en);
            FILE *f = fopen(origin, "rb");
            if (!f) continue;
            fclose(f);
            data = read_file(origin, &len, err, errlen);
        }
        if (!data) { if (err[0]) break; continue; }
        c = ld_parse_class(vm, data, len, origin, err, errlen);
        free(data);
        if (!c) break;
        if (strcmp(c->name, name) != 0) {
            snprintf(err, errlen, "%s: holds class %s, expected %s", origin, c->name, name);
            c = NULL;
            break;
        }
        if (ld_define_class(vm, c, err, errlen)) { c = NULL; break; }
    }
    free(en);
    /* Not on the class path: a class of an embedded standard module (stdlib/embed.c)? */
    const char *std = !c && !err[0] ? std_module_of_class(name) : NULL;
    if (std && std_load_module(vm, std, err, errlen) == 0) ld_take_pending(vm, name, &c, err, errlen);
    if (!c && !err[0]) snprintf(err, errlen, "class %s not found on the class path", name);
    return c;
}

char *ld_find_source(KVM *vm, const char *module, size_t *len, char **path)
{
    *path = NULL;
    if (!ld_valid_class_name(module)) return NULL;
    size_t n = strlen(module);
    char *en = malloc(n + 4);
    if (!en) return NULL;
    for (size_t i = 0; i < n; i++) en[i] = module[i] == '.' ? '/' : module[i];
    memcpy(en + n, ".kl", 4);
    char *text = NULL;
    char err[512];
    for (CpEntry *e = vm->archives; e && !text; e = e->next) {
        size_t elen = strlen(e->path) + n + 8;
        char *where = malloc(elen);
        if (!where) break;
        uint8_t *data = NULL;
        err[0] = 0;
        if (e->zip) {
            snprintf(where, elen, "%s!%s", e->path, en);
            data = read_zip_entry(e->zip, en, len, e->path, err, sizeof err);
        } else {
            snprintf(where, elen, "%s/%s", e->path, en);
            if (is_dir(where)) { free(where); continue; }
            FILE *f = fopen(where, "rb");
            if (f) { fclose(f); data = read_file(where, len, err, sizeof err); }
        }
        if (data) {
            /* NUL-terminated for the compiler's convenience (not counted in *len). */
            uint8_t *t = realloc(data, *len + 1);
            if (!t) { free(data); free(where); break; }
            t[*len] = 0;
            text = (char *)t;
            *path = where;
        } else {
            free(where);
        }
    }
    free(en);
    return text;
}

int ld_write_archive(const char *path, const char *const *names, const uint8_t *const *data,
                     const size_t *lens, int n, const char *main_module, char *err, size_t errlen)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        snprintf(err, errlen, "%s: cannot create archive: %s", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    char manifest[KCF_MAX_NAME + 64];
    snprintf(manifest, sizeof manifest, "Manifest-Version: 1\n%s%s\n", KAR_MAIN_KEY,
             main_module ? main_module : "");
    zip_source_t *s = zip_source_buffer(z, manifest, strlen(manifest), 0);
    if (!s || zip_file_add(z, KAR_MANIFEST, s, ZIP_FL_ENC_UTF_8) < 0) goto fail;
    for (int i = 0; i < n; i++) {
        char *en = entry_name(names[i]);
        if (!en) goto fail;
        s = zip_source_buffer(z, data[i], lens[i], 0);
        zip_int64_t at = s ? zip_file_add(z, en, s, ZIP_FL_ENC_UTF_8) : -1;
        free(en);
        if (at < 0) { if (s) zip_source_free(s); goto fail; }
    }
    if (zip_close(z) != 0) goto fail;
    return 0;
fail:
    snprintf(err, errlen, "%s: cannot write archive: %s", path, zip_strerror(z));
    zip_discard(z);
    return -1;
}

int ld_archive_each(const char *path,
                    int (*fn)(void *ud, const char *entry, const uint8_t *data, size_t len),
                    void *ud, char *err, size_t errlen)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!z) {
        zip_open_error(path, zerr, err, errlen);
        return -1;
    }
    if (check_entries(z, path, err, errlen)) { zip_discard(z); return -1; }
    int rc = 0;
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n && rc == 0; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        if (!name || !has_suffix(name, KCF_EXT)) continue;
        size_t len = 0;
        err[0] = 0;
        uint8_t *data = read_zip_entry(z, name, &len, path, err, errlen);
        if (!data) { if (!err[0]) snprintf(err, errlen, "%s: cannot read %s", path, name); rc = -1; break; }
        rc = fn(ud, name, data, len);
        free(data);
    }
    zip_discard(z);
    return rc;
}
