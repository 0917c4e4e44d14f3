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
static int valid_class_name(const char *n)
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

static uint8_t *read_zip_entry(zip_t *z, const char *name, size_t *len, const char *zpath,
                               char *err, size_t errlen)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) return NULL;
    if (st.size > KCF_MAX_CODE * 4ull) {
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

static int open_archive(KVM *vm, const char *path, char *err, size_t errlen)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        snprintf(err, errlen, "%s: cannot open archive: %s", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    size_t mlen = 0;
    err[0] = 0;
    char *mf = (char *)read_zip_entry(z, KAR_MANIFEST, &mlen, path, err, errlen);
    if (!mf) {
        if (!err[0]) snprintf(err, errlen, "%s: not a Kiln archive: no %s", path, KAR_MANIFEST);
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
            if (!valid_class_name(mod)) {
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

/* Entry of a native method nothing has bound: calling it is a LinkError. */
static KSlot unbound_native(KVM *vm, KMethod *m, KSlot *args)
{
    (void)args;
    return vm_throw(vm, vm->c_link_error, "native function %s.%s is not bound", m->cls->name,
                    m->name);
}

int ld_define_class(KVM *vm, KClass *c, char *err, size_t errlen)
{
    if (!valid_class_name(c->name)) {
        snprintf(err, errlen, "invalid class name '%s'", c->name);
        return -1;
    }
    if (vm_find_class(vm, c->name)) {
        snprintf(err, errlen, "LinkError: class %s is already defined", c->name);
        return -1;
    }
    if (c->super_name) {
        if (strcmp(c->super_name, c->name) == 0) {
            snprintf(err, errlen, "LinkError: class %s names itself as its superclass", c->name);
            return -1;
        }
        char serr[512] = "";
        c->super = ld_find_class(vm, c->super_name, serr, sizeof serr);
        if (!c->super) {
            snprintf(err, errlen, "LinkError: superclass %s of %s not found%s%s", c->super_name,
                     c->name, serr[0] ? ": " : "", serr);
            return -1;
        }
    }
    if (vf_verify_class(vm, c, err, errlen)) return -1;
    for (int i = 0; i < c->nmethods; i++) {
        KMethod *m = &c->methods[i];
        m->entry = (m->flags & KACC_NATIVE) ? unbound_native : in_entry;
    }
    vm_add_class(vm, c);
    return 0;
}

KClass *ld_find_class(KVM *vm, const char *name, char *err, size_t errlen)
{
    char dummy[8];
    if (!err) { err = dummy; errlen = sizeof dummy; }
    err[0] = 0;
    KClass *c = vm_find_class(vm, name);
    if (c) return c;
    if (!valid_class_name(name)) { snprintf(err, errlen, "invalid class name '%s'", name); return NULL; }
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
    if (!c && !err[0]) snprintf(err, errlen, "class %s not found on the class path", name);
    return c;
}

void ld_member_ref(const KClass *c, uint16_t idx, const char **cls, const char **name,
                   const char **desc)
{
    const KConst *k = &c->cp[idx];
    const KConst *nt = &c->cp[k->b];
    *cls = c->cp[c->cp[k->a].a].v.utf8.s;
    *name = c->cp[nt->a].v.utf8.s;
    *desc = c->cp[nt->b].v.utf8.s;
}

KMethod *ld_resolve_method(KVM *vm, KClass *from, uint16_t idx)
{
    KConst *k = &from->cp[idx];
    if (k->resolved) return k->resolved;
    const char *cn, *mn, *md;
    ld_member_ref(from, idx, &cn, &mn, &md);
    char err[512];
    KClass *c = ld_find_class(vm, cn, err, sizeof err);
    if (!c) {
        vm_throw(vm, vm->c_link_error, "%s", err);
        return NULL;
    }
    KMethod *m = vm_find_method(c, mn, md);
    if (!m) {
        vm_throw(vm, vm->c_link_error, "no method %s.%s%s", cn, mn, md);
        return NULL;
    }
    if (!(m->flags & KACC_STATIC)) {
        vm_throw(vm, vm->c_link_error, "method %s.%s%s is not static", cn, mn, md);
        return NULL;
    }
    k->resolved = m;
    return m;
}

KString *ld_resolve_string(KVM *vm, KClass *from, uint16_t idx)
{
    KConst *k = &from->cp[idx];
    if (k->resolved) return k->resolved;
    const KConst *u = &from->cp[k->a];
    KString *s = vm_string_new(vm, u->v.utf8.s, u->v.utf8.len);
    k->resolved = s;
    return s;
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
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        snprintf(err, errlen, "%s: cannot open archive: %s", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
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
